import type { ImportView, ImportsPage } from '../../../src/contract/index.js';
import { unitsToCredits } from '../../../src/core/ledger/index.js';
import { mappingNames, missingFields, parseUsageDate } from '../../../src/core/usage-import/index.js';
import type { ImportRecord, ImportSummary } from '../../ports/import-records.js';
import type { z } from 'zod';

const FORMAT_DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'vertical bar' };

/** Rows per second and time left, from this run's own work (a resumed job starts counting again). */
function progressView(record: ImportRecord) {
  const p = record.progress;
  if (!p) return null;
  const seconds = (Date.parse(p.updatedAt) - Date.parse(p.startedAt)) / 1000;
  const rate = seconds > 0 ? (p.rowsDone - p.rowsAtStart) / seconds : null;
  const left = rate && rate > 0 ? Math.max(0, Math.ceil((p.rowsTotal - p.rowsDone) / rate)) : null;
  return { rowsDone: p.rowsDone, rowsTotal: p.rowsTotal, rowsPerSecond: rate === null ? null : Math.round(rate), secondsLeft: record.state === 'committing' ? left : 0, startedAt: p.startedAt, updatedAt: p.updatedAt };
}

/** Counts as the person sees them: rows of people linked by hand count as valid, skipped people's as skipped. */
export function rowsView(record: ImportRecord, summary: ImportSummary | undefined) {
  let linked = 0;
  let skipped = 0;
  for (const entry of summary?.unmatched ?? []) {
    const resolution = record.resolutions[entry.person];
    if (resolution?.kind === 'member') linked += entry.rows;
    if (resolution?.kind === 'skip') skipped += entry.rows;
  }
  const { total, matched, refused, unmatched, repeated, zero = 0 } = record.counts;
  return { total, valid: matched + linked, refused, unmatched: unmatched - linked - skipped, skipped, repeated, zero };
}

function resultView(record: ImportRecord) {
  const r = record.result;
  if (!r) return null;
  const { poolUnits, grownAmount, ...rest } = r;
  return {
    ...rest,
    amount: unitsToCredits(r.amount),
    fromPool: unitsToCredits(r.fromPool),
    ...(grownAmount !== undefined ? { grownAmount: unitsToCredits(grownAmount) } : {}),
    ...(poolUnits !== undefined ? { poolCredits: poolUnits === null ? null : unitsToCredits(poolUnits) } : {}),
  };
}

/** How the file is written: a text file's encoding and delimiter, or the workbook's data sheet (no delimiter). */
function writtenAs(record: ImportRecord): { encoding: string; delimiter: string | null } {
  if (record.workbook) {
    const { sheetName, headerRow } = record.workbook;
    return { encoding: `Excel workbook, ${sheetName ? `sheet “${sheetName}”` : 'its data sheet'}${headerRow > 1 ? `, header on row ${headerRow}` : ''}`, delimiter: null };
  }
  return { encoding: record.encoding.toUpperCase() + (record.bomLength > 0 ? ' with byte-order mark' : ''), delimiter: FORMAT_DELIMITER_NAMES[record.delimiter] ?? record.delimiter };
}

export const kindOf = (record: Pick<ImportRecord, 'kind'>) => record.kind ?? 'usage';

export function importSummaryView(record: ImportRecord): z.infer<typeof ImportsPage>['items'][number] {
  return {
    id: record.id,
    kind: kindOf(record),
    fileName: record.fileName,
    sizeBytes: record.sizeBytes,
    uploadedAt: record.uploadedAt,
    uploadedBy: record.uploadedBy,
    state: record.state,
    format: record.format,
    rows: rowsView(record, undefined),
    amount: unitsToCredits(record.amount),
    progress: progressView(record),
    result: resultView(record),
  };
}

export function importView(record: ImportRecord, summary: ImportSummary | undefined, waitingFor: ImportView['waitingFor'] = null): ImportView {
  const resolutionOf = (person: string | null) => (person ? record.resolutions[person] : undefined);
  return {
    ...importSummaryView(record),
    waitingFor,
    rows: rowsView(record, summary),
    unit: record.unit,
    ...writtenAs(record),
    mappingRemembered: record.mappingRemembered ?? false,
    headers: record.headers,
    mapping: mappingNames(record.headers, record.mapping, kindOf(record)),
    unknownHeaders: record.headers.filter((_h, i) => !Object.values(record.mapping).includes(i)),
    missingFields: missingFields(record.mapping, kindOf(record)),
    dateOrder: record.dateOrder,
    dateQuestion: dateQuestionOf(record),
    postRepeated: record.postRepeated ?? false,
    dateRange: record.dateRange,
    preview: (summary?.preview ?? []).map((p) => {
      const resolution = p.status === 'unmatched' ? resolutionOf(p.person) : undefined;
      const status = resolution?.kind === 'member' ? 'ok' : resolution?.kind === 'skip' ? 'skipped' : p.status;
      const memberId = resolution?.kind === 'member' ? resolution.memberId : p.memberId;
      return { ...p, amount: p.amount === null ? null : unitsToCredits(p.amount), status, memberId };
    }),
    problems: summary?.problems ?? [],
    problemsTruncated: summary?.problemsTruncated ?? false,
    unmatched: (summary?.unmatched ?? []).map((u) => ({ person: u.person, kind: u.kind, name: u.name, rows: u.rows, amount: unitsToCredits(u.amount), resolution: record.resolutions[u.person] ?? { kind: 'open' } })),
    error: record.error,
  };
}

/** The file's dates no value settles, each read month first and day first, for the person to choose. */
function dateQuestionOf(record: ImportRecord): ImportView['dateQuestion'] {
  if (!record.dateExamples) return null;
  return record.dateExamples.flatMap(({ line, value }) => {
    const monthFirst = parseUsageDate(value, 'mdy');
    const dayFirst = parseUsageDate(value, 'dmy');
    return monthFirst && dayFirst ? [{ line, value, monthFirst, dayFirst }] : [];
  });
}
