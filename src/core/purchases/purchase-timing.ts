/**
 * How long a purchase may take, step by step, in working days on the policy calendar (DESIGN 3.6): the one
 * rule behind "slow" on the purchase board, in the Outlook pane and in the feed alert, and behind the day
 * the forecast expects a purchase in progress to land in the pool. Pure: `now` / `today` are passed in.
 *
 * Each open step has a budget: a working day to ask the reseller for a quote, two for the quote to come,
 * two for the approval, a working day to place the order, and the policy's longest lead time from the order
 * to the credits in the pool (leadTimeDays is "order to credits in the pool", the forecast's lead time).
 */
import type { Policy } from '../policy/policy.js';
import { addWorkingDayNumbers, dayNumber, dayString, workingDayTest } from '../policy/policy.js';
import type { PurchaseState } from './purchase-types.js';
import { OPEN_PURCHASE_STATES } from './purchase-types.js';

type OpenState = (typeof OPEN_PURCHASE_STATES)[number];
type TimingPolicy = Pick<Policy, 'workingDays' | 'holidays' | 'leadTimeDays'>;

/** What the rule reads of a purchase: the record or its API view alike. */
export interface TimedPurchase {
  state: PurchaseState;
  updatedAt: string;
  steps: readonly { type: PurchaseState; at: string }[];
}

/** Working days a purchase may sit at a step before it counts as slow; null for a closed one. */
export function stepBudgetWorkingDays(state: PurchaseState, policy: Pick<Policy, 'leadTimeDays'>): number | null {
  switch (state) {
    case 'requested':
    case 'approved':
      return 1;
    case 'quote_requested':
    case 'quote_received':
      return 2;
    case 'ordered':
      return Math.max(0, Math.ceil(Number.isFinite(policy.leadTimeDays.max) ? policy.leadTimeDays.max : 7));
    default:
      return null;
  }
}

/** What a purchase is waiting for at each open step, in the words the tab uses (no unit: Flex mode says tokens). */
export const WAITING_FOR: Record<OpenState, string> = {
  requested: 'waiting for a quote request',
  quote_requested: 'waiting for the reseller’s quote',
  quote_received: 'waiting for approval',
  approved: 'waiting to be ordered',
  ordered: 'waiting to land in the pool',
};

const isOpen = (state: PurchaseState): state is OpenState => (OPEN_PURCHASE_STATES as readonly string[]).includes(state);

/** When the purchase entered its current step. */
export function enteredStepAt(p: TimedPurchase): string {
  return p.steps.findLast((s) => s.type === p.state)?.at ?? p.updatedAt;
}

export interface PurchaseSlowness {
  slow: boolean;
  /** The step it is at, since when (ISO time), what it is waiting for. */
  step: OpenState;
  since: string;
  waitingFor: string;
  /** Working days at this step so far (the day it entered not counted), and the step's budget. */
  waitedWorkingDays: number;
  expectedWorkingDays: number;
  /** "Waiting for approval for 4 working days (expected 2)". */
  reason: string;
}

/** Whether an open purchase is slow at its step, and why; null for an applied or cancelled one. */
export function purchaseSlowness(p: TimedPurchase, policy: TimingPolicy, now: string): PurchaseSlowness | null {
  if (!isOpen(p.state)) return null;
  const expected = stepBudgetWorkingDays(p.state, policy) ?? 0;
  const since = enteredStepAt(p);
  const isWorking = workingDayTest(policy);
  const from = dayNumber(since);
  const to = dayNumber(now);
  let waited = 0;
  if (Number.isFinite(from) && Number.isFinite(to)) for (let d = from + 1; d <= to; d++) if (isWorking(d)) waited++;
  const waitingFor = WAITING_FOR[p.state];
  const days = waited === 0 ? 'under a working day' : `${waited} working ${waited === 1 ? 'day' : 'days'}`;
  const sentence = waitingFor.charAt(0).toUpperCase() + waitingFor.slice(1);
  return { slow: waited > expected, step: p.state, since, waitingFor, waitedWorkingDays: waited, expectedWorkingDays: expected, reason: `${sentence} for ${days} (expected ${expected})` };
}

const NEXT_STEP: Partial<Record<OpenState, OpenState>> = { requested: 'quote_requested', quote_requested: 'quote_received', quote_received: 'approved', approved: 'ordered' };

/**
 * The day (YYYY-MM-DD) an open purchase is expected to land in the pool: its current step ends when its
 * budget runs out (or today, when it is already over), each later step takes its budget, and the credits
 * land when the order's lead time is over. A purchase already late lands the next working day at the
 * earliest: today's balance is known, and it is not in it. Null for an applied or cancelled purchase.
 */
export function expectedArrival(p: TimedPurchase, policy: TimingPolicy, today: string): string | null {
  if (!isOpen(p.state)) return null;
  const isWorking = workingDayTest(policy);
  const todayDay = dayNumber(today);
  const entered = dayNumber(enteredStepAt(p));
  let end = Math.max(Number.isFinite(entered) ? addWorkingDayNumbers(isWorking, entered, stepBudgetWorkingDays(p.state, policy) ?? 0) : todayDay, todayDay);
  for (let step = NEXT_STEP[p.state]; step; step = NEXT_STEP[step]) end = addWorkingDayNumbers(isWorking, end, stepBudgetWorkingDays(step, policy) ?? 0);
  return dayString(end > todayDay ? end : addWorkingDayNumbers(isWorking, todayDay, 1));
}
