/**
 * Reading a reseller's quote email (DESIGN 3.6: a received quote carries its number, price and currency), so
 * the Outlook pane can pre-fill the purchase step. Pure text work: whatever cannot be read is listed in
 * `missing` for the pane to ask, rather than guessed.
 */

import { parseNumber } from '../core/number-text.js';

export interface QuoteReading {
  /** e.g. "Q-2026-0412", "QUO-88231", "45012345". */
  quoteNumber: string | null;
  /** The quote total in major units (1234.5): never a line price or tax when a total exists. */
  amount: number | null;
  /** ISO 4217. */
  currency: string | null;
  /** Cloud Credits quoted ("5 x 100 Cloud Credits" → 500). */
  credits: number | null;
  /** credits / blockSize when a whole number ≥ 1. */
  blocks: number | null;
  missing: Array<'quoteNumber' | 'amount' | 'currency'>;
}

/** Above this an "amount" is a misread (a phone or order number), not a Cloud Credits quote. */
const MAX_AMOUNT = 100_000_000;

// ---------------------------------------------------------------------------------------------------------
// Plain text. Lives here rather than in mail-triage so that both readers share it without a cycle.
// ---------------------------------------------------------------------------------------------------------

const HTML_HINT = /<\/?(?:html|head|body|div|p|br|table|tr|td|th|span|font|b|i|u|strong|em|a|ul|ol|li|img|style|meta|hr|h[1-6])\b[^<>]*>|&(?:nbsp|amp|lt|gt|quot|#\d+|#x[0-9a-f]+);/i;
const MAILTO_LINK = /<a\b[^<>]*?href\s*=\s*["']?mailto:([^"'?<>\s]+)[^<>]*>([\s\S]*?)<\/a\s*>/gi;
const NAMED_ENTITIES = new Map(
  Object.entries({
    nbsp: '\u00a0', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", euro: '€', pound: '£', yen: '¥', cent: '¢',
    copy: '©', reg: '®', trade: '™', ndash: '–', mdash: '—', hellip: '…', lsquo: '‘', rsquo: '’', ldquo: '“',
    rdquo: '”', laquo: '«', raquo: '»', times: '×', middot: '·', bull: '•', deg: '°', ordm: 'º', shy: '',
    auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', szlig: 'ß', eacute: 'é', Eacute: 'É',
    egrave: 'è', ecirc: 'ê', agrave: 'à', Agrave: 'À', acirc: 'â', ccedil: 'ç', ocirc: 'ô', ucirc: 'û',
    ugrave: 'ù', icirc: 'î', iuml: 'ï', euml: 'ë',
  }),
);

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, name: string) => {
    if (!name.startsWith('#')) return NAMED_ENTITIES.get(name) ?? whole;
    const code = /^#x/i.test(name) ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/** A mailto link keeps its address: it is often the only place a forwarded sender's address appears. */
function mailtoText(_whole: string, address: string, inner: string): string {
  const label = inner.replace(/<[^<>]*>/g, '').trim();
  return label.includes('@') ? label : `${label} <${address}>`;
}

function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(style|script|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(MAILTO_LINK, mailtoText)
      .replace(/<br\s*\/?>|<\/(?:p|div|tr|li|h[1-6]|table|blockquote|pre)\s*>|<hr\b[^<>]*>/gi, '\n')
      .replace(/<\/t[dh]\s*>/gi, '\t')
      // Only real tags: "<jane.doe@contoso.example>" is an address, not a tag, and stays.
      .replace(/<\/?[a-z][a-z0-9:-]*(?:\s[^<>]*)?\/?>/gi, ''),
  );
}

/** A tab or a run of spaces is a table cell gap once flattened: kept as a tab so it never reads as a thousands separator. */
function tidyLine(line: string): string {
  return line
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/ *\t[ \t]*| {2,}/g, '\t')
    .trim();
}

