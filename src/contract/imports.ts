import { z } from 'zod';
import { IMPORT_FIELDS, IMPORT_FORMATS, IMPORT_KINDS } from '../core/usage-import/types.js';
import { CreditAmount, EntityId, IsoDay, page } from './primitives.js';

// A file that cannot be read at all (empty, binary, not text, no header, another unit) is answered
// 422 IMPORT_FILE_REFUSED with the problem in `details`, and nothing is kept.
// Usage imports (account managers and IT, DESIGN 3.4): upload an Autodesk usage export, map unknown
// columns, link unmatched people, preview, then commit as a resumable job.

export const ImportField = z.enum(IMPORT_FIELDS);
export const ImportFormat = z.enum(IMPORT_FORMATS);
/** A usage export (account managers and IT), or the opening balances IT loads at go-live (DESIGN 3.4). */
export const ImportKind = z.enum(IMPORT_KINDS);
export type ImportKind = z.infer<typeof ImportKind>;
export const IMPORT_STATES = ['needs_mapping', 'needs_date_order', 'needs_links', 'ready', 'committing', 'committed', 'failed'] as const;
export const ImportState = z.enum(IMPORT_STATES);
export type ImportState = z.infer<typeof ImportState>;

const hasControlCharacter = (name: string) => [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
/** The file's name as the browser gives it (no path), for the report and the list. */
export const ImportFileName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => !/[/\\]/.test(name) && !hasControlCharacter(name), 'a file name without a path or control characters');
export const ImportUploadQuery = z.strictObject({ fileName: ImportFileName, kind: ImportKind.optional() });
/** Opening balances only: the pool's balance at go-live, loaded once per tenant with the people's. */
export const ImportCommitQuery = z.strictObject({
  poolCredits: z.coerce
    .number()
    .positive()
    .max(100_000_000)
    .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'at most two decimals')
    .optional(),
});
export const ImportPath = z.strictObject({ id: EntityId });
export const ImportsQuery = z.strictObject({ cursor: z.string().max(2000).optional(), limit: z.coerce.number().int().min(1).max(50).optional() });

export const ImportProblem = z.object({ line: z.number().int(), code: z.string(), message: z.string(), field: ImportField.optional() });
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportPreviewRow = z.object({
  line: z.number().int(),
  date: IsoDay.nullable(),
  person: z.string().nullable(),
  personName: z.string().nullable(),
  service: z.string().nullable(),
  amount: CreditAmount.nullable(),
  /** Opening balances: the registration state the line gives. */
  registrationState: z.string().nullable().optional(),
  /** `zero`: 0 used (a short launch), shown and not posted. */
  status: z.enum(['ok', 'refused', 'unmatched', 'skipped', 'zero']),
  memberId: z.string().nullable(),
  message: z.string().nullable(),
});
export type ImportPreviewRow = z.infer<typeof ImportPreviewRow>;

/** A person the file names whom no member matches (by email, or a remembered hashed id or Token Flex user name). */
export const UnmatchedPerson = z.object({
  person: z.string(),
  kind: z.enum(['email', 'hash', 'user']),
  name: z.string().nullable(),
  rows: z.number().int(),
  amount: CreditAmount,
  /** What the importer will do with the rows: post them for this member, or skip them. */
  resolution: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('open') }),
    z.object({ kind: z.literal('member'), memberId: z.string() }),
    z.object({ kind: z.literal('skip') }),
  ]),
});
export type UnmatchedPerson = z.infer<typeof UnmatchedPerson>;

export const ImportProgress = z.object({
  rowsDone: z.number().int(),
  rowsTotal: z.number().int(),
  rowsPerSecond: z.number().nullable(),
  secondsLeft: z.number().nullable(),
  startedAt: z.string(),
  updatedAt: z.string(),
});

