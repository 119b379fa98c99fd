/** Reads the shared sample exports the way the server will: sniff, decode, split into records. Not a test file. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type {
  DateOrder,
  DateOrderVerdict,
  FileSniff,
  HeaderDetection,
  RowContext,
  UsageRow,
} from '../../../../src/core/usage-import/index.js';
import {
  addDateEvidence,
  decideDateOrder,
  detectHeaders,
  emptyDateEvidence,
  isBlankRecord,
  normalizeRow,
  sniffFile,
} from '../../../../src/core/usage-import/index.js';

/** Copies of ../shared/fixtures, kept in the repository so a fresh clone tests the same files. */
export const FIXTURES = new URL('../../../fixtures/usage-exports/', import.meta.url);
export const TODAY = '2026-11-02';

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, FIXTURES)));
}

export interface ReadFile {
  sniff: FileSniff;
  headers: string[];
  detection: HeaderDetection;
  /** What the dates settle; `order` is what the rows were read with (the fallback when the dates do not settle it). */
  verdict: DateOrderVerdict;
  order: DateOrder;
  rows: UsageRow[];
  problems: { line: number; code: string; field?: string }[];
}

/** The whole importer core over a file's bytes (records split by csv-parse, as the server does). */
export function readExport(bytes: Uint8Array, fallback: DateOrder = 'mdy'): ReadFile {
  const sniff = sniffFile(bytes.subarray(0, 64 * 1024), bytes.length);
  if (!sniff.ok) throw new Error(`sniff refused: ${sniff.problem.code}`);
  if ('workbook' in sniff) throw new Error('a workbook, not text');
  const text = new TextDecoder(sniff.encoding).decode(bytes.subarray(sniff.bomLength));
  // With `info`, csv-parse gives each record with where it was read (its typings do not say so).
  const records = parse(text, { delimiter: sniff.delimiter, relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  const [head, ...rest] = records.filter((r) => !isBlankRecord(r.record));
  if (!head) throw new Error('no header');
  const headers = head.record;
  const detection = detectHeaders(headers);
  const evidence = emptyDateEvidence();
  const dateColumn = detection.mapping.date;
  if (dateColumn !== undefined) for (const r of rest) addDateEvidence(evidence, r.record[dateColumn] ?? '', r.info.lines);
  const verdict = decideDateOrder(evidence);
  const order = verdict.kind === 'decided' ? verdict.order : fallback;
  const ctx: RowContext = { mapping: detection.mapping, columns: headers.length, dateOrder: order, today: TODAY };
  const rows: UsageRow[] = [];
  const problems: ReadFile['problems'] = [];
  for (const r of rest) {
    const result = normalizeRow(r.record, r.info.lines, ctx);
    if (result.ok) rows.push(result.row);
    else for (const p of result.problems) problems.push({ line: p.line, code: p.code, ...(p.field ? { field: p.field } : {}) });
  }
  return { sniff, headers, detection, verdict, order, rows, problems };
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
