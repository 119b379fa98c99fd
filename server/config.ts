import type { PullRule } from '../src/core/usage-pull/index.js';
import { DEFAULT_PULL_RULE, DEFAULT_PULL_SCHEDULE, parseSchedule, pullRuleProblem } from '../src/core/usage-pull/index.js';
import { parseWebhookHosts } from './adapters/teams/webhook-target.js';

/** Settings read from the environment; the local host fills in embedded defaults. */
export interface ServerConfig {
  storageConnectionString: string;
  tableName: string;
  devMode: boolean;
  /** Where cards in IT's Teams channel link to: the tab's web address. */
  tabUrl: string;
  auth: { issuer: string; audience: string; jwksUrl: string; allowedTenants: string[] } | undefined;
  /**
   * Origins whose pages may call the API from another origin (CORS), e.g. the Static Web App's. None: the
   * pipeline sends no CORS headers (locally the Vite server proxies /api, so the pages are same-origin; in
   * Azure the Function App's own CORS, set in main.bicep, answers for the Static Web App).
   */
  allowedOrigins?: string[];
  /** Host patterns the Teams webhook URL may use (CREDIT_DESK_WEBHOOK_HOSTS); the Workflows hosts when unset. */
  webhookHosts?: string[];
  /** Days the nightly backups are kept (the newest is always kept); 30 when unset. */
  backupRetentionDays?: number | undefined;
  /** Where the Autodesk secrets are kept (CREDIT_DESK_KEY_VAULT_URL), and the managed identity that signs in to it. */
  keyVault?: { url: string; clientId: string | undefined } | undefined;
  /** Pulls from Autodesk's usage APIs: the timer's NCRONTAB schedule, the settling window and the first backfill. */
  usagePull?: UsagePullConfig;
  /** The deployment's APS app for an admin's consent (3-legged); without it only a firm's own client connects. */
  aps?: ApsAppSettings | undefined;
}

export interface ApsAppSettings {
  clientId: string;
  clientSecret: string;
  /** Registered with the APS app: the API's own callback route. */
  callbackUrl: string;
}

/** Where Autodesk sends the admin back after the consent (the route autodeskCallback). */
export const APS_CALLBACK_PATH = '/api/usage/sources/autodesk/callback';

/**
 * CREDIT_DESK_APS_CLIENT_ID, _CLIENT_SECRET (a Key Vault reference in Azure) and _CALLBACK_URL, all three
 * or none: an id without its secret or callback is a deployment slip that would fail at the first consent.
 */
export function apsAppFromEnv(env: NodeJS.ProcessEnv): ApsAppSettings | undefined {
  const clientId = env.CREDIT_DESK_APS_CLIENT_ID?.trim();
  if (!clientId) return undefined;
  const clientSecret = env.CREDIT_DESK_APS_CLIENT_SECRET?.trim();
  const callbackUrl = env.CREDIT_DESK_APS_CALLBACK_URL?.trim();
  if (!clientSecret) throw new Error('CREDIT_DESK_APS_CLIENT_SECRET: set it to the APS app\'s client secret (a Key Vault reference), or leave CREDIT_DESK_APS_CLIENT_ID empty.');
  if (!callbackUrl || !URL.canParse(callbackUrl) || new URL(callbackUrl).pathname !== APS_CALLBACK_PATH) {
    throw new Error(`CREDIT_DESK_APS_CALLBACK_URL: set it to the API's https://<host>${APS_CALLBACK_PATH}, the callback URL registered with the APS app.`);
  }
  return { clientId, clientSecret, callbackUrl };
}

export interface UsagePullConfig extends PullRule {
  schedule: string;
}

/**
 * CREDIT_DESK_USAGE_PULL_SCHEDULE (NCRONTAB, daily at 04:00 UTC when unset), _SETTLING_DAYS (3) and
 * _BACKFILL_DAYS (90, at most 365). A value that is not one stops the start with what is wrong: a pull
 * reaching back the wrong number of days would go unnoticed.
 */
