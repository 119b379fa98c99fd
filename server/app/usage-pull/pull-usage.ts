import type { PullProblemCode } from '../../../src/core/usage-pull/index.js';
import { PULL_ACTOR, SETTLING_MODE, pullProblemWords, pullWindow } from '../../../src/core/usage-pull/index.js';
import type { ImportRecord } from '../../ports/import-records.js';
import type { PullTrigger, PullUnmatched, SourcePullRecord } from '../../ports/usage-pulls.js';
import type { DayWindow, UsageSource, UsageSourceKind } from '../../ports/usage-source.js';
import { UsageSourceError } from '../../ports/usage-source.js';
import type { Caller } from '../caller.js';
import { commitImport, takeExport } from '../imports/imports.js';
import { slotHolder } from '../imports/job-run.js';
import { readiness } from '../imports/validate.js';
import type { PullDeps } from './pull-deps.js';
import { PullLease, PullLeaseLostError } from './pull-lease.js';
import { postingFailed, succeeded } from './pull-record.js';
import { tellDisconnected } from './disconnected-alert.js';

/** What a pull came to; the source's status says the same for IT. */
export type PullOutcome =
  | { kind: 'already_running' }
  | { kind: 'nothing_to_pull' }
  | { kind: 'imported'; window: DayWindow; importId: string | null; rowsPosted: number }
  /** The import waits for the tenant's slot or its job stopped: the import runner posts it, and the status follows. */
  | { kind: 'posting'; window: DayWindow; importId: string }
  | { kind: 'failed'; code: PullProblemCode }
  /** Another run took the pull over: this one wrote nothing more. */
  | { kind: 'taken_over' };

/** An import no slot check can name: the pull asks whether any import of the tenant is posting. */
const NO_IMPORT = '-';

/**
 * Pulls the usage of one connected source (issue 21): the days of its pull window (the settling window
 * read again for Token Flex, only settled days never read before for usage insights: see SETTLING_MODE),
 * asked of Autodesk, then the export goes the way of an upload: stored, detected, validated, committed
 * as an import job, so its rows have the same identity as the same days uploaded by hand and no day is
 * counted twice. One pull of a tenant runs at a time (a lease); one import posts at a time (the import
 * slot: a pull that finds another posting asks nothing of Autodesk). Rows of people no member matches are skipped, as an account manager would skip
 * them to commit, and the status says how many: linked on the import, they are matched by later pulls.
 */
export async function pullUsage(deps: PullDeps, tenant: string, kind: UsageSourceKind, trigger: PullTrigger, onStarted?: () => void): Promise<PullOutcome> {
  const lease = await PullLease.take(deps, tenant, kind, trigger);
  if (!lease) return { kind: 'already_running' };
  onStarted?.();
  lease.keepAlive();
  try {
    return await run(deps, lease, tenant, kind);
  } catch (error) {
    if (error instanceof PullLeaseLostError) return { kind: 'taken_over' };
    // Storage or a bug: the status says something went wrong (best effort: storage may be what failed).
    await fail(deps, lease, 'internal').catch(() => undefined);
    throw error;
  } finally {
    lease.stop();
  }
}

async function run(deps: PullDeps, lease: PullLease, tenant: string, kind: UsageSourceKind): Promise<PullOutcome> {
  const source = await deps.usageSources.source(tenant, kind);
  if (!source) {
    const connection = (await deps.usageSources.connections(tenant)).find((c) => c.kind === kind);
    if (connection?.disconnected) await tellDisconnected(deps, tenant, kind);
    return fail(deps, lease, connection?.disconnected ? 'disconnected' : 'not_connected');
  }
  if (await slotHolder(deps, tenant, NO_IMPORT)) return fail(deps, lease, 'slot_busy');
  const window = pullWindow(deps.clock.now().toISOString().slice(0, 10), lease.source.covered?.to ?? null, deps.pulls.rule, SETTLING_MODE[kind]);
  if (!window) {
    await lease.finish((s) => ({ ...s, lastError: null }));
    return { kind: 'nothing_to_pull' };
  }
  await lease.progress({ stage: 'requested', window });

  const fetched = await fetchExport(deps, lease, source, tenant, window);
  if ('problem' in fetched) return fetched.problem;
  const { record, unmatched } = fetched;
  if (!record) {
    // Nothing to post in those days (no usage, or only people no member matches): they are read.
    await lease.finish((s) => succeeded(s, deps.clock.now().toISOString(), window, fetched.importId, null, unmatched));
    return { kind: 'imported', window, importId: fetched.importId, rowsPosted: 0 };
  }

  const startedAt = deps.clock.now().toISOString();
  await lease.record((s) => ({ ...s, pending: { importId: record.id, window, trigger: lease.trigger, startedAt, unmatched } }));
  await lease.progress({ stage: 'posting' });
  const committed = await commitImport(deps, systemCaller(tenant), record.id);
  if (!committed.ok) return fail(deps, lease, 'posting_failed', { detail: committed.message });
  await deps.importJobs.start(tenant, record.id);
  const after = (await deps.importRecords.get(tenant, record.id))?.record;
  const at = deps.clock.now().toISOString();
  if (after?.state === 'committed') {
    await lease.finish((s) => succeeded(s, at, window, after.id, after.result, unmatched));
    return { kind: 'imported', window, importId: record.id, rowsPosted: after.result?.posted ?? 0 };
  }
  if (after?.state === 'failed') {
    await lease.finish((s) => postingFailed(s, kind, at, after));
    return { kind: 'failed', code: 'posting_failed' };
  }
  // Still committing: it waits for the slot (another import took it meanwhile) or its job stopped; the
  // import runner carries it on, and the status settles once it is committed.
  await lease.finish((s) => s);
  return { kind: 'posting', window, importId: record.id };
}

