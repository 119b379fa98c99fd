import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bucket } from '../../../../server/functions/steps/token-bucket.js';
import type { RateLimitPolicy } from '../../../../src/core/policy/index.js';
import { fullAt, refill, take } from '../../../../server/functions/steps/token-bucket.js';
import { DEFAULT_POLICY, DEFAULT_RATE_LIMIT } from '../../../../src/core/policy/index.js';

const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const DEFAULT: RateLimitPolicy = { perMinute: 120, burst: 30 };

/** Takes `n` tokens at `now`, returning the bucket and how many were allowed. */
function burst(bucket: Bucket | undefined, now: number, n: number, policy = DEFAULT) {
  let allowed = 0;
  let current = bucket;
  let last = take(current, now, policy);
  for (let i = 0; i < n; i++) {
    last = take(current, now, policy);
    if (last.allowed) allowed++;
    current = last.bucket;
  }
  return { bucket: current, allowed, last };
}

describe('per-person rate limit (token bucket)', () => {
  it('defaults to 120 a minute with bursts of 30, in the policy', () => {
    expect(DEFAULT_RATE_LIMIT).toEqual(DEFAULT);
    expect(DEFAULT_POLICY.rateLimit).toEqual(DEFAULT);
  });

  it('a new person gets the whole burst at once, and the next one is refused', () => {
    const { allowed, bucket, last } = burst(undefined, T0, 31);
    expect(allowed).toBe(30);
    expect(last.allowed).toBe(false);
    // 2 a second: the next token is half a second away, said as 1 whole second.
    expect(last.retryAfterSeconds).toBe(1);
    expect(bucket!.tokens).toBeCloseTo(0);
  });

  it('allowed answers say 0 seconds; refused ones never less than 1', () => {
    const first = take(undefined, T0, DEFAULT);
    expect(first).toMatchObject({ allowed: true, retryAfterSeconds: 0 });
    const slow = burst(undefined, T0, 2, { perMinute: 1, burst: 1 }).last;
    expect(slow).toMatchObject({ allowed: false, retryAfterSeconds: 60 });
    const fast = burst(undefined, T0, 2, { perMinute: 100_000, burst: 1 }).last;
    expect(fast.allowed).toBe(false);
    expect(fast.retryAfterSeconds).toBe(1);
  });

  it('refills at the per-minute rate, up to the burst and no further', () => {
    const empty = burst(undefined, T0, 30).bucket!;
    expect(take(empty, T0 + 400, DEFAULT).allowed).toBe(false);
    expect(take(empty, T0 + 500, DEFAULT).allowed).toBe(true);
    // Ten seconds: 20 tokens back.
    expect(burst(empty, T0 + 10_000, 25).allowed).toBe(20);
    // An hour idle: the burst again, not 7,200.
    expect(burst(empty, T0 + 3_600_000, 100).allowed).toBe(30);
  });

  it('over a long run a person gets the per-minute rate plus the burst, no more', () => {
    let bucket: Bucket | undefined;
    let allowed = 0;
    // A request every 100 ms for 5 minutes: 3,000 tries.
    for (let t = 0; t < 300_000; t += 100) {
      const result = take(bucket, T0 + t, DEFAULT);
      if (result.allowed) allowed++;
      bucket = result.bucket;
    }
    expect(allowed).toBeGreaterThanOrEqual(30 + 599);
    expect(allowed).toBeLessThanOrEqual(30 + 600);
  });

  it('says when to come back, and coming back then is allowed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 300 }), (perMinute, capacity, extra) => {
        const policy = { perMinute, burst: capacity };
        const { last, bucket } = burst(undefined, T0, capacity + 1 + extra, policy);
        expect(last.allowed).toBe(false);
        expect(last.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(Number.isInteger(last.retryAfterSeconds)).toBe(true);
        expect(take(bucket, T0 + last.retryAfterSeconds * 1000, policy).allowed).toBe(true);
      }),
    );
  });

  it('a clock that goes backwards earns no tokens and locks nobody out', () => {
    const empty = burst(undefined, T0, 30).bucket!;
    // The clock steps back an hour: nothing refilled, the request is refused for now.
    const back = take(empty, T0 - 3_600_000, DEFAULT);
    expect(back.allowed).toBe(false);
    expect(back.retryAfterSeconds).toBe(1);
    // Counting on from the new time: half a second later a token is back (not an hour and a half second).
    expect(take(back.bucket, T0 - 3_600_000 + 500, DEFAULT).allowed).toBe(true);
    // And going back and forth never adds up to more than the burst.
    let bucket: Bucket | undefined = empty;
    let allowed = 0;
    for (let i = 0; i < 100; i++) {
      const result = take(bucket, i % 2 === 0 ? T0 + 100 : T0, DEFAULT);
      if (result.allowed) allowed++;
      bucket = result.bucket;
    }
    expect(allowed).toBeLessThanOrEqual(10);
  });

  it('a lowered limit applies to a bucket filled under a higher one', () => {
    const full = refill(undefined, T0, { perMinute: 1000, burst: 500 });
    expect(burst(full, T0, 50, DEFAULT).allowed).toBe(30);
  });

  it('a policy that makes no sense still lets one through and refills', () => {
    for (const policy of [
      { perMinute: 0, burst: 0 },
      { perMinute: -5, burst: -1 },
      { perMinute: Number.NaN, burst: Number.NaN },
    ]) {
      const first = take(undefined, T0, policy);
      expect(first.allowed).toBe(true);
      const second = take(first.bucket, T0, policy);
      expect(second.allowed).toBe(false);
      expect(Number.isFinite(second.retryAfterSeconds)).toBe(true);
      expect(second.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
  });

  it('knows when a bucket is full again, so an idle one can be forgotten', () => {
    const empty = burst(undefined, T0, 30).bucket!;
    expect(fullAt(empty, DEFAULT)).toBeCloseTo(T0 + 15_000);
    expect(fullAt(refill(undefined, T0, DEFAULT), DEFAULT)).toBe(T0);
    // A forgotten full bucket and a new one behave the same.
    expect(take(refill(empty, fullAt(empty, DEFAULT), DEFAULT), T0 + 20_000, DEFAULT)).toEqual({ ...take(undefined, T0 + 20_000, DEFAULT) });
  });
});
