import type { LedgerState } from './ledger-state.js';
import { balanceOf } from './ledger-state.js';
import type { Units } from './money.js';
import type { Policy } from '../policy/policy.js';
import { creditsToUnits, unitsToCredits } from './money.js';
import { compareLotsForDraw, isLotExpired } from './packs.js';
import type { Lot } from '../purchases/purchase-types.js';
import { OPEN_PURCHASE_STATES } from '../purchases/purchase-types.js';
import type { Result } from '../result.js';
import { fail } from '../result.js';

export interface LotDraw {
  lot: Lot;
  amount: Units;
}

/**
 * Takes `amount` from the lots in draw order (compareLotsForDraw): oldest first, or in Flex mode the
 * earliest-expiring pack first, then the smallest. An expired pack (or, given `asOf`, one past its expiry)
 * is never drawn from. What the lots cannot cover is returned as `uncovered`.
 */
export function drawFromLots(lots: readonly Lot[], amount: Units, asOf?: string): { draws: LotDraw[]; uncovered: Units } {
  const draws: LotDraw[] = [];
  let left = amount;
  for (const lot of [...lots].sort(compareLotsForDraw)) {
    if (left === 0) break;
    if (lot.remaining <= 0 || isLotExpired(lot, asOf)) continue;
    const take = Math.min(lot.remaining, left);
    draws.push({ lot: { ...lot, remaining: lot.remaining - take }, amount: take });
    left -= take;
  }
  return { draws, uncovered: left };
}

export function poolBalance(state: LedgerState): Units {
  return balanceOf(state, 'pool');
}

/** The pool is "low" below a share (default 20%) of the most recent purchase. */
export function poolLowThreshold(state: LedgerState, policy: Policy): Units {
  const last = [...state.lots].sort((a, b) => a.appliedAt.localeCompare(b.appliedAt)).at(-1);
  const reference = last ? last.units : creditsToUnits(policy.blockSize);
  return Math.floor((reference * policy.alerts.poolLowPercentOfLastPurchase) / 100);
}

/**
 * The refusal of a self-logged usage or a hold the pool cannot cover (DESIGN 3.2): the pool's balance,
 * what was needed from it, and the purchases on their way.
 */
export function poolInsufficient(state: LedgerState, needed: Units): Result<never> {
  const poolBefore = poolBalance(state);
  const openPurchases = Object.values(state.purchases)
    .filter((p) => (OPEN_PURCHASE_STATES as readonly string[]).includes(p.state))
    .map((p) => ({ id: p.id, state: p.state, blocks: p.blocks }));
  return fail(
    'POOL_INSUFFICIENT',
    `The shared pool has ${unitsToCredits(poolBefore)} left but this needs ${unitsToCredits(needed)} from it.` +
      (openPurchases.length ? ' A purchase is on its way.' : ' Ask an account manager to order more credits.'),
    { poolBalance: unitsToCredits(poolBefore), needed: unitsToCredits(needed), openPurchases },
  );
}
