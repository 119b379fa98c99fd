import type { ResponseOf } from '../../src/contract/index.js';
import type { BalanceDay, Forecast } from '../../src/core/forecast/index.js';
import type { Member, Transfer, Units } from '../../src/core/ledger/index.js';
import type { Policy } from '../../src/core/policy/index.js';
import type { Purchase } from '../../src/core/purchases/index.js';
import {
  BALANCE_HISTORY_DAYS,
  FORECAST_SCAN_DAYS,
  buildForecastInput,
  forecastPool,
  lastAppliedPurchase,
  poolBalanceHistory,
} from '../../src/core/forecast/index.js';
import { creditsToUnits, unitsToCredits } from '../../src/core/ledger/index.js';
import { dayNumber, dayString } from '../../src/core/policy/index.js';
import { OPEN_PURCHASE_STATES } from '../../src/core/purchases/index.js';
import type { AppResult } from './app-result.js';
import { success } from './app-result.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';
import { allPages } from './paging.js';
import { policyOf } from './deps.js';
import { readOverdraft } from './overdraft.js';

/** Transfers read per page while walking back through the ledger. */
const SCAN_PAGE = 500;
/** A bound on the walk back, so one enormous month cannot make a forecast read without end. */
const MAX_SCANNED_TRANSFERS = 100_000;

export interface LoadedForecast {
  forecast: Forecast;
  policy: Policy;
  today: string;
  poolBalance: Units;
  /** End-of-day pool balances over the forecast's history window, oldest first (today: now). */
  balanceHistory: BalanceDay[];
  /** How many members are about to use up their own credits and start drawing (counted in the forecast). */
  joiningSoon: number;
  /** Purchases in progress, with the day each is expected to land: the list the forecast itself used. */
  incoming: { purchaseId: string; units: Units; expectedDate: string }[];
  /** The most recently applied purchase: what the low-pool threshold is a share of. */
  lastAppliedPurchase: { purchaseId: string; blocks: number; units: Units; appliedAt: string } | null;
}

/**
 * The ledger back as far as the forecast looks, newest first. The page that crosses the start of the window
 * is kept whole: a pool draw older than the window in it tells the forecast its history is long.
 */
async function recentTransfers(deps: AppDeps, tenant: string, since: string): Promise<{ transfers: Transfer[]; complete: boolean }> {
  const transfers: Transfer[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listTransfers(tenant, {}, { cursor, limit: SCAN_PAGE });
    transfers.push(...page.items);
    cursor = page.nextCursor ?? undefined;
    const oldest = page.items.at(-1);
    if (oldest && oldest.at < since) return { transfers, complete: !cursor };
  } while (cursor && transfers.length < MAX_SCANNED_TRANSFERS);
  return { transfers, complete: !cursor };
}


/**
 * Reads what the pool forecast needs (the pool balance, the transfers of the last eight weeks or so,
 * registered members, purchases in progress and applied ones) and makes the forecast as of `now`. The
 * hourly alerts call this as well as the API.
 */
export async function loadForecast(deps: AppDeps, tenant: string, now: Date, horizonDays?: number): Promise<LoadedForecast> {
  const today = now.toISOString().slice(0, 10);
  const since = dayString(dayNumber(today) - FORECAST_SCAN_DAYS) + 'T00:00:00.000Z';
  const [policy, poolBalance, scan, members, purchases, lots] = await Promise.all([
    policyOf(deps, tenant),
    deps.store.getBalance(tenant, 'pool'),
    recentTransfers(deps, tenant, since),
    allPages<{ member: Member; own: Units }>((cursor) => deps.store.listMembers(tenant, { state: 'registered' }, { cursor, limit: 200 })),
    Promise.all(
      ([...OPEN_PURCHASE_STATES, 'applied'] as const).map((state) => allPages<Purchase>((cursor) => deps.store.listPurchases(tenant, { state }, { cursor, limit: 200 }))),
    ).then((lists) => lists.flat()),
    deps.store.listLots(tenant),
  ]);
  // Since when it is overdrawn: the pool page's own walk back, so both say the same.
  const overdrawnSince = poolBalance < 0 ? ((await readOverdraft(deps, tenant, poolBalance))?.since ?? null) : null;
  const built = { ...buildForecastInput({ today, poolBalance, transfers: scan.transfers, members, purchases, policy, horizonDays }), overdrawnSince };
  // Flex packs that expire: the forecast counts what they will lose (DESIGN 3.6, issue 7).
  const expiring = lots.flatMap((l) => (l.expiresAt && !l.expiredAt && l.remaining > 0 ? [{ units: l.remaining, expiresAt: l.expiresAt }] : []));
  const input = expiring.length > 0 ? { ...built, expiring } : built;
  const last = lastAppliedPurchase(purchases);
  return {
    forecast: forecastPool(input),
    policy,
    today,
    poolBalance,
    balanceHistory: poolBalanceHistory({ transfers: scan.transfers, poolBalance, today, days: BALANCE_HISTORY_DAYS, complete: scan.complete }),
    joiningSoon: input.joiningSoon.length,
    incoming: input.incoming,
    lastAppliedPurchase: last ? { purchaseId: last.purchase.id, blocks: last.purchase.blocks, units: last.purchase.units, appliedAt: last.appliedAt } : null,
  };
}

/** GET /api/pool/forecast: the forecast in credits. No names: everyone signed in may read it. */
export async function getPoolForecast(deps: AppDeps, caller: Caller, query: { horizonDays?: number | undefined }): Promise<AppResult<ResponseOf<'poolForecast'>>> {
  const loaded = await loadForecast(deps, caller.tenant, deps.clock.now(), query.horizonDays);
  const { forecast: f, policy } = loaded;
  return success({
    today: loaded.today,
    poolBalance: unitsToCredits(loaded.poolBalance),
    method: f.method,
    confidence: f.confidence,
    dailyRate: unitsToCredits(f.dailyRate),
    joiningRate: unitsToCredits(f.joiningRate),
    joiningSoon: loaded.joiningSoon,
    zeroDate: f.zeroDate,
    zeroDateEarliest: f.zeroDateEarliest,
    zeroDateLatest: f.zeroDateLatest,
    shortBeforeIncoming: f.shortBeforeIncoming,
    orderByDate: f.orderByDate,
    orderNow: f.orderNow,
    recommendedBlocks: f.recommendedBlocks,
    recommendedCredits: unitsToCredits(f.recommendedBlocks * creditsToUnits(policy.blockSize)),
    overdraft: f.overdraft && {
      credits: unitsToCredits(f.overdraft.amount),
      since: f.overdraft.since,
      coveredOn: f.overdraft.coveredOn,
      leadDemand: unitsToCredits(f.overdraft.leadDemand),
      minimumBlocks: f.overdraft.minimumBlocks,
    },
    blockSize: policy.blockSize,
    leadTimeDays: f.leadTimeDays,
    leadTimeSource: f.leadTimeSource,
    safetyMarginDays: f.safetyMarginDays,
    horizonDays: f.horizonDays,
    historyDays: f.historyDays,
    incoming: loaded.incoming.map((p) => ({ credits: unitsToCredits(p.units), expectedDate: p.expectedDate })),
    projection: f.projection.map((d) => ({ date: d.date, expected: unitsToCredits(d.expected), low: unitsToCredits(d.low), high: unitsToCredits(d.high) })),
    balanceHistory: loaded.balanceHistory.map((d) => ({ date: d.date, balance: unitsToCredits(d.balance) })),
  });
}
