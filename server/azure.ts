import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import azureFunctions from '@azure/functions';
import type { RouteDef } from '../src/contract/index.js';
import { ROUTES, errorBody } from '../src/contract/index.js';
import { raiseAlerts } from './app/alerts.js';
import { refreshMembersFromDirectory } from './app/directory.js';
import { expireDueHolds } from './app/holds.js';
import { expireDuePacks } from './app/packs.js';
import { composeServer } from './compose.js';
import type { ApiResponse } from './functions/http-types.js';
import { BASE_HEADERS } from './functions/steps/answers.js';
import { MAX_BODY_BYTES } from './functions/steps/parse.js';
import { composeBackup } from './compose-backup.js';
import { apsAuthClient, apsClientCredentialsOnly } from './adapters/autodesk/aps-auth-client.js';
import { autodeskUsageSources } from './adapters/autodesk/usage-source-factory.js';
import { configFromEnv } from './config.js';

/**
 * Azure Functions registration, generated from the route table (dev routes never exist in Azure).
 * The default import is how `@azure/functions` loads from plain Node ESM.
 */
const { app } = azureFunctions;
// Upload routes read the request as it arrives and reports are streamed out: a 200 MB export never sits in memory.
app.setup({ enableHttpStream: true });
let starting: ReturnType<typeof composeServer> | undefined;

/**
 * The composed server, made on first use. A start that fails (storage unreachable at a cold start, a Key
 * Vault reference not resolved yet) is tried again by the next call instead of failing every request until
 * a restart.
 */
function server(): ReturnType<typeof composeServer> {
  starting ??= start().catch((error: unknown) => {
    starting = undefined;
    throw error;
  });
  return starting;
}

/** Autodesk's usage APIs: the deployment's APS app when CREDIT_DESK_APS_* are set (consent), a firm's own client either way. */
async function start() {
  const config = { ...configFromEnv(), devMode: false };
  return composeServer(config, { aps: config.aps ? apsAuthClient(config.aps) : apsClientCredentialsOnly(), usageSourceFactory: autodeskUsageSources() });
}

/** The pipeline's answer for the Functions host: a file answer streams. */
function answer(response: ApiResponse): azureFunctions.HttpResponseInit {
  const body = response.stream ? (Readable.toWeb(Readable.from(response.stream)) as ReadableStream<Uint8Array>) : response.body;
  return { status: response.status, headers: response.headers, body };
}

