import type { RateLimitPolicy } from '../src/core/policy/index.js';
import { DEFAULT_POLICY } from '../src/core/policy/index.js';
import type { GraphAccess } from './adapters/graph/graph-config.js';
import { graphAccessFromEnv } from './adapters/graph/graph-config.js';
import { GraphDirectoryAdapter } from './adapters/graph/graph-directory.js';
import { GraphMessageTraceAdapter } from './adapters/graph/graph-message-trace.js';
import { CachedMessageTrace } from './adapters/memory/cached-message-trace.js';
import { GraphNotifier } from './adapters/graph/graph-notifier.js';
import { GraphReadinessAdapter } from './adapters/graph/graph-readiness.js';
import { BlobImportFiles } from './adapters/blob/blob-import-files.js';
import { AzureTableAdapter } from './adapters/table-storage/azure-table.js';
import { TableImportRecords } from './adapters/table-storage/table-import-records.js';
import { ImportRunner } from './app/imports/import-runner.js';
import { PullRunner } from './app/usage-pull/pull-runner.js';
import { MemoryUsageSources } from './adapters/memory/memory-usage-sources.js';
import { TableUsagePulls } from './adapters/table-storage/table-usage-pulls.js';
import { DEFAULT_PULL_RULE, DEFAULT_PULL_SCHEDULE, parseSchedule } from '../src/core/usage-pull/index.js';
import type { UsageSourceFactory, UsageSources } from './ports/usage-source.js';
import { TableFeedOutbox } from './adapters/table-storage/table-feed-outbox.js';
import { TableLedgerStore } from './adapters/table-storage/table-ledger-store.js';
import { TeamsWebhookChannel } from './adapters/teams/teams-channel.js';
import type { WebhookTargetPolicy } from './adapters/teams/webhook-target.js';
import { DEFAULT_WEBHOOK_HOSTS, webhookUrlProblem } from './adapters/teams/webhook-target.js';
import { FeedDispatcher } from './app/feed-dispatcher.js';
import type { ServerConfig } from './config.js';
import type { TokenIssuerConfig } from './functions/auth.js';
import { TokenVerifier, remoteKeys } from './functions/auth.js';
import type { DevIdentity } from './functions/use-cases.js';
import type { ApiRequest, ApiResponse } from './functions/http-types.js';
import { createPipeline } from './functions/pipeline.js';
import type { Clock } from './ports/clock.js';
import { systemClock } from './ports/clock.js';
import type { Directory } from './ports/directory.js';
import { newestFirstIds } from './ports/ids.js';
import type { SecretStore } from './ports/secret-store.js';
import { KeyVaultSecretStore } from './adapters/secrets/key-vault-secret-store.js';
import { TableUsageConnections } from './adapters/table-storage/table-usage-connections.js';
import type { ApsAuthClient } from './ports/aps-auth.js';
import { ConnectedUsageSources } from './app/usage-sources/connected-sources.js';

export interface ComposeExtras {
  /** Dev mode's identities: the dev issuer and, on the local stack, the Entra ID stand-in (`entra`), validated as Entra is. */
  dev?: { identity: DevIdentity; issuer: TokenIssuerConfig; entra?: TokenIssuerConfig; tenant: string };
  /** People look-up; by default the Graph directory when Graph is configured. */
  directory?: Directory;
  /** How to reach Microsoft Graph (a stand-in locally); from the environment by default. */
  graph?: GraphAccess;
  /** One rate limit for every tenant instead of the settings' (harnesses only: see PipelineOptions). */
  fixedRateLimit?: RateLimitPolicy;
  /** The deployment's APS app (Autodesk OAuth); without it Autodesk cannot be connected. */
  aps?: ApsAuthClient;
  /** Where Autodesk's secrets go; by default Key Vault when CREDIT_DESK_KEY_VAULT_URL is set. */
  secrets?: SecretStore;
  /** Builds each Autodesk usage API's UsageSource around its token getter. */
  usageSourceFactory?: UsageSourceFactory;
  /** The tenants' connected Autodesk usage APIs (tests: a fake); by default the connections IT made, when an APS app and a secret store are configured. */
  usageSources?: UsageSources;
  /** The host's clock (harnesses: the chaos run's host that comes back later than it died); the system's by default. */
  clock?: Clock;
}

const noDirectory: Directory = { findById: async () => undefined, findByEmail: async () => undefined, search: async () => [] };

