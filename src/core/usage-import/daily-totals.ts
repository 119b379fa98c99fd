import type { Words } from '../feed/wording.js';
import type { Units } from '../ledger/money.js';
import type { Transfer } from '../ledger/transfer.js';
import { shapeOf } from './export-shapes.js';
import { contentHash, dayKey } from './row-id.js';
import { dailyIdentityOf } from './rows.js';
import type { ImportFormat, ImportRowToPost, UsageRow } from './types.js';

/**
 * Autodesk Account's usage report (and the usage insights export, the same file) gives one total per
 * person, product, feature and day, with no charge id, and raises a day's total while the day settles. So
 * such a row is known by that day total's identity, not by its content (which includes the amount): a day
 * uploaded again posts only what it grew by. What was already posted for it is the imported usage under
 * that id in the ledger, written in the same transaction as the posting (nothing else to keep in step).
 */
export const postsDailyTotals = (format: ImportFormat | null): boolean => shapeOf(format)?.rows === 'daily_totals';

/** The day key, 't' (neither a hex digit nor the 'v' of a row's id), 23 hex digits of the identity's hash. Only [0-9a-z]. */
export function dailyTotalId(row: Pick<UsageRow, 'date' | 'person' | 'service' | 'product'>): string {
  return `${dayKey(row.date)}t${contentHash(dailyIdentityOf(row)).slice(0, 23)}`;
}

export const isDailyTotalId = (id: string): boolean => id.charAt(12) === 't';

/**
 * The usage each import row id already posted, from the ledger's transfers (other sources' only, see
 * runImportJob): what its usage transfers took (own credits and pool). A reversal made by hand does not
 * lower it: a day corrected on purpose is not posted again by the next upload. Ids whose transfers moved no
 * usage (a hold released, say) are there with 0: the row is in all the same.
 */
export function importedAmounts(transfers: Iterable<Transfer>, exceptSource: string): Map<string, Units> {
  const amounts = new Map<string, Units>();
  for (const t of transfers) {
    if (!t.importRowId || t.source === exceptSource) continue;
    const usage = (t.code === 'usage_individual' || t.code === 'usage_pool') && t.credit === 'usage' ? t.amount : 0;
    amounts.set(t.importRowId, (amounts.get(t.importRowId) ?? 0) + usage);
  }
  return amounts;
}

/**
 * What a day total of the file does given what the ledger already has for that day: `new` (nothing yet)
 * or `grown` posts `amount`; `same` posts nothing; `lower` posts nothing either (the ledger can only
 * reverse whole entries, and a smaller total is rarer than a late one: an account manager corrects it with
 * a reversal) and is reported with both figures.
 */
export type DailyTotalChange =
  | { kind: 'new' | 'grown'; amount: Units }
  | { kind: 'same' }
  | { kind: 'lower'; posted: Units; total: Units };

export function dailyTotalChange(total: Units, posted: Units | undefined): DailyTotalChange {
  if (posted === undefined) return { kind: 'new', amount: total };
  if (total > posted) return { kind: 'grown', amount: total - posted };
  if (total === posted) return { kind: 'same' };
  return { kind: 'lower', posted, total };
}

/** A day total of the file below what the ledger has for it (units). */
export interface LowerDayTotal {
  line: number;
  posted: Units;
  total: Units;
}

/** What a row of the job does: post (all of it, or a day total's growth), nothing (already in), or nothing and reported (a lower day total). */
export type RowFate = { kind: 'post'; row: ImportRowToPost; grown: boolean } | { kind: 'already' } | ({ kind: 'lower' } & LowerDayTotal);

/**
 * A row's fate given what other imports posted (`imported`). A day total is compared with what its id (and
 * the ids its lines had before day totals had their own) posted; any other row is in when its id is.
 */
export function rowFate(row: ImportRowToPost, imported: ReadonlyMap<string, Units>, earlierIds: readonly (string | undefined)[]): RowFate {
  if (!isDailyTotalId(row.rowId)) return [row.rowId, ...earlierIds].some((id) => id !== undefined && imported.has(id)) ? { kind: 'already' } : { kind: 'post', row, grown: false };
  let posted: Units | undefined;
  for (const id of [row.rowId, ...earlierIds]) {
    const amount = id === undefined ? undefined : imported.get(id);
    if (amount !== undefined) posted = (posted ?? 0) + amount;
  }
  const change = dailyTotalChange(row.amount, posted);
  if (change.kind === 'same') return { kind: 'already' };
  if (change.kind === 'lower') return { kind: 'lower', line: row.line, posted: change.posted, total: change.total };
  return { kind: 'post', row: { ...row, amount: change.amount }, grown: change.kind === 'grown' };
}

/** Why a lower day total changed nothing, and what to do if Autodesk did lower it (the import's report). */
export function lowerDayTotalMessage(words: Pick<Words, 'amount'>, lower: { posted: Units; total: Units }): string {
  return `Autodesk's total for this day is now ${words.amount(lower.total)}, less than the ${words.amount(lower.posted)} already imported for it, so nothing was changed. If Autodesk did lower it, reverse the day's entry in the person's history and record the right amount.`;
}
