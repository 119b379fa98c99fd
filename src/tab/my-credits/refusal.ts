import { ApiError } from '../../platform/api-client.js';

/** What to do after a refused usage or hold, in the person's words. */
export function refusalAdvice(error: unknown, what: 'log' | 'reserve' = 'log'): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.code === 'POOL_INSUFFICIENT') {
    const open = ((error.details as { openPurchases?: unknown[] } | undefined)?.openPurchases ?? []).length;
    return open > 0
      ? `More credits are on their way (a purchase is open). ${what === 'log' ? 'Log' : 'Reserve'} this again once they arrive, or ${what} a smaller amount now.`
      : 'Ask an account manager to order more credits; purchases take 5–7 working days.';
  }
  if (error.code === 'HOLD_LIMIT_REACHED') return 'You already hold as much of the shared pool as one person may: use or void one of your holds first, or reserve less.';
  if (error.code === 'NOT_REGISTERED') return 'Finish your Autodesk registration first (see the Registration page).';
  return undefined;
}
