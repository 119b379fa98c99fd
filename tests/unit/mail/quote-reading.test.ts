import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../../src/core/number-text.js';
import { plainMailText, readQuote } from '../../../src/mail/quote-reading.js';

const read = (body: string, subject = '', attachments: string[] = [], blockSize = 100) => readQuote(subject, body, attachments, blockSize);
const lines = (...text: string[]) => text.join('\n');

describe('parseNumber: the last separator decides', () => {
  it.each([
    ['1.234,56', 1234.56],
    ['1,234.56', 1234.56],
    ['12,500', 12500],
    ['1.234', 1234],
    ['1 234,56', 1234.56],
    ['1\u00a0234,56', 1234.56],
    ["1'234.56", 1234.56],
    ['1’250.00', 1250],
    ['12500.00', 12500],
    ['1,5', 1.5],
    ['1,234,567.89', 1234567.89],
    ['1.234.567,89', 1234567.89],
    ['7', 7],
  ])('%s → %d', (raw, value) => {
    expect(parseNumber(raw)).toBe(value);
  });

  it.each(['', 'abc', '1,234,56', '1,23,456', '1.234.56', '12 34', '-5', '1,234.567.8'])('refuses %j', (raw) => {
    expect(parseNumber(raw)).toBeNull();
  });
});

