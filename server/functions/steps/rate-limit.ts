import type { RateLimitPolicy } from '../../../src/core/policy/index.js';
import type { Bucket } from './token-bucket.js';
import { DEFAULT_RATE_LIMIT } from '../../../src/core/policy/index.js';
import { fullAt, take } from './token-bucket.js';
import type { Caller } from '../../app/caller.js';
import type { StepResult } from './answers.js';
import { error, next, stop } from './answers.js';

/** How long the rate limit read from a tenant's settings is trusted before it is read again. */
export const RATE_LIMIT_SETTINGS_TTL_MS = 30_000;
/** At most this many people's buckets are kept per process; idle (full) ones go first. */
export const MAX_RATE_LIMIT_BUCKETS = 50_000;

/**
 * A per-person limit (on changes, or on reads): one token bucket per (tenant, person), kept in this process's memory.
 * In Azure every Functions instance keeps its own buckets and limits on its own, so with n instances a
 * person could get up to n times the limit in the worst case; the limit is there against runaway scripts
 * and retry storms, not as an exact quota. Each tenant's limit comes from its settings, read again at most
 * every RATE_LIMIT_SETTINGS_TTL_MS (and at once after a settings change through this process).
 */
class PersonRateLimiter {
  private readonly buckets = new Map<string, { bucket: Bucket; fullAt: number }>();
  private readonly limits = new Map<string, { policy: RateLimitPolicy; readAt: number } | Promise<RateLimitPolicy>>();
  private lastSweep = 0;

  constructor(
    private readonly limitOf: (tenant: string) => Promise<RateLimitPolicy>,
    private readonly fixed: RateLimitPolicy | undefined,
  ) {}

  async policy(tenant: string, now: number): Promise<RateLimitPolicy> {
    if (this.fixed) return this.fixed;
    const cached = this.limits.get(tenant);
    if (cached instanceof Promise) return cached;
    if (cached && now - cached.readAt >= 0 && now - cached.readAt < RATE_LIMIT_SETTINGS_TTL_MS) return cached.policy;
    // One read per tenant at a time; a failed read keeps the last limit known (or the default's) for a while.
    const reading = this.limitOf(tenant).then(
      (policy) => policy,
      () => cached?.policy ?? DEFAULT_RATE_LIMIT,
    );
    this.limits.set(tenant, reading);
    const policy = await reading;
    if (this.limits.get(tenant) === reading) {
      if (this.limits.size > 10_000) this.limits.clear();
      this.limits.set(tenant, { policy, readAt: now });
    }
    return policy;
  }

  /** Settings were changed here: the next request reads them again. */
  forget(tenant: string): void {
    this.limits.delete(tenant);
  }

  async take(tenant: string, person: string, now: number): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number; policy: RateLimitPolicy }> {
    const policy = await this.policy(tenant, now);
    const key = `${tenant}|${person}`;
    const held = this.buckets.get(key);
    const result = take(held?.bucket, now, policy);
    // Delete and set again: the map's order is then least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, { bucket: result.bucket, fullAt: fullAt(result.bucket, policy) });
    this.sweep(now);
    return result.allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: result.retryAfterSeconds, policy };
  }

  /** Bounded memory: full buckets are dropped once a minute, and the least recently used past the cap. */
  private sweep(now: number): void {
    if (now - this.lastSweep >= 60_000 || now < this.lastSweep || this.buckets.size > MAX_RATE_LIMIT_BUCKETS) {
      this.lastSweep = now;
      for (const [key, entry] of this.buckets) if (entry.fullAt <= now) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= MAX_RATE_LIMIT_BUCKETS) break;
      this.buckets.delete(key);
    }
  }
}

/** Methods that change something: the ones the per-person limit on changes counts (reads have their own). */
const isChange = (method: string): boolean => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

/** A tenant's two limits, from its settings (or one fixed limit for every tenant). */
export interface TenantLimits {
  rateLimit: RateLimitPolicy;
  readRateLimit: RateLimitPolicy;
}

/**
 * The per-person limits: changes and reads have a bucket each, so reading never uses up a person's
 * changes or the other way round. Checked before anything is read or written: a refused request costs no
 * storage call.
 */
export class RateLimits {
  private readonly changes: PersonRateLimiter;
  private readonly reads: PersonRateLimiter;

  constructor(limitsOf: (tenant: string) => Promise<TenantLimits>, fixed: RateLimitPolicy | undefined) {
    this.changes = new PersonRateLimiter(async (tenant) => (await limitsOf(tenant)).rateLimit, fixed);
    this.reads = new PersonRateLimiter(async (tenant) => (await limitsOf(tenant)).readRateLimit, fixed);
  }

  /** 429 with Retry-After once the caller's bucket for this kind of request is empty. */
  async limit(method: string, caller: Caller | undefined, now: number): Promise<StepResult<void>> {
    if (!caller) return next(undefined);
    const change = isChange(method);
    const limited = await (change ? this.changes : this.reads).take(caller.tenant, caller.id, now);
    if (limited.allowed) return next(undefined);
    const { perMinute, burst } = limited.policy;
    const what = change ? 'changes' : 'reads';
    return stop(
      error(
        'RATE_LIMITED',
        `Too many ${what} in a short time (at most ${perMinute} a minute, ${burst} at once). Try again in ${limited.retryAfterSeconds} s; nothing was changed.`,
        { retryAfterSeconds: limited.retryAfterSeconds, perMinute, burst, limit: what },
        { 'retry-after': String(limited.retryAfterSeconds) },
      ),
    );
  }

  /** The tenant's settings were changed here: the next request reads its limits again. */
  forget(tenant: string): void {
    this.changes.forget(tenant);
    this.reads.forget(tenant);
  }
}
