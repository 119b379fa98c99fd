/** The Autodesk clients' waiting: exponential poll delays with a cap, Retry-After read as seconds or a date, and 429 waits never shorter than either. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay, realScheduler, retryAfterMs, throttleWait } from '../../../server/adapters/autodesk/backoff.js';

const NOW = Date.parse('2026-11-20T12:00:00Z');

describe('back-off between polls', () => {
  it('doubles from the first delay and stops at the cap', () => {
    const policy = { initialMs: 1_000, factor: 2, maxMs: 10_000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(policy, n))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('polls a year-long export for about half an hour by default, a minute apart at most', () => {
    const total = Array.from({ length: DEFAULT_BACKOFF.maxPolls }, (_, n) => backoffDelay(DEFAULT_BACKOFF, n)).reduce((a, b) => a + b, 0);
    expect(backoffDelay(DEFAULT_BACKOFF, DEFAULT_BACKOFF.maxPolls - 1)).toBe(60_000);
    expect(total).toBeGreaterThan(20 * 60_000);
    expect(total).toBeLessThan(45 * 60_000);
  });

  it('refuses an attempt that is not a count', () => {
    expect(() => backoffDelay(DEFAULT_BACKOFF, -1)).toThrow(RangeError);
    expect(() => backoffDelay(DEFAULT_BACKOFF, 1.5)).toThrow(RangeError);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs('7', NOW)).toBe(7_000);
    expect(retryAfterMs(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP-date as the time until then, never negative', () => {
    expect(retryAfterMs('Fri, 20 Nov 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(retryAfterMs('Fri, 20 Nov 2026 11:00:00 GMT', NOW)).toBe(0);
  });

  it('is null when absent or unreadable', () => {
    expect(retryAfterMs(null, NOW)).toBeNull();
    expect(retryAfterMs('soon', NOW)).toBeNull();
    expect(retryAfterMs('-5', NOW)).toBeNull();
  });

  it('a 429 waits what Retry-After asks, but never less than the back-off', () => {
    const policy = { ...DEFAULT_BACKOFF, initialMs: 2_000 };
    expect(throttleWait(policy, 0, 7_000)).toBe(7_000);
    expect(throttleWait(policy, 2, 7_000)).toBe(8_000);
    expect(throttleWait(policy, 1, null)).toBe(4_000);
  });
});

describe('the real scheduler', () => {
  it('stops waiting when the pull is aborted', async () => {
    const abort = new AbortController();
    const waiting = realScheduler.sleep(3_600_000, abort.signal);
    abort.abort(new Error('pull cancelled'));
    await expect(waiting).rejects.toThrow('pull cancelled');
  });

  it('does not start a wait for a pull already aborted', async () => {
    await expect(realScheduler.sleep(3_600_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
