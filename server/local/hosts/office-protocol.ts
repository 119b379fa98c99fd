/**
 * What the Office.js stand-in (in the pane and in its dialog) and the Outlook host stand-in say to each
 * other with postMessage (same origin only). Real Office.js talks to Outlook its own way; only the part
 * of Office.js the pane and the sign-in page call is stood in (see office-standin.ts).
 */
import type { MailMessage } from '../../../src/mail/mail-triage.js';

/** What Outlook tells the add-in at start: the requirement sets it supports, the mailbox and the theme. */
export interface OutlookState {
  role: 'pane' | 'dialog';
  /** The highest Mailbox requirement set the client supports, e.g. '1.14'. */
  mailbox: string;
  /** The client has the NestedAppAuth 1.1 requirement set (nested app authentication). */
  nestedAppAuth: boolean;
  userEmail: string;
  theme: Pick<Office.OfficeTheme, 'bodyBackgroundColor' | 'bodyForegroundColor' | 'controlBackgroundColor' | 'controlForegroundColor'>;
  message: MailMessage;
}

export type ToHost =
  | { officeStandIn: 'hello' }
  | { officeStandIn: 'naa'; request: string }
  | { officeStandIn: 'displayDialog'; url: string; height?: number; width?: number }
  | { officeStandIn: 'closeDialog' }
  | { officeStandIn: 'messageParent'; message: string };

export type ToAddIn =
  | { officeStandIn: 'welcome'; state: OutlookState }
  | { officeStandIn: 'naa'; answer: string }
  | { officeStandIn: 'dialogOpened' }
  | { officeStandIn: 'dialogFailed'; code: number }
  | { officeStandIn: 'dialogMessage'; message: string; origin: string }
  | { officeStandIn: 'dialogEvent'; error: number }
  | { officeStandIn: 'itemChanged'; message: MailMessage };

export const isOfficeMessage = (data: unknown): data is { officeStandIn: string } => typeof data === 'object' && data !== null && typeof (data as { officeStandIn?: unknown }).officeStandIn === 'string';
