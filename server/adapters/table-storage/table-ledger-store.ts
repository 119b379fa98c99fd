import type { FeedEvent } from '../../../src/core/feed/index.js';
import type { Hold, HoldState } from '../../../src/core/holds/index.js';
import type {
  AuditEntry,
  LedgerSnapshot,
  Member,
  PoolSummary,
  RegistrationState,
  Transfer,
  Units,
} from '../../../src/core/ledger/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import type { Lot, Purchase, PurchaseState } from '../../../src/core/purchases/index.js';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/ids.js';
import type { Command, CommandOutcome, LedgerStore, MemberWithBalance, Page, PageRequest } from '../../ports/ledger-store.js';
import type { Row } from './entities.js';
import { CARRIES_AUDIT, auditFromRow, carriedAuditFromRow, eventFromRow, holdFromRow, lotFromRow, memberFromRow, memberRow, poolSummaryFromRow, purchaseFromRow, settingsFromRow, transferFromRow, transfersFromRow } from './entities.js';
import type { EntityTable, RowQuery } from './entity-table.js';
import { RowConflictError } from './entity-table.js';
import { InvalidCursorError } from '../../ports/ledger-store.js';
import { GroupCommitter } from './group-committer.js';
import { rowKeys } from './row-keys.js';

export interface TableLedgerStoreOptions {
  table: EntityTable;
  clock: Clock;
  ids: IdGenerator;
  defaultPolicy: Policy;
  maxAttempts?: number;
}

const DEFAULT_PAGE = 50;

/** An audit page's cursor names the last posting it listed. */
const AUDIT_CURSOR = /^after\.([0-9A-Za-z._:-]{1,200})$/;

/** The ledger on one table, one partition per tenant (DESIGN 4.1), over Azure Table Storage or the in-memory table. */
export class TableLedgerStore implements LedgerStore {
  private readonly committers = new Map<string, GroupCommitter>();

  constructor(private readonly options: TableLedgerStoreOptions) {}

  private committer(tenant: string): GroupCommitter {
    let committer = this.committers.get(tenant);
    if (!committer) {
      committer = new GroupCommitter({ ...this.options, tenant, maxAttempts: this.options.maxAttempts ?? 5 });
      this.committers.set(tenant, committer);
    }
    return committer;
  }

  ping(): Promise<void> {
    return this.options.table.ping();
  }

  execute<T>(tenant: string, command: Command<T>): Promise<CommandOutcome<T>> {
    return this.committer(tenant).submit(command);
  }

  /** Creates first and reads only on a conflict: callers have usually just looked for the row already. */
  async ensureMember(tenant: string, member: Member): Promise<Member> {
    try {
      await this.options.table.transact(tenant, [
        { kind: 'create', row: memberRow(tenant, member, 0) },
        { kind: 'create', row: { partitionKey: tenant, rowKey: rowKeys.email(member.email), memberId: member.id } },
      ]);
      return member;
    } catch (error) {
      if (!(error instanceof RowConflictError)) throw error;
      const raced = await this.getMember(tenant, member.id);
      if (raced) return raced.member;
      // The email belongs to another member record already: keep the new person without the index row.
      await this.options.table.create(memberRow(tenant, member, 0)).catch((e: unknown) => {
        if (!(e instanceof RowConflictError)) throw e;
      });
      return (await this.getMember(tenant, member.id))?.member ?? member;
    }
  }

  async getMember(tenant: string, id: string): Promise<MemberWithBalance | undefined> {
    const row = await this.options.table.get(tenant, rowKeys.member(id));
    return row ? memberFromRow(row) : undefined;
  }

  async findMemberIdByEmail(tenant: string, email: string): Promise<string | undefined> {
    const row = await this.options.table.get(tenant, rowKeys.email(email));
    return row ? String(row.memberId) : undefined;
  }

  private async page<T>(tenant: string, query: RowQuery, request: PageRequest, map: (row: Row) => T): Promise<Page<T>> {
    const result = await this.options.table.query(tenant, query, { continuation: request.cursor, limit: request.limit ?? DEFAULT_PAGE });
    return { items: result.rows.map(map), nextCursor: result.continuation ?? null };
  }

