/**
 * Realistic messages as Outlook hands them to the pane, with what the pane should make of each. Demo firm
 * contoso.example (managers Riley and Sam), reseller ImaginiT at imaginit.com. Not a test file itself.
 */
import type { MailAddress, MailMessage, TriageOptions } from '../../../src/mail/mail-triage.js';
import type { QuoteReading } from '../../../src/mail/quote-reading.js';

export const RILEY = 'riley.account@contoso.example';
export const SAM = 'sam.contracts@contoso.example';

export const OPTIONS: TriageOptions = {
  firmDomains: ['contoso.example'],
  reseller: { name: 'ImaginiT', emailDomain: 'imaginit.com' },
  blockSize: 100,
  managerEmails: [RILEY, SAM],
};

/** "Jane Doe <jane.doe@contoso.example>" or a bare address, as the reader gives it (address lower-cased). */
export function address(text: string): MailAddress {
  const m = /^(.*?)\s*<([^>]+)>$/.exec(text);
  return m ? { name: m[1] || null, email: (m[2] ?? '').toLowerCase() } : { name: null, email: text.toLowerCase() };
}

export function mail(fields: { from: string | null; to?: string[]; cc?: string[]; subject: string; body: string; attachments?: string[] }): MailMessage {
  return {
    from: fields.from === null ? null : address(fields.from),
    to: (fields.to ?? [`Riley Account <${RILEY}>`]).map(address),
    cc: (fields.cc ?? []).map(address),
    subject: fields.subject,
    bodyText: fields.body,
    attachmentNames: fields.attachments ?? [],
  };
}

export type Expected =
  | { kind: 'registration'; people: Array<[email: string, source: 'sender' | 'named' | 'forwarded']> }
  | { kind: 'quote'; quote: QuoteReading }
  | { kind: 'other'; signal: string };

export interface Sample {
  name: string;
  message: MailMessage;
  expected: Expected;
}

const lines = (...text: string[]) => text.join('\n');

// ---------------------------------------------------------------------------------------------------------
// Registration requests
// ---------------------------------------------------------------------------------------------------------

