import type { ResponseOf } from '../../contract/routes.js';
import { formatDay } from '../../ui/format.js';

type Lot = ResponseOf<'pool'>['lots'][number];

const TITLE_LENGTH = 48;

/** A purchase's reason as a title: its first line, cut at a word near the length a table cell shows. */
function titleOf(reason: string): string {
  const line = reason.trim().split(/\r?\n/)[0]!.trim();
  if (line.length <= TITLE_LENGTH) return line;
  const cut = line.slice(0, TITLE_LENGTH);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 20 ? cut.lastIndexOf(' ') : TITLE_LENGTH).trimEnd()}…`;
}

/**
 * A lot by where it came from, never by its id: "Q4 top-up · Nov 12, 2026" (the purchase's reason, for those
 * who read purchases), "Purchase · Nov 12, 2026" (the day it was asked for), "Opening balance · …".
 */
export function lotName(lot: Lot, packs: boolean): string {
  if (lot.source === 'opening_balance') return `Opening balance · ${formatDay(lot.appliedAt)}`;
  const title = lot.title?.trim() ? titleOf(lot.title) : packs ? 'Purchased pack' : 'Purchase';
  return `${title} · ${formatDay(lot.requestedAt ?? lot.appliedAt)}`;
}
