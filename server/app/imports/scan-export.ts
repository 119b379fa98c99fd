import type { DateOrderVerdict, RowProblem, UsageRow } from '../../../src/core/usage-import/index.js';
import {
  addDateEvidence,
  dailyTotalId,
  decideDateOrder,
  emptyDateEvidence,
  isBlankRecord,
  legacyRowId,
  normalizeRow,
  postsDailyTotals,
  rowId,
} from '../../../src/core/usage-import/index.js';
import type { ImportRecord } from '../../ports/import-records.js';
import type { ImportDeps } from './import-deps.js';
import type { ExportRecord } from './read-export.js';
import { flat } from './flat-string.js';
import { readExport } from './read-export.js';
import { readWorkbook } from './read-workbook.js';

export type ScannedRow =
  | { kind: 'row'; row: UsageRow; rowId: string; occurrence: number; repeatsLine?: number; legacyRowId?: string; dailyTotalId?: string }
  | { kind: 'problem'; line: number; problems: RowProblem[] };

/** The stored upload's data records (after the header), as they are read. */
export async function* dataRecords(deps: ImportDeps, tenant: string, record: ImportRecord): AsyncIterable<ExportRecord> {
  const bytes = await deps.importFiles.open(tenant, record.id, 'upload');
  if (!bytes) throw new Error(`The file of import ${record.id} is missing.`);
  let headerSeen = false;
  const records = record.workbook ? readWorkbook(bytes, record.workbook, record.headers.length) : readExport(bytes, record);
  for await (const entry of records) {
    if (isBlankRecord(entry.cells)) continue;
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    yield entry;
  }
}

/** What the file's dates say about their day order (see decideDateOrder): from every value of the date column, one pass. */
export async function dateVerdictOf(deps: ImportDeps, tenant: string, record: ImportRecord): Promise<DateOrderVerdict> {
  const column = record.mapping.date;
  if (column === undefined) return { kind: 'none' };
  const evidence = emptyDateEvidence();
  for await (const { cells, line } of dataRecords(deps, tenant, record)) addDateEvidence(evidence, cells[column] ?? '', line);
  return decideDateOrder(evidence);
}

/**
 * Every data record read and judged: a valid row with its identity (content hash and occurrence within the
 * file, DESIGN 3.4), or the row's problems. Validation and the commit job read the file through this, so
 * both see the same rows with the same ids. A row that repeats an earlier one exactly names the line it
 * repeats. With `legacy`, each row also has the id rows had before identities took the whole record. A
 * row of an export of daily totals also has the identity of its day total (see daily-totals.ts).
 */
export async function* scanExport(deps: ImportDeps, tenant: string, record: ImportRecord, today: string, options: { legacy?: boolean } = {}): AsyncIterable<ScannedRow> {
  const context = { mapping: record.mapping, columns: record.headers.length, dateOrder: record.dateOrder ?? 'mdy', today };
  // Base id → the line it was first seen on; repeats are rare, so their count has a map of its own.
  const firstLines = new Map<string, number>();
  const repeats = new Map<string, number>();
  const legacySeen = new Map<string, number>();
  const daily = postsDailyTotals(record.format);
  for await (const { cells, line } of dataRecords(deps, tenant, record)) {
    const result = normalizeRow(cells, line, context);
    if (!result.ok) {
      yield { kind: 'problem', line, problems: result.problems };
      continue;
    }
    const first = rowId(result.row, 0);
    // Flat: the maps hold a key per distinct row for the whole pass.
    const base = flat(first.slice(0, first.lastIndexOf('-')));
    const firstLine = firstLines.get(base);
    let occurrence = 0;
    if (firstLine === undefined) firstLines.set(base, line);
    else {
      occurrence = (repeats.get(base) ?? 0) + 1;
      repeats.set(base, occurrence);
    }
    const id = occurrence === 0 ? first : `${base}-${occurrence.toString(36)}`;
    const scanned: ScannedRow = { kind: 'row', row: result.row, rowId: id, occurrence, ...(firstLine === undefined ? {} : { repeatsLine: firstLine }) };
    if (options.legacy) {
      const legacyBase = flat(legacyRowId(result.row, 0).slice(0, -2));
      const legacyOccurrence = legacySeen.get(legacyBase) ?? 0;
      legacySeen.set(legacyBase, legacyOccurrence + 1);
      scanned.legacyRowId = `${legacyBase}-${legacyOccurrence.toString(36)}`;
    }
    if (daily) scanned.dailyTotalId = dailyTotalId(result.row);
    yield scanned;
  }
}
