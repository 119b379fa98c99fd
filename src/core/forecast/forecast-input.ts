/**
 * What the pool forecast (forecast.ts) is made from, gathered from the ledger's records: pure functions over
 * transfers, members and purchases, so that the API's forecast and the hourly alerts read the ledger the
 * same way. Nothing here reads a store or a clock: `today` and the records are passed in.
 *
 * Days: a usage counts on the day it happened (its `date`, else the day it was recorded); a reversal counts
 * on the day of what it reverses, so a draw logged twice by mistake and reversed a week later leaves no
 * trace in the history. Balances move on the day a transfer was recorded (its `at`, in UTC).
 */
import type { Member } from '../ledger/member.js';
import type { Units } from '../ledger/money.js';
import type { ForecastConfidence, ForecastInput, ForecastMethod } from './projection.js';
import { FORECAST_TUNING } from './projection.js';
import type { Policy } from '../policy/policy.js';
import { dayNumber, dayString, workingDayTest } from '../policy/policy.js';
import { expectedArrival } from '../purchases/purchase-timing.js';
import type { Purchase } from '../purchases/purchase-types.js';
import type { Transfer } from '../ledger/transfer.js';

/** A list of every member of a string union: leaving one out (or adding a stranger) does not type-check. */
function everyOf<T extends string>() {
  return <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : never)): L => list;
}

/** The forecast's methods and confidences as lists, for the API contract. */
export const FORECAST_METHODS = everyOf<ForecastMethod>()(['history', 'simple-rate', 'no-usage']);
export const FORECAST_CONFIDENCES = everyOf<ForecastConfidence>()(['low', 'medium', 'high']);

/**
 * How far back, in calendar days before today, the transfers must reach (by when they were recorded) for
 * the forecast to see its whole history window. Two days more than the window: a usage may be dated up to a
 * day after the UTC day it was recorded on (the person's own today), and the day boundary is exclusive.
 */
export const FORECAST_SCAN_DAYS = FORECAST_TUNING.longWindowDays + 2;

/** Days of end-of-day pool balances shown with the forecast (the forecast's own history window). */
export const BALANCE_HISTORY_DAYS = FORECAST_TUNING.longWindowDays;

/** A member's recent usage rate is taken over at most this many days (fewer when they were granted credits later). */
export const JOINER_RATE_DAYS = 28;

/** …and over at least this many, so that one job on the day of registration does not look like a daily habit. */
export const JOINER_MIN_RATE_DAYS = 7;

export interface ForecastSources {
  /** YYYY-MM-DD (UTC): the forecast is made at the start of this day. */
  today: string;
  /** The pool balance now. */
  poolBalance: Units;
  /**
   * Transfers, in any order, reaching back at least FORECAST_SCAN_DAYS before today by their `at`. Older ones
   * may be included: a pool draw older than the window tells the forecast that the history is long.
   */
  transfers: readonly Transfer[];
  /** Members with their own balance; only registered ones count. */
  members: readonly { member: Member; own: Units }[];
  /** Purchases: the open ones are on their way, the applied ones give real lead times. */
  purchases: readonly Purchase[];
  policy: Policy;
  horizonDays?: number | undefined;
}

export interface BalanceDay {
  date: string;
  /** Pool balance at the end of the day (for today: now). */
  balance: Units;
}

const dayOfTimestamp = (at: string): string => at.slice(0, 10);

/** Net effect of a transfer on the pool balance. */
function poolDelta(t: Transfer): Units {
  return (t.credit === 'pool' ? t.amount : 0) - (t.debit === 'pool' ? t.amount : 0);
}

/** Units a transfer consumed: positive for usage, negative for a reversal of usage (its accounts swapped), else 0. */
function usageAmount(t: Transfer, poolOnly: boolean): Units {
  if (t.code === 'usage_pool') return t.debit === 'pool' && t.credit === 'usage' ? t.amount : 0;
  if (t.code === 'usage_individual') return poolOnly ? 0 : t.credit === 'usage' ? t.amount : 0;
  if (t.code === 'reversal' && t.debit === 'usage') {
    if (t.credit === 'pool') return -t.amount;
    return poolOnly ? 0 : -t.amount;
  }
  return 0;
}

