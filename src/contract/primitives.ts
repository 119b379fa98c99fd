import { z } from 'zod';
import { hasAtMostTwoDecimals } from '../core/ledger/money.js';
import { DAY_YEARS, isDayInYears } from '../core/policy/policy.js';

export const MAX_CREDITS_PER_ENTRY = 100_000;

/** An amount in credits as people write it: > 0, ≤ 100000, at most two decimals. */
export const Credits = z
  .number()
  .gt(0, 'must be more than zero')
  .lte(MAX_CREDITS_PER_ENTRY, `must be at most ${MAX_CREDITS_PER_ENTRY}`)
  .refine(hasAtMostTwoDecimals, 'at most two decimals');

/** A balance in credits (may be zero or negative where the ledger allows it). */
export const CreditAmount = z.number();

/** The latest calendar day anywhere on Earth (UTC+14), so nobody's "today" counts as the future. */
export function latestDayOnEarth(now: Date = new Date()): string {
  return new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
}

const YEARS = `${DAY_YEARS.first} to ${DAY_YEARS.last}`;

/** A calendar day, YYYY-MM-DD, in the contract's years (DAY_YEARS); anything else is a 400 VALIDATION_FAILED. */
export const IsoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s + 'T00:00:00Z')) && new Date(s + 'T00:00:00Z').toISOString().startsWith(s), 'not a calendar date')
  .refine(isDayInYears, `must be in the years ${YEARS}`)
  .describe(`A calendar day, YYYY-MM-DD, in the years ${YEARS}.`);

export const PastOrTodayDay = IsoDay.refine((s) => s <= latestDayOnEarth(), 'cannot be in the future').describe(`A calendar day, YYYY-MM-DD, in the years ${YEARS}, not after today anywhere on Earth.`);

export const Slug = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a lower-case slug');

export const ShortText = z.string().trim().min(1).max(200);
export const LongText = z.string().trim().min(1).max(1000);
export const Email = z.email().max(254);
export const EntityId = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'not a valid id');

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9-]{8,64}$/;

export const Cursor = z.string().max(2000);
export const Limit = z.coerce.number().int().min(1).max(200);

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
