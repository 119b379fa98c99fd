import type { OpeningRowToPost } from '../../../src/core/ledger/index.js';
import {
  creditsToUnits,
  newMember,
  normalizeOpeningRow,
  planOpeningBalances,
  planPoolOpening,
} from '../../../src/core/ledger/index.js';
import type { ImportOutcome, StoredImport } from '../../ports/import-records.js';
import { policyOf } from '../deps.js';
import type { ImportDeps } from './import-deps.js';
import { FIXED_RECORDS, JobRun, TRANSACTION_ROWS } from './job-run.js';
import { MemberMatcher } from './member-matcher.js';
import { dataRecords } from './scan-export.js';
import { readSummary, saveSummary } from './summary.js';

/** People offered to each batch; the decision takes as many as fit in one transaction. */
const CANDIDATES_PER_BATCH = 40;

const emptyOutcome = (): ImportOutcome => ({ posted: 0, alreadyImported: 0, skipped: 0, settled: 0, amount: 0, fromPool: 0, unconfirmedProvisional: 0, reconciliationAlert: false, refused: 0, allotments: 0, poolUnits: null });

/**
 * Loads go-live's opening balances (DESIGN 3.4) as a resumable job, with the machinery of usage imports
 * (lease, progress, batches named `import:{id}:{position}` that replay after a crash): first the pool's
 * balance when one was given (once per tenant), then the people, in file order. People the directory
 * knows and Credit Desk does not become members in the batch that loads their row.
 */
export async function runOpeningJob(deps: ImportDeps, tenant: string, stored: StoredImport, owner: string): Promise<void> {
  const record = stored.record;
  const importId = record.id;
  const day = deps.clock.now().toISOString().slice(0, 10);
  const summary = await readSummary(deps, tenant, importId);
  const allotment = creditsToUnits((await policyOf(deps, tenant)).individualAllotment);
  const matcher = await MemberMatcher.create(deps, tenant);
  const context = { mapping: record.mapping, columns: record.headers.length, allotment };

  const rows: OpeningRowToPost[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for await (const { cells, line } of dataRecords(deps, tenant, record)) {
    const result = normalizeOpeningRow(cells, line, context);
    if (!result.ok || seen.has(result.row.email)) continue;
    const { row } = result;
    seen.add(row.email);
    const resolution = record.resolutions[row.email];
    if (resolution?.kind === 'skip') {
      skipped++;
      continue;
    }
    const memberId = resolution?.kind === 'member' ? resolution.memberId : await matcher.match({ kind: 'email', email: row.email });
    const person = summary?.fromDirectory?.[row.email];
    if (memberId) rows.push({ line, memberId, used: row.used, state: row.state });
    else if (person) {
      // Made a member by the batch that loads their row, so a crash between the two leaves neither.
      const newcomer = newMember({ ...person, displayName: person.displayName || row.name || row.email, now: deps.clock.now().toISOString() });
      rows.push({ line, memberId: newcomer.id, used: row.used, state: row.state, newcomer });
    } else skipped++;
  }

  const totals: ImportOutcome = record.result ? { ...emptyOutcome(), ...record.result } : emptyOutcome();
  totals.skipped = skipped;
  const job = new JobRun(deps, tenant, stored, owner, rows.length, totals);
  await job.save({});
  const refusedLines: { line: number; message: string }[] = [...(summary?.refusedAtCommit ?? [])];
  const alreadyLines: number[] = [...(summary?.alreadyImportedLines ?? [])];

  if (record.poolUnits && totals.poolUnits === null) {
    const outcome = await deps.store.execute(tenant, {
      actor: record.uploadedBy,
      idempotency: job.batchKey('pool'),
      needs: { lots: true },
      fence: job.fence,
      decide: (state, ctx) => {
        const planned = planPoolOpening(state, { importId, units: record.poolUnits!, day }, ctx);
        return planned.ok ? { ok: true, value: { posting: planned.value, answer: { units: record.poolUnits } } } : planned;
      },
    });
    // Another go-live import loaded it since this one was committed: said in the report, the people go ahead.
    if (outcome.kind === 'committed') totals.poolUnits = record.poolUnits;
    else refusedLines.push({ line: 0, message: outcome.kind === 'refused' ? outcome.error.message : "The pool's opening balance was already loaded." });
  }

  let cursor = job.cursor;
  while (cursor < rows.length) {
    const candidates = rows.slice(cursor, cursor + CANDIDATES_PER_BATCH);
    const outcome = await deps.store.execute(tenant, {
      actor: record.uploadedBy,
      idempotency: job.batchKey(),
      needs: { members: [...new Set(candidates.map((r) => r.memberId))], emails: candidates.flatMap((r) => (r.newcomer ? [r.newcomer.email] : [])) },
      fence: job.fence,
      decide: (state, ctx) => {
        const planned = planOpeningBalances(state, { importId, day, rows: candidates, budget: { max: TRANSACTION_ROWS - FIXED_RECORDS } }, ctx);
        if (!planned.ok) return planned;
        const { posting, rowsTaken, loaded, alreadyLoaded, refused, used, allotments } = planned.value;
        return { ok: true, value: { posting, answer: { rowsTaken, loaded: loaded.length, alreadyLines: alreadyLoaded.map((a) => a.line), refused: refused.map((r) => ({ line: r.line, message: r.message })), used, allotments } } };
      },
    });
    if (outcome.kind !== 'committed') return job.fail(outcome);
    const body = outcome.answer;
    totals.posted += body.loaded;
    totals.alreadyImported += body.alreadyLines.length;
    totals.refused = (totals.refused ?? 0) + body.refused.length;
    totals.amount += body.used;
    totals.allotments = (totals.allotments ?? 0) + body.allotments;
    alreadyLines.push(...body.alreadyLines);
    refusedLines.push(...body.refused);
    cursor = await job.advance(body.rowsTaken);
  }

  if (summary) await saveSummary(deps, tenant, importId, { ...summary, alreadyImportedLines: alreadyLines.sort((a, b) => a - b), refusedAtCommit: refusedLines });
  await job.save({ state: 'committed', lease: null });
}