for (const [name, route] of Object.entries(ROUTES) as [string, RouteDef][]) {
  if (route.devOnly) continue;
  app.http(name, {
    methods: [route.method],
    route: route.path.replace(/^\/api\//, ''),
    authLevel: 'anonymous',
    handler: async (request, context) => {
      let pipeline: Awaited<ReturnType<typeof composeServer>>['pipeline'];
      try {
        ({ pipeline } = await server());
      } catch (error) {
        context.error('Credit Desk could not start', error);
        return {
          status: 503,
          headers: { ...BASE_HEADERS, 'retry-after': '10' },
          body: JSON.stringify(errorBody('STORAGE_UNAVAILABLE', 'Credit Desk is starting or cannot reach its storage. Try again in a few seconds.')),
        };
      }
      const url = new URL(request.url);
      if (route.upload) {
        const response = await pipeline({
          method: request.method,
          url: url.pathname + url.search,
          headers: Object.fromEntries(request.headers),
          body: undefined,
          ...(request.body ? { stream: request.body } : {}),
          remoteAddress: undefined,
        });
        return answer(response);
      }
      // A declared length past the limit is refused unread, as the local host does.
      const tooLarge = Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES;
      const response = await pipeline({
        method: request.method,
        url: url.pathname + url.search,
        headers: Object.fromEntries(request.headers),
        body: request.body && !tooLarge ? Buffer.from(await request.arrayBuffer()) : undefined,
        ...(tooLarge ? { bodyTooLarge: true } : {}),
        remoteAddress: undefined,
      });
      return answer(response);
    },
  });
}

/** The feed dispatcher (DESIGN 4.5): every 30 seconds, each allowed tenant's undelivered events to its Teams channel. */
app.timer('feedDispatch', {
  schedule: '*/30 * * * * *',
  handler: async (_timer, context) => {
    const { dispatcher, tenants } = await server();
    for (const tenant of tenants) {
      const report = await dispatcher.dispatch(tenant);
      if (report.failed > 0 || report.parked > 0) context.warn(`Feed for ${tenant}: ${report.delivered} delivered, ${report.failed} failed, ${report.parked} parked.`);
    }
  },
});

/** Import jobs that stopped (an instance recycled or crashed mid-import) carry on once their lease has run out. */
app.timer('importResume', {
  schedule: '0 * * * * *',
  handler: async (_timer, context) => {
    const { importJobs, tenants } = await server();
    for (const tenant of tenants) {
      const started = await importJobs.resume(tenant);
      if (started.length > 0) context.log(`Resumed imports for ${tenant}: ${started.join(', ')}.`);
      await importJobs.idle();
    }
  },
});

/**
 * Usage from Autodesk's usage APIs (issue 21), on CREDIT_DESK_USAGE_PULL_SCHEDULE (daily at 04:00 UTC by
 * default): each connected source of each tenant, from its last imported day less the settling window.
 * A pull that stopped with its instance is redone by the next one (its lease runs out).
 */
app.timer('usagePull', {
  schedule: '%CREDIT_DESK_USAGE_PULL_SCHEDULE%',
  handler: async (_timer, context) => {
    const { pullJobs, tenants } = await server();
    for (const tenant of tenants) {
      for (const { kind, outcome } of await pullJobs.pullAll(tenant)) {
        if (outcome.kind === 'failed') context.warn(`Usage pull of ${kind} for ${tenant} failed: ${outcome.code}.`);
        else context.log(`Usage pull of ${kind} for ${tenant}: ${outcome.kind}.`);
      }
    }
  },
});

/** The hourly alerts (DESIGN 3.6): order now, pool low, slow purchases, stuck registrations; each raised once. */
app.timer('alerts', {
  schedule: '0 0 * * * *',
  handler: async (_timer, context) => {
    const { deps, tenants } = await server();
    for (const tenant of tenants) {
      const { raised } = await raiseAlerts(deps, tenant);
      if (raised.length > 0) context.log(`Alerts for ${tenant}: ${raised.map((a) => a.kind).join(', ')}.`);
    }
  },
});

/** Hold expiry (DESIGN 3.5), hourly at :05: open holds past their expiry give back what they reserved. */
app.timer('holdExpiry', {
  schedule: '0 5 * * * *',
  handler: async (_timer, context) => {
    const { deps, tenants } = await server();
    for (const tenant of tenants) {
      const { due, expired } = await expireDueHolds(deps, tenant);
      if (due > 0) context.log(`Holds for ${tenant}: ${expired.length} of ${due} due expired.`);
    }
  },
});

/** Pack expiry (Flex mode, DESIGN 3.1), hourly at :10: packs past their expiry lose what is left (pack_expired). */
app.timer('packExpiry', {
  schedule: '0 10 * * * *',
  handler: async (_timer, context) => {
    const { deps, tenants } = await server();
    for (const tenant of tenants) {
      const { due, expired } = await expireDuePacks(deps, tenant);
      if (due > 0) context.log(`Packs for ${tenant}: ${expired.length} of ${due} due expired.`);
    }
  },
});

/** The daily directory refresh (DESIGN 4.4): members' office, department and job title from Microsoft Graph, at 02:30 UTC. */
app.timer('directoryRefresh', {
  schedule: '0 30 2 * * *',
  handler: async (_timer, context) => {
    const { deps, tenants } = await server();
    for (const tenant of tenants) {
      const report = await refreshMembersFromDirectory(deps, tenant);
      const summary = `Directory refresh for ${tenant}: ${report.checked} checked, ${report.updated.length} updated, ${report.notInDirectory} not in the directory, ${report.alreadyRefreshed} already done today.`;
      if (report.stoppedBy) context.warn(`${summary} Stopped early: ${report.stoppedBy}`);
      else context.log(summary);
    }
  },
});

/**
 * The nightly backup (DESIGN 4.1; Table Storage has no point-in-time restore): at 03:15 UTC each allowed
 * tenant's partition goes to the `backups` blob container as gzipped JSON lines with a SHA-256, on the same
 * storage connection as the ledger; then backups older than CREDIT_DESK_BACKUP_RETENTION_DAYS (30) go, never
 * the newest. One tenant failing does not stop the others; the run fails afterwards so it shows in the logs.
 */
app.timer('backup', {
  schedule: '0 15 3 * * *',
  handler: async (_timer, context) => {
    const { tenants } = await server();
    const config = configFromEnv();
    const backups = composeBackup({ storageConnectionString: config.storageConnectionString, tableName: config.tableName, retentionDays: config.backupRetentionDays, log: (line) => context.log(line) });
    const failed: string[] = [];
    for (const tenant of tenants) {
      try {
        await backups.backup(tenant);
      } catch (error) {
        context.error(`Backup of ${tenant} failed`, error);
        failed.push(tenant);
      }
    }
    if (failed.length > 0) throw new Error(`The nightly backup failed for ${failed.join(', ')}.`);
  },
});