/** The day a usage (or its reversal) counts on: see the module comment. */
function usageDay(t: Transfer, byId: ReadonlyMap<string, Transfer>): string {
  if (t.code === 'reversal') {
    const original = t.reverses ? byId.get(t.reverses) : undefined;
    if (t.date) return t.date;
    if (original) return original.date ?? dayOfTimestamp(original.at);
  }
  return t.date ?? dayOfTimestamp(t.at);
}

function indexById(transfers: readonly Transfer[]): Map<string, Transfer> {
  const byId = new Map<string, Transfer>();
  for (const t of transfers) byId.set(t.id, t);
  return byId;
}

/** Net pool draws per day (reversed draws taken off the day they were drawn), oldest day first. */
export function dailyPoolDraws(transfers: readonly Transfer[]): { date: string; amount: Units }[] {
  const byId = indexById(transfers);
  const byDay = new Map<string, Units>();
  for (const t of transfers) {
    const amount = usageAmount(t, true);
    if (amount === 0) continue;
    const day = usageDay(t, byId);
    byDay.set(day, (byDay.get(day) ?? 0) + amount);
  }
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, amount]) => ({ date, amount }));
}

/**
 * Each member's recent usage per day (own credits and pool together, net of reversals), over the last
 * JOINER_RATE_DAYS before today, or since their credits were granted when that is later (at least
 * JOINER_MIN_RATE_DAYS).
 */
export function memberDailyRates(transfers: readonly Transfer[], members: readonly Member[], today: string): Map<string, Units> {
  const todayDay = dayNumber(today);
  const windowStart = todayDay - JOINER_RATE_DAYS;
  const byId = indexById(transfers);
  const used = new Map<string, Units>();
  for (const t of transfers) {
    if (!t.memberId) continue;
    const amount = usageAmount(t, false);
    if (amount === 0) continue;
    const day = dayNumber(usageDay(t, byId));
    if (!(day >= windowStart && day < todayDay)) continue;
    used.set(t.memberId, (used.get(t.memberId) ?? 0) + amount);
  }
  const rates = new Map<string, Units>();
  for (const member of members) {
    const units = used.get(member.id) ?? 0;
    if (units <= 0) continue;
    const granted = dayNumber(member.allotmentGrantedAt ?? member.registration.since);
    const start = Number.isFinite(granted) ? Math.max(windowStart, granted) : windowStart;
    const days = Math.max(JOINER_MIN_RATE_DAYS, todayDay - start);
    rates.set(member.id, Math.round(units / days));
  }
  return rates;
}

/**
 * Registered members whose own credits are low but not gone: at their recent rate they use up what they have
 * left within the horizon, and then draw on the pool.
 */
export function membersJoiningSoon(
  members: readonly { member: Member; own: Units }[],
  rates: ReadonlyMap<string, Units>,
  horizonDays: number,
): { memberId: string; ownLeft: Units; dailyRate: Units }[] {
  const joining: { memberId: string; ownLeft: Units; dailyRate: Units }[] = [];
  for (const { member, own } of members) {
    if (member.registration.state !== 'registered' || own <= 0) continue;
    const rate = rates.get(member.id) ?? 0;
    if (rate <= 0 || own > rate * horizonDays) continue;
    joining.push({ memberId: member.id, ownLeft: own, dailyRate: rate });
  }
  return joining;
}

const stepAt = (purchase: Purchase, type: Purchase['state']): string | undefined => purchase.steps.findLast((s) => s.type === type)?.at;

/**
 * Purchases in progress, each on the day it is expected to land (expectedArrival: its step's budget, the
 * later steps' budgets and the lead time, in working days), so the projection steps up on that day.
 */
export function incomingPurchases(purchases: readonly Purchase[], policy: Policy, today: string): { purchaseId: string; units: Units; expectedDate: string }[] {
  const incoming: { purchaseId: string; units: Units; expectedDate: string }[] = [];
  for (const p of purchases) {
    const expectedDate = expectedArrival(p, policy, today);
    if (expectedDate) incoming.push({ purchaseId: p.id, units: p.units, expectedDate });
  }
  return incoming.sort((a, b) => a.expectedDate.localeCompare(b.expectedDate) || a.purchaseId.localeCompare(b.purchaseId));
}

