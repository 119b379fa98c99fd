import type { ResponseOf } from '../../contract/routes.js';

export type PoolForecast = ResponseOf<'poolForecast'>;

export interface PoolPoint {
  x: Date;
  y: number;
}

export interface ForecastSeries {
  /** End-of-day pool balances, oldest first; the last point is the balance now. */
  history: PoolPoint[];
  /** The projection from now on: the expected line and the band's heavy- and light-demand edges. */
  expected: PoolPoint[];
  low: PoolPoint[];
  high: PoolPoint[];
}

/** A day drawn at its midday (UTC), so no time zone moves it to the day before or after. */
export const dayPoint = (date: string): Date => new Date(`${date}T12:00:00Z`);

/** The first moment of a day (UTC): where a purchase's step rises. */
const dayStart = (date: string): Date => new Date(`${date}T00:00:00Z`);

/**
 * The chart's lines from the forecast. The projection starts from the balance now (the history's last point)
 * so the lines join, and continues with the days after today. A purchase lands as a step: the line holds the
 * day before's balance up to the start of its expected day, then rises. Credit Desk refuses draws the pool
 * cannot give, so a line that runs out stays at zero; but an overdrawn pool is below zero already (Autodesk
 * charged it), and its lines show the projection as it is, down with the draws and back up as purchases land.
 */
export function forecastSeries(forecast: Pick<PoolForecast, 'today' | 'poolBalance' | 'balanceHistory' | 'projection'> & Partial<Pick<PoolForecast, 'incoming'>>): ForecastSeries {
  const history = forecast.balanceHistory.map((d) => ({ x: dayPoint(d.date), y: d.balance }));
  const last = history.at(-1);
  const now = last && last.x.getTime() === dayPoint(forecast.today).getTime() ? last : { x: dayPoint(forecast.today), y: forecast.poolBalance };
  const ahead = forecast.projection.filter((d) => d.date > forecast.today);
  const arrivals = new Set((forecast.incoming ?? []).map((p) => p.expectedDate));
  const floor = forecast.poolBalance < 0 ? Number.NEGATIVE_INFINITY : 0;
  const line = (pick: (d: PoolForecast['projection'][number]) => number): PoolPoint[] => {
    if (ahead.length === 0) return [];
    const points: PoolPoint[] = [{ ...now }];
    for (const d of ahead) {
      const y = Math.max(floor, pick(d));
      const before = points.at(-1)!;
      if (arrivals.has(d.date) && y > before.y) points.push({ x: dayStart(d.date), y: before.y });
      points.push({ x: dayPoint(d.date), y });
    }
    return points;
  };
  return { history, expected: line((d) => d.expected), low: line((d) => d.low), high: line((d) => d.high) };
}
