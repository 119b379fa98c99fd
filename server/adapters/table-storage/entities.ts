import type { FeedEvent, Lot, Member, Policy, Purchase, Transfer, Units } from '../../../src/core/index.js';
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

export const memberRow = (tenant: string, member: Member, balance: Units): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.member(member.id),
  state: member.registration.state,
  email: member.email,
  balance,
  data: JSON.stringify(member),
});
export const memberFromRow = (row: Row): { member: Member; own: Units } => ({ member: parse<Member>(row), own: Number(row.balance ?? 0) });

export const accountRow = (tenant: string, name: string, balance: Units): Row => ({ partitionKey: tenant, rowKey: rowKeys.account(name), balance });

export const lotRow = (tenant: string, lot: Lot): Row => ({ partitionKey: tenant, rowKey: rowKeys.lot(lot.id), data: JSON.stringify(lot) });
export const lotFromRow = (row: Row): Lot => parse<Lot>(row);

export const purchaseRow = (tenant: string, purchase: Purchase): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.purchase(purchase.id),
  state: purchase.state,
  data: JSON.stringify(purchase),
});
export const purchaseFromRow = (row: Row): Purchase => parse<Purchase>(row);

export const transferRow = (tenant: string, rowKey: string, transfer: Transfer): Row => ({
  partitionKey: tenant,
  rowKey,
  memberId: transfer.memberId ?? '',
  code: transfer.code,
  data: JSON.stringify(transfer),
});
export const transferFromRow = (row: Row): Transfer => parse<Transfer>(row);

export const eventRow = (tenant: string, event: FeedEvent): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.event(event.id),
  kind: event.kind,
  data: JSON.stringify(event),
});
export const eventFromRow = (row: Row): FeedEvent => parse<FeedEvent>(row);

export const settingsRow = (tenant: string, policy: Policy): Row => ({ partitionKey: tenant, rowKey: rowKeys.settings(), data: JSON.stringify(policy) });
export const settingsFromRow = (row: Row): Policy => parse<Policy>(row);

export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  body: string;
  postingId: string;
}
export const idempotencyRow = (tenant: string, caller: string, key: string, record: IdempotencyRecord): Row => ({
  partitionKey: tenant,
  rowKey: rowKeys.idempotency(caller, key),
  ...record,
});
