import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { headerScore, headerSignature, isBlankRecord } from '../../../src/core/usage-import/index.js';
import type { ImportKind } from '../../../src/core/usage-import/index.js';
import type { WorkbookSheet } from '../../ports/import-records.js';
import type { ExportRecord } from './read-export.js';
import { UnreadableExportError } from './read-export.js';

/** Rows of each worksheet looked at for its header (exports put a title or the filters above it). */
const HEADER_ROWS = 30;
/** Rows after the header kept as samples (to see whether personal data is masked). */
const SAMPLE_ROWS = 100;

const BROKEN = 'The Excel workbook cannot be read: it is damaged or only partly uploaded. Open it in Excel, save it again as "Excel Workbook (*.xlsx)" and upload that file (or save it as "CSV UTF-8").';

/** A worksheet as exceljs streams it: its number in the file, its name, its rows. */
interface StreamedSheet extends AsyncIterable<ExcelJS.Row> {
  id: number | string;
  name?: string;
}

/** Serial days (Excel's 1900 system) to the ISO day: a date from a formula comes as a number. */
const serialDay = (serial: number) => new Date(Math.round((serial - 25569) * 86_400_000)).toISOString().slice(0, 10);

/** A number as the text a person typed: no binary noise (0.30000000000000004 is 0.3). */
const numberText = (value: number) => (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12))));

/** A cell as the text a CSV export would have: dates as ISO days, numbers as typed, rich text and links as their text. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (typeof result === 'number' && /[dmy]/i.test(cell.numFmt ?? '') && !/\[/.test(cell.numFmt ?? '')) return serialDay(result);
    if (result instanceof Date) return result.toISOString().slice(0, 10);
    if (typeof result === 'number') return numberText(result);
    if (result === undefined || result === null) return '';
    return typeof result === 'object' && 'error' in result ? String(result.error) : String(result);
  }
  if ('text' in value) return typeof value.text === 'string' ? value.text : '';
  if ('error' in value) return String(value.error);
  return '';
}

/** A row's cells, column 1 first, at least `columns` of them. */
function rowCells(row: ExcelJS.Row, columns: number): string[] {
  const cells = new Array<string>(Math.max(columns, row.cellCount)).fill('');
  row.eachCell({ includeEmpty: false }, (cell, column) => {
    cells[column - 1] = cellText(cell);
  });
  return cells;
}

/**
 * The worksheets of a workbook as they stream in. Every row of every sheet is read to the end (exceljs
 * parks sheets that come before the shared strings in temporary files and removes each once read), and a
 * workbook that cannot be unzipped or parsed stops the read with BROKEN_WORKBOOK.
 */
async function* sheetsOf(bytes: AsyncIterable<Uint8Array>): AsyncIterable<StreamedSheet> {
  const source = Readable.from(bytes, { objectMode: false });
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  // exceljs pipes the source into its unzipper without passing on the source's errors: forward them.
  const failed = new Promise<never>((_resolve, reject) => source.once('error', reject));
  failed.catch(() => undefined);
  const sheets = reader[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([sheets.next(), failed]);
      if (next.done) return;
      yield next.value as unknown as StreamedSheet;
    }
  } catch (error) {
    if (error instanceof UnreadableExportError) throw error;
    throw new UnreadableExportError('BROKEN_WORKBOOK', BROKEN);
  } finally {
    source.destroy();
  }
}

export interface WorkbookHeader extends WorkbookSheet {
  headers: string[];
  /** The first records after the header. */
  samples: string[][];
}

/** A row whose header a person mapped before (its signature is remembered) is the header, whatever else. */
const REMEMBERED = 1_000_000;

/**
 * Finds the worksheet the data is on by its header, not by its position: among the first rows of every
 * sheet, a header whose mapping is remembered, else the row that reads most like a usage export's header
 * (see headerScore); the first sheet wins a tie. Undefined when no sheet has a row with a value.
 */
export async function findWorkbookHeader(bytes: AsyncIterable<Uint8Array>, kind: ImportKind, remembered: ReadonlySet<string>): Promise<WorkbookHeader | undefined> {
  let best: (WorkbookHeader & { score: number }) | undefined;
  let sheetsSeen = 0;
  for await (const sheet of sheetsOf(bytes)) {
    sheetsSeen++;
    const rows: { cells: string[]; line: number }[] = [];
    for await (const row of sheet) {
      if (rows.length >= HEADER_ROWS + SAMPLE_ROWS) continue;
      const cells = rowCells(row, 0);
      if (!isBlankRecord(cells)) rows.push({ cells, line: row.number });
    }
    rows.slice(0, HEADER_ROWS).forEach((candidate, index) => {
      const score = headerScore(candidate.cells, kind) + (remembered.has(headerSignature(candidate.cells)) ? REMEMBERED : 0);
      if (best && score <= best.score) return;
      const headers = candidate.cells.map((c) => c.trim());
      const samples = rows.slice(index + 1, index + 1 + SAMPLE_ROWS).map((r) => r.cells);
      best = { sheet: Number(sheet.id), sheetName: sheet.name ?? null, headerRow: candidate.line, headers, samples, score };
    });
  }
  if (sheetsSeen === 0) throw new UnreadableExportError('BROKEN_WORKBOOK', 'This is a ZIP archive, not an Excel workbook: it has no worksheets. Upload the usage export as Autodesk Account produced it (.xlsx or .csv).');
  if (!best) return undefined;
  const { score: _score, ...header } = best;
  return header;
}

/**
 * The records of the data sheet from its header row on, as the CSV reader gives them: each with its row
 * number in Excel (the line a person finds it on), every record at least `columns` cells wide.
 */
export async function* readWorkbook(bytes: AsyncIterable<Uint8Array>, where: WorkbookSheet, columns: number): AsyncIterable<ExportRecord> {
  for await (const sheet of sheetsOf(bytes)) {
    const data = Number(sheet.id) === where.sheet;
    for await (const row of sheet) {
      if (data && row.number >= where.headerRow) yield { cells: rowCells(row, columns), line: row.number };
    }
  }
}
