import { randomBytes } from 'node:crypto';

export interface IdGenerator {
  /** A new id whose ascending string order is newest first (so range reads return recent records first). */
  next(): string;
}

const MAX_TIME = 36 ** 9 - 1;
const MAX_SEQ = 36 ** 3 - 1;

/**
 * Newest-first ids: inverted milliseconds and an inverted per-millisecond counter in base 36, then random
 * characters so that two processes never collide. Safe in Table Storage keys.
 */
export function newestFirstIds(now: () => number = Date.now): IdGenerator {
  let lastMs = -1;
  let seq = 0;
  return {
    next() {
      let ms = now();
      if (ms <= lastMs) {
        ms = lastMs;
        seq++;
        if (seq > MAX_SEQ) {
          ms = ++lastMs;
          seq = 0;
        }
      } else {
        lastMs = ms;
        seq = 0;
      }
      const time = (MAX_TIME - ms).toString(36).padStart(9, '0');
      const counter = (MAX_SEQ - seq).toString(36).padStart(3, '0');
      return `${time}${counter}${randomBytes(4).toString('hex')}`;
    },
  };
}
