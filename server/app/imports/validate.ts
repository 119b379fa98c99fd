import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import type { Units } from '../../../src/core/ledger/index.js';
import { creditsToUnits, normalizeOpeningRow, ownAfterOpening } from '../../../src/core/ledger/index.js';
import { csvCell } from '../../../src/core/reports/index.js';
import { dateConflictProblem, missingFields } from '../../../src/core/usage-import/index.js';
import { policyOf } from '../deps.js';
import { lookUpQuietly } from '../directory.js';
import type { ImportRecord, ImportSummary, PreviewEntry, RowCounts, UnmatchedEntry } from '../../ports/import-records.js';
import type { FileProblem, RowProblem } from '../../../src/core/usage-import/index.js';
import type { ImportDeps } from './import-deps.js';
import { MemberMatcher, personKey } from './member-matcher.js';
import { dataRecords, dateVerdictOf, scanExport } from './scan-export.js';
import { kindOf } from './import-view.js';


const PREVIEW_ROWS = 50;
const SUMMARY_PROBLEMS = 500;

/** The report file's columns: every row that was not posted as it is, with its line and reason. */
export const REPORT_HEADER = 'line,status,code,message\r\n';
export const reportLine = (line: number, status: string, code: string, message: string) => `${line},${status},${csvCell(code)},${csvCell(message)}\r\n`;