export function usagePullFromEnv(env: NodeJS.ProcessEnv): UsagePullConfig {
  const schedule = env.CREDIT_DESK_USAGE_PULL_SCHEDULE?.trim() || DEFAULT_PULL_SCHEDULE;
  const parsed = parseSchedule(schedule);
  if (!parsed.ok) throw new Error(`CREDIT_DESK_USAGE_PULL_SCHEDULE: ${parsed.problem}`);
  const days = (raw: string | undefined, fallback: number) => (raw?.trim() ? Number(raw) : fallback);
  const rule = { settlingDays: days(env.CREDIT_DESK_USAGE_PULL_SETTLING_DAYS, DEFAULT_PULL_RULE.settlingDays), backfillDays: days(env.CREDIT_DESK_USAGE_PULL_BACKFILL_DAYS, DEFAULT_PULL_RULE.backfillDays) };
  const problem = pullRuleProblem(rule);
  if (problem) throw new Error(`CREDIT_DESK_USAGE_PULL_SETTLING_DAYS / _BACKFILL_DAYS: ${problem}`);
  return { schedule, ...rule };
}

export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(tablePort: number, blobPort?: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=http://127.0.0.1:${tablePort}/${AZURITE_ACCOUNT};` +
    (blobPort ? `BlobEndpoint=http://127.0.0.1:${blobPort}/${AZURITE_ACCOUNT};` : '')
  );
}

/**
 * A comma-separated list of origins (`https://host[:port]`), each normalised as browsers send it in
 * `Origin`. Anything else (a path, `*`, another scheme) is refused, so a typo never opens the API to all.
 */
export function parseAllowedOrigins(list: string | undefined): string[] {
  return (list ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error(`CREDIT_DESK_ALLOWED_ORIGINS: "${entry}" is not an origin such as https://example.azurestaticapps.net`);
      }
      if (!/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || url.password || entry.endsWith('?') || entry.endsWith('#')) {
        throw new Error(`CREDIT_DESK_ALLOWED_ORIGINS: "${entry}" is not an origin such as https://example.azurestaticapps.net (scheme, host and port only)`);
      }
      return url.origin;
    });
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const storage = env.CREDIT_DESK_STORAGE ?? env.AzureWebJobsStorage;
  if (!storage) throw new Error('Set CREDIT_DESK_STORAGE (or AzureWebJobsStorage) to a storage connection string.');
  const tenants = (env.CREDIT_DESK_ALLOWED_TENANTS ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  const auth =
    env.CREDIT_DESK_AUDIENCE && tenants.length > 0
      ? {
          issuer: env.CREDIT_DESK_ISSUER ?? 'https://login.microsoftonline.com/{tenant}/v2.0',
          audience: env.CREDIT_DESK_AUDIENCE,
          jwksUrl: env.CREDIT_DESK_JWKS_URL ?? 'https://login.microsoftonline.com/common/discovery/v2.0/keys',
          allowedTenants: tenants,
        }
      : undefined;
  // Checked by the backup itself (a typo here must not stop the API): the export runs, the retention refuses.
  const retention = env.CREDIT_DESK_BACKUP_RETENTION_DAYS?.trim();
  const backupRetentionDays = retention ? Number(retention) : undefined;
  return {
    storageConnectionString: storage,
    tableName: env.CREDIT_DESK_TABLE ?? 'creditdesk',
    devMode: env.CREDIT_DESK_DEV_MODE === '1',
    tabUrl: env.CREDIT_DESK_TAB_URL ?? 'https://teams.microsoft.com/',
    auth,
    allowedOrigins: parseAllowedOrigins(env.CREDIT_DESK_ALLOWED_ORIGINS),
    backupRetentionDays,
    webhookHosts: parseWebhookHosts(env.CREDIT_DESK_WEBHOOK_HOSTS),
    keyVault: env.CREDIT_DESK_KEY_VAULT_URL ? { url: env.CREDIT_DESK_KEY_VAULT_URL, clientId: env.CREDIT_DESK_KEY_VAULT_CLIENT_ID || undefined } : undefined,
    usagePull: usagePullFromEnv(env),
    aps: apsAppFromEnv(env),
  };
}
