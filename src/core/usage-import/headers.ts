import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { ColumnMapping, HeaderDetection, ImportField, ImportFormat, ImportKind, ImportUnit } from './types.js';
import { FIELDS_OF_KIND, IMPORT_FIELDS } from './types.js';

/**
 * Header names Autodesk's exports have used (and close variants), per field. Matched after normalising:
 * case, spaces and punctuation do not count, so "E-mail" is "Email" and "User ID (hashed)" is "useridhashed".
 */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  // Opening balances only (see OPENING_SYNONYMS): a usage export's "Name" or "Status" is not these.
  name: [],
  state: [],
  date: ['Date', 'Usage Date', 'Date Used', 'Day', 'Consumption Date', 'Usage Day', 'Job Date', 'Date of Use', 'Usage Date (UTC)'],
  email: ['Email', 'User Email', 'E-mail', 'Email Address', 'User Email Address', 'Email ID', 'User E-mail'],
  userHash: ['User ID (hashed)', 'Hashed User ID', 'User Hash', 'Hashed ID', 'User ID Hash', 'Hashed User', 'Hashed Email'],
  firstName: ['First Name', 'Given Name', 'Forename'],
  lastName: ['Last Name', 'Surname', 'Family Name'],
  service: ['Service', 'Cloud Service', 'Service Name', 'Service Type', 'Cloud Service Name'],
  product: ['Product', 'Product Name', 'Product Used'],
  job: ['Job Name', 'Job', 'Job ID', 'Job Reference'],
  team: ['Team', 'Team Name'],
  project: ['Project', 'Project Name', 'Project Code', 'Project Number'],
  amount: [
    'Cloud Credits Used',
    'Credits Used',
    'Credits',
    'Cloud Credits',
    'Credits Consumed',
    'Cloud Credits Consumed',
    'Tokens Consumed',
    'Tokens Used',
    'Tokens',
    'Flex Tokens',
    'Flex Tokens Consumed',
    'Flex Tokens Used',
    'Units Consumed',
    'Units Used',
    'Amount',
    'Quantity',
  ],
};

/** Lower case, letters and digits only: "User ID (hashed)" → "useridhashed". */
export function normalizeHeader(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The headers of IT's opening-balances file (go-live): email, name, own credits already used, registration state. */
const OPENING_SYNONYMS: Partial<Record<ImportField, readonly string[]>> = {
  email: SYNONYMS.email,
  name: ['Name', 'Display Name', 'Full Name', 'User Name', 'User'],
  firstName: SYNONYMS.firstName,
  lastName: SYNONYMS.lastName,
  amount: ['Credits Used', 'Own Credits Used', 'Used', 'Cloud Credits Used', 'Individual Credits Used', 'Credits Already Used', 'Used Credits'],
  state: ['Registration State', 'State', 'Status', 'Registration Status', 'Registration'],
};

const FIELD_OF = new Map<string, ImportField>();
for (const field of IMPORT_FIELDS) for (const name of SYNONYMS[field]) FIELD_OF.set(normalizeHeader(name), field);
const OPENING_FIELD_OF = new Map<string, ImportField>();
for (const [field, names] of Object.entries(OPENING_SYNONYMS) as [ImportField, readonly string[]][]) for (const name of names) OPENING_FIELD_OF.set(normalizeHeader(name), field);
const fieldsOf = (kind: ImportKind) => (kind === 'opening_balances' ? OPENING_FIELD_OF : FIELD_OF);

/** The field a header names, if any. */
export function fieldOfHeader(header: string, kind: ImportKind = 'usage'): ImportField | null {
  return fieldsOf(kind).get(normalizeHeader(header)) ?? null;
}

/** Credits or tokens, from the amount column's name; null when the name does not say. */
export function unitOfHeader(header: string): ImportUnit | null {
  const key = normalizeHeader(header);
  if (key.includes('token')) return 'tokens';
  if (key.includes('credit')) return 'credits';
  return null;
}

/** Reads a file's header: which column is which field, the unit, and the known export format it matches. */
export function detectHeaders(headers: readonly string[], kind: ImportKind = 'usage'): HeaderDetection {
  const mapping: ColumnMapping = {};
  const unknownHeaders: string[] = [];
  headers.forEach((header, index) => {
    const field = fieldOfHeader(header, kind);
    // The first column that names a field has it; a second one is left for the person to map.
    if (field && mapping[field] === undefined) mapping[field] = index;
    else unknownHeaders.push(header);
  });
  if (kind === 'opening_balances') return { format: 'opening_balances', unit: 'credits', mapping, unknownHeaders, missing: missingFields(mapping, kind) };
  const unit = mapping.amount === undefined ? null : unitOfHeader(headers[mapping.amount] ?? '');
  return { format: formatOf(mapping, unit), unit, mapping, unknownHeaders, missing: missingFields(mapping) };
}

function formatOf(mapping: ColumnMapping, unit: ImportUnit | null): ImportFormat {
  const has = (field: ImportField) => mapping[field] !== undefined;
  if (unit === 'credits' && has('email') && (has('service') || has('product'))) return 'cloud_services';
  if (unit === 'tokens' && has('email')) return 'flex_tokens';
  if (unit === 'tokens' && has('userHash')) return 'flex_tokens_hashed';
  return 'custom';
}

/** Required fields not mapped. Either email or userHash names the person (reported as `email`), either service or product the service (reported as `service`). */
export function missingFields(mapping: ColumnMapping, kind: ImportKind = 'usage'): ImportField[] {
  const missing: ImportField[] = [];
  if (kind === 'opening_balances') {
    for (const field of ['email', 'amount', 'state'] as const) if (mapping[field] === undefined) missing.push(field);
    return missing;
  }
  if (mapping.date === undefined) missing.push('date');
  if (mapping.email === undefined && mapping.userHash === undefined) missing.push('email');
  if (mapping.service === undefined && mapping.product === undefined) missing.push('service');
  if (mapping.amount === undefined) missing.push('amount');
  return missing;
}

/** Headers written twice (after normalising) that a field would claim: which of the two is meant is unclear. */
export function duplicateHeaders(headers: readonly string[], kind: ImportKind = 'usage'): string[] {
  const seen = new Map<string, string>();
  const duplicates = new Set<string>();
  for (const header of headers) {
    const key = normalizeHeader(header);
    if (!fieldsOf(kind).has(key)) continue;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, header);
    else duplicates.add(first);
  }
  return [...duplicates];
}

