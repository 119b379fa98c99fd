import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MailMessage, MailTriage } from '../../../src/mail/mail-triage.js';
import { triageMail } from '../../../src/mail/mail-triage.js';
import type { Sample } from './mail-samples.js';
import { OPTIONS, OTHER_SAMPLES, QUOTE_SAMPLES, REGISTRATION_SAMPLES, RILEY, SAM, mail } from './mail-samples.js';

const triage = (message: MailMessage, options = OPTIONS) => triageMail(message, options);
const sample = (name: string): MailMessage => {
  const found = [...REGISTRATION_SAMPLES, ...QUOTE_SAMPLES, ...OTHER_SAMPLES].find((s) => s.name === name);
  if (!found) throw new Error(`no sample "${name}"`);
  return found.message;
};
function registration(result: MailTriage) {
  if (result.kind !== 'registration') throw new Error(`expected a registration, got ${result.kind}: ${result.signals.join('; ')}`);
  return result;
}

/** The result reduced to what each sample states: kind, people (address and source, in order), the full quote, or one signal. */
function outcome(result: MailTriage, expected: Sample['expected']): unknown {
  if (result.kind === 'registration') return { kind: result.kind, people: result.people.map((p) => [p.email, p.source]) };
  if (result.kind === 'quote') return { kind: result.kind, quote: result.quote };
  return { kind: result.kind, signal: expected.kind === 'other' && result.signals.includes(expected.signal) ? expected.signal : result.signals };
}

describe.each([
  ['registration requests', REGISTRATION_SAMPLES],
  ['reseller quotes', QUOTE_SAMPLES],
  ['everything else', OTHER_SAMPLES],
])('triageMail on realistic %s', (_group, samples) => {
  it.each(samples.map((s) => [s.name, s] as const))('%s', (_name, { message, expected }) => {
    expect(outcome(triage(message), expected)).toEqual(expected);
  });
});

