import type { Units } from '../ledger/money.js';
import type { TransferSource } from '../ledger/transfer.js';

/**
 * A hold (DESIGN 3.5): credits reserved before a big job, two-phase like TigerBeetle's pending transfers.
 * Placing it moves the units from the member's own account and the pool into the member's held account
 * (`held:{memberId}`); closing it (settled by usage, voided, expired) moves every unit back where it came
 * from, in the same posting. The record remembers the split so that a release returns each part.
 */
export const HOLD_STATES = ['held', 'settled', 'voided', 'expired'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

/** How a hold was closed: by the usage it reserved for, by a person, or by the expiry timer. */
export const HOLD_CLOSINGS = ['settled', 'voided', 'expired'] as const satisfies readonly HoldState[];

/** The part of a hold taken from one pool lot (the purchase that paid for it); `lotId` absent: pool credit outside any lot. */
export interface HoldLotPart {
  lotId?: string;
  amount: Units;
}

export interface Hold {
  /** The id of the posting that placed it (newest first). */
  id: string;
  memberId: string;
  amount: Units;
  /** Units taken from the member's own credits. */
  fromOwn: Units;
  /** Units taken from the pool; the sum of `poolLots`. */
  fromPool: Units;
  poolLots: HoldLotPart[];
  service: string;
  note?: string;
  placedAt: string;
  /** Who placed it: the member, or an account manager for them. */
  placedBy: string;
  expiresAt: string;
  state: HoldState;
  closedAt?: string;
  /** Who closed it: the member or a manager (voided, or by logging usage), `system:holds` (expired). */
  closedBy?: string;
  /** The posting that closed it (for `settled`: the usage's posting). */
  closedIn?: string;
  /** For `settled`: the usage that settled it, so its owner can see why it closed. */
  settledBy?: HoldSettledBy;
}

/** The usage that settled a hold: its service, the day it was used, its size, and who recorded it. */
export interface HoldSettledBy {
  service: string;
  date: string;
  amount: Units;
  /** `self` or `manager` (logged), `import:{id}` (Autodesk's usage export). */
  source: TransferSource;
}

export function isOpenHold(hold: Hold): boolean {
  return hold.state === 'held';
}
