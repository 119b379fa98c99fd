import type { ThemeName } from './host.js';
import { OFFICE_THEME_MAILBOX } from './office-requirements.js';

/** What the pane needs from Outlook: the mailbox, its theme, and word when another message is opened. */
export interface OutlookHost {
  mailbox: Office.Mailbox;
  /** The signed-in person's address: their domain is the firm's. */
  userEmail: string;
  theme: ThemeName;
  /** A pinned pane stays open while the person moves to another message. */
  onItemChanged(listener: () => void): void;
  /** Outlook brokers tokens (requirement set NestedAppAuth 1.1); older builds and Outlook.com mailboxes do not. */
  nestedAuth: boolean;
}

/** Office's theme gives colours, not a name: a dark body background means a dark theme. */
export function themeFromOffice(theme: Pick<Office.OfficeTheme, 'bodyBackgroundColor'> | undefined): ThemeName {
  const hex = /^#?([0-9a-f]{6})$/i.exec(theme?.bodyBackgroundColor ?? '')?.[1];
  if (!hex) return 'light';
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5 ? 'dark' : 'light';
}

/**
 * Connects to Outlook when Office.js is on the page (production pages load it from Microsoft's CDN) and
 * the host is Outlook; undefined in a plain browser, where the pane offers sample messages instead.
 */
export async function connectToOutlook(timeoutMs = 5000): Promise<OutlookHost | undefined> {
  if (typeof Office === 'undefined') return undefined;
  const info = await Promise.race([Office.onReady(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), timeoutMs))]);
  if (info?.host !== Office.HostType.Outlook) return undefined;
  const mailbox = Office.context.mailbox;
  return {
    mailbox,
    userEmail: mailbox.userProfile.emailAddress.toLowerCase(),
    theme: Office.context.requirements.isSetSupported('Mailbox', OFFICE_THEME_MAILBOX) ? themeFromOffice(Office.context.officeTheme) : 'light',
    onItemChanged: (listener) => mailbox.addHandlerAsync(Office.EventType.ItemChanged, listener),
    nestedAuth: Office.context.requirements.isSetSupported('NestedAppAuth', '1.1'),
  };
}
