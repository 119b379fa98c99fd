import type { Transfer, Units } from '../../../src/core/ledger/index.js';
import type { ProvisionalUsage } from '../../../src/core/usage-import/index.js';
import { dayNumber, dayString } from '../../../src/core/policy/index.js';
import type { LowerDayTotal } from '../../../src/core/usage-import/index.js';
import {
  SETTLE_WINDOW_DAYS,
  importedAmounts,
  planImportBatch,
  planImportCompletion,
  provisionalFrom,
  isLegacyRowId,
  rowFate,
  rowServiceSlug,
  unconfirmedProvisional,
} from '../../../src/core/usage-import/index.js';
import type { ImportOutcome, ImportRecord } from '../../ports/import-records.js';
import { policyOf } from '../deps.js';
import { notifyUsageUnconfirmed } from '../notifications.js';
import { readOverdraft } from '../overdraft.js';
import { kindOf } from './import-view.js';
import { runOpeningJob } from './opening-job.js';
import type { ImportDeps } from './import-deps.js';
import { FIXED_RECORDS, JobRun, LeaseLostError, PACKED_CHARS, TRANSACTION_ROWS, claim } from './job-run.js';
import { readSummary, saveSummary } from './summary.js';
import { JobRows } from './job-rows.js';
import { MemberMatcher, personKey } from './member-matcher.js';
import { scanExport } from './scan-export.js';

export { LeaseLostError };

/** Rows offered to each batch; the decision takes as many as fit in one transaction (packed, DESIGN 4.1). */
const CANDIDATES_PER_BATCH = 250;

/**
 * The valid, matched rows of the file in the job's order: member by member, each member's rows by date and
 * line. Rows with 0 used post nothing, and rows repeating an earlier one exactly only once the person
 * confirmed them: both are counted, not posted. An export of daily totals gives one row per day total:
 * lines of the same person, product, feature and day (two teams, say) add up, under the day total's id,
 * with the ids the lines had before day totals had their own.
 */
async function collectRows(deps: ImportDeps, tenant: string, record: ImportRecord, today: string): Promise<{ rows: JobRows; skipped: number; zero: number; repeatsNotPosted: number }> {
  const policy = await policyOf(deps, tenant);
  const matcher = await MemberMatcher.create(deps, tenant);
  const slugs = new Map<string, string>();
  const rows = new JobRows();
  const dayTotals = new Map<string, number>();
  let [skipped, zero, repeatsNotPosted] = [0, 0, 0];
  for await (const scanned of scanExport(deps, tenant, record, today, { legacy: true })) {
    if (scanned.kind === 'problem') continue;
    const { row } = scanned;
    if (row.amount === 0) {
      zero++;
      continue;
    }
    if (scanned.occurrence > 0 && !record.postRepeated) {
      repeatsNotPosted++;
      continue;
    }
    const resolution = record.resolutions[personKey(row.person)];
    const memberId = resolution?.kind === 'member' ? resolution.memberId : await matcher.match(row.person);
    if (!memberId || resolution?.kind === 'skip') {
      skipped++;
      continue;
    }
    const named = `${row.service}\u0000${row.product ?? ''}`;
    let service = slugs.get(named);
    if (service === undefined) {
      service = rowServiceSlug(policy, row.service, row.product);
      slugs.set(named, service);
    }
    const dayTotal = scanned.dailyTotalId;
    const known = dayTotal === undefined ? undefined : dayTotals.get(dayTotal);
    if (known !== undefined) rows.addAmount(known, row.amount);
    else {
      const rowId = dayTotal ?? scanned.rowId;
      const n = rows.push({ rowId, line: row.line, memberId, date: row.date, service, amount: row.amount, ...(row.project ? { project: row.project } : {}), ...(row.job ? { job: row.job } : {}) }, dayTotal === undefined ? scanned.legacyRowId : undefined);
      if (dayTotal !== undefined) dayTotals.set(dayTotal, n);
    }
    if (dayTotal !== undefined) rows.addEarlierIds(dayTotals.get(dayTotal)!, scanned.legacyRowId === undefined ? [scanned.rowId] : [scanned.rowId, scanned.legacyRowId]);
  }
  // Member by member, so that a transaction holds few members (each member touched costs rows of its own).
  rows.sort();
  return { rows, skipped, zero, repeatsNotPosted };
}

