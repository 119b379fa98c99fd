import type { FeedEvent, OutboxEntry } from '../../../src/core/feed/index.js';
import type { Hold } from '../../../src/core/holds/index.js';
import type { AuditEntry, Member, PoolSummary, Transfer, Units } from '../../../src/core/ledger/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import type { Lot, Purchase } from '../../../src/core/purchases/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { RecordTooLargeError, packJson, unpackJson } from './packed-json.js';
import { rowKeys } from './row-keys.js';

/** A row as stored: records are kept as one JSON column, plus the columns that queries filter on. */
export interface Row {
  partitionKey: string;
  rowKey: string;
  data?: string;
  etag?: string;
  [column: string]: unknown;
}

function parse<T>(row: Row): T {
  return JSON.parse(String(row.data)) as T;
}

export const memberRow = (tenant: string, member: Member, balance: Units, lastAt?: string): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.member(member.id),
  state: member.registration.state,
  email: member.email,
  balance,
  /** What the member holds (their `held:` account), as a column so the committer knows to load their holds. */
  held: member.held,
  /** When the last posting that changed them was decided: the next one is stamped later (see the committer). */
  ...(lastAt ? { lastAt } : {}),
  data: JSON.stringify(member),
});
export const memberFromRow = (row: Row): { member: Member; own: Units } => ({ member: parse<Member>(row), own: Number(row.balance ?? 0) });

export const accountRow = (tenant: string, name: string, balance: Units): Row => ({ partitionKey: tenant, rowKey: rowKeys.account(name), balance });

/** The shape of the pool summary on the pool's row: a row with another one, or none, is summarised again. */
const POOL_SUMMARY_VERSION = 1;
/** The pool's row carries what the pool page shows beside the balance (written in the same transaction as the postings that change it). */
export function withPoolSummary(row: Row, summary: PoolSummary): Row {
  try {
    return { ...row, summary: POOL_SUMMARY_VERSION, ...packJson(summary) };
  } catch (error) {
    // A firm with more lots than one entity holds (over a thousand): the row goes without a summary (the
    // update replaces the whole row, so none is left stale) and the pool page reads the rows themselves.
    if (error instanceof RecordTooLargeError) return row;
    throw error;
  }
}
export const poolSummaryFromRow = (row: Row | null | undefined): PoolSummary | undefined => (row?.summary === POOL_SUMMARY_VERSION ? unpackJson<PoolSummary>(row) : undefined);

export const lotRow = (tenant: string, lot: Lot): Row => ({ partitionKey: tenant, rowKey: rowKeys.lot(lot.id), data: JSON.stringify(lot) });
export const lotFromRow = (row: Row): Lot => parse<Lot>(row);

export const purchaseRow = (tenant: string, purchase: Purchase): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.purchase(purchase.id),
  state: purchase.state,
  data: JSON.stringify(purchase),
});
export const purchaseFromRow = (row: Row): Purchase => parse<Purchase>(row);

/** A hold, with the columns its queries filter on: whose, and whether it is open. */
export const holdRow = (tenant: string, hold: Hold): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.hold(hold.id),
  memberId: hold.memberId,
  state: hold.state,
  expiresAt: hold.expiresAt,
  data: JSON.stringify(hold),
});
export const holdFromRow = (row: Row): Hold => parse<Hold>(row);

export const transferRow = (tenant: string, rowKey: string, transfer: Transfer): Row => ({
  partitionKey: tenant,
  rowKey,
  memberId: transfer.memberId ?? '',
  code: transfer.code,
  data: JSON.stringify(transfer),
});
export const transferFromRow = (row: Row): Transfer => parse<Transfer>(row);

/**
 * A packed posting's transfers in one row (an import's, DESIGN 4.1): the tenant's list (`memberId` '') or
 * one member's history. Newest day first like single rows.
 */
export const transferBundleRow = (tenant: string, rowKey: string, memberId: string, transfers: Transfer[]): Row => ({
  partitionKey: tenant,
  rowKey,
  memberId,
  code: 'bundle',
  ...packJson([...transfers].sort((a, b) => (b.date ?? b.at).localeCompare(a.date ?? a.at) || a.id.localeCompare(b.id))),
});

