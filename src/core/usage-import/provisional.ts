import type { Transfer } from '../ledger/transfer.js';
import type { ProvisionalUsage } from './types.js';

/** Days between a self-logged entry and Autodesk's row for the same use (DESIGN 3.4: "within a few days"). */
export const SETTLE_WINDOW_DAYS = 3;

const PROVISIONAL_CODES: ReadonlySet<string> = new Set(['usage_individual', 'usage_pool']);

/**
 * A member's self-logged usage still waiting for Autodesk's confirmation, from their transfer history (any
 * order): usage postings logged by the person themself of which no transfer has been reversed (a reversed
 * part means a manager corrected it, or an import already settled it). Oldest day first.
 */
export function provisionalFrom(transfers: readonly Transfer[]): ProvisionalUsage[] {
  const reversed = new Set<string>();
  for (const t of transfers) if (t.code === 'reversal' && t.reverses) reversed.add(t.reverses);
  const byPosting = new Map<string, Transfer[]>();
  for (const t of transfers) {
    if (t.source !== 'self' || !PROVISIONAL_CODES.has(t.code) || !t.memberId) continue;
    const list = byPosting.get(t.postingId);
    if (list) list.push(t);
    else byPosting.set(t.postingId, [t]);
  }
  const out: ProvisionalUsage[] = [];
  for (const [postingId, list] of byPosting) {
    if (list.some((t) => reversed.has(t.id))) continue;
    const first = list[0];
    if (!first?.memberId) continue;
    out.push({
      postingId,
      memberId: first.memberId,
      service: first.service ?? '',
      date: first.date ?? first.at.slice(0, 10),
      transfers: [...list].sort((a, b) => a.id.localeCompare(b.id)),
    });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.postingId.localeCompare(b.postingId));
}

/** Provisional entries dated within the import's range (inclusive) that no row settled: their owners are told. */
export function unconfirmedProvisional(provisional: readonly ProvisionalUsage[], settledPostingIds: ReadonlySet<string>, range: { from: string; to: string }): ProvisionalUsage[] {
  return provisional.filter((p) => !settledPostingIds.has(p.postingId) && p.date >= range.from && p.date <= range.to);
}
