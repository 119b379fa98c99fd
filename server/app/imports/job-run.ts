import type { ImportOutcome, ImportRecord, ImportSlot, StoredImport } from '../../ports/import-records.js';
import type { CommandOutcome, Fence } from '../../ports/ledger-store.js';
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
 * committed), the totals so far, saved at least every second and at the end. Each batch is named
 * `import:{id}:{position}`, so a job resumed after a crash replays the batches already written, and fenced
 * by the tenant's import slot (`fence`), so a job another import took the slot from writes nothing more.
 */
export class JobRun {
  cursor: number;
  private readonly startedAt: string;
  private readonly rowsAtStart: number;
  private savedAt = performance.now();
  /** What every ledger write of the job carries: the tenant's import slot still names this import. */
  readonly fence: Fence;

  constructor(
    private readonly deps: ImportDeps,
    private readonly tenant: string,
    private stored: StoredImport,
    private readonly owner: string,
    readonly rowsTotal: number,
    readonly totals: ImportOutcome,
  ) {
    this.fence = deps.importRecords.slotFence(stored.record.id);
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
    const etag = await this.deps.importRecords.replace(this.tenant, next, this.stored.etag);
    if (!etag) throw new LeaseLostError(this.stored.record.id);
    this.stored = { record: next, etag };
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

const leaseLive = (record: ImportRecord, now: Date) => record.lease !== null && Date.parse(record.lease.until) > now.getTime();

/**
 * The import the slot names, if it is another than `importId` and posting now (committing, its lease
 * live); undefined when the slot is free for `importId`.
 */
async function postingImport(deps: ImportDeps, tenant: string, held: ImportSlot | undefined, importId: string): Promise<ImportRecord | undefined> {
  if (!held || held.importId === importId) return undefined;
  const other = await deps.importRecords.get(tenant, held.importId);
  return other && other.record.state === 'committing' && leaseLive(other.record, deps.clock.now()) ? other.record : undefined;
}

/** The other import posting now, which `importId` waits for; undefined when the slot is free for it. */
export async function slotHolder(deps: ImportDeps, tenant: string, importId: string): Promise<ImportRecord | undefined> {
  return postingImport(deps, tenant, (await deps.importRecords.getSlot(tenant))?.slot, importId);
}

/**
 * Takes the import's lease and the tenant's import slot, in one write: the import is committing, nobody
 * else holds an unexpired lease on it, and no other import is posting. An import that finds another
 * posting waits: it stays committing, and the runner starts it again when the other is done.
 */
export async function claim(deps: ImportDeps, tenant: string, importId: string, owner: string): Promise<StoredImport | undefined> {
  const [stored, held] = await Promise.all([deps.importRecords.get(tenant, importId), deps.importRecords.getSlot(tenant)]);
  if (!stored || stored.record.state !== 'committing') return undefined;
  const now = deps.clock.now();
  if (stored.record.lease?.owner !== owner && leaseLive(stored.record, now)) return undefined;
  if (await postingImport(deps, tenant, held?.slot, importId)) return undefined;
  const record: ImportRecord = { ...stored.record, lease: { owner, until: new Date(now.getTime() + LEASE_MS).toISOString() } };
  const written = await deps.importRecords.replaceWithSlot(tenant, record, stored.etag, { importId }, held?.etag ?? null);
  return written ? { record, etag: written.etag } : undefined;
}
