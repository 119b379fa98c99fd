import type { AccountId } from './accounts.js';
import type { Units } from './money.js';

export const TRANSFER_CODES = [
  'allotment_granted',
  'purchase_applied',
  'usage_individual',
  'usage_pool',
  'hold_placed',
  'hold_released',
  'pack_expired',
  'opening_balance',
  'reversal',
] as const;
export type TransferCode = (typeof TRANSFER_CODES)[number];

/** Who caused a transfer: the person themself, an import, an account manager, or the system. */
export type TransferSource = 'self' | 'manager' | 'system' | `import:${string}`;

export interface Transfer {
  id: string;
  postingId: string;
  debit: AccountId;
  credit: AccountId;
  amount: Units;
  code: TransferCode;
  /** The member this concerns, for pool draws too: that is what makes pool attribution possible. */
  memberId?: string;
  /** The pool lot (purchase) a pool movement touches. */
  lotId?: string;
  service?: string;
  office?: string;
  project?: string;
  note?: string;
  /** Day the usage happened (YYYY-MM-DD), where it differs from when it was recorded. */
  date?: string;
  source: TransferSource;
  actor: string;
  at: string;
  /** For hold_placed and hold_released: the hold (DESIGN 3.5). */
  holdId?: string;
  /** For imported usage: the export row's identity (DESIGN 3.4), how a later import knows it is already in. */
  importRowId?: string;
  /** For reversals: the transfer being reversed. */
  reverses?: string;
  reason?: string;
}
