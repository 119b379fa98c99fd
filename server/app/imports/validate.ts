import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import type { Units } from '../../../src/core/index.js';
import { csvCell, missingFields } from '../../../src/core/index.js';
import type { ImportRecord, ImportSummary, PreviewEntry, RowCounts, UnmatchedEntry } from '../../ports/import-records.js';
import type { ImportDeps } from './import-deps.js';
import { MemberMatcher, personKey } from './member-matcher.js';
import { dateOrderOf, scanExport } from './scan-export.js';

const PREVIEW_ROWS = 50;
const SUMMARY_PROBLEMS = 500;

/** The report file's columns: every row that was not posted as it is, with its line and reason. */
export const REPORT_HEADER = 'line,status,code,message\r\n';
export const reportLine = (line: number, status: string, code: string, message: string) => `${line},${status},${csvCell(code)},${csvCell(message)}\r\n`;

/** A text stream written as the validation goes (backpressure respected) and saved as a blob meanwhile. */
function reportWriter(deps: ImportDeps, tenant: string, importId: string) {
  const stream = new PassThrough();
  const saved = deps.importFiles.save(tenant, importId, 'report', stream);
  return {
    async write(text: string): Promise<void> {
      if (!stream.write(text)) await once(stream, 'drain');
    },
    async close(): Promise<void> {
      stream.end();
      await saved;
    },
    abort(error: unknown): void {
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      saved.catch(() => undefined);
    },
  };
}

/**
 * Validates a stored upload with its current mapping, before anything is written to the ledger: every row
 * is read, normalised and matched; every refused row goes into the report with its line and reason. The
 * record gets the counts and the state (ready, or needs_mapping); the summary holds the preview, the first
 * problems and the people no member matches.
 */
export async function validateImport(deps: ImportDeps, tenant: string, record: ImportRecord, today: string): Promise<{ record: ImportRecord; summary: ImportSummary }> {
  const counts: RowCounts = { total: 0, matched: 0, refused: 0, unmatched: 0, repeated: 0 };
  const summary: ImportSummary = { preview: [], problems: [], problemsTruncated: false, unmatched: [] };
  if (missingFields(record.mapping).length > 0) {
    return { record: { ...record, state: 'needs_mapping', counts, amount: 0, dateRange: null }, summary };
  }
  const dateOrder = record.dateOrderChosen && record.dateOrder ? record.dateOrder : await dateOrderOf(deps, tenant, record);
  const checked: ImportRecord = { ...record, dateOrder };
  const matcher = await MemberMatcher.create(deps, tenant);
  const unmatched = new Map<string, UnmatchedEntry>();
  const report = reportWriter(deps, tenant, record.id);
  let amount: Units = 0;
  let from: string | undefined;
  let to: string | undefined;
  try {
    await report.write(REPORT_HEADER);
    for await (const scanned of scanExport(deps, tenant, checked, today)) {
      counts.total++;
      if (scanned.kind === 'problem') {
        const { problem } = scanned;
        counts.refused++;
        await report.write(reportLine(problem.line, 'refused', problem.code, problem.message));
        if (summary.problems.length < SUMMARY_PROBLEMS) summary.problems.push(problem);
        else summary.problemsTruncated = true;
        if (summary.preview.length < PREVIEW_ROWS) summary.preview.push(previewOfProblem(problem.line, problem.message));
        continue;
      }
      const { row, occurrence } = scanned;
      amount += row.amount;
      if (!from || row.date < from) from = row.date;
      if (!to || row.date > to) to = row.date;
      if (occurrence > 0) {
        counts.repeated++;
        await report.write(reportLine(row.line, 'repeated', 'REPEATED_ROW', 'Same day, person, service and amount as an earlier row: posted as a separate use. Check it is not a copy.'));
      }
      const memberId = await matcher.match(row.person);
      const person = personKey(row.person);
      if (memberId) counts.matched++;
      else {
        counts.unmatched++;
        const entry = unmatched.get(person) ?? { person, kind: row.person.kind, name: row.personName ?? null, rows: 0, amount: 0, lines: [] };
        entry.rows++;
        entry.amount += row.amount;
        entry.lines.push(row.line);
        unmatched.set(person, entry);
      }
      if (summary.preview.length < PREVIEW_ROWS) {
        summary.preview.push({
          line: row.line,
          date: row.date,
          person,
          personName: row.personName ?? null,
          service: row.service,
          amount: row.amount,
          status: memberId ? 'ok' : 'unmatched',
          memberId: memberId ?? null,
          message: occurrence > 0 ? 'Repeats an earlier row.' : null,
        });
      }
    }
    await report.close();
  } catch (error) {
    report.abort(error);
    throw error;
  }
  summary.unmatched = [...unmatched.values()].sort((a, b) => b.amount - a.amount || a.person.localeCompare(b.person));
  // Links for people who are no longer in the file are dropped; the others keep what was chosen.
  const resolutions = Object.fromEntries(summary.unmatched.map((u) => [u.person, record.resolutions[u.person] ?? { kind: 'open' as const }]));
  const next: ImportRecord = { ...checked, counts, amount, dateRange: from && to ? { from, to } : null, resolutions };
  return { record: { ...next, state: readiness(next) }, summary };
}

function previewOfProblem(line: number, message: string): PreviewEntry {
  return { line, date: null, person: null, personName: null, service: null, amount: null, status: 'refused', memberId: null, message };
}

/**
 * Ready once every column is mapped, some row can be posted, and every unmatched person is linked or
 * skipped. A file where no row is valid most likely has a column mapped wrong.
 */
export function readiness(record: ImportRecord): 'ready' | 'needs_mapping' | 'needs_links' {
  if (missingFields(record.mapping).length > 0) return 'needs_mapping';
  const resolutions = Object.values(record.resolutions);
  if (record.counts.matched === 0 && record.counts.unmatched === 0) return 'needs_mapping';
  if (resolutions.some((r) => r.kind === 'open')) return 'needs_links';
  return record.counts.matched > 0 || resolutions.some((r) => r.kind === 'member') ? 'ready' : 'needs_links';
}
