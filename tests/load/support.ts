import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { TableAction } from '../../server/adapters/table-storage/entity-table.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import type { Row } from '../../server/adapters/table-storage/entities.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_DOMAIN } from '../../server/local/demo-users.js';

/** Progress goes to stderr so that stdout carries only the result. */
export const log = (message: string): void => {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
};

export const round = (value: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** Latencies in milliseconds, summarised by nearest-rank percentiles. */
export class Latencies {
  private values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  /** The latencies of several spans in one summary. */
  static merged(parts: Latencies[]): Latencies {
    const all = new Latencies();
    for (const part of parts) all.values.push(...part.values);
    return all;
  }

  percentile(p: number): number | null {
    if (this.values.length === 0) return null;
    const sorted = [...this.values].sort((a, b) => a - b);
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank] ?? null;
  }

  summary(): { count: number; p50_ms: number | null; p95_ms: number | null; p99_ms: number | null; max_ms: number | null } {
    const r = (v: number | null) => (v === null ? null : round(v, 2));
    return { count: this.count, p50_ms: r(this.percentile(50)), p95_ms: r(this.percentile(95)), p99_ms: r(this.percentile(99)), max_ms: r(this.percentile(100)) };
  }
}

/** The measured span of a phase: operations that complete inside it count; warm-up ones do not. */
export class Window {
  readonly startsAt: number;
  readonly endsAt: number;

  constructor(warmupMs: number, measureMs: number) {
    this.startsAt = performance.now() + warmupMs;
    this.endsAt = this.startsAt + measureMs;
  }

  get seconds(): number {
    return (this.endsAt - this.startsAt) / 1000;
  }

  contains(t: number): boolean {
    return t >= this.startsAt && t <= this.endsAt;
  }

  get over(): boolean {
    return performance.now() >= this.endsAt;
  }
}

/** What one operation reports: done, refused by the ledger (not a posting), or an error code. */
export type OpOutcome = { kind: 'ok'; poolDraw?: boolean } | { kind: 'refused' } | { kind: 'error'; code: string };

export class LoopStats {
  readonly latencies = new Latencies();
  ok = 0;
  refused = 0;
  poolDraws = 0;
  readonly errors: Record<string, number> = {};
  /** Ok operations completed in each second of the window. */
  readonly timeline: number[];

  constructor(seconds: number) {
    this.timeline = new Array<number>(Math.ceil(seconds)).fill(0);
  }

  get errorCount(): number {
    return Object.values(this.errors).reduce((a, b) => a + b, 0);
  }
}

/**
 * `clients` closed loops, each running `op` back to back until the window ends. Only operations that
 * complete inside the window are counted (latency of ok operations only).
 */
export async function closedLoops(clients: number, window: Window, op: (client: number) => Promise<OpOutcome>): Promise<LoopStats> {
  const stats = new LoopStats(window.seconds);
  const loop = async (client: number) => {
    while (!window.over) {
      const started = performance.now();
      let outcome: OpOutcome;
      try {
        outcome = await op(client);
      } catch (error) {
        outcome = { kind: 'error', code: (error as Error).name + ': ' + String((error as Error).message).slice(0, 80) };
      }
      const ended = performance.now();
      if (!window.contains(ended)) continue;
      record(stats, window, outcome, started, ended);
      // Don't spin on a broken target.
      if (outcome.kind === 'error') await new Promise((r) => setTimeout(r, 5));
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => loop(i)));
  return stats;
}

function record(stats: LoopStats, window: Window, outcome: OpOutcome, started: number, ended: number): void {
  if (outcome.kind === 'ok') {
    stats.ok++;
    const second = Math.min(stats.timeline.length - 1, Math.max(0, Math.floor((ended - window.startsAt) / 1000)));
    stats.timeline[second] = (stats.timeline[second] ?? 0) + 1;
    if (outcome.poolDraw) stats.poolDraws++;
    stats.latencies.add(ended - started);
  } else if (outcome.kind === 'refused') {
    stats.refused++;
  } else {
    stats.errors[outcome.code] = (stats.errors[outcome.code] ?? 0) + 1;
  }
}

/**
 * An open loop: `op` started `rate` times a second on a fixed schedule, whether or not the earlier ones
 * have finished (people do not wait for each other). Latency runs from the scheduled start, so a stall
 * counts against every operation it holds up. Operations scheduled inside the window count.
 */
export async function openLoop(rate: number, window: Window, op: () => Promise<OpOutcome>): Promise<LoopStats> {
  const stats = new LoopStats(window.seconds);
  const first = performance.now();
  const running: Promise<void>[] = [];
  for (let i = 0; ; i++) {
    const due = first + (i * 1000) / rate;
    if (due >= window.endsAt) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(
      (async () => {
        let outcome: OpOutcome;
        try {
          outcome = await op();
        } catch (error) {
          outcome = { kind: 'error', code: (error as Error).name + ': ' + String((error as Error).message).slice(0, 80) };
        }
        if (window.contains(due)) record(stats, window, outcome, due, performance.now());
      })(),
    );
  }
  await Promise.all(running);
  return stats;
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function inBatches<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

const OFFICES = ['Boston', 'Chicago', 'Denver', 'Seattle'];

/** Synthetic employees of the demo tenant for the load: ids and emails that no demo user has. */
export function benchMembers(count: number): DemoUser[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    return {
      id: `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`,
      email: `bench.member.${n}@${DEMO_DOMAIN}`,
      displayName: `Bench Member ${n}`,
      office: OFFICES[i % OFFICES.length]!,
      roles: [],
    };
  });
}