describe('registration: who the request is for', () => {
  it('names people from "Name <address>", "Name (address)" and the sender’s display name', () => {
    expect(registration(triage(sample('for a colleague, named with her address'))).people).toEqual([
      { email: 'jane.doe@contoso.example', name: 'Jane Doe', source: 'named' },
      { email: 'jordan.alvarez@contoso.example', name: 'Jordan Alvarez', source: 'sender' },
    ]);
    expect(registration(triage(sample('a new starter announced by HR, address in brackets'))).people[0]).toEqual({
      email: 'uma.newhire@contoso.example',
      name: 'Uma Newhire',
      source: 'named',
    });
  });

  it('takes the forwarded sender’s name from the header, also from Exchange’s "Last, First" and [mailto:]', () => {
    expect(registration(triage(sample('an Outlook forward from a team lead'))).people[0]).toEqual({ email: 'uma.newhire@contoso.example', name: 'Uma Newhire', source: 'forwarded' });
    expect(registration(triage(sample('an old-style Outlook forward with [mailto:]'))).people[0]).toEqual({ email: 'lena.brandt@contoso.example', name: 'Lena Brandt', source: 'forwarded' });
    const exchange = mail({
      from: 'Kai Johansson <kai.johansson@contoso.example>',
      subject: 'FW: Autodesk account',
      body: 'FYI\nFrom: Newhire, Uma <uma.newhire@contoso.example>\nSent: Monday\nSubject: Autodesk account\nI need an Autodesk account please.',
    });
    expect(registration(triage(exchange)).people[0]).toEqual({ email: 'uma.newhire@contoso.example', name: 'Uma Newhire', source: 'forwarded' });
  });

  it('a bare address in the text has no name', () => {
    const message = mail({ from: 'Jordan Alvarez <jordan.alvarez@contoso.example>', subject: 'Autodesk account', body: 'Please create an Autodesk account for our new hire: leo.park@contoso.example' });
    expect(registration(triage(message)).people[0]).toEqual({ email: 'leo.park@contoso.example', name: null, source: 'named' });
  });

  it('never proposes the account managers, the reseller, Autodesk or no-reply addresses', () => {
    const message = mail({
      from: 'Jordan Alvarez <jordan.alvarez@contoso.example>',
      cc: [`Sam Contracts <${SAM}>`],
      subject: 'Autodesk account for Leo',
      body: `Hi Riley (${RILEY}), could you set up an Autodesk account for my colleague leo.park@contoso.example? Sam, Jo Miller <jo.miller@imaginit.com> and support@autodesk.com are in the loop; replies from no-reply@contoso.example are fine.`,
    });
    expect(registration(triage(message)).people.map((p) => p.email)).toEqual(['leo.park@contoso.example', 'jordan.alvarez@contoso.example']);
  });

  it('does not propose the sender when the sender is an account manager', () => {
    const message = mail({ from: `Sam Contracts <${SAM}>`, subject: 'Autodesk account for Leo', body: 'Riley, please set up an Autodesk account for Leo Park <leo.park@contoso.example>.' });
    expect(registration(triage(message)).people).toEqual([{ email: 'leo.park@contoso.example', name: 'Leo Park', source: 'named' }]);
  });

  it('lists each person once, keeping the first mention and a name from a later one', () => {
    const message = mail({
      from: 'Jordan Alvarez <jordan.alvarez@contoso.example>',
      subject: 'Autodesk accounts',
      body: 'Please create Autodesk accounts for new starters leo.park@contoso.example and Leo Park <leo.park@contoso.example> (same person, sorry) and Uma Newhire <UMA.NEWHIRE@contoso.example>.',
    });
    expect(registration(triage(message)).people).toEqual([
      { email: 'leo.park@contoso.example', name: 'Leo Park', source: 'named' },
      { email: 'uma.newhire@contoso.example', name: 'Uma Newhire', source: 'named' },
      { email: 'jordan.alvarez@contoso.example', name: 'Jordan Alvarez', source: 'sender' },
    ]);
  });

  it('does not read names from the signature or the disclaimer', () => {
    const people = registration(triage(sample('an HTML mail with a signature naming an assistant and a legal disclaimer'))).people;
    expect(people.map((p) => p.email)).toEqual(['taylor.brooks@contoso.example']);
  });

  it('does not read people from quoted reply history', () => {
    expect(registration(triage(sample('a reply carrying the request, with the manager’s question quoted below'))).people.map((p) => p.email)).toEqual([
      'quinn.fischer@contoso.example',
    ]);
  });

  it('says why, in words the pane can show', () => {
    expect(triage(sample('phishing-like: an outsider asking for an account for themself')).signals).toEqual([
      'sender is outside the firm (gmail.com)',
      'mentions "Autodesk account"',
      'asks: "Please create"',
      'nobody from the firm is named',
    ]);
    expect(triage(sample('for a colleague, named with her address')).signals).toEqual([
      'sender is at contoso.example',
      'mentions "Autodesk account"',
      'asks: "could you"',
      'names jane.doe@contoso.example',
      'for someone else ("colleague")',
    ]);
    expect(triage(sample('an Outlook forward from a team lead')).signals).toContain('forwarded from uma.newhire@contoso.example');
  });

  it('sums the reading up in one sentence for a manager', () => {
    expect(triage(sample('phishing-like: an outsider asking for an account for themself')).verdict).toBe('Looks like a request for an Autodesk account, but it names nobody from the firm.');
    expect(triage(sample('for a colleague, named with her address')).verdict).toMatch(/^Looks like a request for an Autodesk account for (Jane Doe|jane\.doe@contoso\.example) and one more person\.$/);
    expect(triage(sample('USD, labelled lines, PDF attached')).verdict).toBe('Looks like a quote from ImaginiT, the reseller.');
  });

  it('says when a forwarded header shows a name but no address', () => {
    const message = mail({
      from: 'Kai Johansson <kai.johansson@contoso.example>',
      subject: 'FW: Autodesk account',
      body: 'Can you help?\nFrom: Newhire, Uma\nSent: Monday, November 2, 2026 9:12 AM\nTo: Johansson, Kai\nSubject: Autodesk account\nI need an Autodesk account for Revit.',
    });
    const result = registration(triage(message));
    expect(result.people.map((p) => p.email)).toEqual(['kai.johansson@contoso.example']);
    expect(result.signals).toContain('forwarded from Uma Newhire, whose address is not shown');
  });

  it('finds nobody when the firm’s domains are not known', () => {
    expect(registration(triage(sample('a plain request for oneself'), { ...OPTIONS, firmDomains: [] })).people).toEqual([]);
  });

  it('reads a message with no sender shown', () => {
    const message = { ...sample('a plain request for oneself'), from: null };
    expect(triage(message)).toMatchObject({ kind: 'registration', people: [], signals: ['the sender is not shown', 'mentions "Autodesk account"', 'asks: "could you"', 'nobody from the firm is named'] });
  });
});