/** The transfers a history row holds: one, or a bundle's. */
export const transfersFromRow = (row: Row): Transfer[] => (row.code === 'bundle' ? unpackJson<Transfer[]>(row) : [transferFromRow(row)]);

export const eventRow = (tenant: string, event: FeedEvent): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.event(event.id),
  kind: event.kind,
  data: JSON.stringify(event),
});
export const eventFromRow = (row: Row): FeedEvent => parse<FeedEvent>(row);

/** Split over columns when long: an import batch's line lists hundreds of transfers. */
export const auditRow = (tenant: string, entry: AuditEntry): Row => ({ partitionKey: tenant, rowKey: rowKeys.audit(entry.id), actor: entry.actor, ...packJson(entry) });
export const auditFromRow = (row: Row): AuditEntry => unpackJson<AuditEntry>(row);

/** A string property holds 32K UTF-16 characters: a longer line keeps a row of its own. */
const MAX_CARRIED_AUDIT = 30_000;
/** The filter that finds the transfer rows carrying their posting's audit line. */
export const CARRIES_AUDIT = { carries: 'audit' } as const;

/**
 * A posting's audit line on the row of one of its transfers (`xfer|{posting}.{nn}`), which the posting
 * writes anyway: one entity less per posting. Undefined when the line is too long for one column.
 */
export function withAuditLine(row: Row, entry: AuditEntry): Row | undefined {
  const audit = JSON.stringify(entry);
  return audit.length <= MAX_CARRIED_AUDIT ? { ...row, ...CARRIES_AUDIT, audit } : undefined;
}
export const carriedAuditFromRow = (row: Row): AuditEntry => JSON.parse(String(row.audit)) as AuditEntry;
/** An audit line: a row of its own (`audit|…`) or carried by a transfer row. */
export const isAuditLine = (row: Row): boolean => row.rowKey.startsWith('audit|') || row.carries === CARRIES_AUDIT.carries;

/** An event waiting for the Teams channel, written with the event itself; deleted once delivered. */
export const outboxRow = (tenant: string, event: FeedEvent, delivery: Omit<OutboxEntry, 'event'> = { attempts: 0, nextAttemptAt: null, lastError: null }, rowKey = rowKeys.outbox(event.id)): Row => ({
  partitionKey: tenant,
  rowKey,
  kind: event.kind,
  attempts: delivery.attempts,
  nextAttemptAt: delivery.nextAttemptAt ?? '',
  lastError: delivery.lastError ?? '',
  data: JSON.stringify(event),
});
export const outboxFromRow = (row: Row): OutboxEntry => ({
  event: parse<FeedEvent>(row),
  attempts: Number(row.attempts ?? 0),
  nextAttemptAt: typeof row.nextAttemptAt === 'string' && row.nextAttemptAt !== '' ? row.nextAttemptAt : null,
  lastError: typeof row.lastError === 'string' && row.lastError !== '' ? row.lastError : null,
});

export const settingsRow = (tenant: string, policy: Policy): Row => ({ partitionKey: tenant, rowKey: rowKeys.settings(), data: JSON.stringify(policy) });
/** Settings stored before a field existed take that field's default. */
export const settingsFromRow = (row: Row): Policy => ({ ...DEFAULT_POLICY, ...parse<Partial<Policy>>(row) });

/** The marker of a committed request: what it was (its fingerprint) and what it was answered, replayed on a repeat. */
export interface IdempotencyRecord {
  fingerprint: string;
  answer: unknown;
  postingId: string;
}
export const idempotencyRow = (tenant: string, caller: string, key: string, record: IdempotencyRecord): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.idempotency(caller, key),
  fingerprint: record.fingerprint,
  answer: JSON.stringify(record.answer ?? null),
  postingId: record.postingId,
});
/** Markers written before the answer was stored alone hold the HTTP status and the answer as `body`: the body is the answer. */
export const idempotencyFromRow = (row: Row): IdempotencyRecord => ({
  fingerprint: String(row.fingerprint),
  answer: JSON.parse(String(row.answer ?? row.body)),
  postingId: String(row.postingId),
});