/** A text stream written as the validation goes (backpressure respected) and saved as a blob meanwhile. */
export function reportWriter(deps: ImportDeps, tenant: string, importId: string) {
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

/** The record and summary validation gives, or why the whole file is refused (nothing of it is kept). */
export interface Validation {
  record: ImportRecord;
  summary: ImportSummary;
  refusal?: FileProblem;
}

/**
 * Validates a stored upload with its current mapping, before anything is written to the ledger: every row
 * is read, normalised and matched; every problem of a refused row goes into the report with its line and
 * reason. The record gets the counts and the state (ready, needs_mapping, needs_date_order when no value
 * settles the day order and the person has not chosen it, needs_links); the summary holds the preview, the
 * first problems and the people no member matches. Dates that need both orders refuse the file.
 */
export async function validateImport(deps: ImportDeps, tenant: string, record: ImportRecord, today: string): Promise<Validation> {
  if (kindOf(record) === 'opening_balances') return validateOpening(deps, tenant, record);
  const counts: RowCounts = { total: 0, matched: 0, refused: 0, unmatched: 0, repeated: 0, zero: 0 };
  const summary: ImportSummary = { preview: [], problems: [], problemsTruncated: false, unmatched: [] };
  if (missingFields(record.mapping).length > 0) {
    return { record: { ...record, state: 'needs_mapping', counts, amount: 0, dateRange: null }, summary };
  }
  const verdict = await dateVerdictOf(deps, tenant, record);
  if (verdict.kind === 'conflict') return { record, summary, refusal: dateConflictProblem(verdict) };
  // Values that settle the order settle it; otherwise the person's answer, and until then no date is shown.
  const dateOrder = verdict.kind === 'decided' ? verdict.order : record.dateOrderChosen ? record.dateOrder : null;
  const unsure = verdict.kind === 'ask' && dateOrder === null;
  const checked: ImportRecord = { ...record, dateOrder, dateExamples: verdict.kind === 'ask' ? verdict.examples : null };
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
        counts.refused++;
        for (const problem of scanned.problems) {
          await report.write(reportLine(problem.line, 'refused', problem.code, problem.message));
          if (summary.problems.length < SUMMARY_PROBLEMS) summary.problems.push(problem);
          else summary.problemsTruncated = true;
        }
        if (summary.preview.length < PREVIEW_ROWS) summary.preview.push(previewOfProblem(scanned.line, scanned.problems.map((p) => p.message).join(' ')));
        continue;
      }
      const { row, repeatsLine } = scanned;
      amount += row.amount;
      if (!from || row.date < from) from = row.date;
      if (!to || row.date > to) to = row.date;
      const preview = (status: PreviewEntry['status'], memberId: string | null, message: string | null): PreviewEntry => ({
        line: row.line,
        date: unsure ? null : row.date,
        person: personKey(row.person),
        personName: row.personName ?? null,
        service: row.service,
        amount: row.amount,
        status,
        memberId,
        message,
      });
      if (row.amount === 0) {
        // Autodesk reports short launches with 0 used: read and shown, nothing to post, nobody to link.
        counts.zero = (counts.zero ?? 0) + 1;
        await report.write(reportLine(row.line, 'nothing_used', 'ZERO_AMOUNT', ZERO_MESSAGE));
        if (summary.preview.length < PREVIEW_ROWS) summary.preview.push(preview('zero', null, ZERO_MESSAGE));
        continue;
      }
      if (repeatsLine !== undefined) {
        counts.repeated++;
        await report.write(reportLine(row.line, 'repeated', 'REPEATED_ROW', `The same as line ${repeatsLine}, value for value: not posted unless you confirm the repeated rows are separate uses.`));
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
        summary.preview.push(preview(memberId ? 'ok' : 'unmatched', memberId ?? null, repeatsLine === undefined ? null : `The same as line ${repeatsLine}.`));
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
  const next: ImportRecord = { ...checked, counts, amount, dateRange: from && to && !unsure ? { from, to } : null, resolutions };
  return { record: { ...next, state: readiness(next) }, summary };
}

const ZERO_MESSAGE = 'Nothing used (0): read, and nothing to post.';

function previewOfProblem(line: number, message: string): PreviewEntry {
  return { line, date: null, person: null, personName: null, service: null, amount: null, status: 'refused', memberId: null, message };
}

/**
 * Ready once every column is mapped, some row can be posted, and every unmatched person is linked or
 * skipped. A file where no row is valid most likely has a column mapped wrong.
 */
export function readiness(record: ImportRecord): 'ready' | 'needs_mapping' | 'needs_date_order' | 'needs_links' {
  if (missingFields(record.mapping, kindOf(record)).length > 0) return 'needs_mapping';
  const resolutions = Object.values(record.resolutions);
  const { matched, unmatched, zero = 0 } = record.counts;
  if (matched === 0 && unmatched === 0 && zero === 0) return 'needs_mapping';
  if (record.dateExamples && record.dateOrder === null) return 'needs_date_order';
  if (resolutions.some((r) => r.kind === 'open')) return 'needs_links';
  return matched > 0 || zero > 0 || resolutions.some((r) => r.kind === 'member') ? 'ready' : 'needs_links';
}

/**
 * Validates an opening-balances file (go-live, DESIGN 3.4) as a usage export is: every line read and
 * judged, every refused line in the report with its reason. A person is matched to a member by email (or
 * a link); one Credit Desk has never seen is looked up in the directory and created at commit; nobody
 * the directory knows is unmatched (link or skip). Each email once: a second line for it is refused.
 */
async function validateOpening(deps: ImportDeps, tenant: string, record: ImportRecord): Promise<Validation> {
  const counts: RowCounts = { total: 0, matched: 0, refused: 0, unmatched: 0, repeated: 0 };
  const summary: ImportSummary = { preview: [], problems: [], problemsTruncated: false, unmatched: [], fromDirectory: {} };
  if (missingFields(record.mapping, 'opening_balances').length > 0) {
    return { record: { ...record, state: 'needs_mapping', counts, amount: 0, dateRange: null }, summary };
  }
  const allotment = creditsToUnits((await policyOf(deps, tenant)).individualAllotment);
  const matcher = await MemberMatcher.create(deps, tenant);
  const unmatched = new Map<string, UnmatchedEntry>();
  const firstLine = new Map<string, number>();
  const report = reportWriter(deps, tenant, record.id);
  const context = { mapping: record.mapping, columns: record.headers.length, allotment };
  let amount: Units = 0;
  const refuse = async (line: number, code: string, message: string, field?: RowProblem['field']) => {
    counts.refused++;
    await report.write(reportLine(line, 'refused', code, message));
    if (summary.problems.length < SUMMARY_PROBLEMS) summary.problems.push(field ? { line, code: code as RowProblem['code'], message, field } : { line, code: code as RowProblem['code'], message });
    else summary.problemsTruncated = true;
    if (summary.preview.length < PREVIEW_ROWS) summary.preview.push(previewOfProblem(line, message));
  };
  try {
    await report.write(REPORT_HEADER);
    for await (const { cells, line } of dataRecords(deps, tenant, record)) {
      counts.total++;
      const result = normalizeOpeningRow(cells, line, context);
      if (!result.ok) {
        await refuse(line, result.problem.code, result.problem.message, result.problem.field);
        continue;
      }
      const { row } = result;
      const earlier = firstLine.get(row.email);
      if (earlier !== undefined) {
        await refuse(line, 'DUPLICATE_PERSON', `${row.email} is already on line ${earlier}: each person once.`, 'email');
        continue;
      }
      firstLine.set(row.email, line);
      const memberId = await matcher.match({ kind: 'email', email: row.email });
      let message: string | null = null;
      if (memberId) {
        const stored = await deps.store.getMember(tenant, memberId);
        if (stored?.member.openingBalance) message = 'Opening balance already loaded: left as it is.';
        else if (stored) {
          const owns = ownAfterOpening(stored.member, stored.own, row.state, allotment);
          if (row.used > owns) {
            await refuse(line, 'OVER_ALLOTMENT', `${row.used / 100} credits used is more than the ${owns / 100} ${row.email} owns in Credit Desk.`, 'amount');
            continue;
          }
          if (stored.member.registration.state === 'registered' && row.state !== 'registered') message = 'Already registered in Credit Desk: the state stays.';
        }
      } else {
        const person = await lookUpQuietly(() => deps.directory.findByEmail(tenant, row.email));
        if (person) {
          summary.fromDirectory![row.email] = { id: person.id, email: person.email, displayName: person.displayName, ...(person.office ? { office: person.office } : {}), ...(person.department ? { department: person.department } : {}), ...(person.jobTitle ? { jobTitle: person.jobTitle } : {}) };
          message = 'New member, from the directory.';
        }
      }
      const known = Boolean(memberId) || row.email in summary.fromDirectory!;
      amount += row.used;
      if (known) counts.matched++;
      else {
        counts.unmatched++;
        unmatched.set(row.email, { person: row.email, kind: 'email', name: row.name ?? null, rows: 1, amount: row.used, lines: [line] });
      }
      if (summary.preview.length < PREVIEW_ROWS) {
        summary.preview.push({
          line,
          date: null,
          person: row.email,
          personName: row.name ?? null,
          service: null,
          amount: row.used,
          registrationState: row.state,
          status: known ? 'ok' : 'unmatched',
          memberId: memberId ?? summary.fromDirectory![row.email]?.id ?? null,
          message,
        });
      }
    }
    await report.close();
  } catch (error) {
    report.abort(error);
    throw error;
  }
  summary.unmatched = [...unmatched.values()].sort((a, b) => b.amount - a.amount || a.person.localeCompare(b.person));
  const resolutions = Object.fromEntries(summary.unmatched.map((u) => [u.person, record.resolutions[u.person] ?? { kind: 'open' as const }]));
  const next: ImportRecord = { ...record, counts, amount, dateRange: null, resolutions };
  return { record: { ...next, state: readiness(next) }, summary };
}