describe('quotes: whose they are', () => {
  it('follows the configured reseller', () => {
    const message = sample('USD, labelled lines, PDF attached');
    const otherReseller = { ...OPTIONS, reseller: { name: 'Microsol', emailDomain: 'microsolresources.com' } };
    expect(triage(message, otherReseller)).toEqual({
      kind: 'other',
      verdict: 'Reads like a quote, but not from Microsol, the reseller.',
      signals: ['sender is outside the firm (imaginit.com)', 'reads like a quote, but not from microsolresources.com (Microsol)'],
    });
  });

  it('counts blocks with the configured block size', () => {
    const result = triage(sample('USD, labelled lines, PDF attached'), { ...OPTIONS, blockSize: 50 });
    expect(result).toMatchObject({ kind: 'quote', quote: { credits: 500, blocks: 10 } });
  });

  it('says why it is a quote', () => {
    expect(triage(sample('USD, labelled lines, PDF attached')).signals).toEqual([
      'sender is at imaginit.com (ImaginiT)',
      'talks about a quote ("Quote")',
      'attachment looks like a quote: Quote_Q-2026-0412.pdf',
      'quote number Q-2026-0412',
    ]);
    expect(triage(sample('a quote forwarded by a colleague; older history below is not read')).signals[0]).toBe(
      'forwarded from jo.miller@imaginit.com at imaginit.com (ImaginiT)',
    );
  });

  it('an "offer" from the reseller is a quote only with an amount or a PDF', () => {
    const offer = (body: string, attachments: string[] = []) => triage(mail({ from: 'Jo Miller <jo.miller@imaginit.com>', subject: 'Our offer', body, attachments })).kind;
    expect(offer('Our offer for 100 Cloud Credits: USD 2,500.00')).toBe('quote');
    expect(offer('Please find our offer attached.', ['Offer_2026-0412.pdf'])).toBe('quote');
    expect(offer('Ask us about our year-end offer!')).toBe('other');
  });

  it('a reseller newsletter that carries a real quote number is still a quote', () => {
    const message = mail({ from: 'ImaginiT <quotes@imaginit.com>', subject: 'Your quote Q-2026-0412', body: 'Quote Q-2026-0412 total $2,500.00. Unsubscribe from quote reminders' });
    expect(triage(message)).toMatchObject({ kind: 'quote', quote: { quoteNumber: 'Q-2026-0412', amount: 2500 } });
  });

  it('a colleague forwarding a reseller mail that is not a quote falls through to the other rules', () => {
    const message = mail({
      from: 'Quinn Fischer <quinn.fischer@contoso.example>',
      subject: 'FW: Revit tips webinar',
      body: 'Riley, could I get a Revit licence so I can follow this?\nFrom: ImaginiT Events <events@imaginit.com>\nSent: Monday\nSubject: Revit tips webinar\nJoin our Revit tips webinar, register here.',
    });
    expect(registration(triage(message)).people.map((p) => p.email)).toEqual(['quinn.fischer@contoso.example']);
  });
});

describe('triageMail properties', () => {
  const address = fc.oneof(
    fc.constantFrom('quinn.fischer@contoso.example', RILEY, SAM, 'jo.miller@imaginit.com', 'noreply@autodesk.com', 'bob@gmail.com', 'uma.newhire@contoso.example'),
    fc.emailAddress(),
  );
  const fragment = fc.constantFrom(
    'Autodesk account', 'Cloud Credits', 'could you', 'please create', 'for my colleague', 'Quote #Q-1234', 'Total: $1,000.00', 'Unsubscribe',
    '\nFrom: Jane <jane@contoso.example>\nSent: x\n', '---------- Forwarded message ---------', '-----Original Message-----', '> ', 'Thanks,\n',
    '<p>', '</td>', '&nbsp;', 'uma.newhire@contoso.example', '(', '<', ' ', '\n',
  );
  const soup = fc.array(fc.oneof(fragment, address), { maxLength: 30 }).map((parts) => parts.join(' '));
  // Mostly mail-like fragments, so that registrations with people and quotes come up often, plus arbitrary text.
  const text = fc.oneof({ weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) }, { weight: 4, arbitrary: soup });
  const recipient = fc.record({ name: fc.option(fc.string({ maxLength: 20 })), email: address });
  const message: fc.Arbitrary<MailMessage> = fc.record({
    from: fc.option(recipient),
    to: fc.array(recipient, { maxLength: 3 }),
    cc: fc.array(recipient, { maxLength: 3 }),
    subject: fc.oneof(fc.constantFrom('FW: Autodesk account', 'RE: FW: Quote', 'Fwd: x', 'WG: AW: y'), fc.string({ maxLength: 60 })),
    bodyText: text,
    attachmentNames: fc.array(fc.oneof(fc.constantFrom('Quote_Q-2026-0412.pdf', 'image001.png'), fc.string({ maxLength: 30 })), { maxLength: 3 }),
  });

  it('never throws, and only ever proposes distinct people at the firm who are not account managers', () => {
    fc.assert(
      fc.property(message, (m) => {
        const result = triageMail(m, OPTIONS);
        expect(['registration', 'quote', 'other']).toContain(result.kind);
        expect(result.signals.length).toBeGreaterThan(0);
        if (result.kind === 'registration') {
          const emails = result.people.map((p) => p.email);
          expect(new Set(emails).size).toBe(emails.length);
          for (const email of emails) {
            expect(email).toMatch(/@(?:[a-z0-9-]+\.)*contoso\.example$/);
            expect([RILEY, SAM]).not.toContain(email);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
