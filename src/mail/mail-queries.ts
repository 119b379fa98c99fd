/**
 * The OData queries the quarantine helper sends to the person's mailbox. Values from settings are never
 * pasted into a filter as they are: string literals double their single quotes, and every parameter is
 * percent-encoded.
 */

/** Days back the helper looks: Autodesk's invitation and IronPort's digests are recent. */
export const LOOK_BACK_DAYS = 30;

/** An OData string literal: `O'Brien` → `'O''Brien'`. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Midnight-free instant `days` before `now`, as OData writes a DateTimeOffset (whole seconds, Z). */
export function sinceInstant(now: Date, days: number = LOOK_BACK_DAYS): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The senders as one de-duplicated, lower-case list without blanks. */
export function cleanSenders(senders: readonly string[]): string[] {
  return [...new Set(senders.map((s) => s.trim().toLowerCase()).filter(Boolean))];
}

/** Received since `since` and from one of the senders (an `or` of `eq`s, in parentheses). */
export function fromSendersFilter(senders: readonly string[], since: string): string {
  const list = cleanSenders(senders);
  if (list.length === 0) throw new Error('No senders to look for.');
  const anyOf = list.map((s) => `from/emailAddress/address eq ${odataString(s)}`).join(' or ');
  return `receivedDateTime ge ${since} and (${anyOf})`;
}

/** Received since `since`: the digests are then picked by sender and subject in the client. */
export function receivedSinceFilter(since: string): string {
  return `receivedDateTime ge ${since}`;
}

/** A query string from OData options (`$filter`, `$select`, `$top`, …), every value percent-encoded. */
export function odataQuery(options: Record<string, string | number | readonly string[] | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : String(value);
    parts.push(`${key}=${encodeURIComponent(text)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Whether a message is an IronPort digest: the sender starts with the setting (`spamquarantine@`) and the subject contains the other. */
export function isDigest(message: { from?: string | undefined; subject?: string | undefined }, digestSender: string, digestSubject: string): boolean {
  const from = (message.from ?? '').trim().toLowerCase();
  const subject = (message.subject ?? '').toLowerCase();
  const sender = digestSender.trim().toLowerCase();
  const wanted = digestSubject.trim().toLowerCase();
  return sender !== '' && wanted !== '' && from.startsWith(sender) && subject.includes(wanted);
}
