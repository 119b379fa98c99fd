/**
 * Forecast backtest (DESIGN 3.6): synthetic two-year histories of pool demand, replayed day by day, once with
 * the product's forecast deciding when and how much to order and once with a naive rule, on the same demand
 * and the same delivery delays.
 *
 *   node_modules/.bin/tsx tests/load/backtest.ts            human summary
 *   node_modules/.bin/tsx tests/load/backtest.ts --json     one JSON object on stdout
 *   … --json --per-kind=50 --seed=20260301 --band-z=2       scenarios per kind, base seed, band width
 *
 * Scenarios (five kinds, from fixed seeds): steady; growing (to 2–3× over the two years); seasonal (±30–50%
 * over a year); spiky (on 3–6% of working days a job of 2–5× the mean working day: capped at 5×); a new office
 * joining (5–20 people who first use their own 100 credits, then draw from the pool). Demand falls mostly on
 * working days (other days draw a tenth). A day's demand is a list of jobs served first-come: a job the pool
 * cannot cover is refused, and a day with a refusal is a stockout day.
 *
 * Ordering, at the start of each day once deliveries have landed, with at most one order on its way:
 * - product: forecastPool on the draws so far; order `recommendedBlocks` when the order-by date has come;
 * - naive: order 5 blocks when the pool is below 20% of the last purchase.
 * A purchase arrives after 5–7 working days (uniform; 10 in 5% of orders) on the policy calendar, the same
 * sequence of delays for both. Both start with 5 blocks in the pool.
 *
 * excess days: the pool balance just before each delivery lands, in days of that scenario's mean daily demand
 * (on the pool), averaged over all deliveries of all scenarios.
 *
 * The product orders against the heavy-demand edge of the forecast's band; `forecast_tradeoff` replays the
 * same scenarios with other band widths (0 = the expected line), because the two targets pull apart: with
 * one order in twenty taking 10 working days where the forecast plans for 7 + 2, no stock-outs at all costs
 * about 16 days of stock at each delivery, and an excess of 10 days leaves a few stock-out days.
 * About 20 s of CPU for the default run (250 scenarios, product at four band widths, naive once).
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Policy } from '../../src/core/policy/index.js';
import { FORECAST_TUNING, forecastPool } from '../../src/core/forecast/index.js';
import { creditsToUnits } from '../../src/core/ledger/index.js';
import {
  DEFAULT_POLICY,
  addWorkingDayNumbers,
  dayNumber,
  dayString,
  workingDayTest,
} from '../../src/core/policy/index.js';

export type ScenarioKind = 'steady' | 'growing' | 'seasonal' | 'spiky' | 'new_office';
export const SCENARIO_KINDS: readonly ScenarioKind[] = ['steady', 'growing', 'seasonal', 'spiky', 'new_office'];

export interface BacktestOptions {
  /** Scenarios of each kind (default 50: 250 in all). */
  perKind?: number;
  /** Base seed; every scenario's seed derives from it, its kind and its index. */
  seed?: number;
  /** Days replayed (default 730: two years). */
  days?: number;
  startDate?: string;
  policy?: Policy;
  /** Band width the product's forecast orders against (default FORECAST_TUNING.bandZ). */
  bandZ?: number;
  /**
   * Other band widths to replay the product with, to show what each costs in stock held and saves in
   * stock-outs (default [0, 3, 5]; 0 is ordering on the expected line). [] skips them.
   */
  tradeoffBandZ?: readonly number[];
  onProgress?: (message: string) => void;
}

export interface TradeoffPoint {
  band_z: number;
  stockout_days: number;
  stockout_scenarios: number;
  excess_days: number;
  orders: number;
}

interface SystemFigures {
  stockout_days: number;
  stockout_scenarios: number;
  refused_jobs: number;
  orders: number;
  blocks_bought: number;
  deliveries: number;
  excess_days: number;
  excess_days_p10: number;
  excess_days_p90: number;
}

export interface BacktestResult {
  forecast_scenarios: number;
  forecast_stockout_days: number;
  forecast_excess_days: number;
  naive_stockout_days: number;
  naive_excess_days: number;
  /** The band width the figures above were made with, and the same replay with others. */
  forecast_band_z: number;
  forecast_tradeoff: TradeoffPoint[];
  days_per_scenario: number;
  seed: number;
  seconds: number;
  forecast: SystemFigures;
  naive: SystemFigures;
  per_kind: Record<ScenarioKind, { scenarios: number; forecast: SystemFigures; naive: SystemFigures }>;
}

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

