import type { ResponseOf, UsageSourceStatus } from '../../../src/contract/index.js';
import { nextRun, pullProblemWords } from '../../../src/core/usage-pull/index.js';
import type { SourcePullRecord, UsagePullState } from '../../ports/usage-pulls.js';
import type { AutodeskConnection, UsageSourceKind } from '../../ports/usage-source.js';
import type { AppResult } from '../app-result.js';
import { failure, success } from '../app-result.js';
import type { Caller } from '../caller.js';
import { isItAdmin, seesEveryone } from '../caller.js';
import type { PullDeps } from './pull-deps.js';
import { EMPTY_SOURCE } from './pull-lease.js';
import { settlePending } from './pull-record.js';
import type { PullJobs } from './pull-runner.js';

const KINDS: readonly UsageSourceKind[] = ['token_flex', 'usage_insights'];

/** Each connected source (or one pulled before), with its pulls: account managers and IT. */
export async function listUsageSources(deps: PullDeps, caller: Caller): Promise<AppResult<ResponseOf<'usageSources'>>> {
  if (!seesEveryone(caller)) return failure('FORBIDDEN', 'Only account managers and IT can see where usage comes from.');
  const [connections, stored] = await Promise.all([deps.usageSources.connections(caller.tenant), deps.usagePulls.get(caller.tenant)]);
  const state = stored?.state ?? { sources: {}, run: null };
  const kinds = KINDS.filter((k) => connections.some((c) => c.kind === k) || state.sources[k]);
  const sources = await Promise.all(kinds.map((k) => statusOf(deps, caller.tenant, k, state, connections.find((c) => c.kind === k))));
  return success({ sources });
}

/** "Pull now" (IT): starts a pull of the source unless one of the tenant runs, and answers with its status. */
export async function pullNow(deps: PullDeps & { pullJobs: PullJobs }, caller: Caller, kind: UsageSourceKind): Promise<AppResult<ResponseOf<'pullUsageSource'>>> {
  if (!isItAdmin(caller)) return failure('FORBIDDEN', 'Only IT can pull usage from Autodesk.');
  const connection = (await deps.usageSources.connections(caller.tenant)).find((c) => c.kind === kind);
  if (!connection || connection.disconnected) {
    return failure('INVALID_TRANSITION', pullProblemWords(connection ? 'disconnected' : 'not_connected', kind), { reason: connection ? 'disconnected' : 'not_connected' });
  }
  const started = await deps.pullJobs.start(caller.tenant, kind, 'manual');
  const state = (await deps.usagePulls.get(caller.tenant))?.state ?? { sources: {}, run: null };
  return success({ started, source: await statusOf(deps, caller.tenant, kind, state, connection) });
}

/** The status IT reads: the record with what became of an import left posting, the run, the next timer. */
async function statusOf(deps: PullDeps, tenant: string, kind: UsageSourceKind, state: UsagePullState, connection: AutodeskConnection | undefined): Promise<UsageSourceStatus> {
  const now = deps.clock.now();
  const record: SourcePullRecord = await settlePending(deps, tenant, kind, state.sources[kind] ?? EMPTY_SOURCE);
  const run = state.run?.kind === kind ? state.run : null;
  const runLive = run !== null && Date.parse(run.until) > now.getTime();
  const posting = record.pending ? (await deps.importRecords.get(tenant, record.pending.importId))?.record.progress : undefined;
  let running: UsageSourceStatus['running'] = null;
  if (runLive) {
    running = { trigger: run.trigger, startedAt: run.startedAt, stage: run.stage, window: run.window, polls: run.polls, rowsDone: posting?.rowsDone ?? null, rowsTotal: posting?.rowsTotal ?? null };
  } else if (record.pending) {
    const p = record.pending;
    running = { trigger: p.trigger, startedAt: p.startedAt, stage: 'posting', window: p.window, polls: 0, rowsDone: posting?.rowsDone ?? null, rowsTotal: posting?.rowsTotal ?? null };
  }
  // A run whose lease ran out stopped with its host; the next pull records it, the status says it now.
  const lastError = run && !runLive ? { code: 'interrupted', message: pullProblemWords('interrupted', kind), at: run.until } : record.lastError;
  const success = record.lastSuccess;
  const next = deps.pulls.schedule && connection && !connection.disconnected ? nextRun(deps.pulls.schedule, now) : null;
  return {
    kind,
    connection: !connection ? 'not_connected' : connection.disconnected ? 'disconnected' : 'connected',
    lastSuccessAt: success?.at ?? null,
    covered: record.covered,
    lastPull: success ? { window: success.window, rowsPosted: success.rowsPosted, alreadyImported: success.alreadyImported, settled: success.settled, unmatched: success.unmatched, importId: success.importId } : null,
    nextRunAt: next?.toISOString() ?? null,
    running,
    lastError,
  };
}