/** Field → the header name of its column, or null. */
export function mappingNames(headers: readonly string[], mapping: ColumnMapping, kind: ImportKind = 'usage'): Record<ImportField, string | null> {
  const names = {} as Record<ImportField, string | null>;
  for (const field of FIELDS_OF_KIND[kind]) {
    const index = mapping[field];
    names[field] = index === undefined ? null : (headers[index] ?? null);
  }
  return names;
}

function columnOf(headers: readonly string[], name: string): number {
  const exact = headers.indexOf(name);
  if (exact !== -1) return exact;
  const trimmed = headers.findIndex((h) => h.trim() === name.trim());
  if (trimmed !== -1) return trimmed;
  const key = normalizeHeader(name);
  return key === '' ? -1 : headers.findIndex((h) => normalizeHeader(h) === key);
}

/**
 * A person's mapping by header name on top of `base`: a name maps its field to that column, null unmaps it,
 * a field left out keeps its column. A name not in the header, or a column given two fields, is refused.
 */
export function applyMappingNames(
  headers: readonly string[],
  names: Partial<Record<ImportField, string | null>>,
  base: ColumnMapping,
): Result<ColumnMapping> {
  const mapping: ColumnMapping = { ...base };
  for (const field of IMPORT_FIELDS) {
    if (!(field in names)) continue;
    const name = names[field];
    if (name === undefined) continue;
    if (name === null) {
      delete mapping[field];
      continue;
    }
    const column = columnOf(headers, name);
    if (column === -1) {
      return fail('VALIDATION_FAILED', `The file has no column "${name}" (for ${field}). Pick one of its columns: ${headers.join(', ')}.`, { field, header: name });
    }
    mapping[field] = column;
  }
  const byColumn = new Map<number, ImportField>();
  for (const field of IMPORT_FIELDS) {
    const column = mapping[field];
    if (column === undefined) continue;
    const other = byColumn.get(column);
    if (other) {
      return fail('VALIDATION_FAILED', `Column "${headers[column] ?? column}" is mapped to both ${other} and ${field}: a column can mean one thing only.`, {
        field,
        header: headers[column] ?? null,
        fields: [other, field],
      });
    }
    byColumn.set(column, field);
  }
  return ok(mapping);
}