describe('readQuote: the amount and its currency', () => {
  it.each([
    ['Total: $12,500.00', 12500, 'USD'],
    ['Grand Total USD 12,500.00', 12500, 'USD'],
    ['Total (excl. VAT) £9.800,00', 9800, 'GBP'],
    ['Total: EUR 9.800,00', 9800, 'EUR'],
    ['Total 9 800,00 €', 9800, 'EUR'],
    ["Total: CHF 1'250.00", 1250, 'CHF'],
    ['Total: SFr. 1’250.00', 1250, 'CHF'],
    ['Amount due: US$ 4,000', 4000, 'USD'],
    ['Total: A$ 5,720.00', 5720, 'AUD'],
    ['Total: C$3,390.00', 3390, 'CAD'],
    ['Total: CA$ 3,390.00', 3390, 'CAD'],
    ['Total: 125 000 kr (SEK)', 125000, 'SEK'],
    ['Total: ¥1,250,000', 1250000, 'JPY'],
    ['Total: ₹ 950,000', 950000, 'INR'],
    ['Total: 12,500.00 USD', 12500, 'USD'],
    ['Grand total\t\t$12,500.00', 12500, 'USD'],
  ])('%s', (body, amount, currency) => {
    const reading = read(body);
    expect([reading.amount, reading.currency]).toEqual([amount, currency]);
  });

  it('reads $ as USD unless CAD or AUD is stated, and as nothing when both are', () => {
    expect(read('Total: $6,780.00').currency).toBe('USD');
    expect(read('All prices in CAD.\nTotal: $6,780.00').currency).toBe('CAD');
    expect(read('Prices in AUD\nTotal: $6,780.00').currency).toBe('AUD');
    expect(read('Unit price CA$ 2,260.00\nTotal: $6,780.00').currency).toBe('CAD');
    expect(read('Unit price US$ 2,260.00\nTotal: $6,780.00').currency).toBe('USD');
    expect(read('Prices in CAD or AUD on request\nTotal: $6,780.00')).toMatchObject({ amount: 6780, currency: null, missing: ['quoteNumber', 'currency'] });
  });

  it('reads kr only when one of SEK, NOK or DKK is stated', () => {
    expect(read('Total: 12 500 kr').currency).toBeNull();
    expect(read('Total: 12 500 kr. Alle priser i NOK.').currency).toBe('NOK');
  });

  it('takes a bare total’s currency from the one currency the rest of the quote uses, or from a currency label', () => {
    expect(read(lines('Unit price: EUR 1.800,00', 'Total: 9.000,00'))).toMatchObject({ amount: 9000, currency: 'EUR' });
    expect(read(lines('Currency: GBP', 'Total\t9,800.00'))).toMatchObject({ amount: 9800, currency: 'GBP' });
    expect(read('Total: 9,800.00')).toMatchObject({ amount: 9800, currency: null, missing: ['quoteNumber', 'currency'] });
  });

  it('prefers the grand total over subtotal, tax and line prices', () => {
    const body = lines(
      'Item\tQty\tUnit price\tLine total',
      'Cloud Credits 100 pack\t5\t$2,500.00\t$12,500.00',
      'Subtotal\t$12,500.00',
      'Sales tax (8.25%)\t$1,031.25',
      'Grand Total\t$13,531.25',
      'Payment terms: net 30',
    );
    expect(read(body).amount).toBe(13531.25);
  });

  it('takes the incl. VAT total over the excl. VAT one, and the excl. one when it is the only total', () => {
    expect(read(lines('Total (excl. VAT): £9,800.00', 'VAT 20%: £1,960.00', 'Total (incl. VAT): £11,760.00')).amount).toBe(11760);
    expect(read(lines('Total (excl. VAT): £9,800.00', 'VAT 20%: £1,960.00')).amount).toBe(9800);
  });

  it('never reads a tax line as the total', () => {
    expect(read(lines('Total VAT: £1,960.00', 'Total: £11,760.00')).amount).toBe(11760);
    expect(read(lines('Subtotal: $100.00', 'Total tax: $8.25')).amount).toBe(100);
  });

  it('of several totals of the same weight takes the last (the final line of the quote)', () => {
    expect(read(lines('Total: $2,500.00', 'Total: $12,500.00')).amount).toBe(12500);
  });

  it('reads several totals on one flattened line', () => {
    expect(read('Subtotal $12,000.00 Tax $990.00 Total $12,990.00').amount).toBe(12990);
  });

  it('reads a total whose amount is in the next cell, one cell per line', () => {
    expect(read(lines('Total', '$12,500.00'))).toMatchObject({ amount: 12500, currency: 'USD' });
    expect(read(lines('Gesamtbetrag', '8 568,00 €'))).toMatchObject({ amount: 8568, currency: 'EUR' });
  });

  it('does not take a column heading "Total" as the total of the row below', () => {
    expect(read(lines('Description', 'Qty', 'Total', 'Cloud Credits 100 pack', '5', '$12,500.00', '$2,500.00')).amount).toBeNull();
  });

  it('without a labelled total, uses the only amount with a currency', () => {
    expect(read('Price for 100 Cloud Credits: USD 2,500.00')).toMatchObject({ amount: 2500, currency: 'USD' });
    expect(read('USD 2,500.00 for 100 Cloud Credits (USD 2,500.00 per block)')).toMatchObject({ amount: 2500 });
  });

  it('leaves the amount to the manager when amounts are ambiguous', () => {
    const reading = read(lines('Option A: 300 Cloud Credits, USD 7,500.00', 'Option B: 500 Cloud Credits, USD 12,000.00'));
    expect(reading).toMatchObject({ amount: null, currency: 'USD', missing: ['quoteNumber', 'amount'] });
  });

  it('ignores negative amounts (discounts), zero and absurd ones', () => {
    expect(read(lines('Subtotal: $12,500.00', 'Discount: -$500.00')).amount).toBe(12500);
    expect(read('Total: ($500.00)').amount).toBeNull();
    expect(read('Total: -12,500.00').amount).toBeNull();
    expect(read('Total: $0.00').amount).toBeNull();
    expect(read('Total: $999,999,999.00').amount).toBeNull();
  });

  it('does not read counts, dates or quote numbers on a total line as money', () => {
    expect(read('Total Cloud Credits: 500').amount).toBeNull();
    expect(read('Total due by 31.12.2026').amount).toBeNull();
    expect(read('Total for quote 2026-0412').amount).toBeNull();
    expect(read('Total (incl. 20% VAT) 11,760.00').amount).toBe(11760);
  });
});

