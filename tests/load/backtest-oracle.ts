/**
 * The backtest's oracle: a policy that knows each scenario's true demand model (its level on every day,
 * step changes and growth included, the weekly factor's AR(1) parameters and every past week's factor, the
 * daily noise, the spike chance and size, the new members' rates and own credits) and the true distribution
 * of delivery delays, tail included. It does not know the noise to come or the delays of its own orders.
 *
 * It plays by the product's rules: at the start of a day, with no order on its way, it orders when the
 * chance of running out before an order placed tomorrow would land exceeds `stockoutChance` (its safety
 * setting), and then orders the whole blocks covering its expected demand over the forecast's horizon plus
 * the lead time (the 90th percentile of the true delays), as the product does with its estimates.
 *
 * The chance is computed, not simulated: for each possible delay, demand over the days until that order
 * would land is taken as normal with its exact mean and variance under the model (the weekly factors'
 * covariance included), mixed over the number of new spikes in the window (Poisson, 0–3), each adding its
 * own mean and variance. The mixture is what makes the tail right for spikes; the normal approximation is
 * the one simplification, so the oracle is a strong policy, not a proof of the best possible one.
 */
import type { Policy } from '../../src/core/policy/index.js';
import { addWorkingDayNumbers } from '../../src/core/policy/index.js';
import type { Scenario } from './backtest-demand.js';
import { DAY_SIGMA, MEMBER_ACTIVE_SHARE, SPIKE_DAYS, SPIKE_FACTOR, leadTimeChances } from './backtest-demand.js';

interface WindowMoments {
  chance: number;
  mean: number;
  variance: number;
  /** Expected number of new spikes in the window, and one spike's extra demand. */
  spikes: number;
  spike: { mean: number; variance: number };
}

export interface Oracle {
  /** Whether the oracle at this safety setting orders at the start of day t with `pool` units. */
  ordersToday(t: number, pool: number, stockoutChance: number): boolean;
  /** Whole blocks it orders on day t. */
  blocks(t: number, pool: number, blockUnits: number): number;
}

/** Upper tail of the standard normal (erfc after Numerical Recipes' erfcc; relative error < 1.2e-7). */
function upperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

const spikeLength = { mean: (SPIKE_DAYS[0] + SPIKE_DAYS[1]) / 2, meanSquare: 0 };
for (let d = SPIKE_DAYS[0]; d <= SPIKE_DAYS[1]; d++) spikeLength.meanSquare += (d * d) / (SPIKE_DAYS[1] - SPIKE_DAYS[0] + 1);
/** A spike's extra over the level is (factor − 1), uniform over [SPIKE_FACTOR − 1]. */
const extra = { mean: (SPIKE_FACTOR[0] + SPIKE_FACTOR[1]) / 2 - 1, meanSquare: ((SPIKE_FACTOR[1] - SPIKE_FACTOR[0]) ** 2) / 12 + ((SPIKE_FACTOR[0] + SPIKE_FACTOR[1]) / 2 - 1) ** 2 };
/** Variance of a member's use on a working day, per rate squared (they use on 70% of days, log-normal amounts). */
const MEMBER_VARIANCE = Math.exp(DAY_SIGMA * DAY_SIGMA) / MEMBER_ACTIVE_SHARE - 1;

