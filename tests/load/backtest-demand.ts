/**
 * The backtest's demand and delivery delays (tests/load/backtest.ts): seeded two-year histories of what a
 * firm draws from its pool, with the true model kept beside each history so that the oracle
 * (backtest-oracle.ts) can plan on it.
 *
 * Every scenario: a level of 2–30 credits per working day (log-uniform; other days draw a tenth), a weekly
 * factor that moves week to week (log AR(1), ρ 0.5–0.85, stationary sd 0.1–0.3: a busy week is followed by
 * busy weeks) and daily noise (log-normal, σ 0.35), cut into jobs of 1–30 credits. By kind: steady; growing
 * (to 2–3×); declining (to 30–60%); seasonal (±30–50% over a year); step (on one day of months 4–20 a
 * project ends, ×0.3–0.6, or an office joins, ×1.5–2.5); spiky (on 1–2.5% of working days a spike starts that
 * lasts 2–5 working days at 2–4× the level); new office (5–20 people who first use their own 100 credits,
 * then draw from the pool).
 *
 * Delivery delays: 5–7 working days (uniform, what the policy assumes), but one order in 10–33 (per scenario)
 * takes 10–14: a tail the policy does not know and the forecast only learns from the delays it has seen.
 */
import { creditsToUnits } from '../../src/core/ledger/index.js';

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness (sfc32, seeded through splitmix32), written here so that the figures never depend on a
// library's generator.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.float();
  }

  /** Uniform in [0, 1). */
  float(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal noise with mean 1. */
  noise(sigma: number): number {
    return Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }
}

