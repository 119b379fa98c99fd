/**
 * How the bench turns measurements into its figures and targets: pure functions, unit-tested
 * (tests/unit/load/figures.test.ts).
 */
import { round } from './support.js';

/** a ÷ b, or null when either is missing or b is 0. */
export const ratio = (a: number | null | undefined, b: number | null | undefined, digits = 2): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : round(a / b, digits);
export const atLeast = (value: number | null, target: number): boolean | null => (value === null ? null : value >= target);
export const atMost = (value: number | null, target: number): boolean | null => (value === null ? null : value <= target);

/**
 * A read latency target: missed when any read failed (a read that did not come back is no fast read), else
 * the ratio against the limit; null when the reads did not run.
 */
export function readTarget(ratioToRaw: number | null, errors: Record<string, number> | undefined, limit: number): boolean | null {
  if (errors === undefined) return null;
  if (Object.values(errors).some((n) => n > 0)) return false;
  return atMost(ratioToRaw, limit);
}

/** Error counts by code, added up over spans. */
export function mergeErrors(parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of parts) for (const [code, n] of Object.entries(part)) out[code] = (out[code] ?? 0) + n;
  return out;
}

/** One round of an interleaved comparison: what each side wrote, and in how many seconds. */
export interface Round {
  ledgerEntities: number;
  ledgerSeconds: number;
  rawEntities: number;
  rawSeconds: number;
}

/** The middle value (the mean of the two middle ones for an even count). */
export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * The ledger's entity writes/s against the raw side's, over rounds that alternate between the two: each
 * round's ratio, their median (the figure: one window slowed by the rest of the machine moves it little),
 * the spread of the rounds, and the pooled ratio (all entities ÷ all seconds, per side).
 */
export function interleavedRatio(rounds: Round[]) {
  const perRound = rounds
    .filter((r) => r.ledgerSeconds > 0 && r.rawSeconds > 0 && r.rawEntities > 0)
    .map((r) => r.ledgerEntities / r.ledgerSeconds / (r.rawEntities / r.rawSeconds));
  if (perRound.length === 0) return { ratio: null, rounds: [], min: null, max: null, pooled: null };
  const sum = (pick: (r: Round) => number) => rounds.reduce((a, r) => a + pick(r), 0);
  return {
    ratio: round(median(perRound), 2),
    rounds: perRound.map((r) => round(r, 2)),
    min: round(Math.min(...perRound), 2),
    max: round(Math.max(...perRound), 2),
    pooled: ratio(sum((r) => r.ledgerEntities) / sum((r) => r.ledgerSeconds), sum((r) => r.rawEntities) / sum((r) => r.rawSeconds)),
  };
}
