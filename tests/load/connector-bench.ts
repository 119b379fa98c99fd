import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { checkInvariants } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { BlobImportFiles } from '../../server/adapters/blob/blob-import-files.js';
import { MemoryUsageSources } from '../../server/adapters/memory/memory-usage-sources.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableImportRecords } from '../../server/adapters/table-storage/table-import-records.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import { TableUsagePulls } from '../../server/adapters/table-storage/table-usage-pulls.js';
import type { AppResult } from '../../server/app/app-result.js';
import type { Caller } from '../../server/app/caller.js';
import { ImportRunner } from '../../server/app/imports/import-runner.js';
import { commitImport, uploadImport } from '../../server/app/imports/imports.js';
import { ensureCallerMember } from '../../server/app/me.js';
import { registrationEvent, requestRegistration } from '../../server/app/registrations.js';
import type { PullDeps } from '../../server/app/usage-pull/pull-deps.js';
import { pullUsage } from '../../server/app/usage-pull/pull-usage.js';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import type { Clock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import { FakeUsageSource, connectionOf } from '../support/fake-usage-source.js';
import { log, round } from './support.js';

/** People in the connector's export: one row each per day, 0.25 credits (a year stays within their own 100). */
const PEOPLE = 20;
const BACKFILL_DAYS = 365;
const TENANT = 'bench-connector';

export interface ConnectorFigures {
  connector_days_per_min: number;
  /** Imported rows that went to the ledger more than once (a row identity in two postings). */
  connector_duplicates: number;
  connector_days: number;
  details: { rows: number; backfill_seconds: number; source: 'in-memory'; invariants_ok: boolean; settling_pull_seconds: number; overlap_upload_days: number };
}

function ok<T>(result: AppResult<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

/**
 * `--only=connector`: a 365-day backfill through the pull use case (the window, the source's export, the
 * import pipeline, the commit job) against Azurite, then the next day's pull over the settling window and
 * a manual upload of 30 of the same days, and every imported row checked to be in the ledger once. The
 * source is the in-memory one (tests/support/fake-usage-source.ts) until the Autodesk stand-in exists.
 */
export async function connectorPhase(azurite: AzuriteHandle): Promise<ConnectorFigures> {
  const clockAt = { ms: Date.parse('2026-11-20T04:00:00Z') };
  const clock: Clock = { now: () => new Date(clockAt.ms) };
  const table = AzureTableAdapter.fromConnectionString(azurite.connectionString, `connector${randomUUID().slice(0, 8)}`);
  await table.createTableIfMissing();
  const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(() => clock.now().getTime()), defaultPolicy: DEFAULT_POLICY });
  const importFiles = BlobImportFiles.fromConnectionString(azurite.connectionString);
  await importFiles.prepare();
  const base = { store, directory: { findById: async () => undefined, findByEmail: async () => undefined, search: async () => [] }, clock, defaultPolicy: DEFAULT_POLICY, importFiles, importRecords: new TableImportRecords(table), importIds: newestFirstIds() };
  const importJobs = new ImportRunner(base, (m, e) => log(`connector: ${m} ${String(e)}`));
  const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: `bench-person-${i}`, email: `person${i}@bench.example` }));
  const usage = () => people.map((p) => ({ email: p.email, service: 'Simulation', credits: 0.25 }));
  const sources = new MemoryUsageSources();
  sources.connect(TENANT, connectionOf('token_flex'), new FakeUsageSource('token_flex', usage));
  const deps: PullDeps = { ...base, importJobs, usageSources: sources, usagePulls: new TableUsagePulls(table), pulls: { owner: importJobs.owner, rule: { settlingDays: 3, backfillDays: BACKFILL_DAYS }, schedule: null } };

  const manager: Caller = { tenant: TENANT, id: 'bench-manager', email: 'manager@bench.example', displayName: 'Bench Manager', roles: ['AccountManager'] };
  await ensureCallerMember(deps, manager);
  for (const p of people) {
    const member: Caller = { tenant: TENANT, id: p.id, email: p.email, displayName: p.email, roles: [] };
    await ensureCallerMember(deps, member);
    ok(await requestRegistration(deps, member, { idempotency: { caller: p.id, key: randomUUID(), fingerprint: 'r' } }, {}));
    ok(await registrationEvent(deps, manager, { idempotency: { caller: manager.id, key: randomUUID(), fingerprint: 'e' } }, p.id, { type: 'already_registered' }));
  }

  const started = performance.now();
  const backfill = await pullUsage(deps, TENANT, 'token_flex', 'schedule');
  const backfillSeconds = (performance.now() - started) / 1000;
  if (backfill.kind !== 'imported') throw new Error(`connector: the backfill ended ${JSON.stringify(backfill)}`);
  log(`connector: ${BACKFILL_DAYS} days (${backfill.rowsPosted} rows) pulled and posted in ${round(backfillSeconds, 1)} s`);

  // The next day: the settling window again, and someone uploads 30 of the same days by hand.
  clockAt.ms += 86_400_000;
  const settlingStarted = performance.now();
  await pullUsage(deps, TENANT, 'token_flex', 'schedule');
  const settlingSeconds = (performance.now() - settlingStarted) / 1000;
  const lines = ['Date,Email,Service,Cloud Credits Used'];
  for (let d = 0; d < 30; d++) {
    const day = new Date(Date.parse('2026-10-01T00:00:00Z') + d * 86_400_000).toISOString().slice(0, 10);
    for (const row of usage()) lines.push(`${day},${row.email},${row.service},${row.credits}`);
  }
  const uploaded = ok(await uploadImport(deps, manager, 'by-hand.csv', (async function* () {
    yield Buffer.from(lines.join('\n') + '\n');
  })()));
  ok(await commitImport(deps, manager, uploaded.id));
  await importJobs.idle();

  const snapshot = await store.snapshot(TENANT);
  const postingsOfRow = new Map<string, Set<string>>();
  for (const t of snapshot.transfers) {
    if (!t.importRowId || t.code === 'reversal') continue;
    const postings = postingsOfRow.get(t.importRowId) ?? new Set<string>();
    postings.add(t.postingId);
    postingsOfRow.set(t.importRowId, postings);
  }
  const duplicates = [...postingsOfRow.values()].filter((p) => p.size > 1).length;
  const expectedRows = (BACKFILL_DAYS + 1) * PEOPLE;
  const invariantsOk = checkInvariants(snapshot).length === 0;
  log(`connector: ${postingsOfRow.size} rows in the ledger (expected ${expectedRows}), ${duplicates} counted twice; invariants ${invariantsOk ? 'hold' : 'BROKEN'}`);
  return {
    connector_days_per_min: round(BACKFILL_DAYS / (backfillSeconds / 60), 1),
    connector_duplicates: duplicates + Math.abs(postingsOfRow.size - expectedRows),
    connector_days: BACKFILL_DAYS,
    details: { rows: postingsOfRow.size, backfill_seconds: round(backfillSeconds, 2), source: 'in-memory', invariants_ok: invariantsOk, settling_pull_seconds: round(settlingSeconds, 2), overlap_upload_days: 30 },
  };
}