function scenarioSeed(base: number, kind: number, index: number): number {
  return (Math.imul(base ^ 0x5bd1e995, 31) + Math.imul(kind + 1, 0x27d4eb2d) + Math.imul(index + 1, 0x165667b1)) >>> 0;
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios

/** A job of the day: from the pool only (member -1) or by a new member, own credits first. */
interface Job {
  member: number;
  amount: number;
}

export interface Scenario {
  kind: ScenarioKind;
  seed: number;
  /** Jobs per day, in the order they arrive. */
  jobs: Job[][];
  /** New members (new office): how many; each has the allotment. */
  members: number;
  joinDay: number;
  allotment: number;
  /** Mean daily demand on the pool (what would be drawn if nothing were refused), units per day. */
  meanDailyDemand: number;
}

const OTHER_DAY_SHARE = 0.1;
const DAY_NOISE = 0.35;

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

export function makeScenario(kind: ScenarioKind, seed: number, days: number, start: number, isWorking: (day: number) => boolean, allotment: number): Scenario {
  const rng = new Rng(seed);
  // Mean demand on the pool per working day: 2–30 credits, log-uniform (as many small firms as large).
  const meanWorkingDay = creditsToUnits(2 * 15 ** rng.float());
  const growth = rng.between(1, 2);
  const amplitude = rng.between(0.3, 0.5);
  const phase = rng.between(0, 365);
  const spikeChance = rng.between(0.03, 0.06);
  const joinDay = kind === 'new_office' ? rng.int(90, 540) : days;
  const members = kind === 'new_office' ? rng.int(5, 20) : 0;
  const memberRates = Array.from({ length: members }, () => creditsToUnits(rng.between(0.5, 3)));

  const jobs: Job[][] = [];
  let poolDemand = 0;
  const memberUse = new Array<number>(members).fill(0);
  for (let t = 0; t < days; t++) {
    const working = isWorking(start + t);
    let level = meanWorkingDay;
    if (kind === 'growing') level *= 1 + (growth * t) / days;
    if (kind === 'seasonal') level *= 1 + amplitude * Math.sin((2 * Math.PI * (t + phase)) / 365);
    const day: Job[] = [];
    if (kind === 'spiky' && working && rng.float() < spikeChance) {
      // A spike: 2–5× the mean working day, never more.
      splitIntoJobs(rng, Math.min(5 * meanWorkingDay, meanWorkingDay * rng.between(2, 5)), day);
    } else {
      splitIntoJobs(rng, level * (working ? 1 : OTHER_DAY_SHARE) * rng.noise(DAY_NOISE), day);
    }
    for (const job of day) poolDemand += job.amount;
    if (t >= joinDay && working) {
      for (let m = 0; m < members; m++) {
        if (rng.float() < 0.3) continue;
        const amount = Math.round(((memberRates[m] ?? 0) / 0.7) * rng.noise(DAY_NOISE));
        if (amount > 0) {
          day.push({ member: m, amount });
          memberUse[m] = (memberUse[m] ?? 0) + amount;
        }
      }
    }
    shuffle(rng, day);
    jobs.push(day);
  }
  for (const used of memberUse) poolDemand += Math.max(0, used - allotment);
  return { kind, seed, jobs, members, joinDay, allotment, meanDailyDemand: Math.max(1, poolDemand / days) };
}

// ---------------------------------------------------------------------------------------------------------
// Replay

export type Strategy = { kind: 'forecast'; bandZ: number } | { kind: 'naive' };

interface RunOutcome {
  stockoutDays: number;
  refusedJobs: number;
  orders: number;
  blocksBought: number;
  excess: number[];
}

const NAIVE_BLOCKS = 5;
const INITIAL_BLOCKS = 5;

export function replay(scenario: Scenario, strategy: Strategy, policy: Policy, start: number, dates: readonly string[], isWorking: (day: number) => boolean): RunOutcome {
  // The same delivery delays for both strategies: their n-th orders take as long.
  const delays = new Rng(scenario.seed ^ 0x2545f491);
  const blockUnits = creditsToUnits(policy.blockSize);
  let pool = INITIAL_BLOCKS * blockUnits;
  let lastPurchase = pool;
  let onOrder: { arrival: number; units: number; lead: number } | null = null;
  const own = new Array<number>(scenario.members).fill(scenario.allotment);
  const draws: { date: string; amount: number }[] = [];
  const leadTimes: number[] = [];
  const outcome: RunOutcome = { stockoutDays: 0, refusedJobs: 0, orders: 0, blocksBought: 0, excess: [] };

  for (let t = 0; t < scenario.jobs.length; t++) {
    const today = start + t;
    if (onOrder && onOrder.arrival <= today) {
      outcome.excess.push(pool / scenario.meanDailyDemand);
      pool += onOrder.units;
      lastPurchase = onOrder.units;
      leadTimes.push(onOrder.lead);
      onOrder = null;
    }

    if (!onOrder) {
      let blocks = 0;
      if (strategy.kind === 'naive') {
        if (pool * 100 < lastPurchase * policy.alerts.poolLowPercentOfLastPurchase) blocks = NAIVE_BLOCKS;
      } else {
        const joiningSoon: { ownLeft: number; dailyRate: number }[] = [];
        if (t > scenario.joinDay) {
          const daysIn = t - scenario.joinDay;
          for (const left of own) {
            if (left > 0) joiningSoon.push({ ownLeft: left, dailyRate: Math.round((scenario.allotment - left) / daysIn) });
          }
        }
        // The forecast reads eight weeks (and whether anything is older): the last 64 draw days hold both.
        const forecast = forecastPool({ today: dates[t] ?? '', poolBalance: pool, dailyDraws: draws.length > FORECAST_TUNING.longWindowDays + 8 ? draws.slice(-(FORECAST_TUNING.longWindowDays + 8)) : draws, joiningSoon, incoming: [], leadTimesWorkingDays: leadTimes, policy, bandZ: strategy.bandZ });
        if (forecast.orderNow) blocks = forecast.recommendedBlocks;
      }
      if (blocks > 0) {
        const lead = delays.float() < 0.05 ? 10 : delays.int(5, 7);
        onOrder = { arrival: addWorkingDayNumbers(isWorking, today, lead), units: blocks * blockUnits, lead };
        outcome.orders++;
        outcome.blocksBought += blocks;
      }
    }

    let drawn = 0;
    let refused = 0;
    for (const job of scenario.jobs[t] ?? []) {
      const mine = job.member >= 0 ? (own[job.member] ?? 0) : 0;
      const fromOwn = Math.min(job.amount, mine);
      const fromPool = job.amount - fromOwn;
      if (fromPool > pool) {
        refused++;
        continue;
      }
      if (job.member >= 0) own[job.member] = mine - fromOwn;
      pool -= fromPool;
      drawn += fromPool;
    }
    if (refused > 0) {
      outcome.stockoutDays++;
      outcome.refusedJobs += refused;
    }
    if (drawn > 0) draws.push({ date: dates[t] ?? '', amount: drawn });
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

function summarise(runs: readonly RunOutcome[]): SystemFigures {
  const excess = runs.flatMap((r) => r.excess).sort((a, b) => a - b);
  const total = excess.reduce((s, v) => s + v, 0);
  return {
    stockout_days: runs.reduce((s, r) => s + r.stockoutDays, 0),
    stockout_scenarios: runs.filter((r) => r.stockoutDays > 0).length,
    refused_jobs: runs.reduce((s, r) => s + r.refusedJobs, 0),
    orders: runs.reduce((s, r) => s + r.orders, 0),
    blocks_bought: runs.reduce((s, r) => s + r.blocksBought, 0),
    deliveries: excess.length,
    excess_days: round2(excess.length === 0 ? 0 : total / excess.length),
    excess_days_p10: round2(percentile(excess, 10)),
    excess_days_p90: round2(percentile(excess, 90)),
  };
}

/** Holidays on the backtest calendar, so that working-day arithmetic has some to skip. */
const BACKTEST_HOLIDAYS = ['2026-01-01', '2026-04-03', '2026-04-06', '2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29', '2027-12-27', '2027-12-28', '2028-01-03'];

export async function runBacktest(options: BacktestOptions = {}): Promise<BacktestResult> {
  const began = performance.now();
  const perKind = options.perKind ?? 50;
  const seed = options.seed ?? 20260301;
  const days = options.days ?? 730;
  const policy = options.policy ?? { ...DEFAULT_POLICY, holidays: BACKTEST_HOLIDAYS };
  const start = dayNumber(options.startDate ?? '2026-01-05');
  if (!Number.isFinite(start)) throw new RangeError('startDate is not a date');
  const isWorking = workingDayTest(policy);
  const dates = Array.from({ length: days }, (_, t) => dayString(start + t));
  const allotment = creditsToUnits(DEFAULT_POLICY.individualAllotment);

  const bandZ = options.bandZ ?? FORECAST_TUNING.bandZ;
  const tradeoffBandZ = (options.tradeoffBandZ ?? [0, 3, 5]).filter((z) => z !== bandZ);
  type Runs = { forecast: RunOutcome[]; naive: RunOutcome[] };
  const runs: Runs = { forecast: [], naive: [] };
  const tradeoffRuns = tradeoffBandZ.map(() => [] as RunOutcome[]);
  const byKind = new Map<ScenarioKind, Runs>();
  for (const [k, kind] of SCENARIO_KINDS.entries()) {
    const kindRuns: Runs = { forecast: [], naive: [] };
    byKind.set(kind, kindRuns);
    for (let i = 0; i < perKind; i++) {
      const scenario = makeScenario(kind, scenarioSeed(seed, k, i), days, start, isWorking, allotment);
      const product = replay(scenario, { kind: 'forecast', bandZ }, policy, start, dates, isWorking);
      const naive = replay(scenario, { kind: 'naive' }, policy, start, dates, isWorking);
      runs.forecast.push(product);
      kindRuns.forecast.push(product);
      runs.naive.push(naive);
      kindRuns.naive.push(naive);
      for (const [j, z] of tradeoffBandZ.entries()) tradeoffRuns[j]?.push(replay(scenario, { kind: 'forecast', bandZ: z }, policy, start, dates, isWorking));
    }
    options.onProgress?.(`${kind}: ${perKind} scenarios, ${((performance.now() - began) / 1000).toFixed(1)} s`);
    // Let a host's event loop breathe between kinds.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  const forecast = summarise(runs.forecast);
  const naive = summarise(runs.naive);
  const perKindFigures = {} as BacktestResult['per_kind'];
  for (const [kind, kindRuns] of byKind) perKindFigures[kind] = { scenarios: kindRuns.forecast.length, forecast: summarise(kindRuns.forecast), naive: summarise(kindRuns.naive) };
  const point = (z: number, f: SystemFigures): TradeoffPoint => ({ band_z: z, stockout_days: f.stockout_days, stockout_scenarios: f.stockout_scenarios, excess_days: f.excess_days, orders: f.orders });
  const tradeoff = [point(bandZ, forecast), ...tradeoffBandZ.map((z, j) => point(z, summarise(tradeoffRuns[j] ?? [])))].sort((a, b) => a.band_z - b.band_z);
  return {
    forecast_scenarios: runs.forecast.length,
    forecast_stockout_days: forecast.stockout_days,
    forecast_excess_days: forecast.excess_days,
    naive_stockout_days: naive.stockout_days,
    naive_excess_days: naive.excess_days,
    forecast_band_z: bandZ,
    forecast_tradeoff: tradeoff,
    days_per_scenario: days,
    seed,
    seconds: round2((performance.now() - began) / 1000),
    forecast,
    naive,
    per_kind: perKindFigures,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, 'per-kind': { type: 'string' }, seed: { type: 'string' }, 'band-z': { type: 'string' } } });
  const number = (text: string | undefined): number | undefined => (text === undefined ? undefined : Number(text));
  const result = await runBacktest({
    perKind: number(values['per-kind']),
    seed: number(values.seed),
    bandZ: number(values['band-z']),
    onProgress: (m) => process.stderr.write(`[backtest] ${m}\n`),
  });
  if (values.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const line = (name: string, f: SystemFigures) =>
    `${name.padEnd(9)} stockout days ${String(f.stockout_days).padStart(5)} (${f.stockout_scenarios} scenarios)  excess ${f.excess_days.toFixed(2)} days (p10 ${f.excess_days_p10}, p90 ${f.excess_days_p90})  orders ${f.orders}, blocks ${f.blocks_bought}`;
  process.stdout.write(`${result.forecast_scenarios} scenarios × ${result.days_per_scenario} days in ${result.seconds} s\n`);
  process.stdout.write(line('forecast', result.forecast) + '\n' + line('naive', result.naive) + '\n');
  process.stdout.write('trade-off (band z: stock-out days, excess days): ' + result.forecast_tradeoff.map((p) => `${p.band_z}: ${p.stockout_days}, ${p.excess_days}`).join(' | ') + '\n');
  for (const kind of SCENARIO_KINDS) {
    const k = result.per_kind[kind];
    process.stdout.write(`  ${kind.padEnd(10)} forecast ${k.forecast.stockout_days} stockout days, ${k.forecast.excess_days} excess | naive ${k.naive.stockout_days}, ${k.naive.excess_days}\n`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
