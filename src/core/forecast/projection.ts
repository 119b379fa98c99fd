/**
 * Pool forecast (DESIGN 3.6): from the daily pool draws, and from the people whose own credits are about to
 * run out (who will start drawing), project the pool balance day by day; say when it reaches zero, by when to
 * order (that date minus the lead time minus a safety margin, in working days on the policy calendar) and
 * how many whole blocks cover the horizon. Pure: `today` is passed in, nothing is read from a clock.
 *
 * The day model: the forecast is made at the start of `today`. Draws dated before today are history (one
 * entry per draw or per day; amounts of a date are summed, a day without an entry drew nothing); the
 * projection's first day is today, and each day's row is the balance at the end of that day. A purchase on
 * its way counts from its expected date (an overdue one from today).
 *
 * The rate: under two weeks of history, the plain mean of every day since the first draw (simple-rate);
 * otherwise, for working days and other days apart, the larger of the last fortnight's spike-trimmed mean
 * and the last eight weeks' mean (history). The band: the spread of daily draws over the projected days plus
 * the uncertainty of the rate itself (both wider when history is short), ±bandZ standard deviations.
 *
 * The pool overdrawn (its balance below zero, DESIGN 3.4): it has already run out, so the order is due today
 * and is for at least the whole blocks that cover the overdraft and the expected draws until a purchase
 * ordered today lands, less the purchases on their way that land by then (each counts on its expected day).
 *
 * The order-by date is taken from the band's heavy-demand edge, not the expected line: deliveries sometimes
 * take far longer than the usual 5–7 working days, and demand swings for weeks at a time. The backtest
 * (tests/load/backtest.ts) sets this against an oracle that knows each scenario's true demand and delays.
 */
import type { Units } from '../ledger/money.js';
import { creditsToUnits } from '../ledger/money.js';
import type { Policy } from '../policy/policy.js';
import { addWorkingDayNumbers, dayNumber, dayString, subtractWorkingDayNumbers, workingDayTest } from '../policy/policy.js';

export type ForecastMethod = 'history' | 'simple-rate' | 'no-usage';
export type ForecastConfidence = 'low' | 'medium' | 'high';

export interface ForecastInput {
  /** YYYY-MM-DD: the forecast is made at the start of this day. */
  today: string;
  poolBalance: Units;
  /** Pool draws (usage_pool), one entry per draw or per day; only those dated before today are used. */
  dailyDraws: readonly { date: string; amount: Units }[];
  /** Members whose own credits are about to run out: what they have left and their recent usage per day. */
  joiningSoon?: readonly { ownLeft: Units; dailyRate: Units }[];
  /** Purchases on their way. */
  incoming?: readonly { units: Units; expectedDate: string }[];
  /**
   * Flex mode: packs in the pool with what is left and when they expire. Expected draws take the
   * earliest-expiring first; what a pack still holds on its expiry day is lost, and the projection drops.
   */
  expiring?: readonly { units: Units; expiresAt: string }[];
  /** Real lead times of past purchases (ordered → applied), in working days. */
  leadTimesWorkingDays?: readonly number[];
  /** When the pool went below zero (ISO time), when the ledger tells; only read while it is overdrawn. */
  overdrawnSince?: string | null;
  policy: Policy;
  /** Calendar days covered by the projection and the recommendation; default policy.alerts.forecastHorizonDays. */
  horizonDays?: number;
  /**
   * Half-width of the band in standard deviations (default FORECAST_TUNING.bandZ). The order-by date is
   * set against the band's heavy-demand edge, so this trades stock-outs for stock held (see the backtest).
   */
  bandZ?: number;
}

export interface ForecastDay {
  date: string;
  /** Expected pool balance at the end of the day, and the band around it (low = heavier demand). */
  expected: Units;
  low: Units;
  high: Units;
}

/** The pool below zero when the forecast is made, and what it takes to cover it. */
export interface ForecastOverdraft {
  amount: Units;
  /** When the pool went below zero (ISO time), when known. */
  since: string | null;
  /** The first day the expected balance is back to zero or more (purchases on their way land); null when not within the horizon. */
  coveredOn: string | null;
  /** Expected draws from today until a purchase ordered today lands (the lead time). */
  leadDemand: Units;
  /** Whole blocks covering the overdraft and leadDemand, less the purchases on their way that land by then. */
  minimumBlocks: number;
}

