import type { FeedDispatcher } from '../app/feed-dispatcher.js';

export interface DispatchLoop {
  stop(): Promise<void>;
}

/**
 * The local host's stand-in for the Azure timer: a pass per tenant every `intervalMs`, sooner when a retry
 * or a digest window falls due. A failing pass is logged and tried again on the next tick.
 */
export function startDispatchLoop(options: { dispatcher: FeedDispatcher; tenants: readonly string[]; intervalMs?: number; log?: (message: string) => void }): DispatchLoop {
  const interval = options.intervalMs ?? 2_000;
  const log = options.log ?? ((m: string) => console.error(m));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void pass(), Math.max(0, ms));
  };

  async function pass(): Promise<void> {
    if (running) return;
    let next = interval;
    running = (async () => {
      for (const tenant of options.tenants) {
        try {
          const report = await options.dispatcher.dispatch(tenant);
          if (report.wakeAt) next = Math.min(next, Date.parse(report.wakeAt) - Date.now());
        } catch (error) {
          log(`Feed dispatch for ${tenant} failed; trying again shortly: ${(error as Error).message}`);
        }
      }
    })();
    await running;
    running = undefined;
    schedule(next);
  }

  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
