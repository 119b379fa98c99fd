import { dayNumber } from '../policy/policy.js';
import type { DateEvidence, DateOrder, DateOrderVerdict, FileProblem } from './types.js';

/**
 * Dates as exports write them. Numeric dates with the year last (06/01/2026) are read in the file's day
 * order, decided once from all its values (a 13 or more in the first or middle place settles it), or
 * chosen by the person when no value settles it.
 */

export function emptyDateEvidence(): DateEvidence {
  return { mdyOnly: 0, dmyOnly: 0, ambiguous: 0, mdyLines: [], dmyLines: [], examples: [] };
}

/** A trailing clock time ("10:00", "10:00:00 AM", "10:00 UTC"): the day is what counts. */
const TIME = String.raw`(?:[T ]+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp]\.?[Mm]\.?)?\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?`;
const ISO = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`);
const YEAR_LAST = new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})${TIME}$`);
const DAY_MONTH_NAME = new RegExp(String.raw`^(\d{1,2})\.?[\s/-]*(\p{L}+)\.?[\s/,-]*(\d{4}|\d{2})${TIME}$`, 'u');
const MONTH_NAME_DAY = new RegExp(String.raw`^(\p{L}+)\.?[\s/-]*(\d{1,2})(?:st|nd|rd|th)?,?[\s/-]*(\d{4})${TIME}$`, 'u');

/** English month names and abbreviations, and the German and French ones that differ. */
const MONTHS = new Map<string, number>();
const MONTH_NAMES: readonly (readonly string[])[] = [
  ['january', 'jan', 'januar', 'janvier', 'janv', 'jän', 'jaen'],
  ['february', 'feb', 'februar', 'février', 'fevrier', 'févr', 'fevr', 'fév', 'fev'],
  ['march', 'mar', 'märz', 'maerz', 'mär', 'mrz', 'mars'],
  ['april', 'apr', 'avril', 'avr'],
  ['may', 'mai'],
  ['june', 'jun', 'juni', 'juin'],
  ['july', 'jul', 'juli', 'juillet', 'juil'],
  ['august', 'aug', 'août', 'aout'],
  ['september', 'sep', 'sept', 'septembre'],
  ['october', 'oct', 'oktober', 'okt', 'octobre'],
  ['november', 'nov', 'novembre'],
  ['december', 'dec', 'dezember', 'dez', 'décembre', 'decembre', 'déc'],
];
MONTH_NAMES.forEach((names, i) => names.forEach((name) => MONTHS.set(name, i + 1)));

const pad = (n: number) => String(n).padStart(2, '0');
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/** YYYY-MM-DD when it is a real calendar day (2026-02-30 is not); whether its year is taken is the row's check. */
function calendarDay(year: number, month: number, day: number): string | null {
  const text = `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
  return Number.isFinite(dayNumber(text)) ? text : null;
}

/** A usage date as YYYY-MM-DD, or null when the value is not a date this importer can read. */
export function parseUsageDate(value: string, order: DateOrder): string | null {
  const text = value.trim();
  let m = ISO.exec(text);
  if (m) return calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = YEAR_LAST.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const year = fullYear(m[4] ?? '');
    return order === 'mdy' ? calendarDay(year, a, b) : calendarDay(year, b, a);
  }
  m = DAY_MONTH_NAME.exec(text);
  if (m) {
    const month = MONTHS.get((m[2] ?? '').toLowerCase());
    return month ? calendarDay(fullYear(m[3] ?? ''), month, Number(m[1])) : null;
  }
  m = MONTH_NAME_DAY.exec(text);
  if (m) {
    const month = MONTHS.get((m[1] ?? '').toLowerCase());
    return month ? calendarDay(Number(m[3]), month, Number(m[2])) : null;
  }
  return null;
}

/** Lines kept of each kind of evidence, for the question or the refusal: a few name the problem. */
const KEPT_LINES = 5;
const KEPT_EXAMPLES = 3;

/**
 * Notes what one value says about the file's day order. Runs once per row, so it changes `evidence` in
 * place rather than copying it.
 */
export function addDateEvidence(evidence: DateEvidence, value: string, line: number): void {
  const text = value.trim();
  const m = YEAR_LAST.exec(text);
  if (!m) return;
  const a = Number(m[1]);
  const b = Number(m[3]);
  if (a > 12 && b >= 1 && b <= 12) {
    evidence.dmyOnly++;
    if (evidence.dmyLines.length < KEPT_LINES) evidence.dmyLines.push(line);
  } else if (b > 12 && a >= 1 && a <= 12) {
    evidence.mdyOnly++;
    if (evidence.mdyLines.length < KEPT_LINES) evidence.mdyLines.push(line);
  } else if (a >= 1 && b >= 1 && a <= 12 && b <= 12 && a !== b) {
    evidence.ambiguous++;
    if (evidence.examples.length < KEPT_EXAMPLES) evidence.examples.push({ line, value: text });
  }
}

/**
 * What a file's values say about its day order (dates with the year last; ISO and month names need none):
 * the order its values require; a conflict when some values only fit day first and others only month first
 * (the file is refused: any order would misread some rows); a question for the person when every such
 * value fits both (06/12/2026), never a guess; or nothing to decide (the order does not change any date).
 */
export function decideDateOrder(evidence: DateEvidence): DateOrderVerdict {
  const { mdyOnly, dmyOnly } = evidence;
  if (mdyOnly > 0 && dmyOnly > 0) return { kind: 'conflict', mdyOnly, dmyOnly, mdyLines: evidence.mdyLines, dmyLines: evidence.dmyLines };
  if (mdyOnly > 0) return { kind: 'decided', order: 'mdy' };
  if (dmyOnly > 0) return { kind: 'decided', order: 'dmy' };
  if (evidence.ambiguous > 0) return { kind: 'ask', examples: evidence.examples };
  return { kind: 'none' };
}

const linesText = (lines: readonly number[], count: number) => {
  const more = count - lines.length;
  return `${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
};

/** The refusal of a file whose dates need both orders, naming the first rows of each. */
export function dateConflictProblem(conflict: Extract<DateOrderVerdict, { kind: 'conflict' }>): FileProblem {
  return {
    code: 'DATE_CONFLICT',
    message:
      `Some dates in this file can only be month first (${linesText(conflict.mdyLines, conflict.mdyOnly)}) and others only day first ` +
      `(${linesText(conflict.dmyLines, conflict.dmyOnly)}), so no single reading is right for every row. ` +
      'Export the report again from Autodesk Account, or write every date as 2026-06-12, and upload it again.',
    dateLines: { monthFirst: conflict.mdyLines, dayFirst: conflict.dmyLines },
  };
}