export interface Forecast {
  method: ForecastMethod;
  /** Expected pool draws per calendar day over the coming week, from history alone (joiners excluded). */
  dailyRate: Units;
  /** The same per working day and per other day (weekends, holidays). */
  workingDayRate: Units;
  otherDayRate: Units;
  /** Expected pool draws per day, over the horizon, from members about to run out of their own credits. */
  joiningRate: Units;
  /** Days of draw history the rate was computed from (at most the long window). */
  historyDays: number;
  horizonDays: number;
  /** One row per day of the horizon, today first. */
  projection: ForecastDay[];
  /**
   * First day the expected balance cannot cover (it is gone by the end of that day); null when that is not
   * within the horizon and the lead time after it. zeroDateEarliest and zeroDateLatest: the same for the
   * band's heavy-demand and light-demand edges (earliest ≤ zeroDate ≤ latest).
   */
  zeroDate: string | null;
  zeroDateEarliest: string | null;
  zeroDateLatest: string | null;
  /** The expected balance runs out before the last purchase on its way lands: chase that purchase. */
  shortBeforeIncoming: boolean;
  /**
   * The last day to order a new purchase so that, taking the lead time plus the safety margin (working
   * days), it arrives before the pool runs out at the band's heavy-demand edge — the first such shortfall
   * once the purchases on their way have landed (a new order cannot fix a gap before them). Without such a
   * gap it is never after zeroDate. Null when even that edge does not run out; it may be past (overdue).
   */
  orderByDate: string | null;
  /** True when the order-by date is today or past. */
  orderNow: boolean;
  /**
   * Whole blocks covering the expected demand over the lead time and the horizon, less the balance and what
   * is on its way, rounded up; at least one when the order is due, and at least the overdraft's minimumBlocks.
   */
  recommendedBlocks: number;
  /** The pool is below zero now; null when it is not. */
  overdraft: ForecastOverdraft | null;
  leadTimeDays: number;
  leadTimeSource: 'policy' | 'history';
  safetyMarginDays: number;
  confidence: ForecastConfidence;
}

/** The forecast's tuning, named so that tests and the backtest can refer to it. */
export const FORECAST_TUNING = {
  /** Below this many days of history the rate is the plain mean of all days (simple-rate). */
  shortHistoryDays: 14,
  /** History older than this is not used. */
  longWindowDays: 56,
  /** The recent window, whose (spike-trimmed) mean takes over when demand rises. */
  recentWindowDays: 14,
  /** Confidence: low below shortHistoryDays of history, high from this many on (unless joiners dominate). */
  highConfidenceDays: 42,
  /** Real lead times needed before their percentile replaces the policy's maximum. */
  minLeadTimeSamples: 5,
  leadTimePercentile: 90,
  /** Width of the band, in standard deviations of the cumulative demand (about a 95% two-sided band). */
  bandZ: 2,
  /** Prior for the variability when history is short: a daily spread of this share of the rate… */
  priorCv: 0.5,
  /** …worth this many days of history. */
  priorDays: 7,
  /** Uncertainty of joiners' future draws, as a share of them. */
  joinerCv: 0.25,
} as const;

interface Rates {
  method: 'history' | 'simple-rate';
  historyDays: number;
  /** Expected draw, daily spread and standard error of the expected draw, per kind of day. */
  working: { rate: number; sd: number; se: number };
  other: { rate: number; sd: number; se: number };
}

const finiteOr = (value: number, fallback: number): number => (Number.isFinite(value) ? value : fallback);

function mean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function sampleVariance(values: readonly number[], centre: number): number {
  if (values.length < 2) return 0;
  let sum = 0;
  for (const v of values) sum += (v - centre) ** 2;
  return sum / (values.length - 1);
}

/** Mean with the largest tenth (at least one value once there are four) pulled down to the next value. */
function trimmedTopMean(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return 0;
  const k = n >= 4 ? Math.max(1, Math.floor(n / 10)) : 0;
  if (k === 0) return mean(values);
  const sorted = [...values].sort((a, b) => a - b);
  const cap = sorted[n - 1 - k] ?? 0;
  let sum = 0;
  for (const v of sorted) sum += Math.min(v, cap);
  return sum / n;
}

