import type { z } from 'zod';
import type { ImportLinksBody, ImportMappingBody, ImportView, ResponseOf } from '../../../src/contract/index.js';
import type { FileProblem } from '../../../src/core/usage-import/index.js';
import type { ImportKind } from '../../../src/core/usage-import/index.js';
import { wordsFor } from '../../../src/core/feed/index.js';
import { POOL_OPENING_LOT, creditsToUnits } from '../../../src/core/ledger/index.js';
import {
  absentColumnsProblem,
  absentFields,
  applyMappingNames,
  checkImportUnit,
  detectHeaders,
  duplicateHeaders,
  headerSignature,
  lowerDayTotalMessage,
  mappingNames,
  missingFields,
  sniffFile,
  unitOfHeader,
  unmaskPeople,
} from '../../../src/core/usage-import/index.js';
import type { ImportRecord } from '../../ports/import-records.js';
import type { AppResult, FileAnswer } from '../app-result.js';
import { failure, success } from '../app-result.js';
import type { Caller } from '../caller.js';
import { isItAdmin } from '../caller.js';
import { policyOf } from '../deps.js';
import { UploadTooLargeError } from '../upload-errors.js';
import type { ImportDeps, ImportJobs } from './import-deps.js';
import { LEASE_MS } from './import-deps.js';
import { slotHolder } from './job-run.js';
import { readSummary, saveSummary } from './summary.js';
import { importSummaryView, importView, kindOf, rowsView } from './import-view.js';
import { inspectUpload } from './inspect-upload.js';
import { UnreadableExportError } from './read-export.js';
import { REPORT_HEADER, readiness, reportLine, validateImport } from './validate.js';

const SNIFF_BYTES = 64 * 1024;

const today = (deps: ImportDeps) => deps.clock.now().toISOString().slice(0, 10);

function refused(problem: FileProblem): AppResult<never> {
  return failure('IMPORT_FILE_REFUSED', problem.message, { problem: problem.code, ...(problem.fields ? { fields: problem.fields } : {}), ...(problem.dateLines ? { dateLines: problem.dateLines } : {}) });
}

/**
 * The header's fields: a known export shape's, then, over them, the mapping a person chose for a file with
 * the same header (remembered per tenant), so the same shape needs no second click.
 */
async function detectWithMemory(deps: ImportDeps, tenant: string, headers: string[], kind: ImportKind) {
  const detected = detectHeaders(headers, kind);
  const names = await deps.importRecords.mappingFor(tenant, kind, headerSignature(headers));
  const remembered = names ? applyMappingNames(headers, names, {}) : undefined;
  if (!remembered?.ok) return { ...detected, remembered: false };
  const amount = remembered.value.amount;
  const unit = kind === 'opening_balances' ? detected.unit : amount === undefined ? null : unitOfHeader(headers[amount] ?? '');
  return { ...detected, mapping: remembered.value, unit, remembered: true };
}

/**
 * Takes an upload: streams it to Blob Storage, reads its header and validates every row, writing nothing to
 * the ledger. A file that cannot be read at all is refused (422) and not kept.
 */
export async function uploadImport(deps: ImportDeps, caller: Caller, fileName: string, file: AsyncIterable<Uint8Array>, kind: ImportKind = 'usage'): Promise<AppResult<ResponseOf<'uploadImport'>>> {
  // Go-live's opening balances set everyone's starting point: IT loads them, not account managers.
  if (kind === 'opening_balances' && !isItAdmin(caller)) return failure('FORBIDDEN', 'Only IT can load opening balances.');
  return takeExport(deps, { tenant: caller.tenant, by: caller.id }, fileName, file, kind);
}

/**
 * An export, uploaded by a person or pulled from Autodesk (`by`: who the import and its postings name):
 * stored, its shape detected and every row validated, as one import. Nothing goes to the ledger yet.
 */