/** `record`: the import to commit; null when nothing in it can be posted (`importId` then names it, if any). */
type Fetched = { record: ImportRecord | null; importId: string | null; unmatched: PullUnmatched } | { problem: PullOutcome };

/**
 * Asks the source for the window's export and takes it as an upload is taken. Null record: the export
 * had no usage rows. The people no member matches are skipped on the import, so that it can commit.
 */
async function fetchExport(deps: PullDeps, lease: PullLease, source: UsageSource, tenant: string, window: DayWindow): Promise<Fetched> {
  let refusal: UsageSourceError | undefined;
  try {
    const exported = await source.exportUsage(window, { onProgress: (p) => void lease.progress({ stage: p.stage, polls: p.polls }).catch(() => undefined) });
    await lease.progress({ stage: 'downloading' });
    const taken = await takeExport(deps, { tenant, by: PULL_ACTOR }, exported.fileName, noting(exported.body, (error) => (refusal = error)), 'usage');
    if (refusal) throw refusal;
    if (!taken.ok) {
      const details = taken.details as { problem?: string } | undefined;
      if (details?.problem === 'NO_ROWS') return { record: null, importId: null, unmatched: { people: 0, rows: 0 } };
      return { problem: await fail(deps, lease, 'export_unreadable', { detail: taken.message }) };
    }
    await lease.progress({ stage: 'checking' });
    return await skipUnmatched(deps, lease, tenant, taken.value.id);
  } catch (error) {
    if (!(error instanceof UsageSourceError)) throw error;
    if (error.code === 'disconnected') {
      await deps.usageSources.markDisconnected(tenant, source.kind, error.message);
      await tellDisconnected(deps, tenant, source.kind);
    }
    return { problem: await fail(deps, lease, error.code, { retryAfterSeconds: error.retryAfterSeconds }) };
  }
}

/** The body as it downloads, noting a refusal of Autodesk's on the way (a link that expires mid-download). */
async function* noting(body: AsyncIterable<Uint8Array>, note: (error: UsageSourceError) => void): AsyncIterable<Uint8Array> {
  try {
    yield* body;
  } catch (error) {
    if (error instanceof UsageSourceError) note(error);
    throw error;
  }
}

async function skipUnmatched(deps: PullDeps, lease: PullLease, tenant: string, importId: string): Promise<Fetched> {
  const stored = await deps.importRecords.get(tenant, importId);
  if (!stored) throw new Error(`Import ${importId} of a pull is gone.`);
  const { record } = stored;
  const open = Object.entries(record.resolutions).filter(([, r]) => r.kind === 'open');
  const unmatched = { people: open.length, rows: record.counts.unmatched };
  if (record.state === 'needs_mapping' || record.state === 'needs_date_order') {
    return { problem: await fail(deps, lease, 'export_unreadable', { detail: 'its columns or dates are not those of the export Credit Desk expects' }) };
  }
  if (open.length === 0) return { record, importId: record.id, unmatched };
  const resolutions = { ...record.resolutions };
  for (const [person] of open) resolutions[person] = { kind: 'skip' };
  const skipped: ImportRecord = { ...record, resolutions };
  const next: ImportRecord = { ...skipped, state: readiness(skipped) };
  if (!(await deps.importRecords.replace(tenant, next, stored.etag))) throw new Error(`Import ${importId} of a pull changed while it was being readied.`);
  // Nobody the file names is a member: nothing to post, the days are read.
  return { record: next.state === 'ready' ? next : null, importId: next.id, unmatched };
}

async function fail(deps: PullDeps, lease: PullLease, code: PullProblemCode, extra: { retryAfterSeconds?: number | undefined; detail?: string | undefined } = {}): Promise<PullOutcome> {
  const at = deps.clock.now().toISOString();
  await lease.finish((s: SourcePullRecord) => ({ ...s, lastError: { code, message: pullProblemWords(code, lease.kind, extra), at } }));
  return { kind: 'failed', code };
}

/** The pull commits its import as nobody in particular: the import and its postings name the pull. */
const systemCaller = (tenant: string): Caller => ({ tenant, id: PULL_ACTOR, email: '', displayName: 'Autodesk usage pull', roles: [] });