/** Spread blended with a prior (a spread of priorCv × the rate), so that a short history gives a wide band. */
function blendedSd(values: readonly number[], rate: number, centre: number): number {
  const n = values.length;
  const dof = Math.max(0, n - 1);
  const prior = (FORECAST_TUNING.priorCv * rate) ** 2;
  const variance = (dof * sampleVariance(values, centre) + FORECAST_TUNING.priorDays * prior) / (dof + FORECAST_TUNING.priorDays);
  return Math.sqrt(variance);
}

/**
 * The daily draw rate. Short history: the plain mean of every day since the first draw. Otherwise, for
 * working days and other days apart, the larger of the recent fortnight's mean (its top tenth trimmed, so
 * that one spike does not swing it) and the long window's plain mean (where a spike weighs 1/56 and spikes
 * count at their long-run frequency). Every estimate only grows when a day's draws grow.
 */
function estimateRates(input: ForecastInput, today: number, isWorking: (day: number) => boolean): Rates | null {
  let first = Number.POSITIVE_INFINITY;
  const byDay = new Map<number, number>();
  const windowStart = today - FORECAST_TUNING.longWindowDays;
  // YYYY-MM-DD strings sort as their dates do: anything before the window only needs to be a date.
  const windowStartText = dayString(windowStart);
  let olderHistory = false;
  for (const draw of input.dailyDraws) {
    if (!Number.isFinite(draw.amount)) continue;
    if (draw.date < windowStartText) {
      if (!olderHistory && Number.isFinite(dayNumber(draw.date))) olderHistory = true;
      continue;
    }
    const day = dayNumber(draw.date);
    if (!Number.isFinite(day) || day >= today) continue;
    if (day < first) first = day;
    byDay.set(day, (byDay.get(day) ?? 0) + draw.amount);
  }
  if (olderHistory) first = windowStart;
  if (!Number.isFinite(first)) return null;
  const start = Math.max(first, windowStart);
  const historyDays = today - start;
  // A day's net draws (a reversal may make it negative) count from zero.
  const amountOn = (day: number): number => Math.max(0, byDay.get(day) ?? 0);

  if (historyDays < FORECAST_TUNING.shortHistoryDays) {
    const values: number[] = [];
    for (let d = start; d < today; d++) values.push(amountOn(d));
    const rate = mean(values);
    const sd = blendedSd(values, rate, rate);
    const kind = { rate, sd, se: sd / Math.sqrt(values.length) };
    return { method: 'simple-rate', historyDays, working: kind, other: kind };
  }

  const recentStart = today - FORECAST_TUNING.recentWindowDays;
  const all: number[] = [];
  const long = { working: [] as number[], other: [] as number[] };
  const recent = { working: [] as number[], other: [] as number[] };
  for (let d = start; d < today; d++) {
    const v = amountOn(d);
    const kind = isWorking(d) ? 'working' : 'other';
    all.push(v);
    long[kind].push(v);
    if (d >= recentStart) recent[kind].push(v);
  }
  const overall = Math.max(trimmedTopMean(all.slice(-FORECAST_TUNING.recentWindowDays)), mean(all));
  const estimate = (kind: 'working' | 'other') => {
    const l = long[kind];
    const r = recent[kind];
    // A kind of day never seen in the window (a calendar of seven working days, then a holiday): the
    // overall rate stands in.
    if (l.length === 0) {
      const sd = blendedSd(all, overall, mean(all));
      return { rate: overall, sd, se: sd / Math.sqrt(all.length) };
    }
    const rate = r.length > 0 ? Math.max(trimmedTopMean(r), mean(l)) : mean(l);
    const sd = blendedSd(l, rate, mean(l));
    return { rate, sd, se: sd / Math.sqrt(l.length) };
  };
  return { method: 'history', historyDays, working: estimate('working'), other: estimate('other') };
}

/** Lead time in working days: the policy's maximum until enough real ones, then their 90th percentile. */
function leadTime(input: ForecastInput): { days: number; source: 'policy' | 'history' } {
  const real = (input.leadTimesWorkingDays ?? []).filter((d) => Number.isFinite(d) && d >= 0);
  if (real.length >= FORECAST_TUNING.minLeadTimeSamples) {
    const sorted = [...real].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((FORECAST_TUNING.leadTimePercentile / 100) * sorted.length) - 1));
    return { days: Math.ceil(sorted[rank] ?? 0), source: 'history' };
  }
  return { days: Math.max(0, Math.ceil(finiteOr(input.policy.leadTimeDays.max, 7))), source: 'policy' };
}

