import type { PurchaseState } from '../../core/purchase.js';
import type { PurchaseEvent } from '../../core/purchases.js';
import { allowedPurchaseEvents } from '../../core/purchases.js';
import { workingDaysBetween } from '../../core/policy.js';
import type { ResponseOf } from '../../contract/routes.js';
import type { Settings } from '../../contract/schemas.js';

export type PurchaseView = ResponseOf<'listPurchases'>['items'][number];

/** The board's columns, in the order a purchase moves; cancelled ones are kept apart, at the end. */
export const BOARD_COLUMNS = ['requested', 'quote_requested', 'quote_received', 'approved', 'ordered', 'applied'] as const satisfies readonly PurchaseState[];

export const STATE_LABEL: Record<PurchaseState, string> = {
  requested: 'Requested',
  quote_requested: 'Quote requested',
  quote_received: 'Quote received',
  approved: 'Approved',
  ordered: 'Ordered',
  applied: 'Applied',
  cancelled: 'Cancelled',
};

/** The button for each move, named by what happened. */
export const MOVE_LABEL: Record<PurchaseEvent, string> = {
  quote_requested: 'Quote requested',
  quote_received: 'Quote received',
  approved: 'Approved',
  ordered: 'Ordered',
  applied: 'Credits applied',
  cancelled: 'Cancel',
};

/** The moves a purchase can take from its state (the same rule the API applies). */
export const movesFor = (state: PurchaseState): PurchaseEvent[] => allowedPurchaseEvents(state);

/** When the purchase entered its current state. */
export function enteredStateAt(p: PurchaseView): string {
  return p.steps.findLast((s) => s.type === p.state)?.at ?? p.updatedAt;
}

export interface LeadTime {
  /** Working days from request to credits applied (or to now, while open). */
  days: number;
  open: boolean;
  /** Past the expected end-to-end lead time. */
  slow: boolean;
}

/** Working days end to end, against settings.leadTimeDays (5–7 by default). */
export function leadTime(p: PurchaseView, settings: Settings, now: Date = new Date()): LeadTime {
  const open = p.state !== 'applied' && p.state !== 'cancelled';
  const end = open ? now.toISOString() : enteredStateAt(p);
  const days = workingDaysBetween(settings, p.createdAt, end);
  return { days, open, slow: p.state !== 'cancelled' && days > settings.leadTimeDays.max };
}

/** Purchases by column: open columns oldest first (longest waiting on top), applied and cancelled newest first. */
export function byColumn(items: readonly PurchaseView[]): Record<PurchaseState, PurchaseView[]> {
  const columns = { requested: [], quote_requested: [], quote_received: [], approved: [], ordered: [], applied: [], cancelled: [] } as Record<PurchaseState, PurchaseView[]>;
  for (const p of items) columns[p.state].push(p);
  for (const [state, list] of Object.entries(columns) as [PurchaseState, PurchaseView[]][]) {
    const newestFirst = state === 'applied' || state === 'cancelled';
    list.sort((a, b) => (newestFirst ? -1 : 1) * enteredStateAt(a).localeCompare(enteredStateAt(b)));
  }
  return columns;
}
