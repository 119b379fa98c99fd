import type { Hold } from '../../../src/core/holds/index.js';
import type { LedgerState, Member, PoolSummary, Posting, PostingContext, Transfer } from '../../../src/core/ledger/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import { OPEN_PURCHASE_STATES } from '../../../src/core/purchases/index.js';
import {
  SYSTEM_ACCOUNTS,
  accountsTouched,
  applyPosting,
  auditEntryOf,
  heldAccount,
  heldMemberIdOf,
  isHeldAccount,
  isMemberAccount,
  memberIdOf,
  poolSummaryAfter,
  poolSummaryOf,
} from '../../../src/core/ledger/index.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/ids.js';
import type { Command, CommandOutcome, Decision } from '../../ports/ledger-store.js';
import { FenceLostError, StorageUnavailableError } from '../../ports/ledger-store.js';
import type { Row } from './entities.js';
import {
  accountRow,
  auditRow,
  eventFromRow,
  eventRow,
  holdFromRow,
  holdRow,
  idempotencyFromRow,
  idempotencyRow,
  lotFromRow,
  outboxRow,
  lotRow,
  memberFromRow,
  memberRow,
  poolSummaryFromRow,
  purchaseFromRow,
  purchaseRow,
  settingsFromRow,
  settingsRow,
  transferBundleRow,
  transferRow,
  withAuditLine,
  withPoolSummary,
} from './entities.js';
import type { EntityTable, RowQuery, TableAction } from './entity-table.js';
import { MAX_TRANSACTION_ACTIONS, RowConflictError } from './entity-table.js';
import { rowKeys } from './row-keys.js';

interface Pending {
  command: Command;
  resolve(outcome: CommandOutcome): void;
  reject(error: unknown): void;
  /** After a conflict or an unknown outcome, look for the idempotency marker before deciding again. */
  precheck: boolean;
  /** The marker was looked for and not found, so a refusal may be answered as it is. */
  markerChecked?: boolean;
  /** Its fence was read again after the cache said someone else holds it. */
  fenceReread?: boolean;
  /**
   * The rows its decision rests on were dropped from the cache after it was queued, so every one of them
   * it is decided on now was read from storage (or written by us) since: a refusal may rest on them.
   */
  readFresh?: boolean;
  attempts: number;
}

interface Accepted {
  pending: Pending;
  decision: Decision;
}

export interface CommitterOptions {
  table: EntityTable;
  tenant: string;
  clock: Clock;
  ids: IdGenerator;
  defaultPolicy: Policy;
  /** Attempts per command before storage counts as unavailable. */
  maxAttempts: number;
  sleep?: (ms: number) => Promise<void>;
}

/** How long an accepted decision may rest on cached settings; a refusal always re-reads them. */
const SETTINGS_TTL_MS = 30_000;

/** The pool-draw events a pool summary is first made from: the newest this many events, as the pool page read them before it had one. */
const SUMMARY_FIRST_EVENTS = 200;
const POOL_ROW = rowKeys.account('pool');

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Group commit for one tenant's partition. Commands queue up while a transaction is in flight; the next
 * round decides them one after another against one state and writes them in one entity-group transaction
 * (at most 100 rows), with If-Match on every row it changes. A 412 (someone else wrote) reloads and
 * decides again; a 409 (a marker exists) looks for the first result; no answer from storage is retried,
 * since the idempotency marker tells afterwards whether the write landed.
 *
 * The rows (with their ETags) stay cached for the life of the process, the settings for SETTINGS_TTL_MS.
 * Other instances write the same partition, so the cache may be old: an acceptance is safe anyway (its
 * If-Match fails on a row someone else changed), a refusal is not. So a command refused on cached rows has
 * them dropped and is decided again on rows read from storage after it arrived; only that refusal is answered.
 */
