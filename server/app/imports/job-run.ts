import type { ImportOutcome, ImportRecord, StoredImport } from '../../ports/import-records.js';
import type { CommandOutcome } from '../../ports/ledger-store.js';
import type { ImportDeps } from './import-deps.js';
import { LEASE_MS } from './import-deps.js';

const PROGRESS_EVERY_MS = 1_000;
/** Rows one entity-group transaction can hold (Table Storage's limit). */
export const TRANSACTION_ROWS = 100;
/** Rows of a transaction besides the posting's own: its idempotency marker and its audit line. */
export const FIXED_RECORDS = 2;
/** Characters of transfers a packed record holds: an entity takes 1 MiB, and a character counts two bytes. */
export const PACKED_CHARS = 200_000;

/** The job lost its lease (another instance took over, or the import changed): it stops without writing more. */
export class LeaseLostError extends Error {
  constructor(importId: string) {
    super(`Import ${importId} is no longer this job's to run.`);
    this.name = 'LeaseLostError';
  }
}

/**
 * A running job's lease and progress, whatever kind of import it posts: the cursor (rows known to be
 * committed), the totals so far, saved at least every second and at the end, each time with the tenant's
 * import slot (one import posts at a time). Each batch is named `import:{id}:{position}`, so a job resumed
 * after a crash replays the batches already written.
 */
export class JobRun {
  cursor: number;
  private readonly startedAt: string;
  private readonly rowsAtStart: number;
  private savedAt = performance.now();
  private stored: StoredImport;
  private slotEtag: string;

  constructor(
    private readonly deps: ImportDeps,
    private readonly tenant: string,
    claimed: Claimed,
    private readonly owner: string,
    readonly rowsTotal: number,
    readonly totals: ImportOutcome,
  ) {
    this.stored = claimed.stored;
    this.slotEtag = claimed.slotEtag;
    this.cursor = Math.min(this.stored.record.cursor, rowsTotal);
    this.startedAt = deps.clock.now().toISOString();
    this.rowsAtStart = this.cursor;
  }

  get record(): ImportRecord {
    return this.stored.record;
  }

  /** The idempotency of the batch that starts at the cursor (or of a named step, such as `pool` or `done`). */
  batchKey(step: string | number = this.cursor): { caller: string; key: string; fingerprint: string } {
    return { caller: 'import', key: `${this.stored.record.id}:${step}`, fingerprint: this.stored.record.id };
  }

  async save(changes: Partial<ImportRecord>): Promise<void> {
    const now = this.deps.clock.now();
    const next: ImportRecord = {
      ...this.stored.record,
      cursor: this.cursor,
      result: { ...this.totals },
      progress: { rowsDone: this.cursor, rowsTotal: this.rowsTotal, startedAt: this.startedAt, updatedAt: now.toISOString(), rowsAtStart: this.rowsAtStart },
      lease: { owner: this.owner, until: new Date(now.getTime() + LEASE_MS).toISOString() },
      ...changes,
    };
    // The slot goes with the lease; a job that lets its lease go lets the slot go.
    const slot = { importId: next.id, until: next.lease?.until ?? now.toISOString() };
    const written = await this.deps.importRecords.replaceWithSlot(this.tenant, next, this.stored.etag, slot, this.slotEtag);
    if (!written) throw new LeaseLostError(this.stored.record.id);
    this.stored = { record: next, etag: written.etag };
    this.slotEtag = written.slotEtag;
    this.savedAt = performance.now();
  }

  /** Moves the cursor past a committed batch; saves the progress when a second has passed. */
  async advance(consumed: number): Promise<number> {
    this.cursor += consumed;
    if (performance.now() - this.savedAt >= PROGRESS_EVERY_MS) await this.save({});
    return this.cursor;
  }

  /** The ledger refused a batch: the import fails with where and why, and its lease is let go. */
  async fail(outcome: Exclude<CommandOutcome, { kind: 'committed' }>): Promise<void> {
    const reason = outcome.kind === 'refused' ? outcome.error.message : `the ledger refused the batch (${outcome.kind})`;
    await this.save({ state: 'failed', error: { code: 'IMPORT_FAILED', message: `Stopped at row ${this.cursor + 1} of ${this.rowsTotal}: ${reason}` }, lease: null });
  }
}

export interface Claimed {
  stored: StoredImport;
  slotEtag: string;
}

/**
 * Takes the import's lease and the tenant's import slot: the import is committing, nobody else holds an
 * unexpired lease on it, and no other import holds the slot. An import that finds the slot taken waits:
 * it stays committing, and the runner starts it again when the other is done.
 */
export async function claim(deps: ImportDeps, tenant: string, importId: string, owner: string): Promise<Claimed | undefined> {
  const [stored, held] = await Promise.all([deps.importRecords.get(tenant, importId), deps.importRecords.getSlot(tenant)]);
  if (!stored || stored.record.state !== 'committing') return undefined;
  const { lease } = stored.record;
  const now = deps.clock.now();
  if (lease && lease.owner !== owner && Date.parse(lease.until) > now.getTime()) return undefined;
  if (held && held.slot.importId !== importId && Date.parse(held.slot.until) > now.getTime()) return undefined;
  const until = new Date(now.getTime() + LEASE_MS).toISOString();
  const record: ImportRecord = { ...stored.record, lease: { owner, until } };
  const written = await deps.importRecords.replaceWithSlot(tenant, record, stored.etag, { importId, until }, held?.etag ?? null);
  return written ? { stored: { record, etag: written.etag }, slotEtag: written.slotEtag } : undefined;
}