export function scenarioSeed(base: number, kind: number, index: number): number {
  return (Math.imul(base ^ 0x5bd1e995, 31) + Math.imul(kind + 1, 0x27d4eb2d) + Math.imul(index + 1, 0x165667b1)) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------

export type ScenarioKind = 'steady' | 'growing' | 'declining' | 'seasonal' | 'step' | 'spiky' | 'new_office';
export const SCENARIO_KINDS: readonly ScenarioKind[] = ['steady', 'growing', 'declining', 'seasonal', 'step', 'spiky', 'new_office'];

/** A job of the day: from the pool only (member -1) or by a new member, own credits first. */
export interface Job {
  member: number;
  amount: number;
}

/** Delivery delays in working days: the body the policy assumes, and a tail it does not know. */
export interface LeadTimes {
  body: readonly [number, number];
  tail: readonly [number, number];
  tailChance: number;
}

/** The model behind a scenario's jobs, for the oracle. Day arrays are indexed by day of the scenario. */
export interface DemandTruth {
  /** Expected pool demand of the day before the weekly factor and spikes: the level times the day's share. */
  base: Float64Array;
  /** Monday-based week of each day, counted from the first day's week. */
  week: Int32Array;
  /** Each week's log factor as it happened; the factor is exp(x − weekSd²/2), mean 1. */
  weekLog: Float64Array;
  rho: number;
  weekSd: number;
  daySigma: number;
  /** Spike multiplier of each day (1 outside spikes) and the day its spike started (-1 outside spikes). */
  spikeFactor: Float64Array;
  spikeStart: Int32Array;
  /** Chance per working day that a spike starts (0 outside the spiky kind); length 2–5 days, factor 2–4. */
  spikeChance: number;
  /** New members' expected use per working day (they draw on 70% of working days) and own credits left at the start of each day. */
  memberRates: readonly number[];
  ownLeft: readonly Float64Array[];
}

export interface Scenario {
  kind: ScenarioKind;
  seed: number;
  /** Days replayed. The jobs and the truth run LOOKAHEAD_DAYS further, so that a policy near the end still sees demand ahead. */
  days: number;
  /** Jobs per day, in the order they arrive. */
  jobs: Job[][];
  members: number;
  joinDay: number;
  allotment: number;
  /** Mean daily demand on the pool (what would be drawn if nothing were refused), units per day. */
  meanDailyDemand: number;
  truth: DemandTruth;
  leadTimes: LeadTimes;
}

export const LOOKAHEAD_DAYS = 90;
export const OTHER_DAY_SHARE = 0.1;
export const DAY_SIGMA = 0.35;
export const SPIKE_DAYS = [2, 5] as const;
export const SPIKE_FACTOR = [2, 4] as const;
/** Members use credits on this share of working days. */
export const MEMBER_ACTIVE_SHARE = 0.7;

function splitIntoJobs(rng: Rng, total: number, jobs: Job[]): void {
  let left = Math.round(total);
  while (left > 0) {
    const amount = Math.min(left, rng.int(100, 3000));
    jobs.push({ member: -1, amount });
    left -= amount;
  }
}

function shuffle<T>(rng: Rng, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
}

/** Monday-based week of a day number (1970-01-05 was a Monday). */
const weekOfDay = (day: number) => Math.floor((day + 3) / 7);

/** The level's shape over the two years, by kind: a multiplier of the scenario's level on day t. */
function shapeOf(kind: ScenarioKind, rng: Rng, days: number): (t: number) => number {
  switch (kind) {
    case 'growing': {
      const growth = rng.between(1, 2);
      return (t) => 1 + (growth * t) / days;
    }
    case 'declining': {
      const drop = rng.between(0.4, 0.7);
      return (t) => 1 - (drop * t) / days;
    }
    case 'seasonal': {
      const amplitude = rng.between(0.3, 0.5);
      const phase = rng.between(0, 365);
      return (t) => 1 + amplitude * Math.sin((2 * Math.PI * (t + phase)) / 365);
    }
    case 'step': {
      const on = rng.int(120, 600);
      // A project ends, or an office joins.
      const factor = rng.float() < 0.5 ? rng.between(0.3, 0.6) : rng.between(1.5, 2.5);
      return (t) => (t < on ? 1 : factor);
    }
    default:
      return () => 1;
  }
}

export function makeScenario(kind: ScenarioKind, seed: number, replayed: number, start: number, isWorking: (day: number) => boolean, allotment: number): Scenario {
  const rng = new Rng(seed);
  const days = replayed + LOOKAHEAD_DAYS;
  // Mean demand on the pool per working day: 2–30 credits, log-uniform (as many small firms as large).
  const meanWorkingDay = creditsToUnits(2 * 15 ** rng.float());
  const shape = shapeOf(kind, rng, replayed);
  const rho = rng.between(0.5, 0.85);
  const weekSd = rng.between(0.1, 0.3);
  const spikeChance = kind === 'spiky' ? rng.between(0.01, 0.025) : 0;
  const joinDay = kind === 'new_office' ? rng.int(90, 540) : days;
  const members = kind === 'new_office' ? rng.int(5, 20) : 0;
  const memberRates = Array.from({ length: members }, () => creditsToUnits(rng.between(0.5, 3)));
  const leadTimes: LeadTimes = { body: [5, 7], tail: [10, 14], tailChance: rng.between(0.03, 0.1) };

  const firstWeek = weekOfDay(start);
  const weeks = weekOfDay(start + days - 1) - firstWeek + 1;
  const truth: DemandTruth = {
    base: new Float64Array(days),
    week: new Int32Array(days),
    weekLog: new Float64Array(weeks),
    rho,
    weekSd,
    daySigma: DAY_SIGMA,
    spikeFactor: new Float64Array(days).fill(1),
    spikeStart: new Int32Array(days).fill(-1),
    spikeChance,
    memberRates,
    ownLeft: Array.from({ length: members }, () => new Float64Array(days)),
  };
  // The first week's factor from the stationary distribution, then AR(1) week to week.
  let x = weekSd * rng.normal();
  truth.weekLog[0] = x;
  for (let k = 1; k < weeks; k++) {
    x = rho * x + Math.sqrt(1 - rho * rho) * weekSd * rng.normal();
    truth.weekLog[k] = x;
  }

  const jobs: Job[][] = [];
  let poolDemand = 0;
  const own = new Array<number>(members).fill(allotment);
  let spike = { left: 0, factor: 1, start: -1 };
  for (let t = 0; t < days; t++) {
    const working = isWorking(start + t);
    const week = weekOfDay(start + t) - firstWeek;
    truth.week[t] = week;
    truth.base[t] = meanWorkingDay * shape(t) * (working ? 1 : OTHER_DAY_SHARE);
    if (working && spike.left === 0 && spikeChance > 0 && rng.float() < spikeChance) {
      spike = { left: rng.int(SPIKE_DAYS[0], SPIKE_DAYS[1]), factor: rng.between(SPIKE_FACTOR[0], SPIKE_FACTOR[1]), start: t };
    }
    if (working && spike.left > 0) {
      truth.spikeFactor[t] = spike.factor;
      truth.spikeStart[t] = spike.start;
      spike.left--;
    }
    const weekFactor = Math.exp((truth.weekLog[week] ?? 0) - (weekSd * weekSd) / 2);
    const day: Job[] = [];
    splitIntoJobs(rng, (truth.base[t] ?? 0) * (truth.spikeFactor[t] ?? 1) * weekFactor * rng.noise(DAY_SIGMA), day);
    if (t < replayed) for (const job of day) poolDemand += job.amount;
    for (let m = 0; m < members; m++) {
      (truth.ownLeft[m] as Float64Array)[t] = own[m] ?? 0;
      if (t < joinDay || !working || rng.float() >= MEMBER_ACTIVE_SHARE) continue;
      const amount = Math.round(((memberRates[m] ?? 0) / MEMBER_ACTIVE_SHARE) * rng.noise(DAY_SIGMA));
      if (amount <= 0) continue;
      day.push({ member: m, amount });
      const fromOwn = Math.min(amount, own[m] ?? 0);
      own[m] = (own[m] ?? 0) - fromOwn;
      if (t < replayed) poolDemand += amount - fromOwn;
    }
    shuffle(rng, day);
    jobs.push(day);
  }
  return { kind, seed, days: replayed, jobs, members, joinDay, allotment, meanDailyDemand: Math.max(1, poolDemand / replayed), truth, leadTimes };
}

/** The n-th order's delay in working days: the same sequence for every policy replayed on a scenario. */
export function leadTimeSequence(scenario: Scenario): () => number {
  const rng = new Rng(scenario.seed ^ 0x2545f491);
  const { body, tail, tailChance } = scenario.leadTimes;
  return () => {
    const inTail = rng.float() < tailChance;
    const days = rng.float();
    const [min, max] = inTail ? tail : body;
    return min + Math.floor(days * (max - min + 1));
  };
}

/** Each possible delay and its chance. */
export function leadTimeChances(leadTimes: LeadTimes): { days: number; chance: number }[] {
  const out: { days: number; chance: number }[] = [];
  const { body, tail, tailChance } = leadTimes;
  for (let d = body[0]; d <= body[1]; d++) out.push({ days: d, chance: (1 - tailChance) / (body[1] - body[0] + 1) });
  for (let d = tail[0]; d <= tail[1]; d++) out.push({ days: d, chance: tailChance / (tail[1] - tail[0] + 1) });
  return out;
}
