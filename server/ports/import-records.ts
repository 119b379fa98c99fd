import type { ImportState } from '../../src/contract/index.js';
import type { Fence } from './ledger-store.js';

/** Where an Excel export keeps its data: the worksheet (by its number in the file) and the row of its header. */
export interface WorkbookSheet {
  sheet: number;
  sheetName: string | null;
  headerRow: number;
}
import type { Units } from '../../src/core/ledger/index.js';
import type {
  PersonRef,
  RowProblem,
  ColumnMapping,
  DateExample,
  DateOrder,
  Delimiter,
  ImportField,
  ImportFormat,
  ImportKind,
  ImportUnit,
  TextEncoding,
} from '../../src/core/usage-import/index.js';

/** A mapping by header name: field → the header of its column, or null when the field is not mapped. */
export type MappingNames = Partial<Record<ImportField, string | null>>;

export type Resolution = { kind: 'open' } | { kind: 'member'; memberId: string } | { kind: 'skip' };

export interface RowCounts {
  /** Records that are not blank. */
  total: number;
  /** Valid rows whose person is a member (by email or a remembered id). */
  matched: number;
  refused: number;
  /** Valid rows of people no member matches. */
  unmatched: number;
  /** Rows the same as an earlier row of the file, value for value: posted only once the person confirms them. */
  repeated: number;
  /** Rows with 0 used (short launches): read and shown, nothing posted. Absent on records from before. */
  zero?: number;
}

export interface ImportProgressRecord {
  rowsDone: number;
  rowsTotal: number;
  startedAt: string;
  updatedAt: string;
  /** Rows done when this run started (a resumed job), so the rate counts only this run's work. */
  rowsAtStart: number;
}

export interface ImportOutcome {
  posted: number;
  alreadyImported: number;
  skipped: number;
  settled: number;
  amount: Units;
  fromPool: Units;
  unconfirmedProvisional: number;
  reconciliationAlert: boolean;
  /** Open holds the import's rows settled (each records the row's usage); absent on imports from before. */
  holdsSettled?: number;
  /** Rows with 0 used, and repeated rows the person did not confirm: read, not posted. */
  zero?: number;
  repeatsNotPosted?: number;
  /** Daily totals (usage report): days already imported whose total grew (only the growth, `grownAmount`, posted), and days whose total is lower (nothing changed). */
  daysGrown?: number;
  grownAmount?: Units;
  daysLower?: number;
  /** Opening balances: people refused at commit, allotments granted, the pool's opening balance (units) when it was loaded. */
  refused?: number;
  allotments?: number;
  poolUnits?: Units | null;
}

/** One upload and what became of it: stored in the table (`import|{id}`), small; the details are in blobs. */
export interface ImportRecord {
  id: string;
  /** A usage export, or go-live's opening balances; records from before kinds existed are usage. */
  kind?: ImportKind;
  /** Opening balances: the pool's balance to load at commit (units), once per tenant. */
  poolUnits?: Units | null;
  fileName: string;
  sizeBytes: number;
  uploadedAt: string;
  uploadedBy: string;
  state: ImportState;
  format: ImportFormat | null;
  unit: ImportUnit | null;
  encoding: TextEncoding;
  bomLength: number;
  delimiter: Delimiter;
  /** An Excel workbook: the sheet the data is on and its header row (encoding and delimiter then mean nothing). */
  workbook?: WorkbookSheet;
  /** The columns were mapped as a person mapped them for an earlier file with the same header. */
  mappingRemembered?: boolean;
  headers: string[];
  mapping: ColumnMapping;
  dateOrder: DateOrder | null;
  /** The person chose the date order (asked when no value of the file settles it). */
  dateOrderChosen: boolean;
  /** When no value settles the day order: a few of the file's dates to ask the person about. */
  dateExamples?: DateExample[] | null;
  /** The person confirmed that rows repeating an earlier row exactly are separate uses: they are posted. */
  postRepeated?: boolean;
  counts: RowCounts;
  /** Sum of the valid rows, matched or not. */
  amount: Units;
  dateRange: { from: string; to: string } | null;
  /** What to do with the rows of each person no member matches; keyed by the email or hashed id. */
  resolutions: Record<string, Resolution>;
  /** Position in the job's row order up to which batches are known to be committed. */
  cursor: number;
  progress: ImportProgressRecord | null;
  result: ImportOutcome | null;
  error: { code: string; message: string } | null;
  /** The job running this import, until when; another may take over after that (a crashed instance). */
  lease: { owner: string; until: string } | null;
}

