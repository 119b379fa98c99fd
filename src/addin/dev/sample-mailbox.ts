import type { MailAddress, MailMessage } from '../../mail/mail-triage.js';

const details = (address: MailAddress): Office.EmailAddressDetails =>
  ({ displayName: address.name ?? address.email, emailAddress: address.email, recipientType: 'user' }) as Office.EmailAddressDetails;

/**
 * A read-mode Outlook mailbox holding one sample message: the part of Office.js the pane reads, so dev
 * mode goes through the same reader as Outlook (readOpenMessage), without Office.js on the page.
 */
export function sampleMailbox(message: MailMessage, userEmail: string): Office.Mailbox {
  const item = {
    itemType: 'message',
    from: message.from ? details(message.from) : undefined,
    to: message.to.map(details),
    cc: message.cc.map(details),
    subject: message.subject,
    attachments: message.attachmentNames.map((name, i) => ({ id: `sample-${i}`, name, attachmentType: 'file', size: 1024, isInline: false, contentType: 'application/pdf' })),
    body: {
      getAsync(_coercion: unknown, callback: (result: { status: string; value: string }) => void) {
        setTimeout(() => callback({ status: 'succeeded', value: message.bodyText }), 0);
      },
    },
  };
  return { item, userProfile: { emailAddress: userEmail, displayName: userEmail } } as unknown as Office.Mailbox;
}
