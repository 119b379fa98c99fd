/**
 * The pull use case against the Autodesk stand-in over real HTTP, with the real clients (2-legged), the
 * import pipeline and Azurite: what the usage-insights pull test and the bench's connector part share.
 * The stand-in and the pull read one clock, so a test lets days pass and Autodesk's late charges arrive.
 */
import { randomUUID } from 'node:crypto';
import type { PullRule } from '../../src/core/usage-pull/index.js';
import type { Policy } from '../../src/core/policy/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { ApsAuth } from '../../server/adapters/autodesk/aps-auth.js';
import type { Scheduler } from '../../server/adapters/autodesk/backoff.js';
import { autodeskUsageSources } from '../../server/adapters/autodesk/usage-source-factory.js';
import { BlobImportFiles } from '../../server/adapters/blob/blob-import-files.js';
import { MemoryUsageSources } from '../../server/adapters/memory/memory-usage-sources.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableImportRecords } from '../../server/adapters/table-storage/table-import-records.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import { TableUsagePulls } from '../../server/adapters/table-storage/table-usage-pulls.js';
import type { AppResult } from '../../server/app/app-result.js';
import type { Caller } from '../../server/app/caller.js';
import { ImportRunner } from '../../server/app/imports/import-runner.js';
import { ensureCallerMember } from '../../server/app/me.js';
import { registrationEvent, requestRegistration } from '../../server/app/registrations.js';
import type { PullDeps } from '../../server/app/usage-pull/pull-deps.js';
import type { PullOutcome } from '../../server/app/usage-pull/pull-usage.js';
import { pullUsage } from '../../server/app/usage-pull/pull-usage.js';
import type { AutodeskStandIn } from '../../server/local/autodesk-standin.js';
import { LOCAL_APS_SERVER_APP, startAutodeskStandin } from '../../server/local/autodesk-standin.js';
import type { UsagePerson } from '../../server/local/autodesk-standin-usage.js';
import { demoUsagePeople, visibleCharges } from '../../server/local/autodesk-standin-usage.js';
import type { Clock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import type { DayWindow, UsageSourceKind } from '../../server/ports/usage-source.js';
import type { UsageCell } from '../load/connector-figures.js';
import { NO_DIRECTORY } from './directory.js';

const DAY_MS = 86_400_000;
export const STANDIN_SEED = 'contoso';
/** Both APIs count Flex tokens: the tenant runs in Flex mode (README, Flex mode). */
const FLEX_POLICY: Policy = { ...DEFAULT_POLICY, unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 };

/** Polls and retries go on at once: the stand-in finishes an export on a status check, not after a time. */
const AT_ONCE: Scheduler = { sleep: () => new Promise<void>((resolve) => setImmediate(resolve)) };

export interface StandinPull {
  tenant: string;
  kind: UsageSourceKind;
  deps: PullDeps;
  standIn: AutodeskStandIn;
  /** The one clock of the stand-in and the pull (ms since the epoch). */
  clock: { ms: number };
  manager: Caller;
  /** The member each stand-in person is, by email. */
  memberOf: Map<string, string>;
  pull(): Promise<PullOutcome>;
  /** The ledger's imported usage per day and member. */
  ledgerUsage(): Promise<UsageCell[]>;
  /** What Autodesk shows for the window today (late charges once their day has come), per day and member. */
  autodeskUsage(window: DayWindow): UsageCell[];
  close(): Promise<void>;
}

export interface StandinPullOptions {
  connectionString: string;
  tableName: string;
  kind: UsageSourceKind;
  /** The first day (UTC), 04:00 as the default schedule. */
  today: string;
  rule: PullRule;
  /** The stand-in's people (the demo firm's by default); each becomes a registered member. */
  people?: UsagePerson[];
}

function ok<T>(result: AppResult<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

export async function standinPull(options: StandinPullOptions): Promise<StandinPull> {
  const tenant = `standin-${randomUUID().slice(0, 8)}`;
  const clockAt = { ms: Date.parse(`${options.today}T04:00:00Z`) };
  const clock: Clock = { now: () => new Date(clockAt.ms) };
  const people = options.people ?? demoUsagePeople();
  const standIn = await startAutodeskStandin({ seed: STANDIN_SEED, people, now: () => clockAt.ms });

  const table = AzureTableAdapter.fromConnectionString(options.connectionString, options.tableName);
  await table.createTableIfMissing();
  const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(() => clock.now().getTime()), defaultPolicy: FLEX_POLICY });
  const importFiles = BlobImportFiles.fromConnectionString(options.connectionString);
  await importFiles.prepare();
  const base = { store, directory: NO_DIRECTORY, clock, defaultPolicy: FLEX_POLICY, importFiles, importRecords: new TableImportRecords(table), importIds: newestFirstIds() };
  const importJobs = new ImportRunner(base, () => {});

  const app = new ApsAuth({ baseUrl: standIn.url, clientId: LOCAL_APS_SERVER_APP.clientId, clientSecret: LOCAL_APS_SERVER_APP.clientSecret });
  const build = autodeskUsageSources({ baseUrl: standIn.url, scheduler: AT_ONCE, now: () => clockAt.ms });
  const connection = { kind: options.kind, mode: 'two_legged' as const, clientId: LOCAL_APS_SERVER_APP.clientId, contractNumber: options.kind === 'token_flex' ? standIn.contractNumber : null, connectedAt: clock.now().toISOString(), connectedBy: 'it', disconnected: null };
  const sources = new MemoryUsageSources();
  sources.connect(tenant, connection, build(options.kind, connection, async () => (await app.clientCredentials()).accessToken, async () => {}));
  const deps: PullDeps = { ...base, importJobs, usageSources: sources, usagePulls: new TableUsagePulls(table), pulls: { owner: importJobs.owner, rule: options.rule, schedule: null } };

  const manager: Caller = { tenant, id: 'standin-manager', email: 'manager@standin.example', displayName: 'Account Manager', roles: ['AccountManager'] };
  await ensureCallerMember(deps, manager);
  const memberOf = new Map<string, string>();
  for (const [index, person] of people.entries()) {
    const member: Caller = { tenant, id: `standin-person-${index}`, email: person.email, displayName: `${person.firstName} ${person.lastName}`, roles: [] };
    await ensureCallerMember(deps, member);
    ok(await requestRegistration(deps, member, { idempotency: { caller: member.id, key: randomUUID(), fingerprint: 'r' } }, {}));
    ok(await registrationEvent(deps, manager, { idempotency: { caller: manager.id, key: randomUUID(), fingerprint: 'e' } }, member.id, { type: 'already_registered' }));
    memberOf.set(person.email, member.id);
  }

  return {
    tenant,
    kind: options.kind,
    deps,
    standIn,
    clock: clockAt,
    manager,
    memberOf,
    pull: () => pullUsage(deps, tenant, options.kind, 'schedule'),
    async ledgerUsage() {
      const { transfers } = await store.snapshot(tenant);
      return transfers
        .filter((t) => t.importRowId !== undefined && (t.code === 'usage_individual' || t.code === 'usage_pool'))
        .map((t) => ({ day: t.date ?? t.at.slice(0, 10), person: t.memberId ?? '', units: t.amount }));
    },
    autodeskUsage(window) {
      const asOf = new Date(clockAt.ms).toISOString().slice(0, 10);
      return visibleCharges(STANDIN_SEED, people, window.from, window.to, asOf).map((c) => ({ day: c.usageDate, person: memberOf.get(c.person.email) ?? c.person.email, units: c.cents }));
    },
    close: async () => {
      await importJobs.idle();
      await standIn.close();
    },
  };
}

/** The next day, same hour. */
export const nextDay = (pull: StandinPull) => (pull.clock.ms += DAY_MS);