/** A mail body as plain lines: HTML flattened, entities decoded, whitespace collapsed, blank lines dropped. */
export function plainMailText(body: string): string {
  const text = HTML_HINT.test(body) ? htmlToText(body) : body;
  return text
    .replace(/[\u200b-\u200d\ufeff\u00ad]/g, '')
    .split(/\r\n|[\r\n\u2028\u2029\f\v]/)
    .map(tidyLine)
    .filter((line) => line !== '')
    .join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// Numbers and money
// ---------------------------------------------------------------------------------------------------------

const GROUP_CHARS = String.raw`,.'’ \u00a0\u202f`;
/**
 * Grouped ("12,500.00", "1.234,56", "9 800,00", "1'250.00") or plain ("12500.00"); validated by parseNumber.
 * Never starts at the second group of "9 800", so a long space-grouped run is scanned once, not once per group.
 */
const NUMBER = String.raw`(?<![\d.,'’/+-])(?!(?<=\d[ \u00a0\u202f])\d{3}(?!\d))(?:\d{1,3}(?:[${GROUP_CHARS}]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?!\d|[.,'’/-]\d)`;
const CURRENCY = String.raw`(?<![A-Za-z])(?:US\$|USD|CA\$|C\$|CAD|AU\$|A\$|AUD|NZ\$|NZD|\$|€|EUR|£|GBP|CHF|SFr\.?|Fr\.|SEK|NOK|DKK|[Kk]r\.?|JPY|¥|INR|₹|Rs\.?)(?![A-Za-z])`;
const PREFIX_MONEY = new RegExp(String.raw`(${CURRENCY})[ \u00a0\u202f]?(${NUMBER})`, 'g');
const SUFFIX_MONEY = new RegExp(String.raw`(${NUMBER})[ \u00a0\u202f]?(${CURRENCY})`, 'g');
const CURRENCY_MARKER = new RegExp(CURRENCY, 'g');
const BARE_NUMBER = new RegExp(NUMBER, 'g');
const ISO_CODES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK', 'DKK', 'JPY', 'INR'] as const;
const CODE_MENTION = new RegExp(String.raw`\b(${ISO_CODES.join('|')})\b`, 'g');
const CURRENCY_LABEL = new RegExp(String.raw`\b(?:currency|währung|devise)\s*:?\s*(${ISO_CODES.join('|')})\b`, 'i');
const SYMBOL_CURRENCY = new Map([
  ['US$', 'USD'], ['C$', 'CAD'], ['CA$', 'CAD'], ['A$', 'AUD'], ['AU$', 'AUD'], ['NZ$', 'NZD'], ['€', 'EUR'],
  ['£', 'GBP'], ['SFr', 'CHF'], ['SFr.', 'CHF'], ['Fr.', 'CHF'], ['¥', 'JPY'], ['₹', 'INR'], ['Rs', 'INR'], ['Rs.', 'INR'],
]);

const saneAmount = (value: number | null): value is number => value !== null && Number.isFinite(value) && value > 0 && value <= MAX_AMOUNT;

interface Money {
  value: number;
  /** The symbol or code as written; resolved against the rest of the text by resolveCurrency. */
  marker: string;
  start: number;
  end: number;
}

function moneyMatches(text: string, pattern: RegExp, markerAt: 1 | 2): Money[] {
  const found: Money[] = [];
  for (const m of text.matchAll(pattern)) {
    const value = parseNumber(m[markerAt === 1 ? 2 : 1] ?? '');
    const negative = /[-−(]/.test(text[m.index - 1] ?? '');
    if (!negative && saneAmount(value)) found.push({ value, marker: m[markerAt] ?? '', start: m.index, end: m.index + m[0].length });
  }
  return found;
}

/** The amounts of `candidates` that overlap none of `kept`; both are in text order and never overlap themselves. */
function notOverlapping(candidates: Money[], kept: Money[]): Money[] {
  let k = 0;
  return candidates.filter((m) => {
    while (k < kept.length && (kept[k]?.end ?? 0) <= m.start) k += 1;
    const next = kept[k];
    return !next || next.start >= m.end;
  });
}

/**
 * Amounts written with a currency, skipping negative ones (discounts, credit notes). In "5 USD 2,500.00" the
 * code could belong to either number: the way the text writes its unambiguous amounts decides.
 */
function moneyIn(text: string): Money[] {
  const prefix = moneyMatches(text, PREFIX_MONEY, 1);
  const suffix = moneyMatches(text, SUFFIX_MONEY, 2);
  const [first, second] = notOverlapping(suffix, prefix).length > notOverlapping(prefix, suffix).length ? [suffix, prefix] : [prefix, suffix];
  return [...first, ...notOverlapping(second, first)].sort((a, b) => a.start - b.start);
}

/** Which currencies the text states in so many words: how "$", "kr" and an amount without a marker resolve. */
interface CurrencyHints {
  codes: Set<string>;
  /** The one currency every amount and currency label in the text agrees on, if any. */
  documentCurrency: string | null;
}

function currencyHints(text: string, monies: Money[]): CurrencyHints {
  const codes = new Set([...text.matchAll(CODE_MENTION)].map((m) => m[1] ?? ''));
  for (const [marker] of text.matchAll(CURRENCY_MARKER)) {
    const code = SYMBOL_CURRENCY.get(marker);
    if (code && marker.includes('$')) codes.add(code);
  }
  const fromAmounts = new Set(monies.map((m) => resolveCurrency(m.marker, codes)));
  const label = CURRENCY_LABEL.exec(text)?.[1];
  const agreed: Set<string | null> = fromAmounts.size > 0 ? fromAmounts : label ? new Set([label]) : codes;
  const only = agreed.size === 1 ? [...agreed][0] : null;
  return { codes, documentCurrency: only ?? null };
}

/** "$" is USD unless the text states CAD/C$ or AUD/A$; "kr" needs SEK, NOK or DKK stated to mean anything. */
function resolveCurrency(marker: string, codes: Set<string>): string | null {
  if (marker === '$') {
    const otherDollars = ['CAD', 'AUD', 'NZD'].filter((code) => codes.has(code));
    return otherDollars.length === 0 ? 'USD' : otherDollars.length === 1 ? (otherDollars[0] ?? null) : null;
  }
  if (/^kr\.?$/i.test(marker)) {
    const crowns = ['SEK', 'NOK', 'DKK'].filter((code) => codes.has(code));
    return crowns.length === 1 ? (crowns[0] ?? null) : null;
  }
  return SYMBOL_CURRENCY.get(marker) ?? ((ISO_CODES as readonly string[]).includes(marker) ? marker : null);
}

// ---------------------------------------------------------------------------------------------------------
// The total
// ---------------------------------------------------------------------------------------------------------

const SUBTOTAL = /\b(?:sub-?total|zwischensumme|sous-total)\b/i;
const GRAND = /\b(?:grand[ -]?total|total (?:amount )?due|amount due|balance due|final total|total payable|total to pay|gesamtbetrag|gesamtsumme|endbetrag|endsumme|total ttc|montant ttc|net à payer|total g[ée]n[ée]ral)\b/i;
const TOTAL = /\b(?:total|totals|summe|gesamt|gesamtpreis|montant total|quote total|net total)\b/i;
const INCLUSIVE = /\b(?:incl|including|inclusive|inkl|ttc|brutto|gross)\b/i;
const TAX = /\b(?:vat|tax|taxes|gst|hst|pst|qst|mwst|ust|tva|iva|moms|mva)\b/i;
const TAX_QUALIFIER = /\b(?:incl|including|inclusive|inkl|excl|excluding|exclusive|exkl|zzgl|ohne|before|after|hors|ht|ttc|net|netto|brutto|plus|with|without|gross|pre)\b/i;
const PER_LINE = /\b(?:line|item|unit)[ -]?total/i;
/** A number that counts things, not money. */
const QUANTITY_WORDS = /\b(?:credits?|tokens?|qty|quantity|units?|blocks?|packs?|menge|anzahl|stück|quantité|seats?|licen[cs]es?|users?)\b/i;
/** A bare number right after a sign or a currency was a negative amount, already left out. */
const SIGNED_OR_PRICED_BEFORE = new RegExp(String.raw`(?:[-−(]|${CURRENCY})\s?$`);
const COUNTED_AFTER = /^\s*(?:%|x\b|×|cloud|credits?|tokens?|blocks?|packs?|days?|tage|jours|months?|users?|seats?|licen[cs]es?)/i;

/** How strongly a label reads as the quote total: 3 grand/final, 2 total, 1 subtotal; null for tax, line prices and the rest. */
function totalRank(label: string): number | null {
  if (PER_LINE.test(label) || (TAX.test(label) && !TAX_QUALIFIER.test(label))) return null;
  if (SUBTOTAL.test(label)) return 1;
  if (GRAND.test(label) || (TOTAL.test(label) && INCLUSIVE.test(label))) return 3;
  return TOTAL.test(label) ? 2 : null;
}

interface Candidate {
  rank: number;
  value: number;
  marker: string | null;
}

/** Totals on a line with currency amounts: each amount is labelled by the text since the previous one. */
function labelledMoney(line: string): Candidate[] {
  const found: Candidate[] = [];
  let from = 0;
  for (const money of moneyIn(line)) {
    const rank = totalRank(line.slice(from, money.start));
    if (rank !== null) found.push({ rank, value: money.value, marker: money.marker });
    from = money.end;
  }
  return found;
}

/** "Total: 12,500.00" with the currency stated elsewhere: the last plain number that does not count things. */
function labelledBareNumber(line: string): Candidate | null {
  const numbers = [...line.matchAll(BARE_NUMBER)].filter((m) => !COUNTED_AFTER.test(line.slice(m.index + m[0].length, m.index + m[0].length + 20)));
  const last = numbers.at(-1);
  if (!last) return null;
  const label = line.slice(0, last.index);
  const rank = totalRank(label);
  const value = parseNumber(last[0]);
  const signedOrPriced = SIGNED_OR_PRICED_BEFORE.test(label.slice(-8));
  if (rank === null || QUANTITY_WORDS.test(label) || signedOrPriced || !saneAmount(value)) return null;
  return { rank, value, marker: null };
}

/** A line that is only an amount: the value cell under a "Total" cell of a table flattened one cell per line. */
function loneAmount(line: string | undefined): Candidate | null {
  if (line === undefined) return null;
  const monies = moneyIn(line);
  const rest = line.replace(CURRENCY_MARKER, '').replace(BARE_NUMBER, '');
  if (/[\p{L}\d]/u.test(rest)) return null;
  const [money] = monies;
  if (money) return monies.length === 1 ? { rank: 0, value: money.value, marker: money.marker } : null;
  const numbers = line.match(BARE_NUMBER) ?? [];
  const value = numbers.length === 1 ? parseNumber(numbers[0] ?? '') : null;
  return saneAmount(value) && !/^\s*[-−]/.test(line) ? { rank: 0, value, marker: null } : null;
}

function totalCandidates(lines: string[]): Candidate[] {
  return lines.flatMap((line, i) => {
    const withMoney = labelledMoney(line);
    if (withMoney.length > 0) return withMoney;
    const bare = labelledBareNumber(line);
    if (bare) return [bare];
    const rank = /\d/.test(line) || line.length > 40 ? null : totalRank(line);
    const below = rank === null ? null : loneAmount(lines[i + 1]);
    return rank !== null && below ? [{ ...below, rank }] : [];
  });
}

/** The best-ranked total, the last of equals (the final line of a quote); else the one currency amount the text holds. */
function quoteTotal(lines: string[], monies: Money[], codes: Set<string>): Candidate | null {
  const candidates = totalCandidates(lines);
  const best = Math.max(...candidates.map((c) => c.rank));
  const total = candidates.filter((c) => c.rank === best).at(-1);
  if (total) return total;
  const distinct = new Map(monies.map((m) => [`${m.value}|${resolveCurrency(m.marker, codes)}`, m]));
  const [only] = distinct.values();
  return distinct.size === 1 && only ? { rank: 0, value: only.value, marker: only.marker } : null;
}

// ---------------------------------------------------------------------------------------------------------
// The quote number
// ---------------------------------------------------------------------------------------------------------

const QUOTE_WORD = String.raw`(?:quot(?:e|ation)|proposal|offer|angebot|offre|devis|kostenvoranschlag)`;
const NUMBER_MARK = String.raw`(?:#|no\.?|nr\.?|number|nummer|num[ée]ro|n[°º]|ref(?:erence)?\.?|id)`;
const TOKEN = String.raw`(?=[A-Za-z0-9/_-]*\d)[A-Za-z0-9][A-Za-z0-9/_-]*`;
/** "Quote #Q-2026-0412", "Quotation No.: 88231", "Angebotsnummer 2026-0412", "Devis n° 88231". */
const LABEL_THEN_NUMBER = new RegExp(String.raw`\b${QUOTE_WORD}s?(?:[ \t]*-?[ \t]*(${NUMBER_MARK}))?([ \t]*[:#.-]?\s*)(${TOKEN})`, 'gi');
/** "N° de devis : 88231", "Number of quote 88231". */
const NUMBER_OF_QUOTE = new RegExp(String.raw`(?:\bn[°º]|\bnum[ée]ro|\bnumber|\bnummer)\s*(?:de|du|of|des)\s+(?:la\s+|the\s+)?${QUOTE_WORD}\s*[:#]?\s*(${TOKEN})`, 'gi');
/** Reseller systems' own formats: "Q-2026-0412", "QUO-88231", "QT12345". */
const QUOTE_ID = /\b(?:QUO|QTE|QT|Q)-?\d{3,}(?:[-/]\d+)*\b/g;
const COUNTED_OR_PRICED_AFTER = new RegExp(String.raw`^\s*(?:x\b|×|%|cloud|credits?|tokens?|blocks?|${CURRENCY})`, 'i');

/** A token after a quote label is a number only if it looks like one: a reference, not a count, price or year. */
function acceptToken(token: string, marked: boolean, separator: string, after: string): string | null {
  const clean = token.replace(/[-/_]+$/, '');
  const digits = clean.replace(/\D/g, '').length;
  if (digits < 3 || clean.length > 30 || !/^[A-Za-z]{0,5}[-/_]?\d/.test(clean)) return null;
  const labelled = marked || /[:#]/.test(separator);
  if (!labelled && (separator.includes('\n') || (/^\d+$/.test(clean) && clean.length < 5))) return null;
  return COUNTED_OR_PRICED_AFTER.test(after) ? null : clean;
}

function labelledQuoteNumber(text: string): string | null {
  for (const m of text.matchAll(LABEL_THEN_NUMBER)) {
    const accepted = acceptToken(m[3] ?? '', Boolean(m[1]), m[2] ?? '', text.slice(m.index + m[0].length, m.index + m[0].length + 20));
    if (accepted) return accepted;
  }
  for (const m of text.matchAll(NUMBER_OF_QUOTE)) {
    const accepted = acceptToken(m[1] ?? '', true, '', text.slice(m.index + m[0].length, m.index + m[0].length + 20));
    if (accepted) return accepted;
  }
  return null;
}

/** "Quote_Q-2026-0412.pdf" reads as "Quote Q-2026-0412". */
const attachmentText = (name: string): string => name.replace(/\.[a-z0-9]{2,4}$/i, '').replace(/[_+.]+/g, ' ');

/** The subject first (the reseller's own reference), then the body, then attachment names; labelled before bare IDs. */
function quoteNumberOf(subject: string, body: string, attachmentNames: string[]): string | null {
  const sources = [subject, body, ...attachmentNames.map(attachmentText)];
  for (const source of sources) {
    const labelled = labelledQuoteNumber(source);
    if (labelled) return labelled;
  }
  for (const source of sources) {
    const [id] = source.match(QUOTE_ID) ?? [];
    if (id) return id;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Credits
// ---------------------------------------------------------------------------------------------------------

const CREDIT_UNIT = String.raw`(?:autodesk\s+)?(?:cloud[ -]?credits?|flex[ -]?tokens?|cr[ée]dits?(?:\s+cloud)?|tokens?)\b`;
const CREDITS_TIMES = new RegExp(String.raw`(?<![\d.,])(\d{1,4})\s*(?:x|×|\*|(?:blocks?|packs?|bundles?)\s+of|lots?\s+de)\s*(${NUMBER})[\s-]*${CREDIT_UNIT}`, 'gi');
const CREDITS_PLAIN = new RegExp(String.raw`(${NUMBER})[\s-]*${CREDIT_UNIT}`, 'gi');
const CREDITS_LABELLED = new RegExp(String.raw`(?:cloud[ -]?credits?|flex[ -]?tokens?)\s*:\s*(${NUMBER})`, 'gi');
const ENDS_WITH_CURRENCY = new RegExp(String.raw`(?:${CURRENCY})\s?$`);
const STARTS_WITH_CURRENCY = new RegExp(String.raw`^\s?(?:${CURRENCY})`);

/** The credits quoted. "5 x 100 Cloud Credits" multiplies; of several mentions the largest (per-block sizes are smaller); a price is never a count. */
function creditsOf(text: string): number | null {
  const values: number[] = [];
  const rest = text.replace(CREDITS_TIMES, (whole, count: string, size: string) => {
    const each = parseNumber(size);
    if (each !== null) values.push(Number(count) * each);
    return ' '.repeat(whole.length);
  });
  for (const m of rest.matchAll(CREDITS_PLAIN)) {
    const value = parseNumber(m[1] ?? '');
    if (value !== null && !ENDS_WITH_CURRENCY.test(rest.slice(Math.max(0, m.index - 6), m.index))) values.push(value);
  }
  for (const m of rest.matchAll(CREDITS_LABELLED)) {
    const value = parseNumber(m[1] ?? '');
    if (value !== null && !STARTS_WITH_CURRENCY.test(rest.slice(m.index + m[0].length, m.index + m[0].length + 6))) values.push(value);
  }
  const sane = values.filter(saneAmount);
  return sane.length > 0 ? Math.max(...sane) : null;
}

function blocksOf(credits: number | null, blockSize: number): number | null {
  if (credits === null) return null;
  const blocks = credits / blockSize;
  return Number.isInteger(blocks) && blocks >= 1 ? blocks : null;
}

export function readQuote(subject: string, bodyText: string, attachmentNames: string[], blockSize: number): QuoteReading {
  const body = plainMailText(bodyText);
  const monies = moneyIn(body);
  const hints = currencyHints(body, monies);
  const total = quoteTotal(body.split('\n'), monies, hints.codes);
  const quoteNumber = quoteNumberOf(plainMailText(subject), body, attachmentNames);
  const amount = total?.value ?? null;
  const currency = (total?.marker ? resolveCurrency(total.marker, hints.codes) : null) ?? hints.documentCurrency;
  const credits = creditsOf(body);
  const missing: QuoteReading['missing'] = [];
  if (quoteNumber === null) missing.push('quoteNumber');
  if (amount === null) missing.push('amount');
  if (currency === null) missing.push('currency');
  return { quoteNumber, amount, currency, credits, blocks: blocksOf(credits, blockSize), missing };
}