/** A person the file names whom no member matches, with where their rows are. */
export interface UnmatchedEntry {
  person: string;
  kind: PersonRef['kind'];
  name: string | null;
  rows: number;
  amount: Units;
  lines: number[];
}

export interface PreviewEntry {
  line: number;
  date: string | null;
  person: string | null;
  personName: string | null;
  service: string | null;
  amount: Units | null;
  registrationState?: string | null;
  status: 'ok' | 'refused' | 'unmatched' | 'zero';
  memberId: string | null;
  message: string | null;
}

/** What validation found, kept as a blob next to the upload (it can be large: every unmatched line). */
export interface ImportSummary {
  preview: PreviewEntry[];
  problems: RowProblem[];
  problemsTruncated: boolean;
  unmatched: UnmatchedEntry[];
  /** After the commit: lines already in the ledger from an earlier import. */
  alreadyImportedLines?: number[];
  /** After the commit: day totals lower than what an earlier import posted for the day (units), left as they were. */
  lowerDayTotals?: { line: number; posted: Units; total: Units }[];
  /** Opening balances, after the commit: lines refused because the person owns less than they used. */
  refusedAtCommit?: { line: number; message: string }[];
  /** Opening balances: people found in the directory, not yet members (created at commit), by email. */
  fromDirectory?: Record<string, { id: string; email: string; displayName: string; office?: string; department?: string; jobTitle?: string }>;
}

export interface StoredImport {
  record: ImportRecord;
  etag: string;
}

/** Import records (table rows, newest first) and the people linked by hand (remembered for later imports). */
/**
 * Which import of the tenant posts (it holds the slot while it is committing with a live lease). One job
 * posts at a time: imported rows are stored packed (DESIGN 4.1), so rows already imported are known from
 * the ledger when a job starts, not found by a clash of keys while it runs. Every batch is fenced by the
 * slot (`slotFence`): a job whose slot was taken over writes nothing more.
 */
export interface ImportSlot {
  importId: string;
}

export interface ImportRecords {
  create(tenant: string, record: ImportRecord): Promise<void>;
  get(tenant: string, id: string): Promise<StoredImport | undefined>;
  /** Replaces the record if nobody changed it since it was read; undefined when someone did (re-read and decide again). */
  replace(tenant: string, record: ImportRecord, etag: string): Promise<string | undefined>;
  getSlot(tenant: string): Promise<{ slot: ImportSlot; etag: string } | undefined>;
  /** The fence a job's ledger writes carry: the slot must still name its import. */
  slotFence(importId: string): Fence;
  /**
   * Replaces the record and writes the slot (on its ETag, or new when `slotEtag` is null) in one write;
   * undefined when either changed since it was read.
   */
  replaceWithSlot(tenant: string, record: ImportRecord, etag: string, slot: ImportSlot, slotEtag: string | null): Promise<{ etag: string; slotEtag: string } | undefined>;
  list(tenant: string, page: { cursor?: string | undefined; limit?: number | undefined }): Promise<{ items: ImportRecord[]; nextCursor: string | null }>;
  /** Imports in the committing state (to resume after a crash). */
  committing(tenant: string): Promise<ImportRecord[]>;
  /** The mapping (field → header name, null: unmapped) a person last chose for files of this kind with this header signature. */
  mappingFor(tenant: string, kind: ImportKind, signature: string): Promise<MappingNames | undefined>;
  rememberMapping(tenant: string, kind: ImportKind, signature: string, names: MappingNames): Promise<void>;
  /** The header signatures with a remembered mapping (to find a workbook's header row among its rows). */
  rememberedSignatures(tenant: string, kind: ImportKind): Promise<Set<string>>;
  /** Email or hashed id → member id, as linked by account managers. */
  links(tenant: string): Promise<Map<string, string>>;
  remember(tenant: string, person: string, memberId: string): Promise<void>;
}