export const SERVICES = ['cloud_rendering', 'simulation', 'generative_design', 'other'];

/** A usage body: 0.01–1.00 credits of a known service, dated today (UTC). */
export function usageBody(memberId?: string): { service: string; credits: number; date: string; memberId?: string } {
  const credits = (1 + Math.floor(Math.random() * 100)) / 100;
  return {
    service: SERVICES[Math.floor(Math.random() * SERVICES.length)]!,
    credits,
    date: new Date().toISOString().slice(0, 10),
    ...(memberId ? { memberId } : {}),
  };
}

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where that is not readable. */
export function procCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / 100; // USER_HZ is 100 on Linux.
  } catch {
    return undefined;
  }
}

/** A field of /proc/<pid>/status in MiB (VmRSS, VmHWM), or undefined. */
export function procStatusMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU use of the processes in a phase, as a share of one core. */
export class CpuMeter {
  private readonly before: Map<string, number | undefined>;
  private readonly startedAt = performance.now();

  constructor(private readonly pids: Record<string, number | undefined>) {
    this.before = new Map(Object.entries(pids).map(([name, pid]) => [name, procCpuSeconds(pid)]));
  }

  /** Percent of one core per process since construction. */
  read(): Record<string, number | null> {
    const elapsed = (performance.now() - this.startedAt) / 1000;
    const out: Record<string, number | null> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const a = this.before.get(name);
      const b = procCpuSeconds(pid);
      out[name] = a === undefined || b === undefined ? null : round((100 * (b - a)) / elapsed, 0);
    }
    return out;
  }
}

/** Counters of the storage calls the ledger makes, read by wrapping AzureTableAdapter in this process. */
export interface TableCallStats {
  gets: number;
  queries: number;
  transactions: number;
  transactionActions: number;
  /** Transactions of a single action (an import's progress record, a member created): not batches. */
  transactionsOfOne: number;
  transactionFailures: number;
  transactionLatency: ReturnType<Latencies['summary']>;
}

let tableStats: { gets: number; queries: number; transactions: number; transactionActions: number; transactionsOfOne: number; transactionFailures: number; latency: Latencies } | undefined;

/**
 * Counts the adapter's calls (gets, queries, entity-group transactions and their size) without changing
 * what they do. Server code stays as it is: the wrapper lives in this process only.
 */
export function instrumentTableAdapter(): { reset(): void; read(): TableCallStats } {
  if (!tableStats) {
    const stats = { gets: 0, queries: 0, transactions: 0, transactionActions: 0, transactionsOfOne: 0, transactionFailures: 0, latency: new Latencies() };
    tableStats = stats;
    const proto = AzureTableAdapter.prototype;
     
    const get = proto.get;
    const query = proto.query;
    const transact = proto.transact;
     
    proto.get = function (this: AzureTableAdapter, partitionKey: string, rowKey: string): Promise<Row | undefined> {
      stats.gets++;
      return get.call(this, partitionKey, rowKey);
    };
    proto.query = function (this: AzureTableAdapter, ...args: Parameters<AzureTableAdapter['query']>) {
      stats.queries++;
      return query.apply(this, args);
    };
    proto.transact = async function (this: AzureTableAdapter, partitionKey: string, actions: TableAction[]) {
      stats.transactions++;
      stats.transactionActions += actions.length;
      if (actions.length === 1) stats.transactionsOfOne++;
      const started = performance.now();
      try {
        const result = await transact.call(this, partitionKey, actions);
        stats.latency.add(performance.now() - started);
        return result;
      } catch (error) {
        stats.transactionFailures++;
        throw error;
      }
    };
  }
  const stats = tableStats;
  return {
    reset() {
      stats.gets = stats.queries = stats.transactions = stats.transactionActions = stats.transactionsOfOne = stats.transactionFailures = 0;
      stats.latency = new Latencies();
    },
    read() {
      return {
        gets: stats.gets,
        queries: stats.queries,
        transactions: stats.transactions,
        transactionActions: stats.transactionActions,
        transactionsOfOne: stats.transactionsOfOne,
        transactionFailures: stats.transactionFailures,
        transactionLatency: stats.latency.summary(),
      };
    },
  };
}

/** CPU use from the start of a window's measured span (after warm-up) until read. */
export function cpuDuring(window: Window, pids: Record<string, number | undefined>): { read(): Record<string, number | null> } {
  let meter: CpuMeter | undefined;
  const timer = setTimeout(() => (meter = new CpuMeter(pids)), Math.max(0, window.startsAt - performance.now()));
  return {
    read() {
      clearTimeout(timer);
      return meter?.read() ?? {};
    },
  };
}

/** Runs `action` when the window's measured span starts (after warm-up), unless cancelled first. */
export function atWindowStart(window: Window, action: () => void): { cancel(): void } {
  const timer = setTimeout(action, Math.max(0, window.startsAt - performance.now()));
  return { cancel: () => clearTimeout(timer) };
}
