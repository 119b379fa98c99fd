import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { BlobImportFiles } from '../../server/adapters/blob/blob-import-files.js';
import { MemoryUsageSources } from '../../server/adapters/memory/memory-usage-sources.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableImportRecords } from '../../server/adapters/table-storage/table-import-records.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import { TableUsagePulls } from '../../server/adapters/table-storage/table-usage-pulls.js';
import type { AppResult, WriteRequest } from '../../server/app/app-result.js';
import type { Caller } from '../../server/app/caller.js';
import { ImportRunner } from '../../server/app/imports/import-runner.js';
import { claim } from '../../server/app/imports/job-run.js';
import { commitImport, uploadImport } from '../../server/app/imports/imports.js';
import { ensureCallerMember } from '../../server/app/me.js';
import { registrationEvent, requestRegistration } from '../../server/app/registrations.js';
import { postUsage } from '../../server/app/usage.js';
import type { PullDeps } from '../../server/app/usage-pull/pull-deps.js';
import { PULL_LEASE_MS } from '../../server/app/usage-pull/pull-deps.js';
import { listUsageSources } from '../../server/app/usage-pull/pull-status.js';
import { pullUsage } from '../../server/app/usage-pull/pull-usage.js';
import { DEMO_USERS } from '../../server/local/demo-users.js';
import type { Clock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import type { UsageSourceKind } from '../../server/ports/usage-source.js';
import { freshTableName, sharedAzurite } from '../support/api.js';
import { NO_DIRECTORY } from '../support/directory.js';
import type { UsageRow } from '../support/fake-usage-source.js';
import { FakeUsageSource, connectionOf } from '../support/fake-usage-source.js';

/**
 * Pulling usage from an Autodesk usage API (issue 21) through the same import pipeline as uploads, against
 * Azurite's table and blob services: the window, the ledger, overlap with uploads, settlement, Autodesk's
 * refusals, the import slot, one pull at a time and a host that stops mid-pull.
 */
const employees = DEMO_USERS.filter((u) => u.roles.length === 0).slice(0, 3);
const managerUser = DEMO_USERS.find((u) => u.roles.includes('AccountManager'))!;
const itUser = DEMO_USERS.find((u) => u.roles.includes('ITAdmin'))!;
const tableName = freshTableName();
const TODAY = '2026-06-20';
/** Token Flex's window: the settling days read again (the usage insights window: usage-pull-standin.test.ts). */
const KIND: UsageSourceKind = 'token_flex';

const caller = (tenant: string, user: (typeof DEMO_USERS)[number]): Caller => ({ tenant, id: user.id, email: user.email, displayName: user.displayName, roles: user.roles });
const write = (c: Caller): WriteRequest => ({ idempotency: { caller: c.id, key: randomUUID(), fingerprint: randomUUID() } });
function ok<T>(result: AppResult<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

/** Each employee used 0.5 credits of Simulation every day, and the second a stranger's 1 credit too. */
const dailyUsage = (day: string): UsageRow[] => [
  ...employees.map((e) => ({ email: e.email, service: 'Simulation', credits: 0.5 })),
  ...(day.endsWith('5') ? [{ email: 'contractor@elsewhere.example', service: 'Simulation', credits: 1 }] : []),
];

interface Harness {
  tenant: string;
  deps: PullDeps;
  source: FakeUsageSource;
  sources: MemoryUsageSources;
  clock: { ms: number };
  /** Imported usage in the ledger: rows by identity and the credits they carry. */
  imported(): Promise<{ rows: number; distinct: number; credits: number }>;
}

async function harness(options: { backfillDays?: number } = {}): Promise<Harness> {
  const tenant = `pull-${randomUUID().slice(0, 8)}`;
  const clockAt = { ms: Date.parse(`${TODAY}T04:00:00Z`) };
  const clock: Clock = { now: () => new Date(clockAt.ms) };
  const { connectionString } = sharedAzurite();
  const table = AzureTableAdapter.fromConnectionString(connectionString, tableName);
  await table.createTableIfMissing();
  const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(() => clock.now().getTime()), defaultPolicy: DEFAULT_POLICY });
  const importFiles = BlobImportFiles.fromConnectionString(connectionString);
  await importFiles.prepare();
  const base = { store, directory: NO_DIRECTORY, clock, defaultPolicy: DEFAULT_POLICY, importFiles, importRecords: new TableImportRecords(table), importIds: newestFirstIds() };
  const importJobs = new ImportRunner(base, () => {});
  const sources = new MemoryUsageSources();
  const source = new FakeUsageSource(KIND, dailyUsage);
  sources.connect(tenant, connectionOf(KIND), source);
  const deps: PullDeps = {
    ...base,
    importJobs,
    usageSources: sources,
    usagePulls: new TableUsagePulls(table),
    pulls: { owner: importJobs.owner, rule: { settlingDays: 3, backfillDays: options.backfillDays ?? 10 }, schedule: null },
  };
  const manager = caller(tenant, managerUser);
  await ensureCallerMember(deps, manager);
  for (const user of employees) {
    const member = caller(tenant, user);
    await ensureCallerMember(deps, member);
    ok(await requestRegistration(deps, member, write(member), {}));
    ok(await registrationEvent(deps, manager, write(manager), member.id, { type: 'already_registered' }));
  }
  return {
    tenant,
    deps,
    source,
    sources,
    clock: clockAt,
    async imported() {
      const { transfers } = await store.snapshot(tenant);
      const rows = transfers.filter((t) => t.importRowId !== undefined && t.code !== 'reversal');
      return { rows: rows.length, distinct: new Set(rows.map((t) => t.importRowId)).size, credits: rows.reduce((sum, t) => sum + t.amount, 0) / 100 };
    },
  };
}

