import type { PullTrigger } from '../../ports/usage-pulls.js';
import type { UsageSourceKind } from '../../ports/usage-source.js';
import type { PullDeps } from './pull-deps.js';
import type { PullOutcome } from './pull-usage.js';
import { pullUsage } from './pull-usage.js';

/** Starts pulls in the background (the runner of this process). */
export interface PullJobs {
  /** Starts a pull of the tenant's source; true once it runs, false when a pull of the tenant was already running. */
  start(tenant: string, kind: UsageSourceKind, trigger: PullTrigger): Promise<boolean>;
}

/**
 * Runs pulls in this process: "Pull now" answers once the pull has taken the tenant's lease, and the pull
 * goes on (Autodesk takes minutes to make an export). The timers await `pullAll`.
 */
export class PullRunner implements PullJobs {
  private readonly running = new Set<Promise<PullOutcome | undefined>>();

  constructor(
    private readonly deps: PullDeps,
    private readonly log: (message: string, error?: unknown) => void = (m, e) => console.error(m, e),
  ) {}

  start(tenant: string, kind: UsageSourceKind, trigger: PullTrigger): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const pull: Promise<PullOutcome | undefined> = pullUsage(this.deps, tenant, kind, trigger, () => resolve(true))
        .then((outcome) => {
          if (outcome.kind === 'already_running') resolve(false);
          return outcome;
        })
        .catch((error: unknown) => {
          reject(error instanceof Error ? error : new Error(String(error)));
          this.log(`The pull of ${kind} for ${tenant} stopped; the next one carries on`, error);
          return undefined;
        })
        .finally(() => this.running.delete(pull));
      this.running.add(pull);
    });
  }

  /** The scheduled pull: each connected source of the tenant in turn, waited for. */
  async pullAll(tenant: string, trigger: PullTrigger = 'schedule'): Promise<{ kind: UsageSourceKind; outcome: PullOutcome }[]> {
    const done: { kind: UsageSourceKind; outcome: PullOutcome }[] = [];
    for (const connection of await this.deps.usageSources.connections(tenant)) {
      done.push({ kind: connection.kind, outcome: await pullUsage(this.deps, tenant, connection.kind, trigger) });
    }
    return done;
  }

  /** Waits for the pulls running now (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