describe('readQuote: the quote number', () => {
  it.each([
    ['Quote #Q-2026-0412', 'Q-2026-0412'],
    ['Quote #: Q-2026-0412', 'Q-2026-0412'],
    ['Quotation No.: 88231', '88231'],
    ['Quote Number\t45012345', '45012345'],
    ['Quote Number\n45012345', '45012345'],
    ['Quote: 4411', '4411'],
    ['Quote ID 45012345', '45012345'],
    ['Proposal ref: QUO-77120', 'QUO-77120'],
    ['Angebotsnummer: AN-2026-0412', 'AN-2026-0412'],
    ['Angebots-Nr. 2026-0412', '2026-0412'],
    ['Devis n° 88231', '88231'],
    ['N° de devis : D-88231', 'D-88231'],
    ['Numéro de devis: 88231', '88231'],
    ['Please approve QUO-88231 by Friday.', 'QUO-88231'],
  ])('%j → %s', (body, number) => {
    expect(read(body).quoteNumber).toBe(number);
  });

  it.each([
    'Please find our quote for 500 Cloud Credits.',
    'Quote 5 x 100 Cloud Credits',
    'Your quote 500 Cloud Credits',
    'Quote valid until 31.12.2026',
    'Quote 2026 pricing',
    'Quote request-4411',
    'We quote USD 12,500.00',
    'Q4 2026 prices',
  ])('finds no number in %j', (body) => {
    expect(read(body).quoteNumber).toBeNull();
  });

  it('reads it from the subject first, then the body, then attachment names', () => {
    expect(readQuote('Quote Q-2026-0412', 'Quote #Q-2026-0999', ['Quote_Q-2026-0777.pdf'], 100).quoteNumber).toBe('Q-2026-0412');
    expect(readQuote('Your quote', 'Quote #Q-2026-0999', ['Quote_Q-2026-0777.pdf'], 100).quoteNumber).toBe('Q-2026-0999');
    expect(readQuote('Your quote', 'See attached.', ['image001.png', 'Quote_Q-2026-0777.pdf'], 100).quoteNumber).toBe('Q-2026-0777');
    expect(readQuote('Your quote', 'See attached.', ['ImaginiT_Quotation_45012345.pdf'], 100).quoteNumber).toBe('45012345');
    expect(readQuote('Your quote', 'See attached.', ['Angebot-2026-0412.pdf'], 100).quoteNumber).toBe('2026-0412');
    expect(readQuote('Your quote', 'See attached.', ['Q-2026-0412.pdf'], 100).quoteNumber).toBe('Q-2026-0412');
  });
});

describe('readQuote: credits and blocks', () => {
  it.each([
    ['5 x 100 Autodesk Cloud Credits', 500, 5],
    ['5x100 Cloud Credits', 500, 5],
    ['5 × 100 Cloud Credits', 500, 5],
    ['5 blocks of 100 Cloud Credits', 500, 5],
    ['500 Cloud Credits', 500, 5],
    ['1,000 Cloud Credits (100 Cloud Credits per block)', 1000, 10],
    ['Cloud Credits: 300', 300, 3],
    ['1 000 crédits Cloud', 1000, 10],
    ['200 Flex tokens', 200, 2],
    ['250 Cloud Credits', 250, null],
    ['50 Cloud Credits', 50, null],
  ])('%j → %d credits, %s blocks', (body, credits, blocks) => {
    expect(read(body)).toMatchObject({ credits, blocks });
  });

  it('never reads a price as credits', () => {
    expect(read('Cloud Credits: 125 000 kr').credits).toBeNull();
    expect(read('Cloud Credits: USD 2,500.00').credits).toBeNull();
  });

  it('counts blocks with the configured block size', () => {
    expect(read('500 Cloud Credits', '', [], 50).blocks).toBe(10);
    expect(read('500 Cloud Credits', '', [], 1000).blocks).toBeNull();
    expect(read('500 Cloud Credits', '', [], 0).blocks).toBeNull();
  });

  it('has no credits when none are mentioned', () => {
    expect(read('Total: $2,500.00')).toMatchObject({ credits: null, blocks: null });
  });
});