/** Real lead times in working days (the order day not counted), from applied purchases that were ordered. */
export function realLeadTimes(purchases: readonly Purchase[], policy: Policy): number[] {
  const isWorking = workingDayTest(policy);
  const times: number[] = [];
  for (const p of purchases) {
    if (p.state !== 'applied') continue;
    const ordered = dayNumber(stepAt(p, 'ordered') ?? '');
    const applied = dayNumber(stepAt(p, 'applied') ?? '');
    if (!Number.isFinite(ordered) || !Number.isFinite(applied) || applied < ordered) continue;
    let days = 0;
    for (let d = ordered + 1; d <= applied; d++) if (isWorking(d)) days++;
    times.push(days);
  }
  return times;
}

/** The most recently applied purchase, with when it was applied. */
export function lastAppliedPurchase(purchases: readonly Purchase[]): { purchase: Purchase; appliedAt: string } | undefined {
  let last: { purchase: Purchase; appliedAt: string } | undefined;
  for (const p of purchases) {
    if (p.state !== 'applied') continue;
    const appliedAt = stepAt(p, 'applied') ?? p.updatedAt;
    if (!last || appliedAt > last.appliedAt) last = { purchase: p, appliedAt };
  }
  return last;
}

/** The forecast's input from the ledger's records (see ForecastSources). */
export function buildForecastInput(
  sources: ForecastSources,
): ForecastInput & { joiningSoon: { memberId: string; ownLeft: Units; dailyRate: Units }[]; incoming: { purchaseId: string; units: Units; expectedDate: string }[] } {
  const { policy, today } = sources;
  if (!Number.isFinite(dayNumber(today))) throw new RangeError(`buildForecastInput: today is not a date: ${today}`);
  const horizonDays = sources.horizonDays ?? policy.alerts.forecastHorizonDays;
  const members = sources.members.filter((m) => m.member.registration.state === 'registered');
  const rates = memberDailyRates(
    sources.transfers,
    members.map((m) => m.member),
    today,
  );
  return {
    today,
    poolBalance: sources.poolBalance,
    dailyDraws: dailyPoolDraws(sources.transfers),
    joiningSoon: membersJoiningSoon(members, rates, horizonDays),
    incoming: incomingPurchases(sources.purchases, policy, today),
    leadTimesWorkingDays: realLeadTimes(sources.purchases, policy),
    policy,
    horizonDays,
  };
}

/**
 * The pool balance at the end of each of the `days` days before today, and now (today's row), walked back
 * from the balance now through the transfers recorded since (they must reach back `days` days). With
 * `complete` (the transfers are the whole ledger), days before the pool's first movement are left out.
 */
export function poolBalanceHistory(input: { transfers: readonly Transfer[]; poolBalance: Units; today: string; days: number; complete: boolean }): BalanceDay[] {
  const todayDay = dayNumber(input.today);
  if (!Number.isFinite(todayDay)) throw new RangeError(`poolBalanceHistory: today is not a date: ${input.today}`);
  const firstDay = todayDay - Math.max(0, Math.floor(input.days));
  // Net movement per day it was recorded on, from the first day shown on.
  const moved = new Map<number, Units>();
  let firstMovement = Number.POSITIVE_INFINITY;
  for (const t of input.transfers) {
    if (t.debit !== 'pool' && t.credit !== 'pool') continue;
    const delta = poolDelta(t);
    const day = dayNumber(t.at);
    if (!Number.isFinite(day)) continue;
    if (day < firstMovement) firstMovement = day;
    if (day >= firstDay) moved.set(day, (moved.get(day) ?? 0) + delta);
  }
  if (input.complete && !Number.isFinite(firstMovement)) return [];
  const start = input.complete ? Math.max(firstDay, firstMovement) : firstDay;
  const history: BalanceDay[] = [];
  // Walking back: the end of day d is the balance now less everything recorded after day d.
  let balance = input.poolBalance;
  for (let d = todayDay; d >= start; d--) {
    history.push({ date: dayString(d), balance });
    balance -= moved.get(d) ?? 0;
  }
  return history.reverse();
}
