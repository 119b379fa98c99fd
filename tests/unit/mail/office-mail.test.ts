import { OfficeMockObject } from 'office-addin-mock';
import { describe, expect, it } from 'vitest';
import { readOpenMessage } from '../../../src/mail/office-mail.js';

type BodyCallback = (result: { status: string; value?: string; error?: { message: string } }) => void;

/** A read-mode Outlook mailbox as office-addin-mock builds it (host "outlook": values are there without load/sync). */
function mailbox(item?: Record<string, unknown>): Office.Mailbox {
  return new OfficeMockObject({ host: 'outlook', ...(item ? { item } : {}) }) as unknown as Office.Mailbox;
}

/** A body whose getAsync answers like Outlook, and records the coercion type asked for. */
function body(answer: Parameters<BodyCallback>[0]) {
  const asked: unknown[] = [];
  return {
    asked,
    body: {
      getAsync(coercion: unknown, callback: BodyCallback) {
        asked.push(coercion);
        setTimeout(() => callback(answer), 0);
      },
    },
  };
}

const READ_MESSAGE = {
  itemType: 'message',
  from: { displayName: 'Quinn Fischer', emailAddress: 'Quinn.Fischer@Contoso.example' },
  to: [
    { displayName: 'Riley Account', emailAddress: 'RILEY.ACCOUNT@contoso.example' },
    { displayName: 'sam.contracts@contoso.example', emailAddress: 'sam.contracts@contoso.example' },
  ],
  cc: [{ displayName: '', emailAddress: 'uma.newhire@contoso.example' }],
  subject: 'Autodesk account',
  attachments: [
    { id: 'a1', name: 'Quote_Q-2026-0412.pdf', attachmentType: 'file', isInline: false, size: 52000, contentType: 'application/pdf' },
    { id: 'a2', name: 'image001.png', attachmentType: 'file', isInline: true, size: 3000, contentType: 'image/png' },
  ],
};

describe('readOpenMessage (Office.js mocked with office-addin-mock)', () => {
  it('reads a read-mode message: addresses lower-cased, names that only repeat the address dropped, inline images left out', async () => {
    const { body: itemBody, asked } = body({ status: 'succeeded', value: 'Hi Riley,\ncould you set me up with an Autodesk account?' });
    const message = await readOpenMessage(mailbox({ ...READ_MESSAGE, body: itemBody }));
    expect(message).toEqual({
      from: { name: 'Quinn Fischer', email: 'quinn.fischer@contoso.example' },
      to: [
        { name: 'Riley Account', email: 'riley.account@contoso.example' },
        { name: null, email: 'sam.contracts@contoso.example' },
      ],
      cc: [{ name: null, email: 'uma.newhire@contoso.example' }],
      subject: 'Autodesk account',
      bodyText: 'Hi Riley,\ncould you set me up with an Autodesk account?',
      attachmentNames: ['Quote_Q-2026-0412.pdf'],
    });
    expect(asked).toEqual(['text']);
  });

  it('reads a message with no cc and no attachments', async () => {
    const { cc: _cc, attachments: _attachments, ...bare } = READ_MESSAGE;
    const message = await readOpenMessage(mailbox({ ...bare, attachments: [], body: body({ status: 'succeeded', value: 'Lunch on Friday?' }).body }));
    expect(message).toMatchObject({ cc: [], attachmentNames: [], bodyText: 'Lunch on Friday?' });
  });

  it('rejects with a clear error when Outlook cannot give the body', async () => {
    const failing = body({ status: 'failed', error: { message: 'The item could not be loaded.' } }).body;
    await expect(readOpenMessage(mailbox({ ...READ_MESSAGE, body: failing }))).rejects.toThrow('Outlook could not give the message body: The item could not be loaded.');
  });

  it('rejects when no message is open', async () => {
    await expect(readOpenMessage(mailbox())).rejects.toThrow('No message is open');
  });
});
