import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { dayNumber } from '../policy/policy.js';
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
 * A row's identity, the same in any file that has the same usage: the day key, the first 24 hex digits of
 * the SHA-256 of its content, and its occurrence. `occurrence` is the 0-based count of earlier rows in the
 * same file with the same content: two identical rows are two usages, and a re-import gives each the same
 * id again. Only [0-9a-z-].
 */
export function rowId(row: UsageRow, occurrence: number): string {
  if (!Number.isSafeInteger(occurrence) || occurrence < 0) throw new RangeError(`bad occurrence: ${occurrence}`);
  return `${dayKey(row.date)}${contentHash(row.content)}-${occurrence.toString(36)}`;
}

/** The first 24 hex digits (96 bits) of the content's SHA-256. */
export function contentHash(content: string): string {
  return bytesToHex(sha256(utf8ToBytes(content))).slice(0, 24);
}
