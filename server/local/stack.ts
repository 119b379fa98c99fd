import type http from 'node:http';
import type { TableLedgerStore } from '../adapters/table-storage/table-ledger-store.js';
import { composeServer } from '../compose.js';
import type { AzuriteHandle } from './azurite.js';
import { freePort, startAzurite } from './azurite.js';
import { DEMO_TENANT } from './demo-users.js';
import { DemoDirectoryAdapter, createDevIdentity } from './dev-identity.js';
import type { ImportRunner } from '../app/imports/import-runner.js';
import type { AppDeps } from '../app/deps.js';
import type { FeedDispatcher } from '../app/feed-dispatcher.js';
import type { GraphAccess } from '../adapters/graph/graph-config.js';
import type { Directory } from '../ports/directory.js';
import type { RateLimitPolicy } from '../../src/core/policy/index.js';
import type { TokenIssuerConfig } from '../functions/auth.js';
import { parseAllowedOrigins, usagePullFromEnv } from '../config.js';
import type { PullRunner } from '../app/usage-pull/pull-runner.js';
import type { UsageSourceFactory, UsageSources } from '../ports/usage-source.js';
import { startDispatchLoop } from './feed-dispatch-loop.js';
import { startLocalHost } from './host.js';
import { closeServer } from './listen.js';
import type { ApsAuthClient } from '../ports/aps-auth.js';
import type { SecretStore } from '../ports/secret-store.js';
import { FileSecretStore } from '../adapters/secrets/file-secret-store.js';
import { MemorySecretStore } from '../adapters/memory/memory-secret-store.js';

export interface LocalStack {
  apiUrl: string;
  tenant: string;
  azurite: AzuriteHandle;
  store: TableLedgerStore;
  dev: Awaited<ReturnType<typeof createDevIdentity>>;
  server: http.Server;
  dispatcher: FeedDispatcher;
  deps: AppDeps;
  importJobs: ImportRunner;
  /** The tenants' usage sources: the connections IT made (with an APS app), or the test's fake. */
  usageSources: UsageSources;
  pullJobs: PullRunner;
  stop(): Promise<void>;
}

/** Azurite, the local Functions host and the dev identity: what `npm start` and the tests run. */
export interface StackOptions {
  dataDir?: string;
  port?: number;
  tableName?: string;
  azurite?: AzuriteHandle;
  /** Post the feed to the webhook in settings every so often, as the Azure timer does (off unless asked). */
  feedDispatchMs?: number;
  tabUrl?: string;
  /** Microsoft Graph (npm start: the stand-in): directory, message trace and notifications. */
  graph?: GraphAccess;
  /** The people directory when there is no Graph: the demo users by default. */
  directory?: Directory;
  /**
   * Origins allowed to call the API cross-origin (CORS). None by default: the Vite server proxies /api,
   * so the pages are same-origin; CREDIT_DESK_ALLOWED_ORIGINS adds some (npm start).
   */
  allowedOrigins?: string[];
  /** One rate limit instead of the tenant's settings (tests of other things that post faster than people). */
  fixedRateLimit?: RateLimitPolicy;
  /** The Entra ID stand-in's issuer (npm start): its tokens are taken as Entra's are, in dev mode only. */
  entra?: TokenIssuerConfig;
  /** How often stopped import jobs are looked for (15 s). */
  importResumeMs?: number;
  /** Autodesk OAuth (the stand-in's, or a test's fake); without it Autodesk cannot be connected. */
  aps?: ApsAuthClient;
  /** Autodesk's secrets: by default a file in the data folder, or memory without one (never the table). */
  secrets?: SecretStore;
  usageSourceFactory?: UsageSourceFactory;
  /** The tenants' usage sources instead of the connections (tests: a fake). */
  usageSources?: UsageSources;
}

export async function startStack(options: StackOptions = {}): Promise<LocalStack> {
  const azurite = options.azurite ?? (await startAzurite(options.dataDir ? { location: options.dataDir } : {}));
  const dev = await createDevIdentity();
  const secrets = options.secrets ?? (options.dataDir ? FileSecretStore.inFolder(options.dataDir) : new MemorySecretStore());
  const { pipeline, deps, store, dispatcher, importJobs, pullJobs, usageSources } = await composeServer(
    { storageConnectionString: azurite.connectionString, tableName: options.tableName ?? 'creditdesk', devMode: true, auth: undefined, tabUrl: options.tabUrl ?? 'http://localhost:5173/', allowedOrigins: options.allowedOrigins ?? parseAllowedOrigins(process.env.CREDIT_DESK_ALLOWED_ORIGINS), usagePull: usagePullFromEnv(process.env) },
    {
      dev: { identity: dev, issuer: dev.issuer, ...(options.entra ? { entra: options.entra } : {}), tenant: DEMO_TENANT },
      ...(options.graph ? { graph: options.graph } : { directory: options.directory ?? new DemoDirectoryAdapter() }),
      ...(options.fixedRateLimit ? { fixedRateLimit: options.fixedRateLimit } : {}),
      ...(options.aps ? { aps: options.aps } : {}),
      ...(options.usageSourceFactory ? { usageSourceFactory: options.usageSourceFactory } : {}),
      secrets,
      ...(options.usageSources ? { usageSources: options.usageSources } : {}),
    },
  );
  const port = options.port ?? (await freePort());
  const server = await startLocalHost({ pipeline, port });
  // Import jobs that stopped (a crash, storage gone) carry on once their lease runs out, as the Azure timer does.
  const resumeTimer = setInterval(() => {
    importJobs.resume(DEMO_TENANT).catch((error: unknown) => console.error('Resuming imports failed', error));
  }, options.importResumeMs ?? 15_000);
  resumeTimer.unref();
  const dispatchLoop = options.feedDispatchMs ? startDispatchLoop({ dispatcher, tenants: [DEMO_TENANT], intervalMs: options.feedDispatchMs }) : undefined;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    tenant: DEMO_TENANT,
    azurite,
    store,
    dev,
    server,
    dispatcher,
    deps,
    importJobs,
    usageSources,
    pullJobs,
    async stop() {
      clearInterval(resumeTimer);
      await dispatchLoop?.stop();
      await pullJobs.idle();
      await importJobs.idle();
      await closeServer(server);
      if (!options.azurite) await azurite.stop();
    },
  };
}
