/**
 * The Outlook requirement sets (Mailbox) of the Office.js the pane calls, from Microsoft's API reference.
 * The manifest declares the highest as the add-in's minimum, so Outlook shows the button only on clients
 * where every one of these works. What the pane reads only where supported is listed apart: it does not
 * raise the minimum.
 */
export const PANE_MAILBOX_APIS = [
  { api: 'Office.context.mailbox.userProfile', mailbox: '1.1' },
  { api: 'mailbox.item (read mode): item.from, item.to, item.cc, item.subject, item.body, item.attachments', mailbox: '1.1' },
  { api: 'item.body.getAsync', mailbox: '1.3' },
  { api: 'mailbox.addHandlerAsync(ItemChanged), so the pinned pane follows the selected message', mailbox: '1.5' },
] as const;

/** Office.context.officeTheme exists in Outlook from Mailbox 1.14; older clients get the light theme. */
export const OFFICE_THEME_MAILBOX = '1.14';

const versionParts = (version: string) => version.split('.').map(Number) as [number, number];
const newer = (a: string, b: string) => {
  const [aMajor, aMinor] = versionParts(a);
  const [bMajor, bMinor] = versionParts(b);
  return aMajor !== bMajor ? aMajor > bMajor : aMinor > bMinor;
};

/** The lowest Mailbox requirement set that has everything in PANE_MAILBOX_APIS. */
export const PANE_MAILBOX_MINIMUM: string = PANE_MAILBOX_APIS.map((a) => a.mailbox).reduce((high, v) => (newer(v, high) ? v : high));
