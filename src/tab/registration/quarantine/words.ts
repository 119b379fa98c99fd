/** Words the registration page and the quarantine helper share. */

/** "spamquarantine@" is the start of an address: show it as such. */
export const digestFrom = (sender: string): string => (sender.endsWith('@') ? `${sender}…` : sender);

/** The Autodesk sender addresses as "a, b or c". */
export function sendersText(senders: readonly string[]): string {
  if (senders.length === 0) return 'Autodesk';
  if (senders.length === 1) return senders[0]!;
  return `${senders.slice(0, -1).join(', ')} or ${senders.at(-1)!}`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A date from a digest row: the reader's way when it is an ISO instant, otherwise as the digest wrote it
 * (browsers read "24 Nov 2026 10:40 (GMT +01:00)" in local time, dropping the zone: better left alone).
 */
export function heldWhen(text: string | null, format: (iso: string) => string): string | null {
  if (!text) return null;
  return ISO_INSTANT.test(text.trim()) ? format(new Date(text.trim()).toISOString()) : text;
}
