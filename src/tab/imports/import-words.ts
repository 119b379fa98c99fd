import type { BadgeProps } from '@fluentui/react-components';
import type { ImportField, ImportFormat } from '../../core/usage-import/types.js';
import type { ImportPreviewRow, ImportState, ImportView } from '../../contract/imports.js';
import { formatCredits } from '../../ui/format.js';

/** The export formats the importer knows, as Autodesk Account names its reports. */
export const FORMAT_LABEL: Record<ImportFormat, string> = {
  usage_report_2026: 'Usage report',
  usage_report_legacy: 'Usage report (before 2026)',
  token_flex_api: 'Token Flex usage data',
  cloud_services: 'Cloud services usage',
  cloud_services_hashed: 'Cloud services usage, personal data hashed',
  flex_tokens: 'Flex token usage',
  flex_tokens_hashed: 'Flex token usage, personal data hashed',
  opening_balances: 'Opening balances',
  custom: 'Custom',
};

export const STATE_LABEL: Record<ImportState, string> = {
  needs_mapping: 'Needs column mapping',
  needs_date_order: 'Needs the date order',
  needs_links: 'Needs people linked',
  ready: 'Ready to post',
  committing: 'Posting',
  committed: 'Posted',
  failed: 'Failed',
};

export const STATE_COLOR: Record<ImportState, BadgeProps['color']> = {
  needs_mapping: 'warning',
  needs_date_order: 'warning',
  needs_links: 'warning',
  ready: 'brand',
  committing: 'informative',
  committed: 'success',
  failed: 'danger',
};

export type RowStatus = ImportPreviewRow['status'];

export const ROW_STATUS_LABEL: Record<RowStatus, string> = { ok: 'OK', refused: 'Refused', unmatched: 'Unmatched', skipped: 'Skipped', zero: 'Nothing used' };
export const ROW_STATUS_COLOR: Record<RowStatus, BadgeProps['color']> = { ok: 'success', refused: 'danger', unmatched: 'warning', skipped: 'subtle', zero: 'subtle' };

export interface FieldInfo {
  field: ImportField;
  label: string;
  hint: string;
}

/** The fields every file must give (one of each pair), then the ones that only add detail. */
export const REQUIRED_FIELDS: FieldInfo[] = [
  { field: 'date', label: 'Date used', hint: 'The day the credits were used.' },
  { field: 'email', label: 'Person’s email', hint: 'Or a hashed user id, when personal data is off.' },
  { field: 'userHash', label: 'Hashed user id', hint: 'Only when the file has no email column.' },
  { field: 'userName', label: 'User name', hint: 'Token Flex: a network login or a machine name, when there is no email.' },
  { field: 'service', label: 'Service', hint: 'Or the product, when the file names no service.' },
  { field: 'product', label: 'Product', hint: 'Used as the service when there is no service column.' },
  { field: 'amount', label: 'Amount used', hint: 'Credits or tokens used.' },
];

export const OPTIONAL_FIELDS: FieldInfo[] = [
  { field: 'firstName', label: 'First name', hint: '' },
  { field: 'lastName', label: 'Last name', hint: '' },
  { field: 'job', label: 'Job name', hint: '' },
  { field: 'team', label: 'Team', hint: '' },
  { field: 'project', label: 'Project', hint: 'Charged back by project on Reports.' },
  { field: 'chargeId', label: 'Charge id', hint: 'The export’s own id of each charge.' },
];

export const FIELD_LABEL = {
  ...Object.fromEntries([...REQUIRED_FIELDS, ...OPTIONAL_FIELDS].map((f) => [f.field, f.label])),
  // Opening balances (go-live): the name and the registration state.
  name: 'Name',
  state: 'Registration state',
} as Record<ImportField, string>;

/** Fields that stand in for each other: a file needs one of each group. */
const ALTERNATIVES: readonly (readonly ImportField[])[] = [['email', 'userHash', 'userName'], ['service', 'product']];

/** The required fields the draft mapping still leaves open (a group counts as given when any of it is). */
export function unmappedRequired(mapping: Partial<Record<ImportField, string | null>>): ImportField[] {
  const given = (f: ImportField) => Boolean(mapping[f]);
  const missing: ImportField[] = [];
  for (const { field } of REQUIRED_FIELDS) {
    const group = ALTERNATIVES.find((g) => g.includes(field)) ?? [field];
    if (group.some(given)) continue;
    // Name a group once, by its first field.
    if (group.some((f) => missing.includes(f))) continue;
    missing.push(field);
  }
  return missing;
}

export function unitOf(view: Pick<ImportView, 'unit'>, fallback: string): string {
  return view.unit ?? fallback;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[i]}`;
}

/**
 * What an upload of daily totals did to days already imported: "3 credits added to a day already imported.",
 * "1 day's total is lower than already imported: left as it was (the report names the line)." Empty otherwise.
 */
export function dayTotalWords(result: Pick<NonNullable<ImportView['result']>, 'daysGrown' | 'grownAmount' | 'daysLower'>, unit: string): string[] {
  const lines: string[] = [];
  const grown = result.daysGrown ?? 0;
  const lower = result.daysLower ?? 0;
  if (grown > 0) lines.push(`${formatCredits(result.grownAmount ?? 0)} ${unit} added to ${grown === 1 ? 'a day' : `${grown.toLocaleString()} days`} already imported.`);
  if (lower > 0) {
    lines.push(
      lower === 1
        ? "1 day's total is lower than already imported: left as it was (the report names the line)."
        : `${lower.toLocaleString()} days' totals are lower than already imported: left as they were (the report names the lines).`,
    );
  }
  return lines;
}

