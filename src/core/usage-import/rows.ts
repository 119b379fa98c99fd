import type { Units } from '../ledger/money.js';
import { creditsToUnits, hasAtMostTwoDecimals } from '../ledger/money.js';
import { DAY_YEARS, isDayInYears } from '../policy/policy.js';
import { parseNumber } from '../number-text.js';
import { parseUsageDate } from './dates.js';
import type { ColumnMapping, ImportField, PersonRef, RowContext, RowProblem, RowProblemCode, UsageRow } from './types.js';

/** No single usage row is this large: a bigger number is a misread column (an id, a total). */
export const MAX_ROW_CREDITS = 1_000_000;

export const EMAIL_PATTERN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]+$/;
export const USER_HASH = /^[A-Za-z0-9_\-+/=]{8,128}$/;
/** Separates the fields of a row's content; values never contain it (control characters are removed). */
const SEP = '\u001f';

type Refusal = { ok: false; problems: RowProblem[] };
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

const problemOf = (line: number, code: RowProblemCode, message: string, field?: ImportField): RowProblem => (field ? { line, code, message, field } : { line, code, message });
const refuse = (line: number, code: RowProblemCode, message: string, field?: ImportField): Refusal => ({ ok: false, problems: [problemOf(line, code, message, field)] });

/**
 * One record of an export as a usage row, or every reason it is refused (each field is checked, so the
 * person fixes the line once). A zero amount is a valid row that posts nothing: Autodesk reports launches
 * under five minutes with 0 tokens.
 */
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
  // Each cell cleaned once: the fields and the row's identity both read them.
  const values = cells.map(clean);
  const cell = (field: ImportField) => (mapping[field] === undefined ? '' : (values[mapping[field]] ?? ''));
  const problems: RowProblem[] = [];
  const problem = (code: RowProblemCode, message: string, field?: ImportField) => problems.push(problemOf(line, code, message, field));

  const dateText = cell('date');
  const date = dateText ? parseUsageDate(dateText, ctx.dateOrder) : null;
  if (!dateText) problem('MISSING_VALUE', 'The date is empty.', 'date');
  else if (!date) problem('BAD_DATE', `"${dateText}" is not a date (write it as 2026-06-01, or as the file's other dates are written).`, 'date');
  else if (!isDayInYears(date)) problem('BAD_DATE', `"${dateText}" is outside the years ${DAY_YEARS.first} to ${DAY_YEARS.last} that usage can fall in.`, 'date');
  else if (date > ctx.today) problem('FUTURE_DATE', `The date ${date} is in the future: usage can only be reported after it happened.`, 'date');

  const person = personOf(cell('email'), cell('userHash'), cell('userName'), mapping.email !== undefined);
  if (!person.ok) problem(person.code, person.message, person.field);

  const service = cell('service') || cell('product');
  if (!service) problem('MISSING_VALUE', 'The service (or product) is empty.', mapping.service === undefined ? 'product' : 'service');

  const amountText = cell('amount');
  let amount: Units = 0;
  if (!amountText) problem('MISSING_VALUE', 'The amount used is empty.', 'amount');
  else {
    const parsed = parseAmount(amountText);
    if (parsed.ok) amount = parsed.units;
    else if (parsed.code !== 'ZERO_AMOUNT') problem(parsed.code, parsed.message, 'amount');
  }

  if (problems.length > 0 || !date || !person.ok) return { ok: false, problems };
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
    amount,
    content: '',
    ...(name ? { personName: name } : {}),
    ...(product ? { product } : {}),
    ...(job ? { job } : {}),
    ...(team ? { team } : {}),
    ...(project ? { project } : {}),
  };
  row.content = contentOf(row, values, mapping);
  return { ok: true, row };
}

type PersonProblem = { ok: false; code: RowProblemCode; message: string; field: ImportField };

function personOf(email: string, hash: string, userName: string, emailMapped: boolean): { ok: true; value: PersonRef } | PersonProblem {
  if (email) {
    const lower = email.toLowerCase().replace(/^mailto:/, '');
    if (lower.length > 254 || !EMAIL_PATTERN.test(lower)) return { ok: false, code: 'BAD_EMAIL', message: `"${email}" is not an email address.`, field: 'email' };
    return { ok: true, value: { kind: 'email', email: lower } };
  }
  if (hash) {
    if (!USER_HASH.test(hash)) return { ok: false, code: 'BAD_USER_HASH', message: `"${hash}" is not a hashed user id (8 to 128 letters and digits).`, field: 'userHash' };
    return { ok: true, value: { kind: 'hash', hash: hash.toLowerCase() } };
  }
  // Token Flex's user name: an email where the firm signs in with one, else an NT id or a machine name.
  if (userName) {
    const lower = userName.toLowerCase().replace(/^mailto:/, '');
    return { ok: true, value: EMAIL_PATTERN.test(lower) ? { kind: 'email', email: lower } : { kind: 'user', name: lower } };
  }
  return { ok: false, code: 'MISSING_VALUE', message: emailMapped ? 'The email is empty.' : 'The hashed user id is empty.', field: emailMapped ? 'email' : 'userHash' };
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

const personText = (person: PersonRef) => (person.kind === 'email' ? `e:${person.email}` : person.kind === 'hash' ? `h:${person.hash}` : `u:${person.name}`);

/**
 * The row's identity text, whatever the mapping: its day, person and amount as read, then every other
 * value of the record (`values`: its cells cleaned; here lower case, Unicode NFC), sorted. So the same line uploaded again with
 * another mapping, another column order or another encoding reads the same, and an export's own row or
 * charge id, when it has one, is part of it. Empty cells do not count (a trailing delimiter changes nothing).
 */
export function contentOf(row: Pick<UsageRow, 'date' | 'person' | 'amount'>, values: readonly string[], mapping: ColumnMapping): string {
  const others: string[] = [];
  for (let i = 0; i < values.length; i++) {
    if (i === mapping.date || i === mapping.email || i === mapping.userHash || i === mapping.userName || i === mapping.amount) continue;
    const value = (values[i] ?? '').toLowerCase();
    if (value !== '') others.push(ASCII.test(value) ? value : value.normalize('NFC'));
  }
  others.sort();
  return [row.date, personText(row.person), String(row.amount), ...others].join(SEP);
}

/**
 * A daily total's identity text: its day, person, product and feature (the service), never its amount nor
 * the columns around it (names, team), so that the same day downloaded again after it grew is the same total.
 */
export function dailyIdentityOf(row: Pick<UsageRow, 'date' | 'person' | 'service' | 'product'>): string {
  return [row.date, personText(row.person), (row.product ?? '').toLowerCase(), row.service.toLowerCase()].join(SEP);
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007f]*$/;

/**
 * The identity text rows had before it took the whole record (mapped fields only, the service as mapped):
 * still computed so that rows an earlier import posted under it are recognised (see legacyRowId).
 */
export function legacyContentOf(row: Omit<UsageRow, 'content'>): string {
  const text = (s: string | undefined) => (s ?? '').toLowerCase();
  return [row.date, personText(row.person), text(row.service), text(row.product), text(row.job), text(row.team), text(row.project), String(row.amount)].join(SEP);
}
