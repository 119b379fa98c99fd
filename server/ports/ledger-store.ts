import type { FeedEvent } from '../../src/core/feed/index.js';
import type { Hold, HoldState } from '../../src/core/holds/index.js';
import type {
  AuditEntry,
  LedgerSnapshot,
  LedgerState,
  Member,
  PoolSummary,
  Posting,
  PostingContext,
  RegistrationState,
  Transfer,
  Units,
} from '../../src/core/ledger/index.js';
import type { Policy } from '../../src/core/policy/index.js';
import type { Lot, Purchase, PurchaseState } from '../../src/core/purchases/index.js';
import type { DomainError, Result } from '../../src/core/result.js';

export interface PageRequest {
  cursor?: string | undefined;
  limit?: number | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface MemberWithBalance {
  member: Member;
  own: Units;
}

/** What a command's decision needs loaded, besides balances and settings, which are always there. */
export interface Needs {
  members?: string[];
  purchases?: string[];
  /**
   * The purchases on their way (open states), for a draw that crosses the pool's low line. Listed again at
   * most every 30 s, like the settings: an accepted posting may rest on a list that old.
   */
  openPurchases?: boolean;
  lots?: boolean;
  /**
   * Holds by id (DESIGN 3.5). The open holds of every member in `members` who holds something are loaded
   * anyway, so a usage can settle them. The lots an open one named here draws on are loaded with it, as it
   * is stored when the command is decided (a usage may have re-backed it from the pool meanwhile).
   */
  holds?: string[];
  /** Email index entries, for a posting that makes members (`joined`): an address another member has keeps pointing there. */
  emails?: string[];
}

/** A command's decision: what to post, and the answer to give (stored with the idempotency marker, replayed on a repeat). */
export interface Decision<T = unknown> {
  posting: Posting;
  answer: T;
}

/**
 * A row of the tenant's partition that must still name this writer for the posting to land: the
 * transaction rewrites it with If-Match, so a writer that lost it (another took it over) writes nothing.
 * The row is rewritten as `{ [field]: holder }`: a fence row holds that one column.
 */
export interface Fence {
  rowKey: string;
  field: string;
  holder: string;
}

/** A change to the ledger: decided against fresh state inside the store, so group commit can retry it. */
export interface Command<T = unknown> {
  actor: string;
  /** Scoped to the caller; a repeat with the same fingerprint replays, another fingerprint is a conflict. */
  idempotency: { caller: string; key: string; fingerprint: string };
  needs: Needs;
  fence?: Fence;
  decide(state: LedgerState, ctx: PostingContext): Result<Decision<T>>;
}

/** The command's fence names someone else: nothing was written, and the writer should stop. */
export class FenceLostError extends Error {
  constructor(fence: Fence) {
    super(`${fence.rowKey} no longer names ${fence.holder}.`);
    this.name = 'FenceLostError';
  }
}

export type CommandOutcome<T = unknown> =
  | { kind: 'committed'; answer: T; postingId: string; replayed: boolean }
  | { kind: 'refused'; error: DomainError }
  | { kind: 'idempotency_conflict' }
  | { kind: 'claim_conflict'; claim: string };

/** Thrown when storage cannot be reached or keeps failing: the API answers 503. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

/** A paging cursor the API never gave out (or another tenant's): the caller's mistake, answered 400. */
export class InvalidCursorError extends Error {
  constructor(message = 'The cursor is not one this API gave out; start again from the first page.') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}

/** The ledger of one firm per tenant id. */
export interface LedgerStore {
  ping(): Promise<void>;
  execute<T>(tenant: string, command: Command<T>): Promise<CommandOutcome<T>>;
  /** Creates the member row on first sight; returns the stored member either way. */
  ensureMember(tenant: string, member: Member): Promise<Member>;
  getMember(tenant: string, id: string): Promise<MemberWithBalance | undefined>;
  findMemberIdByEmail(tenant: string, email: string): Promise<string | undefined>;
  listMembers(tenant: string, filter: { state?: RegistrationState | undefined }, page: PageRequest): Promise<Page<MemberWithBalance>>;
  getBalance(tenant: string, account: 'pool' | 'contract' | 'reseller' | 'usage' | 'expired'): Promise<Units>;
  /** The pool's balance and, once the ledger's writer keeps one, its summary for the pool page: one point read. */
  getPoolSummary(tenant: string): Promise<{ balance: Units; summary: PoolSummary | undefined }>;
  getSettings(tenant: string): Promise<Policy | undefined>;
  getTransfer(tenant: string, id: string): Promise<Transfer | undefined>;
  listTransfers(tenant: string, filter: { memberId?: string | undefined }, page: PageRequest): Promise<Page<Transfer>>;
  listLots(tenant: string): Promise<Lot[]>;
  getHold(tenant: string, id: string): Promise<Hold | undefined>;
  /** Holds newest first, of one member and/or in one state. */
  listHolds(tenant: string, filter: { memberId?: string | undefined; state?: HoldState | undefined }, page: PageRequest): Promise<Page<Hold>>;
  getPurchase(tenant: string, id: string): Promise<Purchase | undefined>;
  listPurchases(tenant: string, filter: { state?: PurchaseState | undefined }, page: PageRequest): Promise<Page<Purchase>>;
  listEvents(tenant: string, page: PageRequest): Promise<Page<FeedEvent>>;
  /** Who changed what, newest first: one entry per committed change. */
  listAudit(tenant: string, page: PageRequest): Promise<Page<AuditEntry>>;
  /** Everything, for the invariant checker. */
  snapshot(tenant: string): Promise<LedgerSnapshot>;
}