export class GroupCommitter {
  private readonly queue: Pending[] = [];
  private running = false;
  /** Last known rows with their ETags; `null` means known to be missing. */
  private readonly cache = new Map<string, Row | null>();
  private lotsLoaded = false;
  /** Members whose open holds are all in the cache (loaded when their row shows something held). */
  private readonly openHoldsLoaded = new Set<string>();
  /** The hold rows in the cache. */
  private readonly holdKeys = new Set<string>();
  private settingsReadAt = -Infinity;
  /** When the purchases on their way were last listed (their rows are in the cache since). */
  private openPurchasesReadAt = -Infinity;
  /** The pool summary made from the rows themselves, while the pool's row has none (see loadPoolSummary). */
  private scannedPoolSummary: PoolSummary | undefined;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: CommitterOptions) {
    this.sleep = options.sleep ?? delay;
  }

  /** The outcome answers what this command decided (a replay: what the same command decided the first time). */
  submit<T>(command: Command<T>): Promise<CommandOutcome<T>> {
    return new Promise<CommandOutcome>((resolve, reject) => {
      this.queue.push({ command, resolve, reject, precheck: false, attempts: 0 });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    }) as Promise<CommandOutcome<T>>;
  }

  /** Forgets cached rows, e.g. after another writer is known to have changed them. */
  invalidate(): void {
    this.cache.clear();
    this.lotsLoaded = false;
    this.openPurchasesReadAt = -Infinity;
    this.openHoldsLoaded.clear();
    this.holdKeys.clear();
    this.scannedPoolSummary = undefined;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.round();
    } finally {
      this.running = false;
      if (this.queue.length > 0) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    }
  }

  private async round(): Promise<void> {
    if (this.backoff) {
      await this.backoff;
      this.backoff = undefined;
    }
    const batch = this.queue.splice(0, this.queue.length);
    let live: Pending[];
    try {
      const settled = await this.precheck(batch.filter((p) => p.precheck));
      live = batch.filter((p) => !settled.has(p));
      await this.load(live);
    } catch (error) {
      this.retryLater(batch, error);
      return;
    }
    if (live.length === 0) return;
    let planned: ReturnType<GroupCommitter['plan']>;
    try {
      planned = this.plan(live);
    } catch (error) {
      // A bug in a decision, not a storage problem: fail these commands and carry on with the rest.
      for (const p of live) p.reject(error);
      return;
    }
    const { accepted, actions, deferred, rowsAfter, stale } = planned;
    this.forgetRowsOf(stale);
    this.queue.unshift(...deferred);
    if (accepted.length === 0) return;

    try {
      const etags = await this.options.table.transact(this.options.tenant, actions);
      for (const [rowKey, row] of rowsAfter) {
        const etag = etags.get(rowKey);
        if (etag) this.cache.set(rowKey, { ...row, etag });
        else this.cache.delete(rowKey);
        if (etag && rowKey.startsWith('hold|')) this.holdKeys.add(rowKey);
      }
      // The pool row has its summary now (every transaction writes it while it has none).
      this.scannedPoolSummary = undefined;
      for (const { pending, decision } of accepted) {
        pending.resolve({ kind: 'committed', answer: decision.answer, postingId: decision.posting.id, replayed: false });
      }
    } catch (error) {
      const pendings = accepted.map((a) => a.pending);
      if (error instanceof RowConflictError) this.retryAfterConflict(pendings, error.status);
      else this.retryLater(pendings, error);
    }
  }

  /** 412 or 404: someone else changed a row, so reload and decide again. 409: a marker or claim exists: find whose. */
  private retryAfterConflict(pendings: Pending[], status: 404 | 409 | 412): void {
    this.invalidate();
    const back: Pending[] = [];
    for (const p of pendings) {
      p.attempts++;
      // Its own write may have landed (an answer lost, then a retry that met its own rows): a refusal
      // from now on must look for the marker first, or a change that was stored is answered as refused.
      p.markerChecked = false;
      p.readFresh = true;
      if (status === 409) p.precheck = true;
      if (p.attempts >= this.options.maxAttempts * 4) p.reject(new StorageUnavailableError('The ledger is too busy to take this change; try again.'));
      else back.push(p);
    }
    this.queue.unshift(...back);
    this.backoff = this.sleep(Math.random() * 5);
  }

  /** Storage did not answer: whether the write landed is unknown until the marker is read again. */
  private retryLater(pendings: Pending[], error: unknown): void {
    this.invalidate();
    const back: Pending[] = [];
    for (const p of pendings) {
      p.attempts++;
      p.precheck = true;
      p.markerChecked = false;
      p.readFresh = true;
      if (!(error instanceof StorageUnavailableError) || p.attempts >= this.options.maxAttempts) p.reject(error);
      else back.push(p);
    }
    this.queue.unshift(...back);
    if (back.length > 0) {
      const attempt = Math.max(...back.map((p) => p.attempts));
      this.backoff = this.sleep(Math.min(1000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }

  private backoff: Promise<void> | undefined;

  /** Resolves the commands whose marker (or claim) already exists; returns those it settled. */
  private async precheck(pendings: Pending[]): Promise<Set<Pending>> {
    const settled = new Set<Pending>();
    await Promise.all(
      pendings.map(async (p) => {
        const { caller, key, fingerprint } = p.command.idempotency;
        const marker = await this.options.table.get(this.options.tenant, rowKeys.idempotency(caller, key));
        if (marker) {
          const record = idempotencyFromRow(marker);
          settled.add(p);
          if (record.fingerprint !== fingerprint) p.resolve({ kind: 'idempotency_conflict' });
          else p.resolve({ kind: 'committed', answer: record.answer, postingId: record.postingId, replayed: true });
          return;
        }
        const decision = p.command.decide(await this.stateFor([p]), this.contextFor(p));
        for (const claim of decision.ok ? decision.value.posting.claims : []) {
          if (await this.options.table.get(this.options.tenant, rowKeys.claim(claim))) {
            settled.add(p);
            p.resolve({ kind: 'claim_conflict', claim });
            return;
          }
        }
        p.precheck = false;
        p.markerChecked = true;
      }),
    );
    return settled;
  }

  /**
   * A posting is stamped after the last one that changed any member it needs, even when that one was
   * decided by another instance (clock skew, or the same millisecond): a person's postings are then in
   * order by time, which the invariants' own-credits-first replay relies on.
   */
  private contextFor(p: Pending) {
    let now = this.options.clock.now().toISOString();
    for (const id of p.command.needs.members ?? []) {
      const lastAt = this.cache.get(rowKeys.member(id))?.lastAt;
      if (typeof lastAt === 'string' && lastAt >= now) now = new Date(Date.parse(lastAt) + 1).toISOString();
    }
    return { postingId: this.options.ids.next(), now, actor: p.command.actor, policy: this.policy() };
  }

  private async stateFor(pendings: Pending[]): Promise<LedgerState> {
    await this.load(pendings);
    return this.state(pendings);
  }

  private async loadRow(rowKey: string): Promise<void> {
    if (this.cache.has(rowKey)) return;
    const row = await this.options.table.get(this.options.tenant, rowKey);
    this.cache.set(rowKey, row ?? null);
    if (row && rowKey.startsWith('hold|')) this.holdKeys.add(rowKey);
  }

  private async load(pendings: Pending[]): Promise<void> {
    // Settings change rarely and through any instance: re-read them now and then rather than per posting.
    if (performance.now() - this.settingsReadAt > SETTINGS_TTL_MS) {
      this.cache.delete(rowKeys.settings());
      this.settingsReadAt = performance.now();
    }
    // First: it drops the cached purchase rows, which the loads below may need.
    if (performance.now() - this.openPurchasesReadAt > SETTINGS_TTL_MS && pendings.some((p) => p.command.needs.openPurchases)) await this.loadOpenPurchases();
    const loads: Promise<void>[] = [...this.rowKeysOf(pendings)].map((k) => this.loadRow(k));
    if (!this.lotsLoaded && pendings.some((p) => p.command.needs.lots)) loads.push(this.loadLots());
    await Promise.all(loads);
    // A member who holds something: their open holds, so that a usage can settle them (DESIGN 3.5).
    const holders = new Set<string>();
    for (const p of pendings) {
      for (const id of p.command.needs.members ?? []) {
        if (!this.openHoldsLoaded.has(id) && Number(this.cache.get(rowKeys.member(id))?.held ?? 0) > 0) holders.add(id);
      }
    }
    await Promise.all([...holders].map((id) => this.loadOpenHolds(id)));
    // The lots the open holds named by id draw on, as stored now: a usage may have re-backed one from the pool
    // since the command read it (a lot that is in the cache is the one the If-Match checks).
    await Promise.all([...this.lotsOfNamedHolds(pendings)].map((id) => this.loadRow(rowKeys.lot(id))));
    if (!poolSummaryFromRow(this.cache.get(POOL_ROW)) && !this.scannedPoolSummary) await this.loadPoolSummary();
  }

  /**
   * A pool row without a summary (a tenant from before there were summaries, or a new one): the summary is
   * made from the rows and written with the next transaction, on the pool row with If-Match (or created):
   * any posting elsewhere that changed what it sums wrote that row too, so a summary made from rows read
   * before such a posting cannot be stored.
   */
  private async loadPoolSummary(): Promise<void> {
    const all = async (query: RowQuery, most = Infinity) => {
      const rows: Row[] = [];
      let continuation: string | undefined;
      do {
        const page = await this.options.table.query(this.options.tenant, query, { continuation, limit: Math.min(1000, most - rows.length) });
        rows.push(...page.rows);
        continuation = page.continuation;
      } while (continuation && rows.length < most);
      return rows;
    };
    const [members, openHolds, lots, purchases, events] = await Promise.all([
      all({ prefix: 'member|', where: { state: 'registered' } }),
      all({ prefix: 'hold|', where: { state: 'held' } }),
      all({ prefix: 'lot|' }),
      all({ prefix: 'purchase|', where: { state: 'applied' } }),
      all({ prefix: 'event|' }, SUMMARY_FIRST_EVENTS),
    ]);
    this.scannedPoolSummary = poolSummaryOf({
      members: members.map(memberFromRow),
      openHolds: openHolds.map(holdFromRow),
      lots: lots.map(lotFromRow),
      purchases: purchases.map(purchaseFromRow),
      draws: events.map(eventFromRow),
    });
  }

  /** The single rows the commands are decided on: settings, system accounts, fences, their members, purchases and holds. */
  private rowKeysOf(pendings: Pending[]): Set<string> {
    const keys = new Set<string>([rowKeys.settings(), ...SYSTEM_ACCOUNTS.map((a) => rowKeys.account(a))]);
    for (const p of pendings) {
      if (p.command.fence) keys.add(p.command.fence.rowKey);
      for (const id of p.command.needs.members ?? []) keys.add(rowKeys.member(id));
      for (const id of p.command.needs.purchases ?? []) keys.add(rowKeys.purchase(id));
      for (const id of p.command.needs.holds ?? []) keys.add(rowKeys.hold(id));
      for (const email of p.command.needs.emails ?? []) keys.add(rowKeys.email(email));
    }
    return keys;
  }

  /** Drops every cached row these commands are decided on (the lots and their members' open holds too): the next round reads them from storage. */
  private forgetRowsOf(pendings: Pending[]): void {
    if (pendings.length === 0) return;
    for (const key of this.rowKeysOf(pendings)) {
      this.cache.delete(key);
      this.holdKeys.delete(key);
    }
    const members = new Set(pendings.flatMap((p) => p.command.needs.members ?? []));
    for (const key of this.holdKeys) {
      if (members.has(String(this.cache.get(key)?.memberId))) {
        this.cache.delete(key);
        this.holdKeys.delete(key);
      }
    }
    for (const id of members) this.openHoldsLoaded.delete(id);
    if (pendings.some((p) => p.command.needs.lots)) {
      for (const key of this.cache.keys()) if (key.startsWith('lot|')) this.cache.delete(key);
      this.lotsLoaded = false;
    }
    if (pendings.some((p) => p.command.needs.openPurchases)) this.openPurchasesReadAt = -Infinity;
  }

  private async loadOpenHolds(memberId: string): Promise<void> {
    let continuation: string | undefined;
    do {
      const page = await this.options.table.query(this.options.tenant, { prefix: 'hold|', where: { memberId, state: 'held' } }, { continuation, limit: 1000 });
      for (const row of page.rows) {
        this.cache.set(row.rowKey, row);
        this.holdKeys.add(row.rowKey);
      }
      continuation = page.continuation;
    } while (continuation);
    this.openHoldsLoaded.add(memberId);
  }

  /**
   * Lists the purchases on their way, instead of each request listing them: a pool draw that crosses the low
   * line needs them. The cached purchase rows are dropped first, so one that left the open states elsewhere
   * no longer counts.
   */
  private async loadOpenPurchases(): Promise<void> {
    const readAt = performance.now();
    const rows: Row[] = [];
    await Promise.all(
      OPEN_PURCHASE_STATES.map(async (state) => {
        let continuation: string | undefined;
        do {
          const page = await this.options.table.query(this.options.tenant, { prefix: 'purchase|', where: { state } }, { continuation, limit: 1000 });
          rows.push(...page.rows);
          continuation = page.continuation;
        } while (continuation);
      }),
    );
    for (const key of this.cache.keys()) if (key.startsWith('purchase|')) this.cache.delete(key);
    for (const row of rows) this.cache.set(row.rowKey, row);
    this.openPurchasesReadAt = readAt;
  }

  private async loadLots(): Promise<void> {
    let continuation: string | undefined;
    do {
      const page = await this.options.table.query(this.options.tenant, { prefix: 'lot|' }, { continuation, limit: 1000 });
      for (const row of page.rows) this.cache.set(row.rowKey, row);
      continuation = page.continuation;
    } while (continuation);
    this.lotsLoaded = true;
  }

  private policy(): Policy {
    const row = this.cache.get(rowKeys.settings());
    return row ? settingsFromRow(row) : this.options.defaultPolicy;
  }

  private state(pendings: Pending[]): LedgerState {
    const state: LedgerState = { balances: {}, members: {}, lots: [], purchases: {}, holds: {} };
    for (const account of SYSTEM_ACCOUNTS) state.balances[account] = Number(this.cache.get(rowKeys.account(account))?.balance ?? 0);
    for (const p of pendings) {
      for (const id of p.command.needs.members ?? []) {
        const row = this.cache.get(rowKeys.member(id));
        if (!row) continue;
        const { member, own } = memberFromRow(row);
        state.members[id] = member;
        state.balances[`member:${id}`] = own;
        state.balances[heldAccount(id)] = member.held;
      }
      for (const id of p.command.needs.purchases ?? []) {
        const row = this.cache.get(rowKeys.purchase(id));
        if (row) state.purchases[id] = purchaseFromRow(row);
      }
      for (const hold of this.namedHolds(p)) state.holds[hold.id] = hold;
    }
    // The cached holds of the members decided on: all their open ones once their holds are loaded.
    const members = new Set(pendings.flatMap((p) => p.command.needs.members ?? []));
    if (members.size > 0) {
      for (const key of this.holdKeys) {
        const row = this.cache.get(key);
        if (!row || !members.has(String(row.memberId))) continue;
        const hold = holdFromRow(row);
        state.holds[hold.id] = hold;
      }
    }
    if (pendings.some((p) => p.command.needs.openPurchases)) {
      for (const [key, row] of this.cache) {
        if (!key.startsWith('purchase|') || !row) continue;
        const purchase = purchaseFromRow(row);
        if ((OPEN_PURCHASE_STATES as readonly string[]).includes(purchase.state)) state.purchases[purchase.id] = purchase;
      }
    }
    if (pendings.some((p) => p.command.needs.lots)) {
      for (const [key, row] of this.cache) if (key.startsWith('lot|') && row) state.lots.push(lotFromRow(row));
    } else {
      for (const id of this.lotsOfNamedHolds(pendings)) {
        const row = this.cache.get(rowKeys.lot(id));
        if (row) state.lots.push(lotFromRow(row));
      }
    }
    state.lots.sort((a, b) => a.appliedAt.localeCompare(b.appliedAt) || a.id.localeCompare(b.id));
    return state;
  }

  /** The holds a command names by id, as cached. */
  private namedHolds(p: Pending): Hold[] {
    const holds: Hold[] = [];
    for (const id of p.command.needs.holds ?? []) {
      const row = this.cache.get(rowKeys.hold(id));
      if (row) holds.push(holdFromRow(row));
    }
    return holds;
  }

  /** The lots the open holds the commands name by id draw on: releasing one gives its pool part back to them. */
  private lotsOfNamedHolds(pendings: Pending[]): Set<string> {
    const lots = new Set<string>();
    for (const p of pendings) {
      for (const hold of this.namedHolds(p)) {
        if (hold.state !== 'held') continue;
        for (const part of hold.poolLots) if (part.lotId !== undefined) lots.add(part.lotId);
      }
    }
    return lots;
  }

  /** Decides the commands in order against one evolving state and collects the rows to write. */
  private plan(pendings: Pending[]) {
    let state = this.state(pendings);
    const tenant = this.options.tenant;
    const storedSummary = poolSummaryFromRow(this.cache.get(POOL_ROW));
    let summary = storedSummary ?? this.scannedPoolSummary;
    if (!summary) throw new Error('The pool summary was not loaded.');
    const updates = new Map<string, Row>();
    const creates = new Map<string, Row>();
    const accepted: Accepted[] = [];
    const deferred: Pending[] = [];
    const markers = new Set<string>();
    /** Refused before their marker was looked for, or on cached rows: looked at again before a refusal is answered. */
    const recheck: Pending[] = [];
    /** Refused on rows cached before they arrived: those rows are read again, then they are decided again. */
    const stale: Pending[] = [];

    for (const pending of pendings) {
      if (deferred.length > 0) {
        deferred.push(pending);
        continue;
      }
      const { caller, key, fingerprint } = pending.command.idempotency;
      const markerKey = rowKeys.idempotency(caller, key);
      if (markers.has(markerKey)) {
        // The same request twice in one round: the second waits and will replay the first.
        pending.precheck = true;
        deferred.push(pending);
        continue;
      }
      const { fence } = pending.command;
      if (fence && this.cache.get(fence.rowKey)?.[fence.field] !== fence.holder) {
        // The cached row may be older than the holder's claim (written elsewhere): read it again first.
        if (pending.fenceReread) pending.reject(new FenceLostError(fence));
        else {
          pending.fenceReread = true;
          this.cache.delete(fence.rowKey);
          deferred.push(pending);
        }
        continue;
      }
      const ctx = this.contextFor(pending);
      const result = pending.command.decide(state, ctx);
      if (!result.ok) {
        if (pending.markerChecked && pending.readFresh) pending.resolve({ kind: 'refused', error: result.error });
        else {
          // A repeat of an earlier request must replay, not be refused; another instance may have changed the rows.
          if (!pending.markerChecked) pending.precheck = true;
          if (!pending.readFresh) {
            pending.readFresh = true;
            stale.push(pending);
          }
          recheck.push(pending);
        }
        continue;
      }
      const decision = result.value;
      const next = applyPosting(state, decision.posting);
      const rowUpdates = this.changedRows(decision.posting, next, ctx.now);
      // Rewritten as it is, with If-Match: the transaction fails if someone took the fence meanwhile.
      if (fence) rowUpdates.set(fence.rowKey, { partitionKey: tenant, rowKey: fence.rowKey, [fence.field]: fence.holder });
      // What the pool page shows changes with the pool's row, in the same transaction (a missing summary is written at once).
      const nextSummary = poolSummaryAfter(summary, state, next, decision.posting);
      if (nextSummary !== summary || !storedSummary) rowUpdates.set(POOL_ROW, accountRow(tenant, 'pool', next.balances.pool ?? 0));
      const rowCreates = this.insertedRows(decision.posting, { caller, key, fingerprint }, decision, ctx);
      const newKeys = [...rowUpdates.keys()].filter((k) => !updates.has(k)).length + rowCreates.length;
      const clash = rowCreates.some((r) => creates.has(r.rowKey));
      if (clash || updates.size + creates.size + newKeys > MAX_TRANSACTION_ACTIONS) {
        if (clash) pending.precheck = true;
        deferred.push(pending);
        continue;
      }
      for (const [k, row] of rowUpdates) updates.set(k, row);
      for (const row of rowCreates) creates.set(row.rowKey, row);
      markers.add(markerKey);
      state = next;
      summary = nextSummary;
      accepted.push({ pending, decision });
    }

    const poolRow = updates.get(POOL_ROW);
    if (poolRow) updates.set(POOL_ROW, withPoolSummary(poolRow, summary));
    const actions: TableAction[] = [];
    for (const [rowKey, row] of updates) {
      const cached = this.cache.get(rowKey);
      actions.push(cached?.etag ? { kind: 'update', row, etag: cached.etag } : { kind: 'create', row });
    }
    for (const row of creates.values()) actions.push({ kind: 'create', row });
    return { accepted, actions, deferred: [...recheck, ...deferred], rowsAfter: updates, stale, tenant };
  }

  /** Rows with state (balances, members, lots, purchases, settings) that the posting changes. */
  private changedRows(posting: Posting, next: LedgerState, at: string): Map<string, Row> {
    const tenant = this.options.tenant;
    const rows = new Map<string, Row>();
    const memberIds = new Set([...(posting.joined ?? []), ...posting.members].map((m) => m.id));
    for (const account of accountsTouched(posting)) {
      // A member's own and held balances live on their row.
      if (isMemberAccount(account)) memberIds.add(memberIdOf(account));
      else if (isHeldAccount(account)) memberIds.add(heldMemberIdOf(account));
      else rows.set(rowKeys.account(account), accountRow(tenant, account, next.balances[account] ?? 0));
    }
    for (const id of memberIds) {
      const member: Member | undefined = next.members[id];
      if (!member) throw new Error(`Posting ${posting.id} moves member ${id}, whose record was not loaded.`);
      rows.set(rowKeys.member(id), memberRow(tenant, member, next.balances[`member:${id}`] ?? 0, at));
    }
    for (const lot of posting.lots) rows.set(rowKeys.lot(lot.id), lotRow(tenant, lot));
    for (const purchase of posting.purchases) rows.set(rowKeys.purchase(purchase.id), purchaseRow(tenant, purchase));
    for (const hold of posting.holds) rows.set(rowKeys.hold(hold.id), holdRow(tenant, hold));
    if (posting.policy) rows.set(rowKeys.settings(), settingsRow(tenant, posting.policy));
    return rows;
  }

  /** Rows the posting only adds: transfers (and their per-member copies), events with their outbox rows, claims, the audit line (on a transfer row when it has one), the marker. */
  private insertedRows(posting: Posting, idem: Command['idempotency'], decision: Decision, ctx: PostingContext): Row[] {
    const tenant = this.options.tenant;
    const rows: Row[] = [];
    /** The posting's own transfer row that carries its audit line (see withAuditLine), if it has one. */
    let carrier = -1;
    if (posting.packed) {
      // An import posts hundreds of rows: one record for the tenant's list, one per member for their history.
      const byMember = new Map<string, Transfer[]>();
      for (const t of posting.transfers) if (t.memberId) byMember.set(t.memberId, [...(byMember.get(t.memberId) ?? []), t]);
      if (posting.transfers.length > 0) rows.push(transferBundleRow(tenant, rowKeys.transfer(posting.id), '', posting.transfers));
      for (const [memberId, transfers] of byMember) rows.push(transferBundleRow(tenant, rowKeys.memberTransfer(memberId, posting.id), memberId, transfers));
    } else {
      for (const t of posting.transfers) {
        if (carrier === -1 && t.id.startsWith(`${posting.id}.`)) carrier = rows.length;
        rows.push(transferRow(tenant, rowKeys.transfer(t.id), t));
        if (t.memberId) rows.push(transferRow(tenant, rowKeys.memberTransfer(t.memberId, t.id), t));
      }
    }
    for (const e of posting.events) rows.push(eventRow(tenant, e), outboxRow(tenant, e));
    for (const claim of posting.claims) rows.push({ partitionKey: tenant, rowKey: rowKeys.claim(claim), postingId: posting.id });
    // A new member is found by their address, unless the command found it already taken (another member record keeps it).
    for (const m of posting.joined ?? []) if (this.cache.get(rowKeys.email(m.email)) === null) rows.push({ partitionKey: tenant, rowKey: rowKeys.email(m.email), memberId: m.id });
    const audit = auditEntryOf(posting, ctx);
    const carried = audit && carrier !== -1 ? withAuditLine(rows[carrier]!, audit) : undefined;
    if (carried) rows[carrier] = carried;
    else if (audit) rows.push(auditRow(tenant, audit));
    rows.push(
      idempotencyRow(tenant, idem.caller, idem.key, {
        fingerprint: idem.fingerprint,
        answer: decision.answer,
        postingId: posting.id,
      }),
    );
    return rows;
  }
}