  private async all<T>(tenant: string, prefix: string, map: (row: Row) => T): Promise<T[]> {
    const items: T[] = [];
    let continuation: string | undefined;
    do {
      const result = await this.options.table.query(tenant, { prefix }, { continuation, limit: 1000 });
      items.push(...result.rows.map(map));
      continuation = result.continuation;
    } while (continuation);
    return items;
  }

  listMembers(tenant: string, filter: { state?: RegistrationState | undefined }, page: PageRequest): Promise<Page<MemberWithBalance>> {
    return this.page(tenant, { prefix: 'member|', ...(filter.state ? { where: { state: filter.state } } : {}) }, page, memberFromRow);
  }

  async getBalance(tenant: string, account: string): Promise<Units> {
    const row = await this.options.table.get(tenant, rowKeys.account(account));
    return Number(row?.balance ?? 0);
  }

  async getPoolSummary(tenant: string): Promise<{ balance: Units; summary: PoolSummary | undefined }> {
    const row = await this.options.table.get(tenant, rowKeys.account('pool'));
    return { balance: Number(row?.balance ?? 0), summary: poolSummaryFromRow(row) };
  }

  async getSettings(tenant: string): Promise<Policy | undefined> {
    const row = await this.options.table.get(tenant, rowKeys.settings());
    return row ? settingsFromRow(row) : undefined;
  }

  /** A transfer's own row, or else the packed row of its posting (`{postingId}.{nn}`). */
  async getTransfer(tenant: string, id: string): Promise<Transfer | undefined> {
    const row = await this.options.table.get(tenant, rowKeys.transfer(id));
    if (row) return transferFromRow(row);
    const dot = id.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const packed = await this.options.table.get(tenant, rowKeys.transfer(id.slice(0, dot)));
    return packed?.code === 'bundle' ? transfersFromRow(packed).find((t) => t.id === id) : undefined;
  }

  /** Single rows and packed ones: a page may hold more than `limit` transfers. */
  async listTransfers(tenant: string, filter: { memberId?: string | undefined }, page: PageRequest): Promise<Page<Transfer>> {
    const prefix = filter.memberId ? `mx|${filter.memberId}|` : 'xfer|';
    const result = await this.page(tenant, { prefix }, page, transfersFromRow);
    return { items: result.items.flat(), nextCursor: result.nextCursor };
  }

  async listLots(tenant: string): Promise<Lot[]> {
    const lots = await this.all(tenant, 'lot|', lotFromRow);
    return lots.sort((a, b) => a.appliedAt.localeCompare(b.appliedAt) || a.id.localeCompare(b.id));
  }

  async getHold(tenant: string, id: string): Promise<Hold | undefined> {
    const row = await this.options.table.get(tenant, rowKeys.hold(id));
    return row ? holdFromRow(row) : undefined;
  }

  listHolds(tenant: string, filter: { memberId?: string | undefined; state?: HoldState | undefined }, page: PageRequest): Promise<Page<Hold>> {
    const where: Record<string, string> = {};
    if (filter.memberId) where.memberId = filter.memberId;
    if (filter.state) where.state = filter.state;
    return this.page(tenant, { prefix: 'hold|', ...(Object.keys(where).length > 0 ? { where } : {}) }, page, holdFromRow);
  }

  async getPurchase(tenant: string, id: string): Promise<Purchase | undefined> {
    const row = await this.options.table.get(tenant, rowKeys.purchase(id));
    return row ? purchaseFromRow(row) : undefined;
  }

  listPurchases(tenant: string, filter: { state?: PurchaseState | undefined }, page: PageRequest): Promise<Page<Purchase>> {
    return this.page(tenant, { prefix: 'purchase|', ...(filter.state ? { where: { state: filter.state } } : {}) }, page, purchaseFromRow);
  }

  listEvents(tenant: string, page: PageRequest): Promise<Page<FeedEvent>> {
    return this.page(tenant, { prefix: 'event|' }, page, eventFromRow);
  }

