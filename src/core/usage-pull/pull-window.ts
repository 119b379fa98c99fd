import { dayNumber, dayString } from '../policy/policy.js';
import type { UsageSourceKindName } from './pull-words.js';

/** Days, both ends included, as ISO dates (YYYY-MM-DD). */
export interface PullWindow {
  from: string;
  to: string;
}

/**
 * How far back a pull reaches: Autodesk updates recent days late, for `settlingDays` (see SettlingMode
 * for what each API does about it); a source pulled for the first time brings `backfillDays`.
 */
export interface PullRule {
  settlingDays: number;
  backfillDays: number;
}

export const DEFAULT_PULL_RULE: PullRule = { settlingDays: 3, backfillDays: 90 };
/** The longest window one pull asks for (a backfill, or a source left alone for over a year). */
export const MAX_PULL_DAYS = 365;
/** Longer than this is no longer "settling": it would re-read weeks for nothing. */
export const MAX_SETTLING_DAYS = 30;

/** Why a rule is not one to pull by, in words; null when it is. */
export function pullRuleProblem(rule: PullRule): string | null {
  if (!Number.isInteger(rule.settlingDays) || rule.settlingDays < 0 || rule.settlingDays > MAX_SETTLING_DAYS) {
    return `The settling window is a whole number of days from 0 to ${MAX_SETTLING_DAYS}, not ${rule.settlingDays}.`;
  }
  if (!Number.isInteger(rule.backfillDays) || rule.backfillDays < 1 || rule.backfillDays > MAX_PULL_DAYS) {
    return `The first pull's backfill is a whole number of days from 1 to ${MAX_PULL_DAYS}, not ${rule.backfillDays}.`;
  }
  return null;
}

/**
 * How an API's export meets a day that grows after it was imported. `reread`: the Token Flex export lists
 * charges one by one, each with a stable chargedItemID, so a day asked for again brings its late charges
 * as new rows and its earlier ones under the identity they already have. `once_settled`: the usage
 * insights export (as Autodesk Account's usage report) gives one daily total per person, product and
 * feature and no charge id, raised while the day settles: such a day is asked for once, once it has settled
 * (read again, or uploaded, it would post only what its total grew by: see usage-import/daily-totals.ts).
 */
export type SettlingMode = 'reread' | 'once_settled';

export const SETTLING_MODE: Record<UsageSourceKindName, SettlingMode> = { token_flex: 'reread', usage_insights: 'once_settled' };

/**
 * The days a pull asks for on `today` (UTC), or the backfill ending where the window ends when nothing was
 * imported from the source yet; never more than MAX_PULL_DAYS. `reread`: up to yesterday (today is not
 * over), from the day after the last fully imported one less the settling window. `once_settled`: up to
 * the last day older than the settling window, from the day after the last imported one (no day twice).
 * Null when there is nothing to ask for.
 */
export function pullWindow(today: string, lastImported: string | null, rule: PullRule, mode: SettlingMode): PullWindow | null {
  const yesterday = dayNumber(today) - 1;
  const to = mode === 'reread' ? yesterday : yesterday - rule.settlingDays;
  const reread = mode === 'reread' ? rule.settlingDays : 0;
  const wanted = lastImported === null ? to - rule.backfillDays + 1 : dayNumber(lastImported) + 1 - reread;
  const from = Math.max(wanted, to - MAX_PULL_DAYS + 1);
  return from > to ? null : { from: dayString(from), to: dayString(to) };
}

/** Days in a window, both ends counted. */
export const windowDays = (window: PullWindow) => dayNumber(window.to) - dayNumber(window.from) + 1;
