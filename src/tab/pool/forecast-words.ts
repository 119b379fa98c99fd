import { formatCredits, formatDay } from '../../ui/format.js';
import type { PoolForecast } from './series.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** No draws to forecast from: the pool has never been drawn on (in the history window), and nobody is about to. */
export function hasNoHistory(f: Pick<PoolForecast, 'method' | 'historyDays'>): boolean {
  return f.method === 'no-usage' && f.historyDays === 0;
}

/** What the forecast is based on, in plain words: "Based on 8 weeks of draws", "Little history: simple average of 3 days". */
export function forecastBasis(f: Pick<PoolForecast, 'method' | 'historyDays' | 'joiningSoon'>, unit = 'credits'): string {
  const joining = f.joiningSoon > 0 ? `, and ${plural(f.joiningSoon, 'person', 'people')} about to use up their own ${unit}` : '';
  switch (f.method) {
    case 'history': {
      const weeks = Math.round(f.historyDays / 7);
      return `Based on ${plural(weeks, 'week')} of draws${joining}`;
    }
    case 'simple-rate':
      return f.historyDays > 0
        ? `Little history: simple average of ${plural(f.historyDays, 'day')} of draws${joining}`
        : `No draws yet: based on ${plural(f.joiningSoon, 'person', 'people')} about to use up their own ${unit}`;
    case 'no-usage':
      return f.historyDays > 0 ? `No pool draws in the last ${plural(f.historyDays, 'day')}` : 'No draws yet';
  }
}

export function confidenceWords(confidence: PoolForecast['confidence']): string {
  return { low: 'Low confidence', medium: 'Medium confidence', high: 'High confidence' }[confidence];
}

/** The reason a purchase started from the forecast carries. */
export function forecastReason(f: Pick<PoolForecast, 'zeroDate' | 'zeroDateEarliest' | 'horizonDays'> & Partial<Pick<PoolForecast, 'overdraft'>>, unit = 'credits'): string {
  if (f.overdraft) return `Forecast: the pool is overdrawn by ${formatCredits(f.overdraft.credits)} ${unit}`;
  const runsOut = f.zeroDate ?? f.zeroDateEarliest;
  return runsOut ? `Forecast: pool runs out around ${formatDay(runsOut)}` : `Forecast: cover the next ${f.horizonDays} days`;
}

