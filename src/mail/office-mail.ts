/// <reference types="office-js" />
/**
 * The Outlook pane's reading of the open message through Office.js, into the plain MailMessage the core
 * triages. Only the mailbox passed in is used (no global Office object), so tests and the dev page can hand
 * in a stand-in.
 */
import type { MailAddress, MailMessage } from './mail-triage.js';

/** Office.CoercionType.Text at run time; written out so that nothing here needs Office.js loaded. */
const TEXT_COERCION = 'text';
/** Office.AsyncResultStatus.Failed at run time (the typings declare a numeric enum). */
const FAILED = 'failed';

type Recipient = Pick<Office.EmailAddressDetails, 'displayName' | 'emailAddress'>;

/** A recipient as the core wants it: address lower-cased, a display name that only repeats the address dropped. */
function addressOf(recipient: Partial<Recipient> | null | undefined): MailAddress | null {
  const email = recipient?.emailAddress?.trim().toLowerCase();
  if (!email) return null;
  const name = recipient?.displayName?.trim() ?? '';
  return { name: name === '' || name.toLowerCase() === email ? null : name, email };
}

/** In read mode `to` and `cc` are arrays; in compose mode they are objects with getAsync, which this does not read. */
function addressesOf(recipients: unknown): MailAddress[] {
  if (!Array.isArray(recipients)) return [];
  return recipients.flatMap((r: Partial<Recipient>) => addressOf(r) ?? []);
}

function bodyText(body: Office.Body): Promise<string> {
  return new Promise((resolve, reject) => {
    body.getAsync(TEXT_COERCION, (result) => {
      if (String(result.status) === FAILED) {
        reject(new Error(`Outlook could not give the message body: ${result.error?.message ?? 'unknown error'}`));
      } else {
        resolve(typeof result.value === 'string' ? result.value : '');
      }
    });
  });
}

/** The open read-mode message. Inline attachments (signature logos, pasted images) are left out. */
export async function readOpenMessage(mailbox: Office.Mailbox): Promise<MailMessage> {
  const item = mailbox.item;
  if (!item) throw new Error('No message is open.');
  const attachments: Office.AttachmentDetails[] = Array.isArray(item.attachments) ? item.attachments : [];
  return {
    from: addressOf(item.from),
    to: addressesOf(item.to),
    cc: addressesOf(item.cc),
    subject: typeof item.subject === 'string' ? item.subject : '',
    bodyText: await bodyText(item.body),
    attachmentNames: attachments.filter((a) => !a.isInline).map((a) => a.name),
  };
}