export const REGISTRATION_SAMPLES: Sample[] = [
  {
    name: 'a plain request for oneself',
    message: mail({
      from: 'Quinn Fischer <quinn.fischer@contoso.example>',
      subject: 'Autodesk account',
      body: lines('Hi Riley,', '', 'could you set me up with an Autodesk account? I need Revit for the Denver project.', '', 'Thanks,', 'Quinn'),
    }),
    expected: { kind: 'registration', people: [['quinn.fischer@contoso.example', 'sender']] },
  },
  {
    name: 'asking for Cloud Credits access in a one-liner',
    message: mail({
      from: 'Avery Chen <avery.chen@contoso.example>',
      to: [`Sam Contracts <${SAM}>`],
      subject: 'Cloud Credits',
      body: "Hi Sam, can I get access to the firm's Cloud Credits? I'm doing the renders for the Harbor Street bid next week. Cheers, Avery",
    }),
    expected: { kind: 'registration', people: [['avery.chen@contoso.example', 'sender']] },
  },
  {
    name: 'for a colleague, named with her address',
    message: mail({
      from: 'Jordan Alvarez <jordan.alvarez@contoso.example>',
      subject: 'Autodesk account for Jane',
      body: lines(
        'Hi Riley,',
        'could you please create an Autodesk account for my colleague Jane Doe <jane.doe@contoso.example>?',
        'She joined the Boston office on Monday and needs AutoCAD.',
        'Thanks!',
        'Jordan',
      ),
    }),
    expected: { kind: 'registration', people: [['jane.doe@contoso.example', 'named'], ['jordan.alvarez@contoso.example', 'sender']] },
  },
  {
    name: 'a new starter announced by HR, address in brackets',
    message: mail({
      from: 'Priya Natarajan <priya.natarajan@contoso.example>',
      to: [`Riley Account <${RILEY}>`, `Sam Contracts <${SAM}>`],
      subject: 'New starter: Uma Newhire – Autodesk access',
      body: lines(
        'Hello both,',
        'New starter: Uma Newhire (uma.newhire@contoso.example), Structural Engineer, Denver office, starting 2 November.',
        'Please set her up with an Autodesk account and Cloud Credits for Revit and Robot.',
        'Kind regards,',
        'Priya Natarajan',
        'People Team | Contoso Engineering',
        'priya.natarajan@contoso.example | +1 303 555 0100',
      ),
    }),
    expected: { kind: 'registration', people: [['uma.newhire@contoso.example', 'named'], ['priya.natarajan@contoso.example', 'sender']] },
  },
  {
    name: 'several new starters in a list',
    message: mail({
      from: 'Priya Natarajan <priya.natarajan@contoso.example>',
      subject: 'Onboarding: Autodesk accounts for November starters',
      body: lines(
        'Hi both,',
        'please set up Autodesk accounts for our November new starters:',
        '- Uma Newhire <uma.newhire@contoso.example> (Denver)',
        '- Leo Park <leo.park@contoso.example> (Boston)',
        'Thank you,',
        'Priya',
      ),
    }),
    expected: {
      kind: 'registration',
      people: [['uma.newhire@contoso.example', 'named'], ['leo.park@contoso.example', 'named'], ['priya.natarajan@contoso.example', 'sender']],
    },
  },
  {
    name: 'the new starter is cc’d and named only by first name',
    message: mail({
      from: 'Jordan Alvarez <jordan.alvarez@contoso.example>',
      cc: ['Uma Newhire <uma.newhire@contoso.example>'],
      subject: 'Autodesk account',
      body: lines("Hi Riley, Uma (cc'd) is our new starter in Denver. Could you set her up with an Autodesk account?", 'Thanks, Jordan'),
    }),
    expected: { kind: 'registration', people: [['uma.newhire@contoso.example', 'named'], ['jordan.alvarez@contoso.example', 'sender']] },
  },
  {
    name: 'for oneself and a colleague: the sender first',
    message: mail({
      from: 'Quinn Fischer <quinn.fischer@contoso.example>',
      subject: 'Autodesk accounts',
      body: "Hi Riley, could Jane and I both get Autodesk accounts for the bridge job? Jane's address is jane.doe@contoso.example. Thanks, Quinn",
    }),
    expected: { kind: 'registration', people: [['quinn.fischer@contoso.example', 'sender'], ['jane.doe@contoso.example', 'named']] },
  },
  {
    name: 'an Outlook forward from a team lead',
    message: mail({
      from: 'Kai Johansson <kai.johansson@contoso.example>',
      subject: 'FW: Autodesk account',
      body: lines(
        'Riley, see below – can you sort this out?',
        'Kai',
        '',
        '________________________________',
        'From: Uma Newhire <uma.newhire@contoso.example>',
        'Sent: Monday, November 2, 2026 9:12 AM',
        'To: Kai Johansson <kai.johansson@contoso.example>',
        'Subject: Autodesk account',
        '',
        "Hi Kai, I need an Autodesk account for Revit before Thursday's coordination meeting. Who do I ask?",
        'Thanks, Uma',
      ),
    }),
    expected: { kind: 'registration', people: [['uma.newhire@contoso.example', 'forwarded'], ['kai.johansson@contoso.example', 'sender']] },
  },
  {
    name: 'a Gmail-style forward',
    message: mail({
      from: 'Morgan Lee <morgan.lee@contoso.example>',
      subject: 'Fwd: Access to Autodesk',
      body: lines(
        'Forwarding to the right people.',
        '',
        '---------- Forwarded message ---------',
        'From: Quinn Fischer <quinn.fischer@contoso.example>',
        'Date: Tue, 3 Nov 2026 at 08:40',
        'Subject: Access to Autodesk',
        'To: Morgan Lee <morgan.lee@contoso.example>',
        '',
        'Morgan, I still have no access to Autodesk Docs. Could you ask the account managers to register me?',
      ),
    }),
    expected: { kind: 'registration', people: [['quinn.fischer@contoso.example', 'forwarded'], ['morgan.lee@contoso.example', 'sender']] },
  },
  {
    name: 'an old-style Outlook forward with [mailto:]',
    message: mail({
      from: 'Pat Okafor <pat.okafor@contoso.example>',
      subject: 'FW: Autodesk ID',
      body: lines(
        'Please see below.',
        '',
        '-----Original Message-----',
        'From: Lena Brandt [mailto:lena.brandt@contoso.example]',
        'Sent: Tuesday, November 3, 2026 10:02',
        'To: Pat Okafor',
        'Subject: Autodesk ID',
        '',
        'Hi Pat, could I get an Autodesk ID? I start using Civil 3D on the bridge job next week.',
        'Lena',
      ),
    }),
    expected: { kind: 'registration', people: [['lena.brandt@contoso.example', 'forwarded'], ['pat.okafor@contoso.example', 'sender']] },
  },
  {
    name: 'a manager forwarding a request to themself',
    message: mail({
      from: `Riley Account <${RILEY}>`,
      to: [`Riley Account <${RILEY}>`],
      subject: 'FW: Revit licence',
      body: lines(
        'Note to self: after lunch.',
        'From: Quinn Fischer <quinn.fischer@contoso.example>',
        'Sent: Wednesday, November 4, 2026 11:30 AM',
        `To: Riley Account <${RILEY}>`,
        'Subject: Revit licence',
        'Can I have a Revit licence for the Elm Street model? My Autodesk ID is my work address.',
      ),
    }),
    expected: { kind: 'registration', people: [['quinn.fischer@contoso.example', 'forwarded']] },
  },
  {
    name: 'an HTML mail with a signature naming an assistant and a legal disclaimer',
    message: mail({
      from: 'Taylor Brooks <taylor.brooks@contoso.example>',
      subject: 'BIM 360',
      body: [
        '<html><head><style>p { margin: 0; font-family: Calibri; }</style></head><body>',
        '<p>Hi&nbsp;Riley,</p><p>I need an Autodesk account to open the BIM&nbsp;360 models for the Elm Street project. Could you register me?</p>',
        '<p>Best regards,</p>',
        '<p><b>Taylor Brooks</b><br>Senior Architect | Contoso Engineering<br>T +1 303 555 0142 | <a href="mailto:taylor.brooks@contoso.example">taylor.brooks@contoso.example</a><br>',
        'Assistant: <a href="mailto:pat.okafor@contoso.example">Pat Okafor</a></p>',
        '<p style="font-size:8pt">This email and any attachments are confidential and intended solely for the addressee. If you received it in error, do not request, access or create copies.</p>',
        '</body></html>',
      ].join(''),
    }),
    expected: { kind: 'registration', people: [['taylor.brooks@contoso.example', 'sender']] },
  },
  {
    name: 'German, for oneself',
    message: mail({
      from: 'Jonas Weber <jonas.weber@contoso.example>',
      subject: 'Autodesk-Konto',
      body: lines('Hallo Riley,', '', 'ich bräuchte bitte ein Autodesk-Konto für Revit, ich arbeite ab nächster Woche am Projekt Hafencity.', '', 'Mit freundlichen Grüßen', 'Jonas Weber'),
    }),
    expected: { kind: 'registration', people: [['jonas.weber@contoso.example', 'sender']] },
  },
  {
    name: 'German, for a new colleague',
    message: mail({
      from: 'Jonas Weber <jonas.weber@contoso.example>',
      to: [`Sam Contracts <${SAM}>`],
      subject: 'Zugang für neue Kollegin',
      body: lines(
        'Hallo Sam,',
        'könnten Sie bitte für unsere neue Kollegin Mia Schulz (mia.schulz@contoso.example) einen Autodesk-Zugang anlegen? Sie fängt am 1. Dezember an.',
        'Viele Grüße',
        'Jonas',
      ),
    }),
    expected: { kind: 'registration', people: [['mia.schulz@contoso.example', 'named'], ['jonas.weber@contoso.example', 'sender']] },
  },
  {
    name: 'German Outlook forward (WG: / Von: / Gesendet:)',
    message: mail({
      from: 'Jonas Weber <jonas.weber@contoso.example>',
      subject: 'WG: Autodesk Lizenz',
      body: lines(
        'Zur Info, bitte kümmern.',
        'Von: Mia Schulz <mia.schulz@contoso.example>',
        'Gesendet: Montag, 2. November 2026 09:15',
        'An: Jonas Weber <jonas.weber@contoso.example>',
        'Betreff: Autodesk Lizenz',
        'Hallo Jonas, ich benötige eine Autodesk Lizenz für AutoCAD. Danke!',
      ),
    }),
    expected: { kind: 'registration', people: [['mia.schulz@contoso.example', 'forwarded'], ['jonas.weber@contoso.example', 'sender']] },
  },
  {
    name: 'French, for oneself',
    message: mail({
      from: 'Chloé Martin <chloe.martin@contoso.example>',
      subject: 'Compte Autodesk',
      body: lines('Bonjour Riley,', "Pourriez-vous me créer un compte Autodesk ? J'ai besoin d'AutoCAD pour le projet de Lyon.", 'Cordialement,', 'Chloé Martin'),
    }),
    expected: { kind: 'registration', people: [['chloe.martin@contoso.example', 'sender']] },
  },
  {
    name: 'French Outlook forward (TR: / De : / Envoyé :)',
    message: mail({
      from: 'Chloé Martin <chloe.martin@contoso.example>',
      subject: 'TR: Accès Autodesk',
      body: lines(
        'Pour info, merci de faire le nécessaire.',
        'De\u00a0: Hugo Bernard <hugo.bernard@contoso.example>',
        'Envoyé\u00a0: lundi 2 novembre 2026 09:15',
        'À\u00a0: Chloé Martin <chloe.martin@contoso.example>',
        'Objet\u00a0: Accès Autodesk',
        "Chloé, j'ai besoin d'un accès Autodesk pour Revit. Merci !",
      ),
    }),
    expected: { kind: 'registration', people: [['hugo.bernard@contoso.example', 'forwarded'], ['chloe.martin@contoso.example', 'sender']] },
  },
  {
    name: 'a reply carrying the request, with the manager’s question quoted below',
    message: mail({
      from: 'Quinn Fischer <quinn.fischer@contoso.example>',
      subject: 'RE: Your Autodesk account request',
      body: lines(
        'Yes, I still need it for Revit.',
        '',
        `On Mon, 2 Nov 2026 at 10:00, Riley Account <${RILEY}> wrote:`,
        '> Hi Quinn, do you still need an Autodesk account? Sam Contracts (sam.contracts@contoso.example) can help too.',
      ),
    }),
    expected: { kind: 'registration', people: [['quinn.fischer@contoso.example', 'sender']] },
  },
  {
    name: 'a forwarded Autodesk invitation that expired, asking for a new one',
    message: mail({
      from: 'Quinn Fischer <quinn.fischer@contoso.example>',
      subject: 'FW: Your Autodesk invitation has expired',
      body: lines(
        'Hi Riley, this link no longer works – could you send me a new invite?',
        'Quinn',
        'From: Autodesk <noreply@autodesk.com>',
        'Sent: Friday, October 30, 2026 6:01 PM',
        'To: quinn.fischer@contoso.example',
        'Subject: Your Autodesk invitation has expired',
        "Your invitation to join Contoso Engineering's Autodesk team has expired. Sign in to request a new invitation.",
      ),
    }),
    expected: { kind: 'registration', people: [['quinn.fischer@contoso.example', 'sender']] },
  },
  {
    name: 'mentions Autodesk’s no-reply address and repeats the sender’s own address',
    message: mail({
      from: 'Quinn Fischer <quinn.fischer@contoso.example>',
      subject: 'Autodesk access',
      body: 'Hi Riley, I got a mail from noreply@autodesk.com saying my Autodesk access is pending. Could you send a new invite to quinn.fischer@contoso.example? Thanks',
    }),
    expected: { kind: 'registration', people: [['quinn.fischer@contoso.example', 'sender']] },
  },
  {
    name: 'from a firm subdomain',
    message: mail({
      from: 'Dana White <dana.white@uk.contoso.example>',
      subject: 'Autodesk licence',
      body: 'Hi Riley, could I get an Autodesk licence for Navisworks? Our London clash reviews start next month. Many thanks, Dana',
    }),
    expected: { kind: 'registration', people: [['dana.white@uk.contoso.example', 'sender']] },
  },
  {
    name: 'phishing-like: an outsider asking for an account for themself',
    message: mail({
      from: 'Mark Stone <mark.stone.arch@gmail.com>',
      subject: 'URGENT Autodesk account needed',
      body: 'Hello, I am working with your Denver team as a freelancer. Please create an Autodesk account for me with access to your Cloud Credits and send the login to this address today.',
    }),
    expected: { kind: 'registration', people: [] },
  },
  {
    name: 'an outsider naming a firm address (not trusted as a request from the firm)',
    message: mail({
      from: 'Lee Porter <lee@partner-studio.example>',
      subject: 'ACC access',
      body: 'Hi, please give jane.doe@contoso.example access to the Autodesk Construction Cloud project so we can share models. Thanks, Lee',
    }),
    expected: { kind: 'registration', people: [] },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Reseller quotes
// ---------------------------------------------------------------------------------------------------------

const quote = (fields: Partial<QuoteReading>): QuoteReading => {
  const reading = { quoteNumber: null, amount: null, currency: null, credits: null, blocks: null, ...fields };
  const missing = (['quoteNumber', 'amount', 'currency'] as const).filter((field) => reading[field] === null);
  return { ...reading, missing };
};

const JO = 'Jo Miller <jo.miller@imaginit.com>';

export const QUOTE_SAMPLES: Sample[] = [
  {
    name: 'USD, labelled lines, PDF attached',
    message: mail({
      from: JO,
      to: [`Sam Contracts <${SAM}>`],
      subject: 'Quote Q-2026-0412 – Autodesk Cloud Credits',
      body: lines(
        'Hi Sam,',
        '',
        'Thank you for your request. Please find attached our quote for 5 x 100 Autodesk Cloud Credits.',
        '',
        'Quote #: Q-2026-0412',
        'Subtotal: $12,500.00',
        'Tax: $0.00',
        'Total: $12,500.00',
        '',
        'The quote is valid for 30 days.',
        '',
        'Best regards,',
        'Jo Miller',
        'Account Executive | ImaginiT Technologies',
        'T: +1 (800) 356-9050',
      ),
      attachments: ['Quote_Q-2026-0412.pdf'],
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'Q-2026-0412', amount: 12500, currency: 'USD', credits: 500, blocks: 5 }) },
  },
  {
    name: 'a table flattened with tabs: line items, subtotal, sales tax, grand total',
    message: mail({
      from: 'ImaginiT Quotes <quotes@imaginit.com>',
      subject: 'Your quotation from ImaginiT',
      body: lines(
        'Please find below our quotation for 500 Autodesk Cloud Credits.',
        'Quotation No.: 88231',
        'Date: 02/11/2026',
        'Customer: Contoso Engineering',
        'Item\tDescription\tQty\tUnit Price\tLine Total',
        '1\tAutodesk Cloud Credits – 100 pack\t3\tUSD 2,500.00\tUSD 7,500.00',
        '2\tAutodesk Cloud Credits – 100 pack (promo)\t2\tUSD 2,250.00\tUSD 4,500.00',
        '\tSubtotal\t\t\tUSD 12,000.00',
        '\tSales Tax (8.25%)\t\t\tUSD 990.00',
        '\tGrand Total\t\t\tUSD 12,990.00',
      ),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: '88231', amount: 12990, currency: 'USD', credits: 500, blocks: 5 }) },
  },
  {
    name: 'German, EUR with decimal comma, VAT line, from a reseller subdomain',
    message: mail({
      from: 'Anna Vogel <anna.vogel@de.imaginit.com>',
      subject: 'Angebot AN-2026-0412 – Autodesk Cloud Credits',
      body: lines(
        'Sehr geehrter Herr Contracts,',
        'anbei unser Angebot über 10 x 100 Cloud Credits.',
        'Angebotsnummer: AN-2026-0412',
        'Nettobetrag: EUR 18.000,00',
        'MwSt. 19 %: EUR 3.420,00',
        'Gesamtbetrag: EUR 21.420,00',
        'Mit freundlichen Grüßen',
        'Anna Vogel',
      ),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'AN-2026-0412', amount: 21420, currency: 'EUR', credits: 1000, blocks: 10 }) },
  },
  {
    name: 'GBP with excl. and incl. VAT totals: the final one',
    message: mail({
      from: 'Oliver Hughes <oliver.hughes@imaginit.com>',
      subject: 'Cloud Credits proposal',
      body: lines(
        'Hi Sam, as promised, our proposal for 400 Cloud Credits.',
        'Proposal ref: QUO-77120',
        'Total (excl. VAT): £9,800.00',
        'VAT @ 20%: £1,960.00',
        'Total (incl. VAT): £11,760.00',
      ),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'QUO-77120', amount: 11760, currency: 'GBP', credits: 400, blocks: 4 }) },
  },
  {
    name: 'French Swiss devis in CHF with apostrophes: Total TTC',
    message: mail({
      from: 'Lucas Favre <lucas.favre@imaginit.com>',
      subject: 'Devis Cloud Credits',
      body: lines('Bonjour,', 'Veuillez trouver notre devis.', 'Devis n° 88231', '1 x 100 Cloud Credits', "Total HT : CHF 1'250.00", "TVA 8,1 % : CHF 101.25", "Total TTC : CHF 1'351.25", 'Cordialement'),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: '88231', amount: 1351.25, currency: 'CHF', credits: 100, blocks: 1 }) },
  },
  {
    name: 'CAD stated once, amounts written with $',
    message: mail({
      from: 'Emma Roy <emma.roy@imaginit.com>',
      subject: 'RE: Quote for Cloud Credits (Toronto)',
      body: lines('Hi Riley,', 'Quote #QT-30921 for 3 x 100 Cloud Credits. All prices in CAD.', 'Subtotal: $6,000.00', 'HST (13%): $780.00', 'Grand Total: $6,780.00', 'Emma'),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'QT-30921', amount: 6780, currency: 'CAD', credits: 300, blocks: 3 }) },
  },
  {
    name: 'AUD with A$, total on the line below its label (one cell per line)',
    message: mail({
      from: 'Mia Clarke <mia.clarke@imaginit.com>',
      subject: 'Quotation 45012345',
      body: lines('Quotation for 200 Cloud Credits', 'Description', 'Amount', 'Cloud Credits (2 blocks)', 'A$ 5,200.00', 'GST', 'A$ 520.00', 'Total', 'A$ 5,720.00'),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: '45012345', amount: 5720, currency: 'AUD', credits: 200, blocks: 2 }) },
  },
  {
    name: 'the quote number only in the attachment name',
    message: mail({
      from: JO,
      subject: 'Your ImaginiT quote',
      body: 'Hi Sam, please find your quote attached: USD 2,500.00 for 100 Cloud Credits. Jo',
      attachments: ['ImaginiT_Quotation_45012345.pdf', 'image001.png'],
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: '45012345', amount: 2500, currency: 'USD', credits: 100, blocks: 1 }) },
  },
  {
    name: 'only a proposal PDF, nothing in the body to read',
    message: mail({
      from: JO,
      subject: 'Proposal',
      body: 'Hi Sam, please see the attached proposal. Let me know if you have any questions. Jo',
      attachments: ['Proposal_QT-55012.pdf'],
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'QT-55012' }) },
  },
  {
    name: 'a quote forwarded by a colleague; older history below is not read',
    message: mail({
      from: 'Jordan Alvarez <jordan.alvarez@contoso.example>',
      to: [`Sam Contracts <${SAM}>`],
      subject: 'FW: Quote QUO-88231 Cloud Credits',
      body: lines(
        "Sam, ImaginiT's quote below – looks fine to me, can you raise the purchase?",
        'Jordan',
        '________________________________',
        'From: Jo Miller <jo.miller@imaginit.com>',
        'Sent: Tuesday, November 3, 2026 4:10 PM',
        'To: Jordan Alvarez <jordan.alvarez@contoso.example>',
        'Subject: RE: Quote QUO-88231 Cloud Credits',
        'Hi Jordan,',
        'As discussed, 2 x 100 Cloud Credits.',
        'Total: USD 5,000.00',
        'Kind regards, Jo',
        '________________________________',
        'From: Jordan Alvarez <jordan.alvarez@contoso.example>',
        'Sent: Monday, November 2, 2026 9:00 AM',
        'To: Jo Miller <jo.miller@imaginit.com>',
        'Subject: Quote QUO-88231 Cloud Credits',
        'Hi Jo, could you quote 300 Cloud Credits? Our budget total is $7,500.00.',
      ),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'QUO-88231', amount: 5000, currency: 'USD', credits: 200, blocks: 2 }) },
  },
  {
    name: 'a reseller reply: the request quoted below is not read',
    message: mail({
      from: JO,
      to: [`Sam Contracts <${SAM}>`],
      subject: 'RE: Cloud Credits quote request',
      body: lines(
        'Hi Sam,',
        'Here is the quote you asked for: Quote Q-2026-0533, 500 Cloud Credits.',
        'Grand Total: $12,500.00',
        'Jo',
        '',
        '-----Original Message-----',
        `From: Sam Contracts <${SAM}>`,
        'Sent: Monday, November 2, 2026 9:00 AM',
        'To: Jo Miller <jo.miller@imaginit.com>',
        'Subject: Cloud Credits quote request',
        'Hi Jo, could you quote 300 Cloud Credits? Our budget total is about $7,000.',
      ),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'Q-2026-0533', amount: 12500, currency: 'USD', credits: 500, blocks: 5 }) },
  },
  {
    name: 'an HTML quote with a table and € after the number',
    message: mail({
      from: 'Anna Vogel <anna.vogel@imaginit.com>',
      subject: 'Angebot Cloud Credits',
      body: [
        '<div>Guten Tag,</div><div>hier unser Angebot, Angebots-Nr. 2026-0412:</div>',
        '<table><tr><th>Position</th><th>Menge</th><th>Betrag</th></tr>',
        '<tr><td>Cloud Credits (100er Paket)</td><td>4</td><td>7&nbsp;200,00&nbsp;€</td></tr>',
        '<tr><td>Summe netto</td><td></td><td>7&nbsp;200,00&nbsp;€</td></tr>',
        '<tr><td>MwSt. 19&nbsp;%</td><td></td><td>1&nbsp;368,00&nbsp;€</td></tr>',
        '<tr><td>Gesamtbetrag</td><td></td><td>8&nbsp;568,00&nbsp;€</td></tr></table>',
      ].join(''),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: '2026-0412', amount: 8568, currency: 'EUR' }) },
  },
  {
    name: 'two options and no total: the amount is left to the manager',
    message: mail({
      from: JO,
      subject: 'Quote options Q-2026-0601',
      body: lines('Hi Sam, two options as requested:', 'Option A: 300 Cloud Credits, USD 7,500.00', 'Option B: 500 Cloud Credits, USD 12,000.00', 'Jo'),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'Q-2026-0601', currency: 'USD', credits: 500, blocks: 5 }) },
  },
  {
    name: 'Swedish kronor written "kr" with SEK stated, no total label',
    message: mail({
      from: 'Erik Lund <erik.lund@imaginit.com>',
      subject: 'Offert / quote QUO-99120',
      body: lines('Hej Sam,', 'Pris för 500 Cloud Credits: 125 000 kr (SEK, exkl. moms).', 'Erik'),
    }),
    expected: { kind: 'quote', quote: quote({ quoteNumber: 'QUO-99120', amount: 125000, currency: 'SEK', credits: 500, blocks: 5 }) },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Everything else
// ---------------------------------------------------------------------------------------------------------

export const OTHER_SAMPLES: Sample[] = [
  {
    name: 'a reseller newsletter with an offer',
    message: mail({
      from: 'ImaginiT <news@imaginit.com>',
      subject: 'November offers: save on Autodesk subscriptions',
      body: lines(
        'View this email in your browser',
        'Special offer: 10% off Autodesk AEC Collection renewals until 30 November.',
        'Register for our Revit tips webinar.',
        'You are receiving this email because you are an ImaginiT customer. Unsubscribe | Manage preferences',
      ),
    }),
    expected: { kind: 'other', signal: 'reads like a newsletter' },
  },
  {
    name: 'a reseller invoice reminder that mentions the quote',
    message: mail({
      from: 'ImaginiT Accounts <ar@imaginit.com>',
      subject: 'Payment reminder: invoice INV-30117',
      body: 'Dear customer, invoice INV-30117 for quote Q-2026-0412 is now 14 days overdue. Amount due: $12,500.00.',
    }),
    expected: { kind: 'other', signal: 'the subject is about "Payment", not a quote' },
  },
  {
    name: 'a reseller training invitation (no quote words)',
    message: mail({
      from: 'ImaginiT Events <events@imaginit.com>',
      subject: 'Revit tips & tricks – live session Tuesday',
      body: 'Join our application specialists for an hour of Revit tips. Seats are limited, register here.',
    }),
    expected: { kind: 'other', signal: 'not about a quote' },
  },
  {
    name: 'Autodesk’s invitation mail',
    message: mail({
      from: 'Autodesk <noreply@autodesk.com>',
      to: ['quinn.fischer@contoso.example'],
      subject: "You've been invited to join Contoso Engineering",
      body: 'Riley Account has invited you to join their Autodesk team. Create your Autodesk account to get access. Accept invitation.',
    }),
    expected: { kind: 'other', signal: 'sender is Autodesk (autodesk.com): a system mail' },
  },
  {
    name: 'an Autodesk usage report from a subdomain',
    message: mail({
      from: 'Autodesk Account <no-reply@email.autodesk.com>',
      subject: 'Your monthly Cloud Credits usage report',
      body: 'Contoso Engineering used 312 Cloud Credits in October. Need more? Request Cloud Credits from your reseller.',
    }),
    expected: { kind: 'other', signal: 'sender is Autodesk (email.autodesk.com): a system mail' },
  },
  {
    name: 'lunch',
    message: mail({ from: 'Quinn Fischer <quinn.fischer@contoso.example>', subject: 'lunch on Friday?', body: 'Tacos at 12:30? Kai and Uma are in.' }),
    expected: { kind: 'other', signal: 'no Autodesk account request or reseller quote found' },
  },
  {
    name: 'talk about Revit without asking for anything',
    message: mail({
      from: 'Kai Johansson <kai.johansson@contoso.example>',
      subject: 'Revit 2027',
      body: 'Revit 2027 is out – has anyone tried the new sheet tools yet? The release notes look good.',
    }),
    expected: { kind: 'other', signal: 'no Autodesk account request or reseller quote found' },
  },
  {
    name: 'a thank-you after registering',
    message: mail({
      from: 'Quinn Fischer <quinn.fischer@contoso.example>',
      subject: 'RE: Your Autodesk account',
      body: 'Thanks, I registered my Autodesk account and can see my 100 credits now!',
    }),
    expected: { kind: 'other', signal: 'no Autodesk account request or reseller quote found' },
  },
  {
    name: 'an IT notice about Autodesk with no request',
    message: mail({
      from: 'IT Service Desk <it@contoso.example>',
      to: ['all-staff@contoso.example'],
      subject: 'FYI: Autodesk account maintenance on Saturday',
      body: 'Autodesk sign-in will be unavailable on Saturday from 08:00 to 10:00 UTC for maintenance.',
    }),
    expected: { kind: 'other', signal: 'no Autodesk account request or reseller quote found' },
  },
  {
    name: 'a quote from another vendor',
    message: mail({
      from: 'CAD Supply Sales <sales@cadsupply.example>',
      to: [`Sam Contracts <${SAM}>`],
      subject: 'Quotation 77120 – Autodesk Cloud Credits',
      body: 'Dear Sam, as requested please find our quotation for 500 Cloud Credits. Total USD 11,900.00. We would be happy to set up your account.',
      attachments: ['Quotation_77120.pdf'],
    }),
    expected: { kind: 'other', signal: 'reads like a quote, but not from imaginit.com (ImaginiT)' },
  },
  {
    name: 'a look-alike of the reseller’s domain',
    message: mail({
      from: 'Jo Miller <jo.miller@imaginit.com.quotes-portal.example>',
      subject: 'Quote Q-2026-0999',
      body: 'Your quote is ready: Total $25,000.00. Log in with your Autodesk account to approve it.',
      attachments: ['Quote_Q-2026-0999.pdf'],
    }),
    expected: { kind: 'other', signal: 'reads like a quote, but not from imaginit.com (ImaginiT)' },
  },
  {
    name: 'a colleague forwarding another vendor’s plotter quote',
    message: mail({
      from: 'Jordan Alvarez <jordan.alvarez@contoso.example>',
      to: [`Sam Contracts <${SAM}>`],
      subject: 'FW: Quote for the plotter',
      body: lines(
        'Sam, FYI.',
        'From: Plotter World <sales@plotterworld.example>',
        'Sent: Monday, November 2, 2026 2:00 PM',
        'Subject: Quote for the plotter',
        'Quote #PW-4471: HP DesignJet T1700. Total: $4,950.00',
      ),
    }),
    expected: { kind: 'other', signal: 'reads like a quote, but not from imaginit.com (ImaginiT)' },
  },
  {
    name: 'an outside newsletter about Cloud Credits inviting to register',
    message: mail({
      from: 'AEC Insider <newsletter@aec-insider.example>',
      subject: 'Make the most of your Cloud Credits',
      body: 'Five ways to stretch your Autodesk Cloud Credits. Register now for our free webinar. Unsubscribe',
    }),
    expected: { kind: 'other', signal: 'reads like a newsletter' },
  },
];