export async function takeExport(deps: ImportDeps, owner: { tenant: string; by: string }, fileName: string, file: AsyncIterable<Uint8Array>, kind: ImportKind = 'usage'): Promise<AppResult<ResponseOf<'uploadImport'>>> {
  const caller = { tenant: owner.tenant, id: owner.by };
  const id = deps.importIds.next();
  const arrival = watched(file);
  let sizeBytes: number;
  try {
    ({ sizeBytes } = await deps.importFiles.save(caller.tenant, id, 'upload', arrival.bytes));
  } catch (error) {
    // The browser went away (cancelled, closed, lost its connection): nothing was committed under the name.
    if (arrival.broken() && !(error instanceof UploadTooLargeError)) return failure('MALFORMED_REQUEST', 'The upload stopped before the whole file arrived; nothing was kept. Try again.');
    throw error;
  }
  try {
    const head = await deps.importFiles.head(caller.tenant, id, 'upload', SNIFF_BYTES);
    const sniff = sniffFile(head, sizeBytes);
    if (!sniff.ok) return await discard(deps, caller.tenant, id, refused(sniff.problem));
    const { source, headers, samples } = await inspectUpload(deps, caller.tenant, id, head, sizeBytes, sniff, kind);
    if (!headers) return await discard(deps, caller.tenant, id, refused({ code: 'NO_HEADER', message: 'The file has no header row: the first line should name the columns (for example Date, Email, Service, Cloud Credits Used).' }));
    const duplicated = duplicateHeaders(headers, kind);
    if (duplicated.length > 0) return await discard(deps, caller.tenant, id, refused({ code: 'DUPLICATE_HEADER', message: `The header names ${duplicated.map((h) => `"${h}"`).join(', ')} more than once, so it is not clear which column is meant. Rename or remove the copy.` }));
    const detected = await detectWithMemory(deps, caller.tenant, headers, kind);
    const unmasked = unmaskPeople(headers, detected.mapping, samples);
    if ('problem' in unmasked) return await discard(deps, caller.tenant, id, refused(unmasked.problem));
    const unitProblem = kind === 'usage' ? checkImportUnit(detected.unit, await policyOf(deps, caller.tenant)) : null;
    if (unitProblem) return await discard(deps, caller.tenant, id, refused(unitProblem));
    // A required field no column could hold (judged on the first records) refuses the file, naming it.
    const absent = kind === 'usage' ? absentFields(unmasked.mapping, headers.length, samples.slice(0, 50)) : [];
    if (absent.length > 0) return await discard(deps, caller.tenant, id, refused(absentColumnsProblem(absent, headers)));

    const draft: ImportRecord = {
      id,
      kind,
      poolUnits: null,
      fileName,
      sizeBytes,
      uploadedAt: deps.clock.now().toISOString(),
      uploadedBy: caller.id,
      state: 'needs_mapping',
      format: detected.format,
      unit: detected.unit,
      ...source,
      ...(detected.remembered ? { mappingRemembered: true } : {}),
      headers,
      mapping: unmasked.mapping,
      dateOrder: null,
      dateOrderChosen: false,
      counts: { total: 0, matched: 0, refused: 0, unmatched: 0, repeated: 0 },
      amount: 0,
      dateRange: null,
      resolutions: {},
      cursor: 0,
      progress: null,
      result: null,
      error: null,
      lease: null,
    };
    const { record, summary, refusal } = await validateImport(deps, caller.tenant, draft, today(deps));
    if (refusal) return await discard(deps, caller.tenant, id, refused(refusal));
    if (record.counts.total === 0 && missingFields(unmasked.mapping, kind).length === 0) {
      return await discard(deps, caller.tenant, id, refused({ code: 'NO_ROWS', message: kind === 'usage' ? 'The file has a header but no rows of usage.' : 'The file has a header but nobody in it.' }));
    }
    await saveSummary(deps, caller.tenant, id, summary);
    await deps.importRecords.create(caller.tenant, record);
    return success(importView(record, summary));
  } catch (error) {
    if (error instanceof UnreadableExportError) return await discard(deps, caller.tenant, id, failure('IMPORT_FILE_REFUSED', error.message, { problem: error.code }));
    await deps.importFiles.delete(caller.tenant, id).catch(() => undefined);
    throw error;
  }
}

