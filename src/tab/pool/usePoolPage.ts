import type { ResponseOf } from '../../contract/routes.js';
import { unitWords } from '../../ui/format.js';
import { useApi } from '../../ui/useApi.js';
import { seesEveryone, useApp } from '../app-context.js';
import { isPoolLow, onTheirWay } from './pool-low.js';

export type Pool = ResponseOf<'pool'>;

/** Which bar heads the pool: overdrawn, low with enough on its way, low, or none. */
export type PoolAlert = 'overdrawn' | 'low-covered' | 'low' | undefined;

/** The pool page's state: the pool and its forecast, the firm's words for them, and how low the pool is. */
export function usePoolPage() {
  const { api, me, settings, navigate } = useApp();
  const pool = useApi((signal) => api('pool', { signal }), [api]);
  const forecast = useApi((signal) => api('poolForecast', { signal }), [api]);

  const data = pool.data;
  const low = data ? isPoolLow(data, settings.alerts.poolLowPercentOfLastPurchase) : undefined;
  const coming = data && low?.low && forecast.data ? onTheirWay(forecast.data, data.balance, low.threshold) : undefined;
  const alert: PoolAlert = data?.overdraft ? 'overdrawn' : low?.low ? (coming?.covered ? 'low-covered' : 'low') : undefined;

  return {
    pool,
    forecast,
    words: unitWords(settings),
    // Names and prices are for account managers and IT, who also run the purchases page.
    withPrices: seesEveryone(me),
    alert,
    threshold: low?.threshold ?? 0,
    coming,
    lowPercent: settings.alerts.poolLowPercentOfLastPurchase,
    leadTimeDays: settings.leadTimeDays,
    serviceName: (slug: string | null) => (slug ? (settings.services.find((s) => s.slug === slug)?.name ?? slug) : '—'),
    goToPurchases: () => navigate('purchases'),
  };
}

export type PoolPageState = ReturnType<typeof usePoolPage>;
