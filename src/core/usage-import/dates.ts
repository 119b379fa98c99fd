import { dayNumber } from '../policy/policy.js';
import type { DateEvidence, DateOrder } from './types.js';

/**
 * Dates as exports write them. Numeric dates with the year last (06/01/2026) are read in the file's day
 * order, decided once from all its values (a 13 or more in the first or middle place settles it).
 */

export function emptyDateEvidence(): DateEvidence {
  return { mdyOnly: 0, dmyOnly: 0, dotted: 0 };
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

/**
 * Notes what one value says about the file's day order. Runs once per row, so it changes `evidence` in
 * place rather than copying it.
 */
export function addDateEvidence(evidence: DateEvidence, value: string, line: number): void {
  const m = YEAR_LAST.exec(value.trim());
  if (!m) return;
  const a = Number(m[1]);
  const b = Number(m[3]);
  if (m[2] === '.') evidence.dotted = (evidence.dotted ?? 0) + 1;
  if (a > 12 && b >= 1 && b <= 12) {
    evidence.dmyOnly++;
    evidence.firstDmyLine ??= line;
  } else if (b > 12 && a >= 1 && a <= 12) {
    evidence.mdyOnly++;
    evidence.firstMdyLine ??= line;
  }
}

/**
 * The file's day order: the one its values require; when values require both, the more common one and a
 * conflict naming a line of each (the other rows will be refused or misread, so the person must know);
 * when none decides, dots mean day first (01.06.2026) and otherwise the fallback.
 */
export function decideDateOrder(
  evidence: DateEvidence,
  fallback: DateOrder,
): { order: DateOrder; conflict: { mdyLine: number; dmyLine: number } | null } {
  const { mdyOnly, dmyOnly } = evidence;
  if (mdyOnly > 0 && dmyOnly > 0) {
    const order: DateOrder = mdyOnly > dmyOnly ? 'mdy' : dmyOnly > mdyOnly ? 'dmy' : fallback;
    return { order, conflict: { mdyLine: evidence.firstMdyLine ?? 0, dmyLine: evidence.firstDmyLine ?? 0 } };
  }
  if (mdyOnly > 0) return { order: 'mdy', conflict: null };
  if (dmyOnly > 0) return { order: 'dmy', conflict: null };
  if ((evidence.dotted ?? 0) > 0) return { order: 'dmy', conflict: null };
  return { order: fallback, conflict: null };
}