/** The upload's bytes, noting whether reading them failed (the connection broke) rather than storing them. */
function watched(file: AsyncIterable<Uint8Array>) {
  let broken = false;
  async function* bytes(): AsyncIterable<Uint8Array> {
    try {
      yield* file;
    } catch (error) {
      if (!(error instanceof UploadTooLargeError)) broken = true;
      throw error;
    }
  }
  return { bytes: bytes(), broken: () => broken };
}

async function discard<T>(deps: ImportDeps, tenant: string, id: string, answer: AppResult<T>): Promise<AppResult<T>> {
  await deps.importFiles.delete(tenant, id);
  return answer;
}

export async function listImports(deps: ImportDeps, caller: Caller, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<AppResult<ResponseOf<'listImports'>>> {
  const page = await deps.importRecords.list(caller.tenant, query);
  return success({ items: page.items.map(importSummaryView), nextCursor: page.nextCursor });
}

export async function getImport(deps: ImportDeps, caller: Caller, id: string): Promise<AppResult<ResponseOf<'getImport'>>> {
  const stored = await deps.importRecords.get(caller.tenant, id);
  if (!stored) return failure('NOT_FOUND', `No import ${id}.`);
  const [summary, waitingFor] = await Promise.all([readSummary(deps, caller.tenant, id), importWaitedFor(deps, caller.tenant, stored.record)]);
  return success(importView(stored.record, summary, waitingFor));
}

/** The other import posting now, which a committing import waits for (one posts at a time). */
async function importWaitedFor(deps: ImportDeps, tenant: string, record: ImportRecord): Promise<ImportView['waitingFor']> {
  if (record.state !== 'committing') return null;
  const other = await slotHolder(deps, tenant, record.id);
  return other ? { id: other.id, fileName: other.fileName } : null;
}

const NOT_EDITABLE = new Set(['committing', 'committed']);

/** Maps columns by header name and validates again; any field left out keeps its column. */
export async function mapImportColumns(deps: ImportDeps, caller: Caller, id: string, body: z.infer<typeof ImportMappingBody>): Promise<AppResult<ResponseOf<'mapImportColumns'>>> {
  const stored = await deps.importRecords.get(caller.tenant, id);
  if (!stored) return failure('NOT_FOUND', `No import ${id}.`);
  if (NOT_EDITABLE.has(stored.record.state)) return failure('IMPORT_NOT_READY', `This import is ${stored.record.state}: its columns can no longer change.`, { state: stored.record.state });
  const mapping = applyMappingNames(stored.record.headers, body.mapping, stored.record.mapping);
  if (!mapping.ok) return failure('VALIDATION_FAILED', mapping.error.message, mapping.error.details);
  const remapped = JSON.stringify(mapping.value) !== JSON.stringify(stored.record.mapping);
  const changed: ImportRecord = {
    ...stored.record,
    mapping: mapping.value,
    format: remapped && kindOf(stored.record) === 'usage' ? 'custom' : stored.record.format,
    ...(body.dateOrder ? { dateOrder: body.dateOrder, dateOrderChosen: true } : {}),
    ...(body.postRepeated === undefined ? {} : { postRepeated: body.postRepeated }),
  };
  // Confirming repeated rows changes what is posted, not what the rows are: no need to read the file again.
  if (!remapped && !body.dateOrder) {
    if (!(await deps.importRecords.replace(caller.tenant, changed, stored.etag))) return failure('IMPORT_NOT_READY', 'Someone else changed this import at the same time; look at it again.');
    return success(importView(changed, await readSummary(deps, caller.tenant, id)));
  }
  const { record, summary, refusal } = await validateImport(deps, caller.tenant, changed, today(deps));
  if (refusal) return refused(refusal);
  if (!(await deps.importRecords.replace(caller.tenant, record, stored.etag))) return failure('IMPORT_NOT_READY', 'Someone else changed this import at the same time; look at it again.');
  await saveSummary(deps, caller.tenant, id, summary);
  const kind = kindOf(record);
  await deps.importRecords.rememberMapping(caller.tenant, kind, headerSignature(record.headers), mappingNames(record.headers, record.mapping, kind));
  return success(importView(record, summary));
}

/** Links unmatched people to members (remembered for later imports) or skips their rows. */
export async function linkImportPeople(deps: ImportDeps, caller: Caller, id: string, body: z.infer<typeof ImportLinksBody>): Promise<AppResult<ResponseOf<'linkImportPeople'>>> {
  const stored = await deps.importRecords.get(caller.tenant, id);
  if (!stored) return failure('NOT_FOUND', `No import ${id}.`);
  if (NOT_EDITABLE.has(stored.record.state)) return failure('IMPORT_NOT_READY', `This import is ${stored.record.state}: its links can no longer change.`, { state: stored.record.state });
  const resolutions = { ...stored.record.resolutions };
  const unknownPeople = body.links.filter((l) => !(l.person.toLowerCase() in resolutions)).map((l) => l.person);
  if (unknownPeople.length > 0) return failure('VALIDATION_FAILED', `Not among this file's unmatched people: ${unknownPeople.join(', ')}.`, { people: unknownPeople });
  const memberIds = [...new Set(body.links.flatMap((l) => (l.resolution.kind === 'member' ? [l.resolution.memberId] : [])))];
  const members = await Promise.all(memberIds.map((m) => deps.store.getMember(caller.tenant, m)));
  const missing = memberIds.filter((_m, i) => !members[i]);
  if (missing.length > 0) return failure('VALIDATION_FAILED', `No member ${missing.join(', ')}.`, { members: missing });
  for (const link of body.links) resolutions[link.person.toLowerCase()] = link.resolution;
  const changed: ImportRecord = { ...stored.record, resolutions };
  const record: ImportRecord = { ...changed, state: readiness(changed) };
  if (!(await deps.importRecords.replace(caller.tenant, record, stored.etag))) return failure('IMPORT_NOT_READY', 'Someone else changed this import at the same time; look at it again.');
  for (const link of body.links) if (link.resolution.kind === 'member') await deps.importRecords.remember(caller.tenant, link.person.toLowerCase(), link.resolution.memberId);
  return success(importView(record, await readSummary(deps, caller.tenant, id)));
}

/** The report: every refused or repeated row from validation, then the rows of skipped people and those already imported. */
export async function importReport(deps: ImportDeps, caller: Caller, id: string): Promise<AppResult<FileAnswer>> {
  const stored = await deps.importRecords.get(caller.tenant, id);
  if (!stored) return failure('NOT_FOUND', `No import ${id}.`);
  const validation = await deps.importFiles.open(caller.tenant, id, 'report');
  const summary = await readSummary(deps, caller.tenant, id);
  const { record } = stored;
  async function* lines(): AsyncIterable<Uint8Array> {
    yield Buffer.from('\uFEFF');
    if (validation) yield* validation;
    else yield Buffer.from(REPORT_HEADER);
    for (const entry of summary?.unmatched ?? []) {
      const resolution = record.resolutions[entry.person] ?? { kind: 'open' };
      if (resolution.kind === 'member') continue;
      const [status, code, message] =
        resolution.kind === 'skip' ? ['skipped', 'SKIPPED_PERSON', `${entry.person} was skipped by the account manager.`] : ['unmatched', 'NO_MEMBER', notIdentified(entry)];
      yield Buffer.from(entry.lines.map((line) => reportLine(line, status, code, message)).join(''));
    }
    const opening = kindOf(record) === 'opening_balances';
    const already = summary?.alreadyImportedLines ?? [];
    const alreadyMessage = opening ? "This person's opening balance was already loaded." : 'This usage is already in the ledger from an earlier import.';
    for (let i = 0; i < already.length; i += 1000) {
      yield Buffer.from(already.slice(i, i + 1000).map((line) => reportLine(line, 'already_imported', 'ALREADY_IMPORTED', alreadyMessage)).join(''));
    }
    for (const r of summary?.refusedAtCommit ?? []) yield Buffer.from(reportLine(r.line, 'refused', 'NOT_POSTED', r.message));
    const lower = summary?.lowerDayTotals ?? [];
    if (lower.length > 0) {
      const words = wordsFor(await policyOf(deps, caller.tenant));
      yield Buffer.from(lower.map((l) => reportLine(l.line, 'lower_than_imported', 'DAY_TOTAL_LOWER', lowerDayTotalMessage(words, l))).join(''));
    }
  }
  const base = record.fileName.replace(/\.[^.]*$/, '');
  return success<FileAnswer>({ contentType: 'text/csv', fileName: `${base}-import-report.csv`, stream: lines() });
}

/** Why nobody matches a person of the file, and what the account manager or IT can do about it. */
function notIdentified(entry: { person: string; kind: 'email' | 'hash' | 'user' }): string {
  if (entry.kind === 'hash') {
    return `Person not identified: personal data is off in Autodesk Account, so the export names this person only by the hashed Autodesk ID ${entry.person}. Link it to a member once (Credit Desk remembers it for later exports) or skip it; IT can turn personal data on for the team in Autodesk Account so that exports carry emails.`;
  }
  if (entry.kind === 'user') {
    return `Person not identified: no member is linked to the Token Flex user name ${entry.person} (a network login, or for Arnold, RenderNode and VRED the machine's name). Link it to the member who uses it once (remembered for later exports) or skip it.`;
  }
  return `No member matches ${entry.person}: link them to a member or skip them.`;
}

/**
 * Starts posting the rows: the import becomes `committing` with this process's lease, and the job runs in
 * the background (GET shows its progress). Committing a committing or committed import changes nothing.
 */
export async function commitImport(deps: ImportDeps & { importJobs: ImportJobs }, caller: Caller, id: string, query: { poolCredits?: number | undefined } = {}): Promise<AppResult<ResponseOf<'commitImport'>>> {
  const stored = await deps.importRecords.get(caller.tenant, id);
  if (!stored) return failure('NOT_FOUND', `No import ${id}.`);
  const { record } = stored;
  const opening = kindOf(record) === 'opening_balances';
  if (opening && !isItAdmin(caller)) return failure('FORBIDDEN', 'Only IT can load opening balances.');
  if (!opening && query.poolCredits !== undefined) return failure('VALIDATION_FAILED', "The pool's opening balance goes with an opening-balances import, not a usage export.", { field: 'poolCredits' });
  if (record.state === 'committing' || record.state === 'committed') return success(importView(record, await readSummary(deps, caller.tenant, id)));
  const poolUnits = query.poolCredits === undefined ? null : creditsToUnits(query.poolCredits);
  if (poolUnits !== null && (await deps.store.listLots(caller.tenant)).some((l) => l.id === POOL_OPENING_LOT)) {
    return failure('INVALID_TRANSITION', "The pool's opening balance was already loaded; commit without it.", { lotId: POOL_OPENING_LOT });
  }
  const state = record.state === 'failed' ? 'ready' : readiness(record);
  if (state !== 'ready') {
    const why = state === 'needs_links' ? 'some people in the file match no member: link them or skip their rows first' : 'some required columns are not mapped, or no row is valid';
    return failure('IMPORT_NOT_READY', `This import cannot be committed yet: ${why}.`, { state });
  }
  const now = deps.clock.now();
  const summary = await readSummary(deps, caller.tenant, id);
  const committing: ImportRecord = {
    ...record,
    ...(opening ? { poolUnits } : {}),
    state: 'committing',
    error: null,
    progress: { rowsDone: record.cursor, rowsTotal: rowsView(record, summary).valid, startedAt: now.toISOString(), updatedAt: now.toISOString(), rowsAtStart: record.cursor },
    lease: { owner: deps.importJobs.owner, until: new Date(now.getTime() + LEASE_MS).toISOString() },
  };
  if (!(await deps.importRecords.replace(caller.tenant, committing, stored.etag))) return failure('IMPORT_NOT_READY', 'Someone else changed this import at the same time; look at it again.');
  void deps.importJobs.start(caller.tenant, id);
  return success(importView(committing, summary));
}
