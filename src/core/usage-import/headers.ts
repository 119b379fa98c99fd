import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { ExportShape, PersonKey } from './export-shapes.js';
import { EXPORT_SHAPES, isMaskedColumn } from './export-shapes.js';
import { contentHash } from './row-id.js';
import type { ColumnMapping, FileProblem, HeaderDetection, ImportField, ImportKind, ImportUnit } from './types.js';
import { FIELDS_OF_KIND, IMPORT_FIELDS } from './types.js';

/**
 * Header names Autodesk's exports have used (and close variants), per field, besides the names of the
 * known export shapes (export-shapes.ts), which count too. Matched after normalising: case, spaces and
 * punctuation do not count, so "E-mail" is "Email" and "User ID (hashed)" is "useridhashed".
 */
const SYNONYMS: Record<ImportField, readonly string[]> = {
  // Opening balances only (see OPENING_SYNONYMS): a usage export's "Name" or "Status" is not these.
  name: [],
  state: [],
  date: ['Date', 'Usage Date', 'Date Used', 'Day Used', 'Day', 'Consumption Date', 'Usage Day', 'Job Date', 'Date of Use', 'Usage Date (UTC)'],
  email: ['Email', 'User Email', 'E-mail', 'Email Address', 'User Email Address', 'Email ID', 'User E-mail'],
  userHash: ['User ID (hashed)', 'Hashed User ID', 'User Hash', 'Hashed ID', 'User ID Hash', 'Hashed User', 'Hashed Email', 'Hashed Autodesk ID'],
  userName: ['User Name', 'Username', 'NT ID'],
  firstName: ['First Name', 'Given Name', 'Forename'],
  lastName: ['Last Name', 'Surname', 'Family Name'],
  service: ['Service', 'Cloud Service', 'Service Name', 'Service Type', 'Cloud Service Name'],
  product: ['Product', 'Product Name', 'Product Used'],
  job: ['Job Name', 'Job', 'Job ID', 'Job Reference'],
  team: ['Team', 'Team Name'],
  project: ['Project', 'Project Name', 'Project Code', 'Project Number'],
  chargeId: ['Charged Item ID', 'Charge ID'],
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
for (const shape of EXPORT_SHAPES) for (const [field, name] of Object.entries(shape.columns) as [ImportField, string][]) FIELD_OF.set(normalizeHeader(name), field);
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

/** Reads a file's header: which column is which field, the unit, and the known export shape it matches. */
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
  return { format: shapeOfHeader(headers, mapping, unit)?.format ?? 'custom', unit, mapping, unknownHeaders, missing: missingFields(mapping) };
}

/** The first known export shape the header is (see EXPORT_SHAPES), if any. */
function shapeOfHeader(headers: readonly string[], mapping: ColumnMapping, unit: ImportUnit | null): ExportShape | undefined {
  const named = (shape: ExportShape, field: ImportField) => {
    const column = mapping[field];
    return column !== undefined && normalizeHeader(headers[column] ?? '') === normalizeHeader(shape.columns[field] ?? '');
  };
  return EXPORT_SHAPES.find((shape) => {
    if (unit !== null && unit !== shape.unit) return false;
    if (shape.match === 'names') return shape.identifiedBy.every((field) => named(shape, field));
    return unit === shape.unit && missingFields(mapping).length === 0 && shape.identifiedBy.every((field) => mapping[field] !== undefined) && personKeyOf(mapping) === shape.person;
  });
}

/** The column that tells who a row is for, as rows read it: the email, else the hashed id, else the user name. */
export function personKeyOf(mapping: ColumnMapping): PersonKey | null {
  if (mapping.email !== undefined) return 'email';
  if (mapping.userHash !== undefined) return 'hashed_id';
  if (mapping.userName !== undefined) return 'user_name';
  return null;
}

/** Columns personal data off blanks out (`*****`): they name nobody. */
const MASKABLE: readonly ImportField[] = ['email', 'userName', 'firstName', 'lastName'];

/**
 * With personal data off, an export's emails and names read `*****`: those columns are unmapped, so that
 * the hashed Autodesk id tells people apart. A file masked with no hashed id left names nobody: refused.
 * `samples` are the first data records of the file.
 */
export function unmaskPeople(headers: readonly string[], mapping: ColumnMapping, samples: readonly (readonly string[])[]): { mapping: ColumnMapping; masked: string[] } | { problem: FileProblem } {
  const next: ColumnMapping = { ...mapping };
  const masked: string[] = [];
  for (const field of MASKABLE) {
    const column = next[field];
    if (column === undefined || !isMaskedColumn(samples.map((cells) => cells[column] ?? ''))) continue;
    masked.push(headers[column] ?? field);
    delete next[field];
  }
  if (masked.length > 0 && personKeyOf(mapping) !== null && personKeyOf(next) === null) {
    return {
      problem: {
        code: 'MASKED_PERSON',
        message: `Personal data is off for this team in Autodesk Account: ${masked.map((h) => `"${h}"`).join(', ')} read ***** and the file has no hashed Autodesk ID to tell people apart. Export the report again with the hashed_autodesk_id column, or ask IT to turn personal data on for the team in Autodesk Account.`,
        fields: ['userHash'],
      },
    };
  }
  return { mapping: next, masked };
}

/**
 * How much a row of a workbook reads like the header of a file of this kind: a complete header (every
 * required field named) beats any other, then the more fields it names, then the more cells it fills.
 */
export function headerScore(cells: readonly string[], kind: ImportKind = 'usage'): number {
  const detection = detectHeaders(cells.map((c) => c.trim()), kind);
  const named = Object.keys(detection.mapping).length;
  const filled = cells.filter((c) => c.trim() !== '').length;
  return (named > 0 && detection.missing.length === 0 ? 10_000 : 0) + named * 100 + Math.min(filled, 99);
}

/**
 * The header's signature: the same for any file with the same column names (in any order, any case),
 * so a mapping a person chose is found again for the next file of that shape.
 */
export function headerSignature(headers: readonly string[]): string {
  const names = [...new Set(headers.map(normalizeHeader).filter((h) => h !== ''))].sort();
  return contentHash(names.join('\u001f'));
}

/** Required fields not mapped. Email, userHash or userName names the person (reported as `email`), service or product the service (reported as `service`). */
export function missingFields(mapping: ColumnMapping, kind: ImportKind = 'usage'): ImportField[] {
  const missing: ImportField[] = [];
  if (kind === 'opening_balances') {
    for (const field of ['email', 'amount', 'state'] as const) if (mapping[field] === undefined) missing.push(field);
    return missing;
  }
  if (mapping.date === undefined) missing.push('date');
  if (personKeyOf(mapping) === null) missing.push('email');
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
