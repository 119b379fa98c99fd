import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { dayNumber } from '../policy/policy.js';
import { legacyContentOf } from './rows.js';
import type { UsageRow } from './types.js';

/** As in server/ports/ids.ts: ids are inverted milliseconds in 9 base-36 characters, so newest sorts first. */
const MAX_TIME = 36 ** 9 - 1;
const DAY_MS = 86_400_000;

/**
 * 12 characters that sort a day among newest-first ids: the inverted epoch milliseconds of the day's noon
 * (UTC), then 'zzz' where an id has its per-millisecond counter, so that a row's id tells its day.
 */
export function dayKey(date: string): string {
  const day = dayNumber(date);
  if (!Number.isFinite(day)) throw new RangeError(`not a date: ${date}`);
  return (MAX_TIME - (day * DAY_MS + DAY_MS / 2)).toString(36).padStart(9, '0') + 'zzz';
}

/**
 * A row's identity, the same in any upload of the same line: the day key, 'v', the first 23 hex digits of
 * the SHA-256 of its content (the whole record, see contentOf), and its occurrence. `occurrence` is the
 * 0-based count of earlier rows in the same file with the same content: a re-import gives each copy the
 * same id again. The 'v' (never a hex digit) tells it from a legacy id. Only [0-9a-z-].
 */
export function rowId(row: UsageRow, occurrence: number): string {
  return `${dayKey(row.date)}v${contentHash(row.content).slice(0, 23)}-${occurrenceText(occurrence)}`;
}

/**
 * The id the same row had before identities took the whole record: the day key, 24 hex digits of the hash
 * of its mapped fields (legacyContentOf), its occurrence among rows with those fields. Rows posted under it
 * stay recognised when the file is uploaded again with the mapping it had.
 */
export function legacyRowId(row: UsageRow, legacyOccurrence: number): string {
  return `${dayKey(row.date)}${contentHash(legacyContentOf(row))}-${occurrenceText(legacyOccurrence)}`;
}

/** Whether an id is a legacy one (its 13th character is a hex digit, not the 'v' of today's ids or the 't' of a day total's). */
export const isLegacyRowId = (id: string): boolean => /^[0-9a-f]$/.test(id.charAt(12));

function occurrenceText(occurrence: number): string {
  if (!Number.isSafeInteger(occurrence) || occurrence < 0) throw new RangeError(`bad occurrence: ${occurrence}`);
  return occurrence.toString(36);
}

/** The first 24 hex digits (96 bits) of the content's SHA-256. */
export function contentHash(content: string): string {
  return bytesToHex(sha256(utf8ToBytes(content))).slice(0, 24);
}
