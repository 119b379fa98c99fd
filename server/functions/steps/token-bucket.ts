/**
 * A token bucket per person (DESIGN 4, issue 8 "Defences"): every change a person asks for takes one
 * token (reads take one from a second bucket of their own); the bucket holds at most `burst` tokens and refills at `perMinute` tokens a minute. Plain
 * functions over data: the caller passes `now` and keeps the buckets.
 */

import type { RateLimitPolicy } from '../../../src/core/policy/rate-limit-policy.js';

/** One person's bucket: the tokens left (fractional while refilling) at the time `at` (ms since the epoch). */
export interface Bucket {
  tokens: number;
  at: number;
}

export interface TakeResult {
  allowed: boolean;
  /** The bucket to keep for the next request (the token taken when allowed). */
  bucket: Bucket;
  /** 0 when allowed; otherwise the whole seconds until a token is back, never less than 1. */
  retryAfterSeconds: number;
}

/** A policy that cannot stall: at least one token of capacity and some refill, whatever the input. */
function sane(policy: RateLimitPolicy): { capacity: number; perMs: number } {
  const capacity = Number.isFinite(policy.burst) ? Math.max(1, Math.floor(policy.burst)) : 1;
  const perMinute = Number.isFinite(policy.perMinute) && policy.perMinute > 0 ? policy.perMinute : 1;
  return { capacity, perMs: perMinute / 60_000 };
}

/** The bucket as it stands at `now`: refilled for the time passed. A clock that went back refills nothing. */
export function refill(bucket: Bucket | undefined, now: number, policy: RateLimitPolicy): Bucket {
  const { capacity, perMs } = sane(policy);
  if (!bucket) return { tokens: capacity, at: now };
  // Time that went backwards (a clock step) earns no tokens; counting on from `now` again means the
  // person is not locked out until the clock catches up with the old `at` either.
  const elapsed = Math.max(0, now - bucket.at);
  return { tokens: Math.min(capacity, Math.max(0, bucket.tokens) + elapsed * perMs), at: now };
}

/** One request: allowed while a whole token is left; refused with the seconds until one will be. */
export function take(bucket: Bucket | undefined, now: number, policy: RateLimitPolicy): TakeResult {
  const current = refill(bucket, now, policy);
  if (current.tokens >= 1) return { allowed: true, bucket: { tokens: current.tokens - 1, at: now }, retryAfterSeconds: 0 };
  const { perMs } = sane(policy);
  const waitMs = (1 - current.tokens) / perMs;
  return { allowed: false, bucket: current, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

/** When the bucket is full again (ms since the epoch): from then on, keeping it is the same as forgetting it. */
export function fullAt(bucket: Bucket, policy: RateLimitPolicy): number {
  const { capacity, perMs } = sane(policy);
  return bucket.at + Math.max(0, capacity - bucket.tokens) / perMs;
}
