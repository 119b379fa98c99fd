import type { Schedule } from '../../src/core/usage-pull/index.js';
import { nextRun } from '../../src/core/usage-pull/index.js';
import type { PullRunner } from '../app/usage-pull/pull-runner.js';

export interface PullLoop {
  stop(): Promise<void>;
}

/**
 * The local host's stand-in for the Azure `usagePull` timer: at each time the schedule names, every
 * connected source of each tenant is pulled. A failing pass is logged; the next one pulls those days again.
 */
export function startPullLoop(options: { pulls: PullRunner; tenants: readonly string[]; schedule: Schedule; log?: (message: string) => void; runNow?: boolean }): PullLoop {
  const log = options.log ?? ((m: string) => console.error(m));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const scheduleNext = () => {
    const next = nextRun(options.schedule, new Date());
    if (stopped || !next) return;
    // setTimeout takes at most about 24.8 days; a later run is waited for in steps.
    const wait = Math.min(next.getTime() - Date.now(), 2 ** 31 - 1);
    timer = setTimeout(() => void (next.getTime() <= Date.now() ? pass() : scheduleNext()), wait);
    timer.unref();
  };

  async function pass(): Promise<void> {
    running = (async () => {
      for (const tenant of options.tenants) {
        try {
          for (const { kind, outcome } of await options.pulls.pullAll(tenant)) log(`Usage pull of ${kind} for ${tenant}: ${outcome.kind}.`);
        } catch (error) {
          log(`Usage pull for ${tenant} failed; the next one pulls those days again: ${(error as Error).message}`);
        }
      }
    })();
    await running;
    running = undefined;
    scheduleNext();
  }

  // `runNow`: a pass at once (npm start's first pull), then on the schedule.
  if (options.runNow) void pass();
  else scheduleNext();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
