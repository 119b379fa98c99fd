import type { MailMessage } from '../../mail/mail-triage.js';

/** The demo firm's addresses (server/local/demo-users.ts): the samples name people the local stack knows. */
const firm = (name: string) => ({ name, email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@contoso.example` });
const RILEY = firm('Riley Account');

export interface SampleMessage {
  id: string;
  /** What the sample shows, in the picker. */
  label: string;
  message: MailMessage;
}

/** Messages a new user can try the pane on outside Outlook (dev mode only). */
export const SAMPLE_MESSAGES: SampleMessage[] = [
  {
    id: 'new-starter',
    label: 'Registration request from a new starter',
    message: {
      from: firm('Uma Newhire'),
      to: [RILEY],
      cc: [],
      subject: 'Autodesk account for cloud rendering',
      bodyText:
        'Hi Riley,\n\nI joined the Seattle office on Monday. Could you set me up with an Autodesk account? ' +
        'I need cloud rendering for the Pier 9 competition next week.\n\nThanks,\nUma\n\nUma Newhire | Designer | Contoso Seattle',
      attachmentNames: [],
    },
  },
  {
    id: 'for-colleague',
    label: 'Request for a colleague',
    message: {
      from: firm('Emery Rossi'),
      to: [RILEY],
      cc: [firm('Victor Lee')],
      subject: 'Autodesk access for Victor',
      bodyText:
        'Hello,\n\nVictor Lee (victor.lee@contoso.example) starts on the Denver hospital project today and needs ' +
        'an Autodesk account for simulation. Can you request one for him?\n\nBest regards,\nEmery',
      attachmentNames: [],
    },
  },
  {
    id: 'waiting',
    label: 'Someone waiting for the Autodesk email',
    message: {
      from: firm('Jordan Alvarez'),
      to: [RILEY],
      cc: [],
      subject: 'RE: Your Autodesk account',
      bodyText:
        'Hi Riley, you wrote that my Autodesk account was created last week, but I never got the invitation email. ' +
        'Could you check my Autodesk account?\n\nJordan',
      attachmentNames: [],
    },
  },
  {
    id: 'unknown-address',
    label: 'Request from an address the directory does not know',
    message: {
      from: { name: 'Alex Temp', email: 'alex.temp@contoso.example' },
      to: [RILEY],
      cc: [],
      subject: 'Need an Autodesk account',
      bodyText: 'Hi, I am covering reception this month and need an Autodesk account for the plotter. Can you create one?\n\nAlex',
      attachmentNames: [],
    },
  },
  {
    id: 'quote',
    label: 'Quote from the reseller',
    message: {
      from: { name: 'Dana Whitfield', email: 'dana.whitfield@imaginit.com' },
      to: [RILEY],
      cc: [],
      subject: 'Quote Q-2026-0412: Autodesk Cloud Credits',
      bodyText:
        'Hello Riley,\n\nThank you for your request. Please find attached our quote Q-2026-0412.\n\n' +
        'Item: Autodesk Cloud Credits, 100 credits pack  Qty: 1  Unit price: USD 550.00\n' +
        'Subtotal: USD 550.00\nTotal: USD 550.00\n\nThe quote is valid for 30 days.\n\n' +
        'Kind regards,\nDana Whitfield\nInside Sales | IMAGINiT Technologies',
      attachmentNames: ['Quote_Q-2026-0412.pdf'],
    },
  },
  {
    id: 'quote-unreadable',
    label: 'Quote without readable figures',
    message: {
      from: { name: 'Dana Whitfield', email: 'dana.whitfield@imaginit.com' },
      to: [RILEY],
      cc: [],
      subject: 'Revised quotation as discussed',
      bodyText: 'Hi Riley,\n\nAs discussed on the phone, the revised quotation is attached.\n\nKind regards,\nDana',
      attachmentNames: ['Revised quotation.pdf'],
    },
  },
  {
    id: 'unrelated',
    label: 'An unrelated email',
    message: {
      from: firm('Harper Nakamura'),
      to: [RILEY],
      cc: [],
      subject: 'Lunch on Friday?',
      bodyText: 'Are you in the office on Friday? The Seattle team is going for ramen at noon.\n\nHarper',
      attachmentNames: [],
    },
  },
];
