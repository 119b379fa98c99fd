import { pullProblemWords } from '../../../src/core/usage-pull/index.js';
import type { ImportOutcome, ImportRecord } from '../../ports/import-records.js';
import type { PullSuccess, PullUnmatched, SourcePullRecord } from '../../ports/usage-pulls.js';
import type { DayWindow, UsageSourceKind } from '../../ports/usage-source.js';
import type { ImportDeps } from '../imports/import-deps.js';

const union = (covered: DayWindow | null, window: DayWindow): DayWindow =>
  covered ? { from: covered.from < window.from ? covered.from : window.from, to: covered.to > window.to ? covered.to : window.to } : window;

/** The record once a pull's window is imported (its import committed, or Autodesk had no usage in it). */
export function succeeded(source: SourcePullRecord, at: string, window: DayWindow, importId: string | null, result: ImportOutcome | null, unmatched: PullUnmatched): SourcePullRecord {
  const success: PullSuccess = {
    at,
    window,
    importId,
    rowsPosted: result?.posted ?? 0,
    alreadyImported: result?.alreadyImported ?? 0,
    settled: result?.settled ?? 0,
    unmatched,
  };
  return { lastSuccess: success, covered: union(source.covered, window), lastError: null, pending: null };
}

/** The record once the import of a pull failed at posting (the ledger refused a batch). */
export function postingFailed(source: SourcePullRecord, kind: UsageSourceKind, at: string, importRecord: ImportRecord): SourcePullRecord {
  const message = pullProblemWords('posting_failed', kind, { detail: importRecord.error?.message });
  return { ...source, pending: null, lastError: { code: 'posting_failed', message, at } };
}

/**
 * The record with what became of the import an earlier pull left posting: committed (the window is
 * imported), failed (said so), gone or never committed (forgotten), or still posting (left as it is: the
 * import runner carries it on).
 */
export async function settlePending(deps: ImportDeps, tenant: string, kind: UsageSourceKind, source: SourcePullRecord): Promise<SourcePullRecord> {
  const pending = source.pending;
  if (!pending) return source;
  const stored = await deps.importRecords.get(tenant, pending.importId);
  if (!stored) return { ...source, pending: null };
  const at = stored.record.progress?.updatedAt ?? deps.clock.now().toISOString();
  if (stored.record.state === 'committed') return succeeded(source, at, pending.window, stored.record.id, stored.record.result, pending.unmatched);
  if (stored.record.state === 'failed') return postingFailed(source, kind, at, stored.record);
  // Never committed: its pull stopped between naming it and committing it, and nothing of it will post.
  if (stored.record.state !== 'committing') return { ...source, pending: null };
  return source;
}
