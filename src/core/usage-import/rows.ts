import type { Units } from '../ledger/money.js';
import { creditsToUnits, hasAtMostTwoDecimals } from '../ledger/money.js';
import { DAY_YEARS, isDayInYears } from '../policy/policy.js';
import { parseNumber } from '../number-text.js';
import { parseUsageDate } from './dates.js';
import type { ImportField, PersonRef, RowContext, RowProblem, RowProblemCode, UsageRow } from './types.js';

/** No single usage row is this large: a bigger number is a misread column (an id, a total). */
export const MAX_ROW_CREDITS = 1_000_000;

export const EMAIL_PATTERN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/;
const USER_HASH = /^[A-Za-z0-9_\-+/=]{8,128}$/;
/** Separates the fields of a row's content; values never contain it (control characters are removed). */
const SEP = '\u001f';

type Refusal = { ok: false; problem: RowProblem };
type RowResult = { ok: true; row: UsageRow } | Refusal;

/** A record with nothing in it (a blank line, or only delimiters): the caller skips it. */
export function isBlankRecord(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** A cell as a value: trimmed, control characters gone, runs of spaces made one. */
function clean(cell: string | undefined): string {
  if (cell === undefined) return '';
  // eslint-disable-next-line no-control-regex
  return cell.replace(/[\u0000-\u001f\u007f\u00a0]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

const refuse = (line: number, code: RowProblemCode, message: string, field?: ImportField): Refusal => ({
  ok: false,
  problem: field ? { line, code, message, field } : { line, code, message },
});

/** One record of an export as a usage row, or the reason it is refused. */
export function normalizeRow(cells: readonly string[], line: number, ctx: RowContext): RowResult {
  const { mapping } = ctx;
  const highest = Math.max(...Object.values(mapping));
  if (cells.length <= highest) {
    return refuse(line, 'WRONG_COLUMN_COUNT', `This line has ${cells.length} values but the header has ${ctx.columns} columns: a value is missing or a line break splits it.`);
  }
  for (let i = ctx.columns; i < cells.length; i++) {
    if ((cells[i] ?? '').trim() !== '') {
      return refuse(line, 'WRONG_COLUMN_COUNT', `This line has more values than the header's ${ctx.columns} columns: a value that contains the delimiter needs quotes around it.`);
    }
  }
  const cell = (field: ImportField) => (mapping[field] === undefined ? '' : clean(cells[mapping[field]]));

  const dateText = cell('date');
  if (!dateText) return refuse(line, 'MISSING_VALUE', 'The date is empty.', 'date');
  const date = parseUsageDate(dateText, ctx.dateOrder);
  if (!date) return refuse(line, 'BAD_DATE', `"${dateText}" is not a date (write it as 2026-06-01, or as the file's other dates are written).`, 'date');
  if (!isDayInYears(date)) return refuse(line, 'BAD_DATE', `"${dateText}" is outside the years ${DAY_YEARS.first} to ${DAY_YEARS.last} that usage can fall in.`, 'date');
  if (date > ctx.today) return refuse(line, 'FUTURE_DATE', `The date ${date} is in the future: usage can only be reported after it happened.`, 'date');

  const person = personOf(cell('email'), cell('userHash'), cell('userName'), mapping.email !== undefined, line);
  if (!person.ok) return person;

  const service = cell('service') || cell('product');
  if (!service) return refuse(line, 'MISSING_VALUE', 'The service (or product) is empty.', mapping.service === undefined ? 'product' : 'service');

  const amountText = cell('amount');
  if (!amountText) return refuse(line, 'MISSING_VALUE', 'The amount used is empty.', 'amount');
  const amount = parseAmount(amountText);
  if (!amount.ok) return refuse(line, amount.code, amount.message, 'amount');

  const name = [cell('firstName'), cell('lastName')].filter((s) => s !== '').join(' ');
  const product = cell('product');
  const job = cell('job');
  const team = cell('team');
  const project = cell('project');
  const row: UsageRow = {
    line,
    date,
    person: person.value,
    service,
    amount: amount.units,
    content: '',
    ...(name ? { personName: name } : {}),
    ...(product ? { product } : {}),
    ...(job ? { job } : {}),
    ...(team ? { team } : {}),
    ...(project ? { project } : {}),
  };
  row.content = contentOf(row);
  return { ok: true, row };
}

function personOf(email: string, hash: string, userName: string, emailMapped: boolean, line: number): { ok: true; value: PersonRef } | Refusal {
  if (email) {
    const lower = email.toLowerCase().replace(/^mailto:/, '');
    if (lower.length > 254 || !EMAIL_PATTERN.test(lower)) return refuse(line, 'BAD_EMAIL', `"${email}" is not an email address.`, 'email');
    return { ok: true, value: { kind: 'email', email: lower } };
  }
  if (hash) {
    if (!USER_HASH.test(hash)) return refuse(line, 'BAD_USER_HASH', `"${hash}" is not a hashed user id (8 to 128 letters and digits).`, 'userHash');
    return { ok: true, value: { kind: 'hash', hash: hash.toLowerCase() } };
  }
  // Token Flex's user name: an email where the firm signs in with one, else an NT id or a machine name.
  if (userName) {
    const lower = userName.toLowerCase().replace(/^mailto:/, '');
    return { ok: true, value: EMAIL_PATTERN.test(lower) ? { kind: 'email', email: lower } : { kind: 'user', name: lower } };
  }
  return refuse(line, 'MISSING_VALUE', emailMapped ? 'The email is empty.' : 'The hashed user id is empty.', emailMapped ? 'email' : 'userHash');
}

type AmountResult = { ok: true; units: Units } | { ok: false; code: RowProblemCode; message: string };

/**
 * An amount as units: thousands separators of either habit (1,234.5 / 1.234,5 / 1 234,5), at most two
 * decimals. A minus sign, a trailing minus or parentheses (accounting style) mark a negative.
 */
export function parseAmount(text: string): AmountResult {
  let body = text.replace(/\s+/g, ' ').trim();
  let negative = false;
  const paren = /^\((.*)\)$/.exec(body);
  if (paren) [negative, body] = [true, (paren[1] ?? '').trim()];
  if (/^[-\u2212]/.test(body)) [negative, body] = [true, body.slice(1).trim()];
  else if (/-$/.test(body)) [negative, body] = [true, body.slice(0, -1).trim()];
  else if (body.startsWith('+')) body = body.slice(1).trim();

  const bad = { ok: false as const, code: 'BAD_AMOUNT' as const };
  // "0.125": a leading zero is never a thousands group, so these are three decimals, not 125.
  if (/^0[.,]\d{3,}$/.test(body) || /^\d+[.,]\d{4,}$/.test(body)) return { ...bad, message: `"${text}" has more than two decimals.` };
  const value = parseNumber(body);
  if (value === null) return { ...bad, message: `"${text}" is not a number.` };
  if (!hasAtMostTwoDecimals(value)) return { ...bad, message: `"${text}" has more than two decimals.` };
  if (value === 0) return { ok: false, code: 'ZERO_AMOUNT', message: 'The amount is zero: there is nothing to record.' };
  if (negative) return { ok: false, code: 'NEGATIVE_AMOUNT', message: `The amount is negative (${text}): a usage export lists usage only; record a refund or correction in Credit Desk instead.` };
  if (value > MAX_ROW_CREDITS) return { ...bad, message: `${text} is more than ${MAX_ROW_CREDITS.toLocaleString('en-US')} in one row: this column is probably not the amount used.` };
  return { ok: true, units: creditsToUnits(value) };
}

/**
 * The row's identity text: the mapped fields only, normalised, in a fixed order, so that the same usage in
 * another export (other columns, another order, names spelt otherwise) reads the same. Names are left out:
 * they describe the person, who is already the email or hash.
 */
export function contentOf(row: Omit<UsageRow, 'content'>): string {
  const person = row.person.kind === 'email' ? `e:${row.person.email}` : row.person.kind === 'hash' ? `h:${row.person.hash}` : `u:${row.person.name}`;
  const text = (s: string | undefined) => (s ?? '').toLowerCase();
  return [row.date, person, text(row.service), text(row.product), text(row.job), text(row.team), text(row.project), String(row.amount)].join(SEP);
}
