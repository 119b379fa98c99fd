import { randomUUID } from 'node:crypto';
import { FenceLostError } from '../../ports/ledger-store.js';
import type { ImportDeps } from './import-deps.js';
import { LeaseLostError, runImportJob } from './commit-job.js';

/**
 * Runs import jobs in this process, one per import at a time. A job that fails (storage gone, the process
 * stopped) keeps its state `committing`; `resume` (a timer) starts it again once its lease has run out, on
 * this instance or another, and it carries on where the batches stopped. One import of a tenant posts at a
 * time: the others wait, and start when a job of this process ends (or on the timer).
 */
export class ImportRunner {
  private readonly running = new Map<string, Promise<void>>();
  /** This process's name on the leases it takes. */
  readonly owner = `job-${randomUUID()}`;

  constructor(
    private readonly deps: ImportDeps,
    private readonly log: (message: string, error?: unknown) => void = (m, e) => console.error(m, e),
  ) {}

  /** Starts the import's job unless it already runs here; resolves when it has stopped. */
  start(tenant: string, importId: string): Promise<void> {
    const key = `${tenant}/${importId}`;
    const existing = this.running.get(key);
    if (existing) return existing;
    const run = runImportJob(this.deps, tenant, importId, this.owner)
      .then((ran) => {
        // The tenant's import slot is free again: imports waiting for it can start.
        if (ran) void this.resume(tenant).catch((error: unknown) => this.log(`Imports of ${tenant} waiting to commit did not start`, error));
      })
      .catch((error: unknown) => {
        // Another instance or import took over: nothing more was written, and the import goes on there.
        if (error instanceof LeaseLostError || error instanceof FenceLostError) return;
        this.log(`Import ${importId} stopped; it resumes when its lease runs out`, error);
      })
      .finally(() => this.running.delete(key));
    this.running.set(key, run);
    return run;
  }

  /** Starts every committing import of the tenant whose job is not running (its lease ran out). */
  async resume(tenant: string): Promise<string[]> {
    const now = this.deps.clock.now().getTime();
    const started: string[] = [];
    for (const record of await this.deps.importRecords.committing(tenant)) {
      const mine = record.lease?.owner === this.owner;
      const expired = !record.lease || Date.parse(record.lease.until) <= now;
      if ((mine && !this.running.has(`${tenant}/${record.id}`)) || expired) {
        started.push(record.id);
        void this.start(tenant, record.id);
      }
    }
    return started;
  }

  /** Waits for the jobs running now (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }
}
