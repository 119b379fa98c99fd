import { dayNumber, dayString } from '../policy/policy.js';

/** Days, both ends included, as ISO dates (YYYY-MM-DD). */
export interface PullWindow {
  from: string;
  to: string;
}

/**
 * How far back a pull reaches: Autodesk updates recent days late, so the last `settlingDays` already
 * imported are asked for again (their rows already in the ledger are left out by their identity); a
 * source pulled for the first time brings `backfillDays`.
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
 * The days a pull asks for on `today` (UTC): up to yesterday (today is not over), from the day after the
 * last fully imported one less the settling window, or the backfill when nothing was imported from the
 * source yet; never more than MAX_PULL_DAYS. Null when there is nothing to ask for (already up to
 * yesterday and no settling window).
 */
export function pullWindow(today: string, lastImported: string | null, rule: PullRule): PullWindow | null {
  const to = dayNumber(today) - 1;
  const wanted = lastImported === null ? to - rule.backfillDays + 1 : dayNumber(lastImported) + 1 - rule.settlingDays;
  const from = Math.max(wanted, to - MAX_PULL_DAYS + 1);
  return from > to ? null : { from: dayString(from), to: dayString(to) };
}

/** Days in a window, both ends counted. */
export const windowDays = (window: PullWindow) => dayNumber(window.to) - dayNumber(window.from) + 1;
