/**
 * Row keys by kind, one partition per tenant (DESIGN 4.1). Ids are newest-first, so a range read of a
 * prefix returns recent records first.
 */
export const rowKeys = {
  settings: () => 'settings',
  account: (name: string) => `acct|${name}`,
  member: (id: string) => `member|${id}`,
  email: (email: string) => `email|${email.toLowerCase()}`,
  lot: (id: string) => `lot|${id}`,
  purchase: (id: string) => `purchase|${id}`,
  /** Holds (DESIGN 3.5), newest first (a hold's id is the posting that placed it). */
  hold: (id: string) => `hold|${id}`,
  transfer: (id: string) => `xfer|${id}`,
  memberTransfer: (memberId: string, id: string) => `mx|${memberId}|${id}`,
  /** A posting's events newest first too: `.e0`, `.e1` … become `.e999`, `.e998` … in the key. */
  event: (id: string) => `event|${id.replace(/\.e(\d{1,3})$/, (_m, n: string) => `.e${String(999 - Number(n)).padStart(3, '0')}`)}`,
  /** Undelivered feed events, oldest first; parked ones wait for IT. */
  outbox: (eventId: string) => `outbox|${oldestFirst(eventId)}`,
  parked: (eventId: string) => `parked|${oldestFirst(eventId)}`,
  feedDelivery: () => 'feeddelivery',
  idempotency: (caller: string, key: string) => `idem|${caller}|${key}`,
  claim: (claim: string) => `claim|${claim}`,
  /** Who changed what: one row per posting, newest first (posting ids are newest-first). */
  audit: (postingId: string) => `audit|${postingId}`,
};

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
/** Newest-first ids start with 12 inverted base-36 digits of time and counter: complementing them orders oldest first. */
export function oldestFirst(newestFirstId: string): string {
  let head = '';
  for (const c of newestFirstId.slice(0, 12)) head += BASE36[35 - BASE36.indexOf(c)] ?? c;
  return head + newestFirstId.slice(12);
}

/** The OData filter for every row key that starts with `prefix`. */
export function prefixFilter(prefix: string): string {
  const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return `RowKey ge '${escapeOData(prefix)}' and RowKey lt '${escapeOData(upper)}'`;
}

export function escapeOData(value: string): string {
  return value.replace(/'/g, "''");
}
