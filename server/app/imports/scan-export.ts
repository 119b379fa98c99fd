import type { DateOrder, RowProblem, UsageRow } from '../../../src/core/usage-import/index.js';
import {
  addDateEvidence,
  decideDateOrder,
  emptyDateEvidence,
  isBlankRecord,
  normalizeRow,
  rowId,
} from '../../../src/core/usage-import/index.js';
import type { ImportRecord } from '../../ports/import-records.js';
import type { ImportDeps } from './import-deps.js';
import type { ExportRecord } from './read-export.js';
import { flat } from './flat-string.js';
import { readExport } from './read-export.js';
import { readWorkbook } from './read-workbook.js';

export type ScannedRow = { kind: 'row'; row: UsageRow; rowId: string; occurrence: number } | { kind: 'problem'; problem: RowProblem };

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

/** The file's day order for dates like 06/01/2026: from every value of the date column (one pass). */
export async function dateOrderOf(deps: ImportDeps, tenant: string, record: ImportRecord): Promise<DateOrder> {
  const column = record.mapping.date;
  if (column === undefined) return 'mdy';
  const evidence = emptyDateEvidence();
  for await (const { cells, line } of dataRecords(deps, tenant, record)) addDateEvidence(evidence, cells[column] ?? '', line);
  // Autodesk Account writes US dates unless the values say otherwise.
  return decideDateOrder(evidence, 'mdy').order;
}

/**
 * Every data record read and judged: a valid row with its identity (content hash and occurrence within the
 * file, DESIGN 3.4), or the row's problem. Validation and the commit job read the file through this, so
 * both see the same rows with the same ids.
 */
export async function* scanExport(deps: ImportDeps, tenant: string, record: ImportRecord, today: string): AsyncIterable<ScannedRow> {
  const context = { mapping: record.mapping, columns: record.headers.length, dateOrder: record.dateOrder ?? 'mdy', today };
  const seen = new Map<string, number>();
  for await (const { cells, line } of dataRecords(deps, tenant, record)) {
    const result = normalizeRow(cells, line, context);
    if (!result.ok) {
      yield { kind: 'problem', problem: result.problem };
      continue;
    }
    const first = rowId(result.row, 0);
    // Flat: the map holds a key per distinct row for the whole pass.
    const base = flat(first.slice(0, first.lastIndexOf('-')));
    const occurrence = seen.get(base) ?? 0;
    seen.set(base, occurrence + 1);
    yield { kind: 'row', row: result.row, rowId: occurrence === 0 ? first : `${base}-${occurrence.toString(36)}`, occurrence };
  }
}