/** "45 s", "3 min 10 s", "1 h 5 min": how long something still takes. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

export const ENCODING_LABEL: Record<string, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 (little-endian)', 'utf-16be': 'UTF-16 (big-endian)' };
export const DELIMITER_LABEL: Record<string, string> = { ',': 'Comma', ';': 'Semicolon', '\t': 'Tab', '|': 'Vertical bar' };

/** What to do about a file the server would not read, by the problem's code (422 IMPORT_FILE_REFUSED). */
export const REFUSAL_ADVICE: Record<string, string> = {
  EMPTY_FILE: 'Export the report again from Autodesk Account (Reporting → Export) and upload the .csv file it gives you, without opening and saving it first.',
  BINARY_FILE: 'Upload the export as Autodesk Account gives it, as a .csv or an Excel .xlsx file; an old .xls workbook needs saving as .xlsx or “CSV UTF-8” first.',
  BROKEN_WORKBOOK: 'Download the export again from Autodesk Account, or open the workbook in Excel, save it again as .xlsx and upload that.',
  ENCRYPTED_WORKBOOK: 'Remove the workbook’s password in Excel (File → Info → Protect Workbook), save it and upload it again.',
  MASKED_PERSON:
    'Personal data is off for the team in Autodesk Account, so the export hides who used what. Export again with the hashed_autodesk_id column, or ask IT to turn personal data on for the team.',
  BAD_ENCODING: 'Save the file as “CSV UTF-8” (in Excel: File → Save As → CSV UTF-8) and upload it again.',
  NO_HEADER: 'The first line must name the columns (Date, Email, Service, …). Export the report again, or put the header line back at the top.',
  MISSING_COLUMNS: 'Export the report again with every column, or add the missing columns.',
  DATE_CONFLICT: 'The file writes dates in two ways (month first in some rows, day first in others). Export it again, or write every date as 2026-06-12, and upload it again.',
  DUPLICATE_HEADER: 'Two columns have the same name. Rename one of them and upload the file again.',
  UNIT_MISMATCH:
    'The file counts a different unit from this contract (tokens against credits). Check that you exported the right report; if the contract has moved to Flex tokens, IT changes the unit in Settings first.',
  NO_ROWS: 'The file names its columns but has no rows. Choose a longer date range in Autodesk Account and export again.',
  PAYLOAD_TOO_LARGE: 'Export a shorter date range and upload each part in turn: rows already imported are never counted twice.',
  UNSUPPORTED_MEDIA_TYPE: 'Upload the CSV or Excel export from Autodesk Account.',
};

/** A row's problem in a few words, for the preview's "Problem" column (the code stays in the API). */
const PROBLEM_LABEL: Record<string, string> = {
  ALREADY_IMPORTED: 'Already imported',
  BAD_AMOUNT: 'Not an amount',
  BAD_DATE: 'Not a date',
  BAD_EMAIL: 'Not an email address',
  BAD_STATE: 'Unknown registration state',
  BAD_USER_HASH: 'Not a user id',
  DUPLICATE_PERSON: 'Person listed twice',
  FUTURE_DATE: 'Date in the future',
  MISSING_VALUE: 'Value missing',
  NEGATIVE_AMOUNT: 'Negative amount',
  NO_MEMBER: 'Nobody with this address',
  NOT_POSTED: 'Not posted',
  OVER_ALLOTMENT: 'More than they own',
  REPEATED_ROW: 'Row repeated',
  SKIPPED_PERSON: 'Person skipped',
  UNIT_MISMATCH: 'Different unit',
  WRONG_COLUMN_COUNT: 'Values do not fit the columns',
  ZERO_AMOUNT: 'Nothing used',
};

/** The problem in words; a code this page does not know yet reads as words too ("SOME_CODE" → "Some code"). */
export function problemLabel(code: string): string {
  const spelled = code.toLowerCase().replace(/_+/g, ' ');
  return PROBLEM_LABEL[code] ?? spelled.charAt(0).toUpperCase() + spelled.slice(1);
}

/** The problem code of a refused file: the server puts it in the error's details (`{ problem: 'BINARY_FILE' }`). */
export function refusalCode(details: unknown): string | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const d = details as { code?: unknown; problem?: unknown };
  if (typeof d.problem === 'string') return d.problem;
  if (d.problem && typeof d.problem === 'object' && typeof (d.problem as { code?: unknown }).code === 'string') return (d.problem as { code: string }).code;
  if (typeof d.code === 'string') return d.code;
  return undefined;
}

/** How the file is written, as the server names it ("UTF-8 with byte-order mark", "semicolon"), with a capital. */
export function describeFormatting(value: string | null, labels: Record<string, string>): string {
  if (!value) return '—';
  const known = labels[value] ?? value;
  return known.charAt(0).toUpperCase() + known.slice(1);
}

/** States in which columns and links may still change. */
export const EDITABLE_STATES: ReadonlySet<ImportState> = new Set(['needs_mapping', 'needs_date_order', 'needs_links', 'ready']);

/** The file name without its extension, for the report's name. */
export function reportFileName(fileName: string): string {
  const base = fileName.replace(/\.[^.]*$/, '') || 'import';
  return `${base}-import-report.csv`;
}
