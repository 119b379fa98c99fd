import type { Units } from '../ledger/money.js';
import type { Transfer } from '../ledger/transfer.js';

/**
 * The usage importer's vocabulary (DESIGN 3.4). The server streams a file, parses it into records of
 * cells, and hands them here: these modules decide what each record means, never touching I/O.
 */

/**
 * What a column can mean. `service` or `product` names the service; `email`, `userHash` or `userName` the
 * person (`userName`: Token Flex's user name, an email, an NT id or, for machine-metered products, a
 * machine name); `chargeId` is the export's own id of the charge, where it has one.
 */
export const IMPORT_FIELDS = ['date', 'email', 'userHash', 'userName', 'firstName', 'lastName', 'service', 'product', 'job', 'team', 'project', 'amount', 'chargeId', 'name', 'state'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/**
 * What a file holds: Autodesk's usage export, or IT's opening balances at go-live (DESIGN 3.4): email,
 * name, own credits already used (`amount`) and registration state.
 */
export const IMPORT_KINDS = ['usage', 'opening_balances'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The fields each kind of file can map. */
export const FIELDS_OF_KIND: Record<ImportKind, readonly ImportField[]> = {
  usage: ['date', 'email', 'userHash', 'userName', 'firstName', 'lastName', 'service', 'product', 'job', 'team', 'project', 'amount', 'chargeId'],
  opening_balances: ['email', 'name', 'firstName', 'lastName', 'amount', 'state'],
};

/** The export shapes we know (see export-shapes.ts); `custom` is a file whose columns a person mapped. */
export const IMPORT_FORMATS = [
  'usage_report_2026',
  'usage_report_legacy',
  'token_flex_api',
  'cloud_services',
  'cloud_services_hashed',
  'flex_tokens',
  'flex_tokens_hashed',
  'opening_balances',
  'custom',
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export type ImportUnit = 'credits' | 'tokens';

/** Field → column index in the record. */
export type ColumnMapping = Partial<Record<ImportField, number>>;

export type FileProblemCode =
  | 'EMPTY_FILE'
  | 'BINARY_FILE'
  | 'BAD_ENCODING'
  | 'NO_HEADER'
  | 'MISSING_COLUMNS'
  | 'DUPLICATE_HEADER'
  | 'UNIT_MISMATCH'
  | 'NO_ROWS'
  | 'MASKED_PERSON'
  | 'ENCRYPTED_WORKBOOK'
  | 'BROKEN_WORKBOOK'
  | 'DATE_CONFLICT';
export interface FileProblem {
  code: FileProblemCode;
  message: string;
  /** For MISSING_COLUMNS: the required fields the file has no column for. */
  fields?: ImportField[];
  /** For DATE_CONFLICT: the first lines whose dates only fit month first, and those only day first. */
  dateLines?: { monthFirst: number[]; dayFirst: number[] };
  /** For BAD_ENCODING: where the first unreadable byte is (0-based byte offset, 1-based line). */
  byteOffset?: number;
  line?: number;
}

export type Delimiter = ',' | ';' | '\t' | '|';
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** What the first bytes of the file say: how to decode and split it (or that it is an Excel workbook), or why it cannot be read. */
export type FileSniff = TextSniff | { ok: true; workbook: true } | { ok: false; problem: FileProblem };
export interface TextSniff {
  ok: true;
  encoding: TextEncoding;
  bomLength: number;
  delimiter: Delimiter;
}

export interface HeaderDetection {
  format: ImportFormat;
  /** Credits or tokens, from the amount column's name; null when the name does not say. */
  unit: ImportUnit | null;
  mapping: ColumnMapping;
  /** Headers no field claimed (kept as they are in the file). */
  unknownHeaders: string[];
  /** Required fields no header claimed: date, amount, email or userHash or userName, service or product. */
  missing: ImportField[];
}

/** Day order of dates written with slashes or dots (06/01/2026): decided once per file from the values. */
export type DateOrder = 'mdy' | 'dmy';

/** The evidence the values of a file give about its day order, gathered in one pass. */
export interface DateEvidence {
  /** Values only month/day/year can read (the middle number is over 12). */
  mdyOnly: number;
  /** Values only day/month/year can read (the first number is over 12). */
  dmyOnly: number;
  /** Values both orders read, as two different days (06/12/2026). */
  ambiguous: number;
  /** The first few lines of each kind, to name them. */
  mdyLines: number[];
  dmyLines: number[];
  /** The first few ambiguous values, to ask the person about. */
  examples: DateExample[];
}

export interface DateExample {
  line: number;
  value: string;
}

/** What a file's dates settle: see decideDateOrder. */
export type DateOrderVerdict =
  | { kind: 'decided'; order: DateOrder }
  | { kind: 'none' }
  | { kind: 'ask'; examples: DateExample[] }
  | { kind: 'conflict'; mdyOnly: number; dmyOnly: number; mdyLines: number[]; dmyLines: number[] };

export type RowProblemCode =
  | 'WRONG_COLUMN_COUNT'
  | 'MISSING_VALUE'
  | 'BAD_DATE'
  | 'FUTURE_DATE'
  | 'BAD_AMOUNT'
  | 'ZERO_AMOUNT'
  | 'NEGATIVE_AMOUNT'
  | 'BAD_EMAIL'
  | 'BAD_USER_HASH'
  | 'BAD_STATE'
  | 'OVER_ALLOTMENT'
  | 'DUPLICATE_PERSON';

export interface RowProblem {
  line: number;
  code: RowProblemCode;
  message: string;
  field?: ImportField;
}

/** Who a row is for: an email, a hashed Autodesk id (personal data off), or a Token Flex user name (an NT id or a machine name). */
export type PersonRef = { kind: 'email'; email: string } | { kind: 'hash'; hash: string } | { kind: 'user'; name: string };

/** One valid record of an export, normalised. */
export interface UsageRow {
  /** Physical line (1-based) the record starts on. */
  line: number;
  /** YYYY-MM-DD */
  date: string;
  person: PersonRef;
  /** "First Last" where the file has names. */
  personName?: string;
  /** The service as the file names it (the service column, else the product). */
  service: string;
  product?: string;
  job?: string;
  team?: string;
  project?: string;
  amount: Units;
  /**
   * The row's content in a canonical form (see contentOf): the same line in another upload of the file, with
   * another mapping, column order or encoding, has the same content.
   */
  content: string;
}

export interface RowContext {
  mapping: ColumnMapping;
  /** Number of columns in the header: a record with another count is refused. */
  columns: number;
  dateOrder: DateOrder;
  /** Today (YYYY-MM-DD), passed in: usage dated after it is refused. */
  today: string;
}

/** An imported row ready to post: matched to a member, with its identity. */
export interface ImportRowToPost {
  /** Deterministic: the same usage gets the same id in any file (see rowId; a daily total, dailyTotalId). */
  rowId: string;
  line: number;
  memberId: string;
  date: string;
  /** A policy service slug, or the slug of the file's service name when the policy does not know it. */
  service: string;
  amount: Units;
  project?: string;
  job?: string;
}

/** A self-logged usage not yet confirmed by an import: its transfers, not reversed. */
export interface ProvisionalUsage {
  postingId: string;
  memberId: string;
  service: string;
  date: string;
  transfers: Transfer[];
}

/** Rows that become one entity-group transaction: the storage's cost of a posting, in records. */
export interface RecordBudget {
  /** Records the store may write for this posting (the transaction limit minus fixed rows). */
  max: number;
}

/** An import batch's budget: records, and the size of the packed transfers (a record holds about 1 MiB). */
export interface ImportBudget extends RecordBudget {
  /** Characters the batch's transfers may take as JSON. */
  chars: number;
}
