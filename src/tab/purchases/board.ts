import type { PurchaseState } from '../../core/purchases/purchase-types.js';
import { PURCHASE_STATE_LABEL } from '../../core/purchases/purchase-types.js';
import type { PurchaseEvent } from '../../core/purchases/purchase-rules.js';
import { allowedPurchaseEvents } from '../../core/purchases/purchase-rules.js';
import { workingDaysBetween } from '../../core/policy/policy.js';
import type { PurchaseSlowness } from '../../core/purchases/purchase-timing.js';
import { purchaseSlowness } from '../../core/purchases/purchase-timing.js';
import type { ResponseOf } from '../../contract/routes.js';
import type { PublicPolicy } from '../../contract/schemas.js';
import type { UnitWords } from '../../ui/format.js';

export type PurchaseView = ResponseOf<'listPurchases'>['items'][number];

/** The board's columns, in the order a purchase moves; cancelled ones are kept apart, at the end. */
export const BOARD_COLUMNS = ['requested', 'quote_requested', 'quote_received', 'approved', 'ordered', 'applied'] as const satisfies readonly PurchaseState[];

/** The states' words come from core, so the board and IT's channel cards say the same. */
export const STATE_LABEL = PURCHASE_STATE_LABEL;

const MOVE_LABEL: Record<Exclude<PurchaseEvent, 'applied'>, string> = {
  quote_requested: 'Quote requested',
  quote_received: 'Quote received',
  approved: 'Approved',
  ordered: 'Ordered',
  cancelled: 'Cancel',
};

/** The button for each move, named by what happened: "Credits applied", or "Tokens applied" in Flex mode. */
export function moveLabel(type: PurchaseEvent, unit: Pick<UnitWords, 'label'>): string {
  return type === 'applied' ? `${unit.label} applied` : MOVE_LABEL[type];
}

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
  /** Past the working days its step allows (purchaseSlowness, the rule the alert and the pane use too). */
  slow: boolean;
  /** For an open purchase: its step, since when, and the working days against the step's budget. */
  slowness: PurchaseSlowness | null;
}

/** Working days end to end, and whether the purchase is slow at its step (core's purchaseSlowness). */
export function leadTime(p: PurchaseView, settings: PublicPolicy, now: Date = new Date()): LeadTime {
  const open = p.state !== 'applied' && p.state !== 'cancelled';
  const end = open ? now.toISOString() : enteredStateAt(p);
  const days = workingDaysBetween(settings, p.createdAt, end);
  const slowness = purchaseSlowness(p, settings, now.toISOString());
  return { days, open, slow: slowness?.slow ?? false, slowness };
}

/** An open purchase: where it is and for how long against its step's budget; a closed one: how long it took. */
export function leadTimeWords(lead: LeadTime, expected: string): string {
  if (lead.open && lead.slowness) return `${lead.slowness.reason}.`;
  if (lead.days === 0) return `Took under a working day (expected ${expected}).`;
  return `Took ${lead.days} working ${lead.days === 1 ? 'day' : 'days'} (expected ${expected}).`;
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