export const ImportResult = z.object({
  posted: z.number().int(),
  alreadyImported: z.number().int(),
  skipped: z.number().int(),
  settled: z.number().int(),
  amount: CreditAmount,
  fromPool: CreditAmount,
  /** Provisional self-logged entries in the file's dates that no row confirmed; their owners are told. */
  unconfirmedProvisional: z.number().int(),
  reconciliationAlert: z.boolean(),
  /** Open holds the import's rows settled (usage of their service dated on or after the day each was placed). */
  holdsSettled: z.number().int().optional(),
  /** Rows with 0 used, and repeated rows not confirmed: read, not posted. */
  zero: z.number().int().optional(),
  repeatsNotPosted: z.number().int().optional(),
  /** Daily totals (the usage report): days already imported whose total grew (only the growth posted, `grownAmount` in all), days whose total is now lower (left as they were). */
  daysGrown: z.number().int().optional(),
  grownAmount: CreditAmount.optional(),
  daysLower: z.number().int().optional(),
  /** Opening balances: people refused at commit (they own less than the file says they used), allotments granted, the pool's opening balance loaded. */
  refused: z.number().int().optional(),
  allotments: z.number().int().optional(),
  poolCredits: CreditAmount.nullable().optional(),
});

export const ImportView = z.object({
  id: z.string(),
  kind: ImportKind,
  fileName: z.string(),
  sizeBytes: z.number().int(),
  uploadedAt: z.string(),
  uploadedBy: z.string(),
  state: ImportState,
  format: ImportFormat.nullable(),
  unit: z.enum(['credits', 'tokens']).nullable(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  /** The file's header, as written. */
  headers: z.array(z.string()),
  /** Field → header name (null: not mapped). */
  mapping: z.record(z.string(), z.string().nullable()),
  /** The columns are mapped as a person mapped them for an earlier file with the same header. */
  mappingRemembered: z.boolean(),
  unknownHeaders: z.array(z.string()),
  missingFields: z.array(ImportField),
  dateOrder: z.enum(['mdy', 'dmy']).nullable(),
  /** No value settles the day order: the person is asked, with a few of the file's dates read both ways. */
  dateQuestion: z.array(z.object({ line: z.number().int(), value: z.string(), monthFirst: IsoDay, dayFirst: IsoDay })).nullable(),
  /** Rows the same as an earlier row value for value are posted only once the person confirms them. */
  postRepeated: z.boolean(),
  dateRange: z.object({ from: IsoDay, to: IsoDay }).nullable(),
  rows: z.object({ total: z.number().int(), valid: z.number().int(), refused: z.number().int(), unmatched: z.number().int(), skipped: z.number().int(), repeated: z.number().int(), zero: z.number().int() }),
  amount: CreditAmount,
  /** The first rows with their result, and the first problems; the report has every one. */
  preview: z.array(ImportPreviewRow),
  problems: z.array(ImportProblem),
  problemsTruncated: z.boolean(),
  unmatched: z.array(UnmatchedPerson),
  progress: ImportProgress.nullable(),
  /** Committing, but another import of the tenant is posting: one posts at a time. */
  waitingFor: z.object({ id: z.string(), fileName: z.string() }).nullable(),
  result: ImportResult.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ImportView = z.infer<typeof ImportView>;
export const ImportsPage = page(ImportView.pick({ id: true, kind: true, fileName: true, sizeBytes: true, uploadedAt: true, uploadedBy: true, state: true, format: true, rows: true, amount: true, progress: true, result: true }));

/** Field → header name; null unmaps. Any field left out keeps its mapping. */
export const ImportMappingBody = z.strictObject({
  mapping: z.partialRecord(ImportField, z.string().max(200).nullable()),
  dateOrder: z.enum(['mdy', 'dmy']).optional(),
  /** Post rows that repeat an earlier row exactly as separate uses (true), or leave them out (false). */
  postRepeated: z.boolean().optional(),
});

export const ImportLinksBody = z.strictObject({
  links: z
    .array(
      z.strictObject({
        person: z.string().min(1).max(254),
        /** A member id to post the person's rows for (and remember for later imports), or skip them. */
        resolution: z.discriminatedUnion('kind', [z.strictObject({ kind: z.literal('member'), memberId: EntityId }), z.strictObject({ kind: z.literal('skip') }), z.strictObject({ kind: z.literal('open') })]),
      }),
    )
    .min(1)
    .max(500),
});
