import type { Units } from '../../src/core/ledger/index.js';
import type { Policy } from '../../src/core/policy/index.js';

/** Someone a notification goes to: their Entra object id (the member id), address and name. */
export interface NotificationRecipient {
  id: string;
  email: string;
  displayName: string;
}

/**
 * What Credit Desk tells people outside the tab:
 * - `account_created`: an account manager marked the member's Autodesk account created (look for the email, it is probably in quarantine);
 * - `request_arrived`: someone asked for an Autodesk account; `to` is an account manager, `about` the person the request is for;
 * - `usage_unconfirmed`: a usage import did not confirm `entries` of the member's self-logged entries dated in
 *   its `range` (days, inclusive), `amount` in all (units), counted in the tenant's `unitName`. One per person per import.
 */
export type Notification =
  | { kind: 'account_created'; to: NotificationRecipient }
  | { kind: 'request_arrived'; to: NotificationRecipient; about: { displayName: string; email: string } }
  | { kind: 'usage_unconfirmed'; to: NotificationRecipient; entries: number; amount: Units; unitName: Policy['unitName']; range: { from: string; to: string } };

/** How a notification went: a Teams activity, a mail instead, not sent (turned off in settings), or not delivered. */
export type NotifyResult = 'teams' | 'mail' | 'skipped' | 'failed';

/** Best-effort notifications (Teams activity feed, else mail). Never throws: a failure is logged and answered 'failed'. */
export interface Notifier {
  notify(tenant: string, n: Notification): Promise<NotifyResult>;
}