/**
 * What a member's history says: rows already imported by other imports (by id, with the usage each posted),
 * and self-logged entries an import may confirm. Rows this import wrote before a crash are not counted:
 * their batches replay.
 */
interface MemberHistory {
  imported: Map<string, Units>;
  provisional: ProvisionalUsage[];
}

/**
 * The histories of the members the rows are for, from one scan of the ledger's transfers when the job
 * starts (a range read per member would cost a read of the partition each on Azurite, and a round trip
 * each on the service). Only what can matter is kept: imported rows of the file's days, self-logged usage
 * within the settling window of those days, and reversals. One import posts at a time per tenant (the
 * slot in JobRun), so no other job adds imported rows while this one runs.
 */
async function historiesAtStart(deps: ImportDeps, tenant: string, importId: string, rows: JobRows): Promise<Map<string, MemberHistory>> {
  const byMember = new Map<string, Transfer[]>(rows.memberIds().map((m) => [m, []]));
  const days = rows.dayRange();
  if (!days) return new Map();
  const windowFrom = shiftDay(days.from, -SETTLE_WINDOW_DAYS);
  const windowTo = shiftDay(days.to, SETTLE_WINDOW_DAYS);
  let cursor: string | undefined;
  do {
    // Small pages: a packed row holds a whole batch of an earlier import.
    const page = await deps.store.listTransfers(tenant, {}, { cursor, limit: 50 });
    for (const t of page.items) {
      const kept = t.memberId ? byMember.get(t.memberId) : undefined;
      if (!kept) continue;
      const day = t.date ?? t.at.slice(0, 10);
      if (t.code === 'reversal' || (day >= windowFrom && day <= windowTo)) kept.push(t);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const own = `import:${importId}`;
  const histories = new Map<string, MemberHistory>();
  for (const [memberId, transfers] of byMember) histories.set(memberId, { imported: importedAmounts(transfers, own), provisional: provisionalFrom(transfers) });
  return histories;
}

const shiftDay = (day: string, days: number) => dayString(dayNumber(day) + days);

interface BatchBody {
  consumed: number;
  posted: number;
  alreadyLines: number[];
  settled: string[];
  amount: Units;
  fromPool: Units;
  /** Open holds the batch's rows settled (absent in batches replayed from before it was counted). */
  holdsSettled?: number;
  /** Day totals already imported that grew: how many, and the growth posted. */
  daysGrown?: number;
  grownAmount?: Units;
  /** Day totals lower than what was imported for them: left as they are, reported. */
  daysLower?: LowerDayTotal[];
}

const emptyOutcome = (): ImportOutcome => ({ posted: 0, alreadyImported: 0, skipped: 0, settled: 0, amount: 0, fromPool: 0, unconfirmedProvisional: 0, reconciliationAlert: false, holdsSettled: 0 });

/**
 * Posts an import's rows (DESIGN 3.4): reads the stored file again, orders the rows member by member, and
 * writes batches that fit one entity-group transaction. Each batch is named by the import and its position,
 * so a job resumed after a crash replays the batches that were written and carries on: nothing is written
 * twice. Rows already in the ledger (the same usage from an earlier or overlapping export) are left out.
 * Resolves false when the job did not run: another holds its lease, or another import the tenant's slot.
 */
export async function runImportJob(deps: ImportDeps, tenant: string, importId: string, owner: string): Promise<boolean> {
  const claimed = await claim(deps, tenant, importId, owner);
  if (!claimed) return false;
  if (kindOf(claimed.record) === 'opening_balances') {
    await runOpeningJob(deps, tenant, claimed, owner);
    return true;
  }
  const record = claimed.record;
  const { rows, skipped, zero, repeatsNotPosted } = await collectRows(deps, tenant, record, deps.clock.now().toISOString().slice(0, 10));
  const totals: ImportOutcome = record.result ? { ...record.result } : { ...emptyOutcome(), skipped };
  Object.assign(totals, { skipped, zero, repeatsNotPosted });
  const alreadyLines: number[] = [];
  const histories = await historiesAtStart(deps, tenant, importId, rows);
  // Rows imported before identities took the whole record are known by their legacy ids: kept only if any is in the ledger.
  if (![...histories.values()].some((h) => [...h.imported.keys()].some(isLegacyRowId))) rows.forgetLegacyIds();
  const daysLower: LowerDayTotal[] = [];
  const settledPostings = new Set<string>();
  const job = new JobRun(deps, tenant, claimed, owner, rows.length, totals);
  await job.save({});
  let cursor = job.cursor;

  while (cursor < rows.length) {
    const candidates = rows.slice(cursor, cursor + CANDIDATES_PER_BATCH);
    const members = [...new Set(candidates.map((r) => r.memberId))];
    const fates = candidates.map((r, i) => rowFate(r, histories.get(r.memberId)!.imported, [rows.legacyIdAt(cursor + i), ...rows.earlierIdsAt(cursor + i)]));
    const posts = fates.flatMap((f, i) => (f.kind === 'post' ? [{ ...f, index: i }] : []));
    const fresh = posts.map((p) => p.row);
    // Rows up to `consumed` not posted: already in, or a lower day total.
    const notPosted = (consumed: number) => ({
      alreadyLines: fates.slice(0, consumed).flatMap((f, i) => (f.kind === 'already' ? [candidates[i]!.line] : [])),
      daysLower: fates.slice(0, consumed).flatMap((f) => (f.kind === 'lower' ? [{ line: f.line, posted: f.posted, total: f.total }] : [])),
    });
    let body: BatchBody;
    if (fresh.length === 0) {
      body = { consumed: candidates.length, posted: 0, ...notPosted(candidates.length), settled: [], amount: 0, fromPool: 0 };
    } else {
      const provisional = members.flatMap((m) => histories.get(m)!.provisional);
      const outcome = await deps.store.execute(tenant, {
        actor: record.uploadedBy,
        idempotency: job.batchKey(),
        needs: { members, lots: true },
        fence: job.fence,
        decide: (state, ctx) => {
          const planned = planImportBatch(state, { importId, rows: fresh, provisional, settleWindowDays: SETTLE_WINDOW_DAYS, budget: { max: TRANSACTION_ROWS - FIXED_RECORDS, chars: PACKED_CHARS } }, ctx);
          if (!planned.ok) return planned;
          // fromPool includes what no lot covered.
          const { posting, rowsTaken, settled, fromOwn, fromPool } = planned.value;
          const consumed = rowsTaken === fresh.length ? candidates.length : posts[rowsTaken - 1]!.index + 1;
          const grown = posts.slice(0, rowsTaken).filter((p) => p.grown);
          const decided: BatchBody = {
            consumed,
            posted: rowsTaken,
            ...notPosted(consumed),
            settled: settled.map((s) => s.provisionalPostingId),
            amount: fromOwn + fromPool,
            fromPool,
            holdsSettled: posting.holds.filter((h) => h.state === 'settled').length,
            daysGrown: grown.length,
            grownAmount: grown.reduce((sum, p) => sum + p.row.amount, 0),
          };
          return { ok: true, value: { posting, answer: decided } };
        },
      });
      if (outcome.kind !== 'committed') {
        await job.fail(outcome);
        return true;
      }
      body = outcome.answer;
    }
    // A day total is now in at the larger of the file's total and what was posted before (a lower one stays).
    for (const r of candidates.slice(0, body.consumed)) {
      const imported = histories.get(r.memberId)!.imported;
      imported.set(r.rowId, Math.max(imported.get(r.rowId) ?? 0, r.amount));
    }
    for (const id of body.settled) settledPostings.add(id);
    for (const h of histories.values()) h.provisional = h.provisional.filter((p) => !settledPostings.has(p.postingId));
    alreadyLines.push(...body.alreadyLines);
    totals.posted += body.posted;
    totals.alreadyImported += body.alreadyLines.length;
    totals.settled += body.settled.length;
    totals.amount += body.amount;
    totals.fromPool += body.fromPool;
    totals.holdsSettled = (totals.holdsSettled ?? 0) + (body.holdsSettled ?? 0);
    totals.daysGrown = (totals.daysGrown ?? 0) + (body.daysGrown ?? 0);
    totals.grownAmount = (totals.grownAmount ?? 0) + (body.grownAmount ?? 0);
    totals.daysLower = (totals.daysLower ?? 0) + (body.daysLower?.length ?? 0);
    daysLower.push(...(body.daysLower ?? []));
    cursor = await job.advance(body.consumed);
    // Members are in order: one whose rows are all done no longer needs its imported ids in memory.
    const current = cursor < rows.length ? rows.memberAt(cursor) : undefined;
    for (const [m, h] of histories) if (current === undefined || m < current) h.imported.clear();
  }

  // An import that posted nothing changed nothing: it raises no alert and flags no self-logged entry (an
  // earlier import already did, or will when the usage comes); its result says nothing new.
  if (totals.posted === 0) {
    const summary = await readSummary(deps, tenant, importId);
    if (summary) await saveSummary(deps, tenant, importId, { ...summary, alreadyImportedLines: alreadyLines.sort((a, b) => a - b), lowerDayTotals: daysLower });
    await job.save({ state: 'committed', lease: null });
    return true;
  }
  const unconfirmed = record.dateRange
    ? [...histories.values()].flatMap((h) => unconfirmedProvisional(h.provisional, settledPostings, record.dateRange!))
    : [];
  // Who used what the pool did not have: the alert names them (read before the decision, which needs them loaded).
  const overdraft = await readOverdraft(deps, tenant, await deps.store.getBalance(tenant, 'pool'));
  const completion = await deps.store.execute(tenant, {
    actor: record.uploadedBy,
    idempotency: { caller: 'import', key: `${importId}:done`, fingerprint: importId },
    needs: { members: [...new Set([...unconfirmed.map((p) => p.memberId), ...(overdraft?.people ?? []).map((p) => p.memberId)])], lots: true },
    fence: job.fence,
    decide: (state, ctx) => {
      const posting = planImportCompletion(state, { importId, fileName: record.fileName, rowsPosted: totals.posted, amount: totals.amount, fromPool: totals.fromPool, settled: totals.settled, holdsSettled: totals.holdsSettled ?? 0, unconfirmed, overdraft }, ctx);
      const alert = posting.events.some((e) => e.kind === 'alert_reconciliation');
      return { ok: true, value: { posting, answer: { alert, unconfirmed: unconfirmed.length } } };
    },
  });
  if (completion.kind === 'committed') {
    const done = completion.answer;
    totals.reconciliationAlert = done.alert;
    totals.unconfirmedProvisional = done.unconfirmed;
  }
  const summary = await readSummary(deps, tenant, importId);
  if (summary) await saveSummary(deps, tenant, importId, { ...summary, alreadyImportedLines: alreadyLines.sort((a, b) => a - b), lowerDayTotals: daysLower });
  await job.save({ state: 'committed', lease: null });
  // The owners of unconfirmed entries are told once, by the run whose completion committed (a resumed job
  // that replays it does not tell them again), and only once the import is committed: a slow or failing
  // Graph neither holds nor fails it.
  if (completion.kind === 'committed' && !completion.replayed && record.dateRange) await notifyUsageUnconfirmed(deps, tenant, record.dateRange, unconfirmed);
  return true;
}
