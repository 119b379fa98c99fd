import { PACKS_ACTOR, lotsDueToExpire, planPackExpiry } from '../../src/core/ledger/index.js';
import type { AppDeps } from './deps.js';

/**
 * The hourly pack expiry (Flex mode, DESIGN 3.1): every pack past its expiry, by the deps' clock, has what
 * is left in it moved to `expired` by a system posting (`pack_expired`, and a feed event with the amount
 * lost). Each pack's expiry is keyed by the pack, and the lot records it, so a second run, two machines at
 * once, or a usage that expired the pack first, expire nothing twice.
 */
export async function expireDuePacks(deps: AppDeps, tenant: string): Promise<{ due: number; expired: string[] }> {
  const asOf = deps.clock.now().toISOString();
  const due = lotsDueToExpire(await deps.store.listLots(tenant), asOf);
  const expired: string[] = [];
  for (const lot of due) {
    const outcome = await deps.store.execute(tenant, {
      actor: PACKS_ACTOR,
      idempotency: { caller: PACKS_ACTOR, key: `pack-expire|${lot.id}`, fingerprint: lot.id },
      needs: { lots: true },
      decide: (state, ctx) => {
        // Only this pack (others get their own keyed posting), decided on the lot as stored now.
        const only = { ...state, lots: state.lots.filter((l) => l.id === lot.id) };
        const { posting, expired: done } = planPackExpiry(only, { ...ctx, now: asOf });
        if (done.length === 0) return { ok: false, error: { code: 'INVALID_TRANSITION', message: `Pack ${lot.id} is already expired.`, details: { lotId: lot.id } } };
        return { ok: true, value: { posting, answer: { lotId: lot.id, lost: posting.transfers.reduce((a, t) => a + t.amount, 0) } } };
      },
    });
    if (outcome.kind === 'committed' && !outcome.replayed) expired.push(lot.id);
  }
  return { due: due.length, expired };
}