const statusOf = async (h: Harness) => ok(await listUsageSources(h.deps, caller(h.tenant, itUser))).sources.find((s) => s.kind === KIND)!;
const nextDay = (h: Harness) => (h.clock.ms += 86_400_000);

describe('pulling usage', () => {
  it('backfills the first time and posts every matched row once, saying what it left out', async () => {
    const h = await harness();
    const outcome = await pullUsage(h.deps, h.tenant, KIND, 'schedule');
    expect(outcome).toMatchObject({ kind: 'imported', window: { from: '2026-06-10', to: '2026-06-19' } });
    expect(h.source.requests).toEqual([{ from: '2026-06-10', to: '2026-06-19' }]);
    expect(await h.imported()).toEqual({ rows: 30, distinct: 30, credits: 15 });
    const status = await statusOf(h);
    expect(status).toMatchObject({
      connection: 'connected',
      covered: { from: '2026-06-10', to: '2026-06-19' },
      lastPull: { rowsPosted: 30, alreadyImported: 0, unmatched: { people: 1, rows: 1 } },
      running: null,
      lastError: null,
    });
    expect(status.lastSuccessAt).toBe(`${TODAY}T04:00:00.000Z`);
  });

  it('pulled twice, asks again only for the settling days and counts none of them twice', async () => {
    const h = await harness();
    await pullUsage(h.deps, h.tenant, KIND, 'schedule');
    nextDay(h);
    const again = await pullUsage(h.deps, h.tenant, KIND, 'manual');
    expect(again).toMatchObject({ kind: 'imported', window: { from: '2026-06-17', to: '2026-06-20' } });
    expect(await h.imported()).toEqual({ rows: 33, distinct: 33, credits: 16.5 });
    expect(await statusOf(h)).toMatchObject({ covered: { from: '2026-06-10', to: '2026-06-20' }, lastPull: { rowsPosted: 3, alreadyImported: 9 } });
  });

  it('posts none of the days an account manager already uploaded by hand', async () => {
    const h = await harness();
    const manager = caller(h.tenant, managerUser);
    const lines = ['Date,Email,Service,Cloud Credits Used'];
    for (const day of ['2026-06-12', '2026-06-13']) for (const row of dailyUsage(day)) lines.push(`${day},${row.email},${row.service},${row.credits}`);
    const uploaded = ok(await uploadImport(h.deps, manager, 'by-hand.csv', (async function* () {
      yield Buffer.from(lines.join('\n') + '\n');
    })()));
    ok(await commitImport(h.deps, manager, uploaded.id));
    await (h.deps.importJobs as ImportRunner).idle();
    expect(await h.imported()).toMatchObject({ rows: 6 });

    await pullUsage(h.deps, h.tenant, KIND, 'schedule');
    expect(await h.imported()).toEqual({ rows: 30, distinct: 30, credits: 15 });
    expect((await statusOf(h)).lastPull).toMatchObject({ rowsPosted: 24, alreadyImported: 6 });
  });

  it('settles the provisional entries people logged, as an upload does', async () => {
    const h = await harness();
    const first = caller(h.tenant, employees[0]!);
    ok(await postUsage(h.deps, first, write(first), { service: 'simulation', credits: 0.5, date: '2026-06-15' }));
    await pullUsage(h.deps, h.tenant, KIND, 'schedule');
    expect((await statusOf(h)).lastPull).toMatchObject({ rowsPosted: 30, settled: 1 });
    const member = await h.deps.store.getMember(h.tenant, employees[0]!.id);
    // 10 days of 0.5 imported, the self-logged 0.5 reversed: 5 of the 100 own credits used.
    expect(member!.own).toBe(9_500);
  });

  it.each([
    ['unavailable', 'request'],
    ['throttled', 'request'],
    ['export_failed', 'request'],
    ['export_expired', 'download'],
  ] as const)('when Autodesk answers %s, says so and posts nothing; the next pull asks for the same days', async (code, at) => {
    const h = await harness();
    h.source.failNext({ code, at, ...(code === 'throttled' ? { retryAfterSeconds: 600 } : {}) });
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toEqual({ kind: 'failed', code });
    expect(await h.imported()).toEqual({ rows: 0, distinct: 0, credits: 0 });
    expect((await h.deps.importRecords.list(h.tenant, {})).items).toEqual([]);
    const status = await statusOf(h);
    expect(status).toMatchObject({ connection: 'connected', covered: null, lastPull: null, running: null, lastError: { code } });
    expect(status.lastError!.message).not.toMatch(/_/);
    if (code === 'throttled') expect(status.lastError!.message).toContain('10 minutes');

    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toMatchObject({ kind: 'imported', window: { from: '2026-06-10', to: '2026-06-19' } });
    expect(await statusOf(h)).toMatchObject({ lastError: null, lastPull: { rowsPosted: 30 } });
  });

  it('when Autodesk no longer takes the consent, marks the source disconnected and tells IT the fix', async () => {
    const h = await harness();
    h.source.failNext({ code: 'disconnected', at: 'request' });
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toEqual({ kind: 'failed', code: 'disconnected' });
    expect((await h.sources.connections(h.tenant))[0]!.disconnected).not.toBeNull();
    const status = await statusOf(h);
    expect(status).toMatchObject({ connection: 'disconnected', nextRunAt: null, lastError: { code: 'disconnected' } });
    expect(status.lastError!.message).toMatch(/Autodesk disconnected.*Settings/);
    // The next run does not ask Autodesk with credentials it refused.
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toEqual({ kind: 'failed', code: 'disconnected' });
    expect(h.source.requests).toHaveLength(1);
    expect(await h.imported()).toMatchObject({ rows: 0 });
  });

  it("tells IT's feed once that Autodesk is disconnected and how to fix it, however many pulls meet it; a new connection refused again tells again", async () => {
    const h = await harness();
    const told = async () => (await h.deps.store.listEvents(h.tenant, { limit: 200 })).items.filter((e) => e.kind === 'alert_autodesk_disconnected');
    h.source.failNext({ code: 'disconnected', at: 'request' });
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toEqual({ kind: 'failed', code: 'disconnected' });
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toEqual({ kind: 'failed', code: 'disconnected' });
    expect(await pullUsage(h.deps, h.tenant, KIND, 'manual')).toEqual({ kind: 'failed', code: 'disconnected' });
    const alerts = await told();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.message).toMatch(/^Autodesk Token Flex usage is disconnected since .+: Autodesk no longer accepts the connection .* IT connects Autodesk again in Settings → Autodesk/);
    expect(alerts[0]!.message).not.toMatch(/invalid_grant|_/);

    // IT connects again; Autodesk refuses that connection too, later: a new alert for it.
    h.sources.connect(h.tenant, connectionOf(KIND, `${TODAY}T09:00:00.000Z`), h.source);
    h.source.failNext({ code: 'disconnected', at: 'request' });
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toEqual({ kind: 'failed', code: 'disconnected' });
    expect(await told()).toHaveLength(2);
  });

  it('waits for an import that is posting: asks nothing of Autodesk while the slot is taken', async () => {
    const h = await harness();
    const manager = caller(h.tenant, managerUser);
    const uploaded = ok(await uploadImport(h.deps, manager, 'posting.csv', (async function* () {
      yield Buffer.from(`Date,Email,Service,Cloud Credits Used\n2026-06-01,${employees[0]!.email},Simulation,1\n`);
    })()));
    // Committing, its job not started here: another instance holds the slot with a live lease.
    ok(await commitImport({ ...h.deps, importJobs: { owner: 'other-instance', start: async () => {} } }, manager, uploaded.id));
    expect(await claim(h.deps, h.tenant, uploaded.id, 'other-instance')).toBeDefined();

    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toEqual({ kind: 'failed', code: 'slot_busy' });
    expect(h.source.requests).toEqual([]);
    expect((await statusOf(h)).lastError).toMatchObject({ code: 'slot_busy' });
  });

  it('runs one pull of a tenant at a time: a second while one runs changes nothing', async () => {
    const h = await harness();
    const held = h.source.hold();
    const first = pullUsage(h.deps, h.tenant, KIND, 'schedule');
    await held.asked;
    // The running pull renews its lease as Autodesk answers: all but the lease's end must stay as it was.
    const withoutLease = async () => {
      const { state } = (await h.deps.usagePulls.get(h.tenant))!;
      return { ...state, run: state.run && { ...state.run, until: undefined } };
    };
    const before = await withoutLease();
    expect(await pullUsage(h.deps, h.tenant, KIND, 'manual')).toEqual({ kind: 'already_running' });
    expect(await withoutLease()).toEqual(before);
    expect((await statusOf(h)).running).toMatchObject({ trigger: 'schedule', stage: 'requested', window: { from: '2026-06-10', to: '2026-06-19' } });
    held.release();
    expect(await first).toMatchObject({ kind: 'imported' });
    expect(h.source.requests).toHaveLength(1);
  });

  it('after a host stopped mid-pull, is not shown running forever, and the next run imports every day once', async () => {
    const h = await harness();
    const held = h.source.hold();
    // The host "dies" while Autodesk makes the export: its pull never writes again.
    const dead = pullUsage(h.deps, h.tenant, KIND, 'schedule');
    await held.asked;
    h.clock.ms += PULL_LEASE_MS + 1;
    expect(await statusOf(h)).toMatchObject({ running: null, lastError: { code: 'interrupted' } });

    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toMatchObject({ kind: 'imported', window: { from: '2026-06-10', to: '2026-06-19' } });
    // The old run wakes up: it finds its lease taken and writes nothing more.
    held.release();
    expect(await dead).toEqual({ kind: 'taken_over' });
    expect(await h.imported()).toEqual({ rows: 30, distinct: 30, credits: 15 });
    expect((await h.deps.importRecords.list(h.tenant, {})).items).toHaveLength(1);
    expect(await statusOf(h)).toMatchObject({ running: null, lastError: null, lastPull: { rowsPosted: 30 } });
  });

  it('a host that stopped while its import posted: the import runner finishes it and the status follows', async () => {
    const h = await harness();
    // The pull's import job never runs on this "host": it stays committing, its lease to run out.
    const stalled: PullDeps = { ...h.deps, importJobs: { owner: 'dead-host', start: async () => {} } };
    expect(await pullUsage(stalled, h.tenant, KIND, 'schedule')).toMatchObject({ kind: 'posting' });
    expect(await statusOf(h)).toMatchObject({ running: { stage: 'posting' }, lastPull: null });

    h.clock.ms += 61_000;
    const runner = h.deps.importJobs as ImportRunner;
    expect(await runner.resume(h.tenant)).toHaveLength(1);
    await runner.idle();
    expect(await statusOf(h)).toMatchObject({ running: null, covered: { from: '2026-06-10', to: '2026-06-19' }, lastPull: { rowsPosted: 30 } });
    nextDay(h);
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toMatchObject({ window: { from: '2026-06-17', to: '2026-06-20' } });
    expect(await h.imported()).toEqual({ rows: 33, distinct: 33, credits: 16.5 });
  });

  it('a host that stopped between naming its import and committing it: not shown posting, and the next run imports every day once', async () => {
    const h = await harness();
    const manager = caller(h.tenant, managerUser);
    // What the dead host left: its run's lease run out, and an import named as the pull's that was never committed.
    const named = ok(await uploadImport(h.deps, manager, 'named.csv', (async function* () {
      yield Buffer.from(`Date,Email,Service,Cloud Credits Used\n2026-06-11,${employees[0]!.email},Simulation,0.5\n`);
    })()));
    const window = { from: '2026-06-10', to: '2026-06-19' };
    const at = new Date(h.clock.ms).toISOString();
    const run = { kind: KIND, trigger: 'schedule' as const, owner: 'dead-host', until: at, startedAt: at, stage: 'posting' as const, window, polls: 1 };
    const pending = { importId: named.id, window, trigger: 'schedule' as const, startedAt: at, unmatched: { people: 0, rows: 0 } };
    expect(await h.deps.usagePulls.put(h.tenant, { sources: { [KIND]: { lastSuccess: null, covered: null, lastError: null, pending } }, run }, null)).toBeTruthy();
    h.clock.ms += 1;

    expect(await statusOf(h)).toMatchObject({ running: null, lastError: { code: 'interrupted' } });
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toMatchObject({ kind: 'imported', window });
    expect(await h.imported()).toEqual({ rows: 30, distinct: 30, credits: 15 });
    expect(await statusOf(h)).toMatchObject({ running: null, lastError: null, lastPull: { rowsPosted: 30 } });
  });

  it('an export with no usage imports its days with nothing in them', async () => {
    const h = await harness();
    const quiet = new FakeUsageSource(KIND, () => []);
    h.sources.connect(h.tenant, connectionOf(KIND), quiet);
    expect(await pullUsage(h.deps, h.tenant, KIND, 'schedule')).toMatchObject({ kind: 'imported', importId: null, rowsPosted: 0 });
    expect(await statusOf(h)).toMatchObject({ covered: { from: '2026-06-10', to: '2026-06-19' }, lastPull: { rowsPosted: 0, importId: null }, lastError: null });
  });
});
