/** The rate limits IT sets (DESIGN 4, "Defences"); the token buckets that apply them are in rate-limit.ts. */

/** How many changes a person may make: `perMinute` on average, `burst` at once. IT edits it as settings. */
export interface RateLimitPolicy {
  perMinute: number;
  burst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { perMinute: 120, burst: 30 };

/**
 * How many reads (GET) a person may make, in a bucket of their own: far above what the tab needs (its start
 * fires a handful at once), low enough that one script cannot keep storage busy for everyone.
 */
export const DEFAULT_READ_RATE_LIMIT: RateLimitPolicy = { perMinute: 600, burst: 100 };