/** Wires the adapters to the use cases: the one place that knows which storage and identity are used. */
export async function composeServer(config: ServerConfig, extras: ComposeExtras = {}) {
  const clock = extras.clock ?? systemClock;
  const table = AzureTableAdapter.fromConnectionString(config.storageConnectionString, config.tableName);
  await table.createTableIfMissing();
  const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  const outbox = new TableFeedOutbox(table);
  const devMode = config.devMode && Boolean(extras.dev);
  const tenants = new Set([...(config.auth?.allowedTenants ?? []), ...(devMode && extras.dev ? [extras.dev.tenant] : [])]);
  const production: TokenIssuerConfig | undefined = config.auth
    ? { issuer: config.auth.issuer, audience: config.auth.audience, keys: remoteKeys(config.auth.jwksUrl) }
    : undefined;
  const verifier = new TokenVerifier({ ...(production ? { production } : {}), ...(devMode && extras.dev ? { dev: [extras.dev.issuer, ...(extras.dev.entra ? [extras.dev.entra] : [])] } : {}) }, tenants);
  const graph = extras.graph ?? graphAccessFromEnv();
  const notifier = graph
    ? new GraphNotifier({ ...graph, tabUrl: config.tabUrl, settingsOf: async (tenant) => ((await store.getSettings(tenant)) ?? DEFAULT_POLICY).notifications })
    : undefined;
  const directory = extras.directory ?? (graph ? new GraphDirectoryAdapter(graph) : noDirectory);
  // Dev mode's stand-in for the Teams channel listens on this machine; nowhere else may be posted to on loopback.
  const webhookTargets: WebhookTargetPolicy = { hosts: config.webhookHosts ?? DEFAULT_WEBHOOK_HOSTS, allowLoopback: devMode };
  const importFiles = BlobImportFiles.fromConnectionString(config.storageConnectionString);
  await importFiles.prepare();
  const deps = {
    store,
    outbox,
    directory,
    clock,
    defaultPolicy: DEFAULT_POLICY,
    webhookTargets: { problem: (url: string) => webhookUrlProblem(url, webhookTargets) },
    importFiles,
    importRecords: new TableImportRecords(table),
    importIds: newestFirstIds(),
    ...(notifier ? { notifier } : {}),
  };
  const importJobs = new ImportRunner(deps);
  const secrets = extras.secrets ?? (config.keyVault ? KeyVaultSecretStore.at(config.keyVault.url, config.keyVault.clientId) : undefined);
  const usageConnections = new TableUsageConnections(table);
  const connected =
    extras.aps && secrets && extras.usageSourceFactory
      ? new ConnectedUsageSources({ records: usageConnections, secrets, aps: extras.aps, clock, build: extras.usageSourceFactory })
      : undefined;
  const usageSources: UsageSources = extras.usageSources ?? connected ?? new MemoryUsageSources();
  // Without a place for secrets nothing can be connected: the routes answer as without an APS app.
  const autodesk = secrets
    ? {
        records: usageConnections,
        secrets,
        aps: extras.aps,
        clock,
        sources: connected ?? { forget: () => undefined },
        servesTenant: (tenant: string) => tenants.has(tenant),
        unitOf: async (tenant: string) => ((await store.getSettings(tenant)) ?? DEFAULT_POLICY).unitName,
      }
    : undefined;
  const pullConfig = config.usagePull ?? { schedule: DEFAULT_PULL_SCHEDULE, ...DEFAULT_PULL_RULE };
  const schedule = parseSchedule(pullConfig.schedule);
  const pullDeps = {
    ...deps,
    importJobs,
    usageSources,
    usagePulls: new TableUsagePulls(table),
    pulls: { owner: importJobs.owner, rule: { settlingDays: pullConfig.settlingDays, backfillDays: pullConfig.backfillDays }, schedule: schedule.ok ? schedule.schedule : null },
  };
  const pullJobs = new PullRunner(pullDeps);
  // Message trace allows about 100 questions per 5 minutes per tenant: answers are kept per person.
  const messageTrace = graph ? new CachedMessageTrace(new GraphMessageTraceAdapter(graph)) : undefined;
  const graphReadiness = graph ? new GraphReadinessAdapter(graph) : undefined;
  const pipeline: (request: ApiRequest) => Promise<ApiResponse> = createPipeline({
    deps: { ...pullDeps, pullJobs, ...(messageTrace ? { messageTrace } : {}), ...(graphReadiness ? { graphReadiness } : {}), dev: devMode ? extras.dev?.identity : undefined, autodesk },
    verifier,
    devMode,
    allowedOrigins: config.allowedOrigins ?? [],
    ...(extras.fixedRateLimit ? { fixedRateLimit: extras.fixedRateLimit } : {}),
  });
  const dispatcher = new FeedDispatcher({
    outbox,
    channel: new TeamsWebhookChannel({ tabUrl: config.tabUrl }, { targets: webhookTargets }),
    clock,
    random: Math.random,
    policyOf: async (tenant) => (await store.getSettings(tenant)) ?? DEFAULT_POLICY,
    nameOf: async (tenant, id) => (await store.getMember(tenant, id))?.member.displayName,
  });
  return { pipeline, deps, store, table, outbox, dispatcher, importJobs, pullJobs, usageSources, tenants: [...tenants] };
}
