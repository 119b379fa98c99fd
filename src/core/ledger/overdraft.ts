import type { Units } from './money.js';
import type { Transfer } from './transfer.js';

/**
 * The pool overdrawn (DESIGN 3.4): Autodesk charged pool use the pool did not have, and an import recorded
 * it anyway. Who used what the pool did not have, and since when the pool has been below zero.
 */
export interface PoolOverdraft {
  amount: Units;
  /** When the posting that took the pool below zero (and it has stayed there since) was recorded. */
  since: string;
  /** The pool use the pool did not have (the latest draws, up to the overdraft), per member, most first. */
  people: { memberId: string; amount: Units }[];
  /** Where that usage came from (`import:{id}`, …), the latest first. */
  sources: string[];
  /** The usage days of that usage. */
  usedFrom: string | null;
  usedTo: string | null;
}

/**
 * Walks the ledger back from the pool's balance (transfers newest posting first) to the posting that took
 * it below zero. `found` is false while the walk has not reached it: the caller reads older transfers and
 * asks again, or settles for what it has (`since` is then the oldest posting read).
 */
export function poolOverdraft(poolBalance: Units, newestFirst: readonly Transfer[]): { overdraft: PoolOverdraft; found: boolean } | null {
  if (poolBalance >= 0) return null;
  let balance = poolBalance;
  let since = newestFirst[0]?.at ?? '';
  let found = false;
  const period: Transfer[] = [];
  // A posting moves the pool at once: undo it whole, so a packed posting's row order does not matter.
  for (const posting of byPosting(newestFirst)) {
    for (const t of posting) {
      if (t.debit === 'pool') balance += t.amount;
      if (t.credit === 'pool') balance -= t.amount;
    }
    period.push(...posting);
    since = posting[0]!.at;
    if (balance >= 0) {
      found = true;
      break;
    }
  }

  // Who used what the pool did not have: the period's pool draws, newest first, up to the overdraft. (Lots
  // cannot tell: a purchase applied while the pool is short lands as a full lot, the pool staying short.)
  let left = -poolBalance;
  const uncovered: Transfer[] = [];
  for (const t of period) {
    if (left <= 0) break;
    if (t.debit !== 'pool' || t.code !== 'usage_pool' || !t.memberId) continue;
    const amount = Math.min(t.amount, left);
    left -= amount;
    uncovered.push({ ...t, amount });
  }
  const byMember = new Map<string, Units>();
  for (const t of uncovered) byMember.set(t.memberId!, (byMember.get(t.memberId!) ?? 0) + t.amount);
  const people = [...byMember].map(([memberId, amount]) => ({ memberId, amount })).sort((a, b) => b.amount - a.amount || a.memberId.localeCompare(b.memberId));
  const days = uncovered.map((t) => t.date).filter((d): d is string => !!d).sort();
  return {
    found,
    overdraft: { amount: -poolBalance, since, people, sources: [...new Set(uncovered.map((t) => t.source))], usedFrom: days[0] ?? null, usedTo: days.at(-1) ?? null },
  };
}

function* byPosting(transfers: readonly Transfer[]): Generator<Transfer[]> {
  let current: Transfer[] = [];
  for (const t of transfers) {
    if (current.length > 0 && current[0]!.postingId !== t.postingId) {
      yield current;
      current = [];
    }
    current.push(t);
  }
  if (current.length > 0) yield current;
}