describe('readQuote: whole messages', () => {
  it('reads a quote with everything', () => {
    const body = lines(
      'Hi Sam,',
      'Please find attached our quote for 5 x 100 Autodesk Cloud Credits.',
      'Quote #: Q-2026-0412',
      'Subtotal: $12,500.00',
      'Total: $12,500.00',
      'Best regards,',
      'Jo Miller | T: +1 (800) 356-9050',
    );
    expect(read(body)).toEqual({ quoteNumber: 'Q-2026-0412', amount: 12500, currency: 'USD', credits: 500, blocks: 5, missing: [] });
  });

  it('reads an HTML body: tables, entities and a style block', () => {
    const html = [
      '<html><head><style>td { padding: 4px } .total { font-weight: bold }</style></head><body>',
      '<p>Quote&nbsp;#QUO-88231</p><table>',
      '<tr><td>Autodesk Cloud Credits</td><td>3&nbsp;x&nbsp;100</td><td>&euro;&nbsp;7.200,00</td></tr>',
      '<tr><td class="total">Grand&nbsp;Total</td><td></td><td>&euro;&nbsp;8.568,00</td></tr>',
      '</table></body></html>',
    ].join('');
    expect(read(html)).toEqual({ quoteNumber: 'QUO-88231', amount: 8568, currency: 'EUR', credits: null, blocks: null, missing: [] });
  });

  it('says what is missing from a mail that only points at the attachment', () => {
    expect(read('Please see the attached quote.')).toEqual({
      quoteNumber: null,
      amount: null,
      currency: null,
      credits: null,
      blocks: null,
      missing: ['quoteNumber', 'amount', 'currency'],
    });
  });
});

describe('plainMailText', () => {
  it('flattens HTML: breaks and paragraphs become lines, cells become tabs, style blocks and tags go, entities decode', () => {
    const html = '<style>p{margin:0}</style><p>Hi&nbsp;Riley,</p><div>Line&nbsp;one<br>Line &amp; two</div><table><tr><td>A</td><td>B</td></tr></table>';
    expect(plainMailText(html)).toBe('Hi Riley,\nLine one\nLine & two\nA\tB');
  });

  it('keeps an address in angle brackets and the address of a mailto link', () => {
    expect(plainMailText('<p>From: Jane Doe &lt;jane.doe@contoso.example&gt;</p>')).toBe('From: Jane Doe <jane.doe@contoso.example>');
    expect(plainMailText('<p>Ask <a href="mailto:pat.okafor@contoso.example">Pat Okafor</a></p>')).toBe('Ask Pat Okafor <pat.okafor@contoso.example>');
    expect(plainMailText('Jane Doe <jane.doe@contoso.example>')).toBe('Jane Doe <jane.doe@contoso.example>');
  });

  it('collapses whitespace and drops blank lines; a run of spaces is a cell gap', () => {
    expect(plainMailText('  Hello   there \r\n\r\n\r\nTotal  $5.00\n')).toBe('Hello\tthere\nTotal\t$5.00');
  });

  it('leaves unknown or out-of-range entities as they are', () => {
    expect(plainMailText('<p>&bogus; &#99999999; &#x41;</p>')).toBe('&bogus; &#99999999; A');
  });
});

describe('readQuote properties', () => {
  const soup = fc
    .array(
      fc.constantFrom(
        'Total', 'Grand Total', 'Subtotal', 'VAT', 'incl.', 'Quote #', 'Angebot', 'Devis n°', 'Cloud Credits', 'x', '×',
        '$', 'US$', 'C$', 'A$', '€', '£', 'CHF', 'kr', 'EUR', 'CAD', 'SEK', '-', '(', ')', ':', '\n', '\t', ' ', '  ',
        '1', '12', '100', '1,234', '1.234', '12,500.00', '9 800,00', "1'250.00", '999,999,999.99', '0.00', 'Q-2026-0412',
        '<br>', '&nbsp;', '<td>', '</td>', '<style>', '</style>',
      ),
      { maxLength: 40 },
    )
    .map((parts) => parts.join(''));
  const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), soup);

  it('never throws, and never returns NaN, negative, absurd amounts or fractional blocks', () => {
    fc.assert(
      fc.property(anyText, anyText, fc.array(anyText, { maxLength: 3 }), fc.oneof(fc.constant(100), fc.integer({ min: -5, max: 500 }), fc.double()), (subject, body, attachments, blockSize) => {
        const reading = readQuote(subject, body, attachments, blockSize);
        for (const value of [reading.amount, reading.credits]) {
          if (value !== null) expect(Number.isFinite(value) && value > 0 && value <= 100_000_000).toBe(true);
        }
        if (reading.blocks !== null) expect(Number.isInteger(reading.blocks) && reading.blocks >= 1).toBe(true);
        if (reading.currency !== null) expect(reading.currency).toMatch(/^[A-Z]{3}$/);
        expect(reading.missing).toEqual((['quoteNumber', 'amount', 'currency'] as const).filter((field) => reading[field] === null));
      }),
      { numRuns: 500 },
    );
  });
});
