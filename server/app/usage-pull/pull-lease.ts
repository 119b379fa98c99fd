import type { PullRun, PullStage, PullTrigger, SourcePullRecord, UsagePullState } from '../../ports/usage-pulls.js';
import type { DayWindow, UsageSourceKind } from '../../ports/usage-source.js';
import { pullProblemWords } from '../../../src/core/usage-pull/index.js';
import type { PullDeps } from './pull-deps.js';
import { PULL_LEASE_MS } from './pull-deps.js';
import { settlePending } from './pull-record.js';

/** Another run took the tenant's pull over (this one's lease had run out): it stops without writing more. */
export class PullLeaseLostError extends Error {
  constructor(tenant: string) {
    super(`The pull of ${tenant} is no longer this run's.`);
    this.name = 'PullLeaseLostError';
  }
}

export const EMPTY_SOURCE: SourcePullRecord = { lastSuccess: null, covered: null, lastError: null, pending: null };
const live = (run: PullRun | null, now: Date) => run !== null && Date.parse(run.until) > now.getTime();

/**
 * The tenant's pull, held by this run: every write renews the lease and is conditional on the state this
 * run wrote last, so a run whose lease another took over (its host was thought dead) writes nothing more.
 * Writes go one after another (a heartbeat may come while a step writes).
 */
export class PullLease {
  private queue: Promise<unknown> = Promise.resolve();
  private beat: ReturnType<typeof setInterval> | undefined;

  private constructor(
    private readonly deps: PullDeps,
    readonly tenant: string,
    readonly kind: UsageSourceKind,
    private state: UsagePullState,
    private etag: string,
  ) {}

  /**
   * Takes the tenant's pull for `kind`, unless a pull of the tenant is running (its lease live). A run
   * whose lease ran out stopped with its host: its source says so until a pull of it ends. The import an
   * earlier pull left posting is looked at first, so the window starts after what it imported.
   */
  static async take(deps: PullDeps, tenant: string, kind: UsageSourceKind, trigger: PullTrigger): Promise<PullLease | undefined> {
    const stored = await deps.usagePulls.get(tenant);
    const now = deps.clock.now();
    const state: UsagePullState = stored?.state ?? { sources: {}, run: null };
    if (live(state.run, now)) return undefined;
    const sources = { ...state.sources };
    const stopped = state.run;
    if (stopped) {
      const at = now.toISOString();
      sources[stopped.kind] = { ...(sources[stopped.kind] ?? EMPTY_SOURCE), lastError: { code: 'interrupted', message: pullProblemWords('interrupted', stopped.kind), at } };
    }
    sources[kind] = await settlePending(deps, tenant, kind, sources[kind] ?? EMPTY_SOURCE);
    const run: PullRun = { kind, trigger, owner: deps.pulls.owner, until: new Date(now.getTime() + PULL_LEASE_MS).toISOString(), startedAt: now.toISOString(), stage: 'starting', window: null, polls: 0 };
    const next: UsagePullState = { sources, run };
    const etag = await deps.usagePulls.put(tenant, next, stored?.etag ?? null);
    return etag ? new PullLease(deps, tenant, kind, next, etag) : undefined;
  }

  get trigger(): PullTrigger {
    return this.state.run?.trigger ?? 'schedule';
  }

  get source(): SourcePullRecord {
    return this.state.sources[this.kind] ?? EMPTY_SOURCE;
  }

  /** Renews the lease while nothing else is written (waiting for Autodesk, or for the import's job). */
  keepAlive(): void {
    this.beat ??= setInterval(() => void this.progress({}).catch(() => undefined), PULL_LEASE_MS / 4);
    this.beat.unref?.();
  }

  /** Moves the run on (stage, window, polls) and renews its lease. */
  progress(change: { stage?: PullStage; window?: DayWindow; polls?: number }): Promise<void> {
    return this.write((state) => ({ ...state, run: state.run && { ...state.run, ...change } }));
  }

  /** Changes the source's record and keeps the run (the import a pull posts, before it waits for it). */
  record(change: (source: SourcePullRecord) => SourcePullRecord): Promise<void> {
    return this.write((state) => ({ ...state, sources: { ...state.sources, [this.kind]: change(state.sources[this.kind] ?? EMPTY_SOURCE) } }));
  }

  /** Ends the run: the source's record as the pull leaves it, and the tenant's pull free again. */
  async finish(change: (source: SourcePullRecord) => SourcePullRecord): Promise<void> {
    this.stop();
    await this.write((state) => ({ run: null, sources: { ...state.sources, [this.kind]: change(state.sources[this.kind] ?? EMPTY_SOURCE) } }), false);
  }

  /** Stops renewing (the run ended or was taken over). */
  stop(): void {
    clearInterval(this.beat);
    this.beat = undefined;
  }

  private write(change: (state: UsagePullState) => UsagePullState, renew = true): Promise<void> {
    const next = this.queue.then(async () => {
      const changed = change(this.state);
      const now = this.deps.clock.now();
      const state: UsagePullState = renew && changed.run ? { ...changed, run: { ...changed.run, until: new Date(now.getTime() + PULL_LEASE_MS).toISOString() } } : changed;
      const etag = await this.deps.usagePulls.put(this.tenant, state, this.etag);
      if (!etag) {
        this.stop();
        throw new PullLeaseLostError(this.tenant);
      }
      this.state = state;
      this.etag = etag;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
