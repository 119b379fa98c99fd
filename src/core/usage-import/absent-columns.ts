import { parseUsageDate } from './dates.js';
import { missingFields } from './headers.js';
import { EMAIL_PATTERN, USER_HASH, parseAmount } from './rows.js';
import type { ColumnMapping, FileProblem, ImportField } from './types.js';

/** Whether a value could be what a required field holds (either day order for a date). */
const FITS: Partial<Record<ImportField, (value: string) => boolean>> = {
  date: (v) => parseUsageDate(v, 'mdy') !== null || parseUsageDate(v, 'dmy') !== null,
  email: (v) => EMAIL_PATTERN.test(v.toLowerCase()) || USER_HASH.test(v),
  service: (v) => !Number.isFinite(Number(v)),
  amount: (v) => {
    const parsed = parseAmount(v);
    return parsed.ok || parsed.code === 'ZERO_AMOUNT' || parsed.code === 'NEGATIVE_AMOUNT';
  },
};

const WHAT: Partial<Record<ImportField, string>> = {
  date: 'the day used',
  email: "the person (an email or a hashed user id)",
  service: 'the service or product',
  amount: 'the amount used (credits or tokens)',
};

/**
 * The required fields of a usage export that no column of the file can hold: not mapped, and no column
 * left unmapped whose values (in the first rows) could be it. A column with an unknown name goes to the
 * column mapping; a field with no column at all cannot be mapped, so the file is refused naming it.
 * Without rows to judge by, nothing is called absent.
 */
export function absentFields(mapping: ColumnMapping, columns: number, sample: readonly (readonly string[])[]): ImportField[] {
  if (sample.length === 0) return [];
  const mapped = new Set(Object.values(mapping));
  const free = [...Array(columns).keys()].filter((i) => !mapped.has(i));
  return missingFields(mapping).filter((field) => {
    const fits = FITS[field];
    if (!fits) return false;
    return !free.some((i) => {
      const values = sample.map((r) => (r[i] ?? '').trim()).filter((v) => v !== '');
      return values.length > 0 && values.every(fits);
    });
  });
}

/** The refusal of a file that has no column for some required field. */
export function absentColumnsProblem(fields: readonly ImportField[], headers: readonly string[]): FileProblem {
  const what = fields.map((f) => WHAT[f] ?? f);
  const list = what.length === 1 ? what[0] : `${what.slice(0, -1).join(', ')} and ${what.at(-1)}`;
  return {
    code: 'MISSING_COLUMNS',
    message: `This file has no column for ${list}: its columns are ${headers.map((h) => `"${h}"`).join(', ')}. Export the usage report again from Autodesk Account with every column, and upload that file.`,
    fields: [...fields],
  };
}