export function makeOracle(scenario: Scenario, start: number, isWorking: (day: number) => boolean, policy: Policy): Oracle {
  const { truth } = scenario;
  const days = truth.base.length;
  const s2 = truth.weekSd ** 2;
  const dayVariance = Math.exp(DAY_SIGMA * DAY_SIGMA) - 1;
  const chances = leadTimeChances(scenario.leadTimes);
  const cache = new Map<number, WindowMoments[]>();

  /** Demand over days [t, end) as known at the start of day t: mean, variance, expected new spikes and one spike's mean and variance. */
  function moments(t: number, end: number) {
    // The last known week's factor; before the first day nothing is known (the stationary distribution).
    const known = t > 0 ? (truth.week[t - 1] ?? 0) : -1;
    const x0 = t > 0 ? (truth.weekLog[known] ?? 0) : 0;
    const weekMoments = (j: number) => {
      const m = t > 0 ? truth.rho ** j * x0 : 0;
      const v = t > 0 ? s2 * (1 - truth.rho ** (2 * j)) : s2;
      return { m, v, e: Math.exp(m + v / 2 - s2 / 2), e2: Math.exp(2 * m + 2 * v - s2) };
    };
    const weekSums = new Map<number, number>();
    let variance = 0;
    let mean = 0;
    let freeDays = 0;
    let freeLevel = 0;
    const own = truth.ownLeft.map((o) => o[Math.min(t, days - 1)] ?? 0);
    const used = own.map(() => 0);
    for (let d = t; d < Math.min(end, days); d++) {
      const j = (truth.week[d] ?? 0) - known;
      const w = weekMoments(j);
      const running = (truth.spikeStart[d] ?? -1) >= 0 && (truth.spikeStart[d] ?? -1) < t;
      const a = (truth.base[d] ?? 0) * (running ? (truth.spikeFactor[d] ?? 1) : 1);
      weekSums.set(j, (weekSums.get(j) ?? 0) + a);
      variance += a * a * w.e2 * dayVariance;
      const working = isWorking(start + d);
      if (working && !running && truth.spikeChance > 0) {
        freeDays++;
        freeLevel += a * w.e;
      }
      if (working && d >= scenario.joinDay) {
        for (const [m, rate] of truth.memberRates.entries()) {
          const before = Math.max(0, (used[m] ?? 0) - (own[m] ?? 0));
          used[m] = (used[m] ?? 0) + rate;
          const draw = Math.max(0, (used[m] ?? 0) - (own[m] ?? 0)) - before;
          mean += draw;
          variance += MEMBER_VARIANCE * draw * draw;
        }
      }
    }
    const weeks = [...weekSums.entries()].map(([j, sum]) => ({ j, sum, ...weekMoments(j) }));
    for (const a of weeks) {
      mean += a.sum * a.e;
      for (const b of weeks) {
        const [early, late] = a.j <= b.j ? [a, b] : [b, a];
        variance += a.sum * b.sum * a.e * b.e * (Math.exp(truth.rho ** (late.j - early.j) * early.v) - 1);
      }
    }
    const level = freeDays > 0 ? freeLevel / freeDays : 0;
    const spike = { mean: extra.mean * spikeLength.mean * level, variance: extra.meanSquare * spikeLength.meanSquare * level * level - (extra.mean * spikeLength.mean * level) ** 2 };
    return { mean, variance, spikes: truth.spikeChance * freeDays, spike };
  }

  /** For each possible delay: demand until an order placed tomorrow would land (the same whatever the pool). */
  function windows(t: number): WindowMoments[] {
    let found = cache.get(t);
    if (!found) {
      found = chances.map(({ days: lead, chance }) => ({ chance, ...moments(t, addWorkingDayNumbers(isWorking, start + t + 1, lead) - start) }));
      cache.set(t, found);
    }
    return found;
  }

  function stockoutChance(t: number, pool: number): number {
    let total = 0;
    for (const w of windows(t)) {
      let poisson = Math.exp(-w.spikes);
      for (let k = 0; k <= (w.spikes > 0 ? 3 : 0); k++) {
        if (k > 0) poisson *= w.spikes / k;
        const sd = Math.sqrt(w.variance + k * w.spike.variance);
        const gap = pool - w.mean - k * w.spike.mean;
        total += w.chance * poisson * (sd > 0 ? upperTail(gap / sd) : gap < 0 ? 1 : 0);
      }
    }
    return total;
  }

  const horizon = policy.alerts.forecastHorizonDays;
  const p90Lead = chances.reduce((acc, c) => (acc.cum < 0.9 ? { cum: acc.cum + c.chance, days: c.days } : acc), { cum: 0, days: 0 }).days;
  return {
    ordersToday: (t, pool, chance) => pool <= 0 || stockoutChance(t, pool) > chance,
    blocks(t, pool, blockUnits) {
      const span = horizon + addWorkingDayNumbers(isWorking, start + t, p90Lead) - (start + t);
      const m = moments(t, t + span);
      const expected = m.mean + m.spikes * m.spike.mean;
      return Math.max(1, Math.ceil((expected - pool) / blockUnits));
    },
  };
}