  /**
   * Newest first: the lines of their own (`audit|{posting}`: an import's, a posting without transfers, and
   * every line written before lines rode on transfer rows) merged with the lines transfer rows carry
   * (`xfer|{posting}.{nn}`); both come in posting-id order.
   */
  async listAudit(tenant: string, page: PageRequest): Promise<Page<AuditEntry>> {
    const limit = page.limit ?? DEFAULT_PAGE;
    let after: string | undefined;
    if (page.cursor !== undefined) {
      const match = AUDIT_CURSOR.exec(page.cursor);
      if (!match) throw new InvalidCursorError();
      after = match[1]!;
    }
    const [own, carried] = await Promise.all([
      this.firstRows(tenant, { prefix: 'audit|', ...(after !== undefined ? { after: rowKeys.audit(after) } : {}) }, limit + 1),
      // `.~` sorts after every transfer of that posting (`.00`, `.01` …) and before the next posting's.
      this.firstRows(tenant, { prefix: 'xfer|', where: { ...CARRIES_AUDIT }, ...(after !== undefined ? { after: `${rowKeys.transfer(after)}.~` } : {}) }, limit + 1),
    ]);
    const entries = [...own.map(auditFromRow), ...carried.map(carriedAuditFromRow)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const items = entries.slice(0, limit);
    return { items, nextCursor: entries.length > limit ? `after.${items.at(-1)!.id}` : null };
  }

  /** The first `count` rows of a query, over as many service pages as that takes (a filtered page may come back short). */
  private async firstRows(tenant: string, query: RowQuery, count: number): Promise<Row[]> {
    const rows: Row[] = [];
    let continuation: string | undefined;
    do {
      const result = await this.options.table.query(tenant, query, { continuation, limit: count - rows.length });
      rows.push(...result.rows);
      continuation = result.continuation;
    } while (continuation && rows.length < count);
    return rows;
  }

  async snapshot(tenant: string): Promise<LedgerSnapshot> {
    const [accounts, members, lots, purchases, transfers, events, holds] = await Promise.all([
      this.all(tenant, 'acct|', (row) => [row.rowKey.slice('acct|'.length), Number(row.balance ?? 0)] as const),
      this.all(tenant, 'member|', memberFromRow),
      this.listLots(tenant),
      this.all(tenant, 'purchase|', purchaseFromRow),
      this.all(tenant, 'xfer|', transfersFromRow).then(writtenOrder),
      this.all(tenant, 'event|', eventFromRow),
      this.all(tenant, 'hold|', holdFromRow),
    ]);
    const balances: Record<string, Units> = Object.fromEntries(accounts);
    for (const { member, own } of members) {
      balances[`member:${member.id}`] = own;
      // The held account lives on the member's row too (DESIGN 3.5).
      if (member.held !== 0) balances[`held:${member.id}`] = member.held;
    }
    return { balances, members: members.map((m) => m.member), lots, purchases: purchases.map((p) => p), transfers, events, holds };
  }
}

/**
 * Transfers in the order they were written, as the invariants replay them: postings by the time they were
 * decided (a person's are stamped in order across instances, see the committer), then newest-first ids
 * reversed (one instance's order within a millisecond); a packed posting's bundle keeps its transfers by
 * usage date for the history, so each posting's are put back in order by their number (`{postingId}.{n}`).
 */
function writtenOrder(rows: Transfer[][]): Transfer[] {
  const byPosting = new Map<string, Transfer[]>();
  for (const t of rows.flat()) {
    const list = byPosting.get(t.postingId);
    if (list) list.push(t);
    else byPosting.set(t.postingId, [t]);
  }
  const number = (t: Transfer) => Number(t.id.slice(t.id.lastIndexOf('.') + 1));
  const postings = [...byPosting.values()].map((transfers) => transfers.sort((a, b) => number(a) - number(b)));
  const at = (transfers: Transfer[]) => transfers[0]!.at;
  const id = (transfers: Transfer[]) => transfers[0]!.postingId;
  return postings.sort((a, b) => at(a).localeCompare(at(b)) || id(b).localeCompare(id(a))).flat();
}
