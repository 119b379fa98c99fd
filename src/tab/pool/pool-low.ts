import type { ResponseOf } from '../../contract/routes.js';
import { poolLowCoveredByIncoming } from '../../core/feed/alerts.js';
import type { PoolForecast } from './series.js';

type Pool = ResponseOf<'pool'>;

/** The pool is low when it is under the configured share of the last purchase (DESIGN 3.6). */
export function isPoolLow(pool: Pick<Pool, 'balance' | 'lots'>, percentOfLastPurchase: number): { low: boolean; threshold: number } {
  const last = [...pool.lots].sort((a, b) => b.appliedAt.localeCompare(a.appliedAt))[0];
  const threshold = last ? (last.credits * percentOfLastPurchase) / 100 : 0;
  return { low: last !== undefined && pool.balance < threshold, threshold };
}

export interface OnTheirWay {
  covered: boolean;
  credits: number;
  first: string;
}

/**
 * The purchases on their way, by the rule the "pool low" alert uses (core's poolLowCoveredByIncoming):
 * enough when they bring the pool back over the line and the forecast does not see it run out first.
 */
export function onTheirWay(f: PoolForecast, balance: number, threshold: number): OnTheirWay | undefined {
  const first = f.incoming[0];
  if (!first) return undefined;
  const credits = f.incoming.reduce((sum, p) => sum + p.credits, 0);
  return { covered: poolLowCoveredByIncoming({ poolBalance: balance, threshold, incomingUnits: credits, runsOutBeforeIncoming: f.shortBeforeIncoming }), credits, first: first.expectedDate };
}