/**
 * A balance rounded to whole units for the projection, on the same side of zero as the balance itself: the
 * row the pool runs out on is the row that shows zero, so the chart and zeroDate never tell two days.
 */
const shownUnits = (value: number, round: (v: number) => number): Units => (value > 0 ? Math.max(1, round(value)) : round(value) || 0);

/** What a member about to run out draws from the pool on day k (0 = today), at their daily rate. */
function joinerDraw(ownLeft: number, rate: number, k: number): number {
  return Math.max(0, (k + 1) * rate - ownLeft) - Math.max(0, k * rate - ownLeft);
}

export function forecastPool(input: ForecastInput): Forecast {
  const today = dayNumber(input.today);
  if (!Number.isFinite(today)) throw new RangeError(`forecastPool: today is not a date: ${input.today}`);
  const { policy } = input;
  const isWorking = workingDayTest(policy);
  const horizonDays = Math.min(3660, Math.max(1, Math.round(finiteOr(input.horizonDays ?? policy.alerts.forecastHorizonDays, 60))));
  const lead = leadTime(input);
  const safetyMarginDays = Math.max(0, Math.ceil(finiteOr(policy.alerts.safetyMarginDays, 0)));
  const balance = finiteOr(input.poolBalance, 0);
  const blockUnits = Math.max(1, creditsToUnits(finiteOr(policy.blockSize, 1)));
  const bandZ = Math.min(10, Math.max(0, finiteOr(input.bandZ ?? FORECAST_TUNING.bandZ, FORECAST_TUNING.bandZ)));

  const rates = estimateRates(input, today, isWorking);
  const joiners = (input.joiningSoon ?? [])
    .filter((j) => Number.isFinite(j.dailyRate) && j.dailyRate > 0 && Number.isFinite(j.ownLeft))
    .map((j) => ({ ownLeft: Math.max(0, j.ownLeft), rate: j.dailyRate }));
  const incoming = (input.incoming ?? [])
    .map((p) => ({ units: finiteOr(p.units, 0), day: dayNumber(p.expectedDate) }))
    .filter((p) => p.units > 0);

  // Expected demand per day over the lead time and the horizon (the recommendation covers both).
  const leadCalendarDays = addWorkingDayNumbers(isWorking, today, lead.days) - today;
  const span = horizonDays + leadCalendarDays;
  const zero = { rate: 0, sd: 0, se: 0 };
  let cumExpected = 0;
  let cumJoin = 0;
  let varianceDaily = 0;
  let seSum = 0;
  let arrived = 0;
  let joinTotal = 0;
  let leadDemand = 0;
  let coveredDay: number | null = null;
  const projection: ForecastDay[] = [];
  let zeroDay: number | null = null;
  let earliestDay: number | null = null;
  let latestDay: number | null = null;
  let orderBasisDay: number | null = null;
  let anyDemand = false;
  // Flex packs, earliest expiry first: expected draws empty them in that order; the rest lapses on the day.
  const packs = (input.expiring ?? [])
    .map((p) => ({ left: Math.max(0, finiteOr(p.units, 0)), day: dayNumber(p.expiresAt) }))
    .filter((p) => p.left > 0 && Number.isFinite(p.day))
    .sort((a, b) => a.day - b.day || a.left - b.left);
  let lost = 0;
  // Purchases whose date has passed or is not a date are taken to land today.
  const lastArrival = incoming.reduce((last, p) => (p.day > last ? p.day : last), today);
  for (let k = 0; k < span; k++) {
    const day = today + k;
    const kind = rates ? (isWorking(day) ? rates.working : rates.other) : zero;
    let join = 0;
    for (const j of joiners) join += joinerDraw(j.ownLeft, j.rate, k);
    const demand = kind.rate + join;
    cumExpected += demand;
    if (k < leadCalendarDays) leadDemand += demand;
    cumJoin += join;
    for (const p of packs) {
      if (p.day <= day && p.left > 0) {
        lost += p.left;
        p.left = 0;
      }
    }
    let draw = demand;
    for (const p of packs) {
      if (draw <= 0) break;
      const take = Math.min(p.left, draw);
      p.left -= take;
      draw -= take;
    }
    varianceDaily += kind.sd ** 2;
    seSum += kind.se;
    for (const p of incoming) if (p.day === day || (k === 0 && !(p.day >= today))) arrived += p.units;
    const spread = bandZ * Math.sqrt(varianceDaily + seSum ** 2 + (FORECAST_TUNING.joinerCv * cumJoin) ** 2);
    const expected = balance + arrived - cumExpected - lost;
    const low = expected - spread;
    // Demand is never negative: the light-demand edge never exceeds what the pool has had.
    const high = Math.min(balance + arrived - lost, expected + spread);
    if (demand > 0) anyDemand = true;
    if (balance < 0 && coveredDay === null && k < horizonDays && expected >= 0) coveredDay = day;
    // The pool "reaches zero" on the first day it cannot cover (its balance at the end of the day is gone).
    if (anyDemand) {
      if (zeroDay === null && expected <= 0) zeroDay = day;
      if (earliestDay === null && low <= 0) earliestDay = day;
      if (latestDay === null && high <= 0) latestDay = day;
      if (orderBasisDay === null && low <= 0 && day >= lastArrival) orderBasisDay = day;
    }
    if (k < horizonDays) {
      joinTotal += join;
      projection.push({ date: dayString(day), expected: shownUnits(expected, Math.round), low: shownUnits(low, Math.floor), high: shownUnits(high, Math.ceil) });
    }
  }

  const blocksFor = (units: number) => (units > 0 ? Math.min(Number.MAX_SAFE_INTEGER, Math.ceil(units / blockUnits)) : 0);
  // Overdrawn: what lands before a purchase ordered today would (an overdue one today) counts against it.
  const leadEnd = today + leadCalendarDays;
  const landingInTime = incoming.reduce((sum, p) => sum + (p.day > leadEnd ? 0 : p.units), 0);
  const overdraft: ForecastOverdraft | null =
    balance < 0
      ? {
          amount: -balance,
          since: input.overdrawnSince ?? null,
          coveredOn: coveredDay === null ? null : dayString(coveredDay),
          leadDemand: Math.round(leadDemand),
          minimumBlocks: blocksFor(Math.ceil(-balance + leadDemand - landingInTime)),
        }
      : null;
  let orderByDay = orderBasisDay === null ? null : subtractWorkingDayNumbers(isWorking, orderBasisDay, lead.days + safetyMarginDays);
  // An overdraft nothing on its way covers in time is due today (or since the date it was due already).
  if (overdraft && overdraft.minimumBlocks > 0) orderByDay = Math.min(orderByDay ?? today, today);
  const orderNow = orderByDay !== null && orderByDay <= today;
  const incomingTotal = incoming.reduce((sum, p) => sum + p.units, 0);
  let recommendedBlocks = Math.max(blocksFor(Math.ceil(cumExpected + lost - balance - incomingTotal)), overdraft?.minimumBlocks ?? 0);
  // When the order is due, it is for at least one block.
  if (orderNow && recommendedBlocks === 0) recommendedBlocks = 1;

  let weekRate = 0;
  if (rates) for (let k = 0; k < 7; k++) weekRate += (isWorking(today + k) ? rates.working : rates.other).rate;
  const method: ForecastMethod = cumExpected <= 0 ? 'no-usage' : (rates?.method ?? 'simple-rate');
  const historyDays = rates?.historyDays ?? 0;
  const confidence: ForecastConfidence =
    historyDays < FORECAST_TUNING.shortHistoryDays
      ? 'low'
      : historyDays < FORECAST_TUNING.highConfidenceDays || joinTotal > cumExpected / 2
        ? 'medium'
        : 'high';

  return {
    method,
    dailyRate: Math.round(weekRate / 7),
    workingDayRate: Math.round(rates?.working.rate ?? 0),
    otherDayRate: Math.round(rates?.other.rate ?? 0),
    joiningRate: Math.round(joinTotal / horizonDays),
    historyDays,
    horizonDays,
    projection,
    zeroDate: zeroDay === null ? null : dayString(zeroDay),
    zeroDateEarliest: earliestDay === null ? null : dayString(earliestDay),
    zeroDateLatest: latestDay === null ? null : dayString(latestDay),
    shortBeforeIncoming: zeroDay !== null && zeroDay < lastArrival,
    orderByDate: orderByDay === null ? null : dayString(orderByDay),
    orderNow,
    recommendedBlocks,
    overdraft,
    leadTimeDays: lead.days,
    leadTimeSource: lead.source,
    safetyMarginDays,
    confidence,
  };
}
