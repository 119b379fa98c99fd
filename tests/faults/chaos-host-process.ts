/**
 * A host instance of the chaos run in its own process, so that it can be killed (SIGKILL) mid-burst and
 * started again, with its own group committer and row cache over the same storage as the other instance.
 * Composed as startStack does (dev identity, the Graph stand-in), on CHAOS_STORAGE (the faulty proxy's
 * connection string), listening on CHAOS_PORT.
 *
 * The connector lane's host also has CHAOS_TENANT (the tenant it serves and signs for), CHAOS_APS_URL (the
 * Autodesk stand-in), CHAOS_SECRETS_DIR (a FileSecretStore's folder, which outlives a SIGKILL) and
 * CHAOS_BACKFILL_DAYS (the first pull's reach) and CHAOS_CLOCK_AHEAD_MS: a host started again after a kill lives that much later, so the leases its killed
 * predecessor held (pull, import) have run out, as they would have by the time the platform brings it back.
 *
 * IPC: → { type: 'ready', apiUrl }, { type: 'tokens', id, tokens }, { type: 'error', message }; ← { type: 'sign', id, users }.
 */
import { DEFAULT_PULL_SCHEDULE } from '../../src/core/usage-pull/index.js';
import { apsAuthClient } from '../../server/adapters/autodesk/aps-auth-client.js';
import type { BackoffPolicy } from '../../server/adapters/autodesk/backoff.js';
import { autodeskUsageSources } from '../../server/adapters/autodesk/usage-source-factory.js';
import { localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import { FileSecretStore } from '../../server/adapters/secrets/file-secret-store.js';
import type { ComposeExtras } from '../../server/compose.js';
import { composeServer } from '../../server/compose.js';
import { LOCAL_APS_APP } from '../../server/local/autodesk-standin.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import { createDevIdentity } from '../../server/local/dev-identity.js';
import { startLocalHost } from '../../server/local/host.js';

export type ChaosHostRequest = { type: 'sign'; id: number; users: DemoUser[] };
export type ChaosHostMessage = { type: 'ready'; apiUrl: string } | { type: 'tokens'; id: number; tokens: string[] } | { type: 'error'; message: string };

/** Autodesk's back-off, shortened so a pull meets a fault and gives up within the run's budget (Autodesk's own: backoff.ts). */
const CHAOS_BACKOFF: Partial<BackoffPolicy> = { initialMs: 50, factor: 2, maxMs: 200, maxPolls: 20, maxTransientRetries: 2, maxThrottleWaitMs: 1_500 };
/** How long one request to Autodesk may take before the client counts it as failed. */
const CHAOS_APS_TIMEOUT_MS = 1_000;

const send = (message: ChaosHostMessage) => process.send?.(message);

/** The Autodesk connector's parts, when the run gives the stand-in's address. */
function connectorExtras(env: NodeJS.ProcessEnv, port: string): Partial<ComposeExtras> {
  const { CHAOS_APS_URL: baseUrl, CHAOS_SECRETS_DIR: secretsDir, CHAOS_CLOCK_AHEAD_MS: ahead } = env;
  if (!baseUrl) return {};
  if (!secretsDir) throw new Error('CHAOS_APS_URL needs CHAOS_SECRETS_DIR.');
  const aheadMs = Number(ahead ?? 0);
  return {
    aps: apsAuthClient({ clientId: LOCAL_APS_APP.clientId, clientSecret: LOCAL_APS_APP.clientSecret, callbackUrl: `http://127.0.0.1:${port}/api/usage/sources/autodesk/callback`, baseUrl }),
    secrets: FileSecretStore.inFolder(secretsDir),
    usageSourceFactory: autodeskUsageSources({ baseUrl, backoff: CHAOS_BACKOFF, requestTimeoutMs: CHAOS_APS_TIMEOUT_MS }),
    clock: { now: () => new Date(Date.now() + aheadMs) },
  };
}

async function main(): Promise<void> {
  const { CHAOS_STORAGE: storage, CHAOS_GRAPH_URL: graphUrl, CHAOS_PORT: port } = process.env;
  if (!storage || !graphUrl || !port || !process.send) throw new Error('Run me from the chaos run: fork() with CHAOS_STORAGE, CHAOS_GRAPH_URL and CHAOS_PORT set.');
  const tenant = process.env.CHAOS_TENANT ?? DEMO_TENANT;
  const dev = await createDevIdentity();
  const graph = { baseUrl: graphUrl, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), tokenPerTenant: false, timeoutMs: 3_000, cooldownMs: 500 };
  const connector = connectorExtras(process.env, port);
  const { pipeline, importJobs } = await composeServer(
    {
      storageConnectionString: storage,
      tableName: 'creditdesk',
      devMode: true,
      auth: undefined,
      tabUrl: 'http://localhost:5173/',
      allowedOrigins: [],
      ...(connector.aps ? { usagePull: { schedule: DEFAULT_PULL_SCHEDULE, settlingDays: 3, backfillDays: Number(process.env.CHAOS_BACKFILL_DAYS ?? 90) } } : {}),
    },
    { dev: { identity: dev, issuer: dev.issuer, tenant }, graph, ...connector },
  );
  await startLocalHost({ pipeline, port: Number(port) });
  // An import its killed predecessor left posting carries on (the Azure timer's job, done here at start).
  if (connector.aps) await importJobs.resume(tenant);
  process.on('message', (raw) => {
    const message = raw as ChaosHostRequest;
    if (message.type !== 'sign') return;
    Promise.all(message.users.map((u) => dev.sign(u, tenant === DEMO_TENANT ? {} : { tid: tenant }))).then(
      (tokens) => send({ type: 'tokens', id: message.id, tokens }),
      (error: unknown) => send({ type: 'error', message: String(error) }),
    );
  });
  // The chaos run went away: don't linger.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', apiUrl: `http://127.0.0.1:${port}` });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: (error as Error).stack ?? String(error) });
  process.exit(1);
});
