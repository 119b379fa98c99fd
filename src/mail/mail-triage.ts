/**
 * What an email in front of an account manager is about (DESIGN 2): a registration request (who needs an
 * Autodesk account), a reseller quote (to attach to a purchase), or neither. Pure reading of the message;
 * `verdict` says in one sentence for people what the mail looks like, `signals` say in short words why
 * (the pane keeps them behind IT's details).
 */
import type { QuoteReading } from './quote-reading.js';
import { plainMailText, readQuote } from './quote-reading.js';

export interface MailAddress {
  name: string | null;
  /** Lower-cased by the reader. */
  email: string;
}

export interface MailMessage {
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  subject: string;
  /** May still be HTML if the host gave HTML. */
  bodyText: string;
  attachmentNames: string[];
}

export interface TriageOptions {
  /** The firm's mail domains, e.g. ['contoso.example'] (from the signed-in manager's address). */
  firmDomains: string[];
  /** From settings; default { name: 'ImaginiT', emailDomain: 'imaginit.com' }. */
  reseller: { name: string; emailDomain: string };
  /** Credits per purchasable block (default 100). */
  blockSize: number;
  /** The account managers themselves: never a candidate person. */
  managerEmails?: string[];
}

export interface PersonMention {
  email: string;
  name: string | null;
  source: 'sender' | 'named' | 'forwarded';
}

export type MailTriage =
  | { kind: 'registration'; people: PersonMention[]; verdict: string; signals: string[] }
  | { kind: 'quote'; quote: QuoteReading; verdict: string; signals: string[] }
  | { kind: 'other'; verdict: string; signals: string[] };

// ---------------------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------------------

const AUTODESK_DOMAIN = 'autodesk.com';
/** Starts only where a run of address characters starts, so long runs are scanned once. */
const ADDRESS = /(?<![a-z0-9._%+'-])[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;
const NO_REPLY = /^(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?)\b/i;

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The domain itself or a subdomain of it; never a look-alike ("imaginit.com.evil.example", "notimaginit.com"). */
function isAt(email: string, domain: string): boolean {
  const host = domainOf(email);
  const wanted = domain.trim().toLowerCase().replace(/^@/, '');
  return wanted !== '' && (host === wanted || host.endsWith(`.${wanted}`));
}

const isFirm = (email: string, options: TriageOptions): boolean => options.firmDomains.some((d) => isAt(email, d));
const isReseller = (email: string, options: TriageOptions): boolean => isAt(email, options.reseller.emailDomain);

/** "Doe, Jane" (as Exchange shows people) → "Jane Doe"; an empty name or one that is just the address → null. */
function personName(name: string | null | undefined, email: string): string | null {
  const clean = (name ?? '').replace(/["'*]/g, '').replace(/\s+/g, ' ').trim();
  if (clean === '' || clean.toLowerCase() === email.toLowerCase() || clean.includes('@')) return null;
  const lastFirst = /^([^,]+),\s*([^,]+)$/.exec(clean);
  return lastFirst ? `${lastFirst[2]} ${lastFirst[1]}` : clean;
}

/** "Jane Doe <jane@x>", "Jane Doe [mailto:jane@x]", "jane@x (Jane Doe)", "Doe, Jane" (no address shown). */
function parseAddressLine(value: string): { name: string | null; email: string | null } {
  const [email] = value.match(ADDRESS) ?? [];
  if (!email) return { name: personName(value, ''), email: null };
  const lower = email.toLowerCase();
  const name = value.replace(email, '').replace(/mailto:|[<>()[\]]/gi, '').trim();
  return { name: personName(name, lower), email: lower };
}

// ---------------------------------------------------------------------------------------------------------
// The message as parts: the top (the sender's own words) and the forwarded or quoted messages below it
// ---------------------------------------------------------------------------------------------------------

interface MailPart {
  kind: 'top' | 'forwarded' | 'quoted';
  author: { name: string | null; email: string | null } | null;
  subject: string;
  /** Everything the part holds. */
  text: string;
  /** The author's own words: without the signature and the disclaimer. */
  words: string;
}

const FORWARD_SEPARATOR = /^-*\s*(?:forwarded message|weitergeleitete nachricht|message transféré|begin forwarded message|anfang der weitergeleiteten nachricht|début du message réexpédié)\s*:?\s*-*$/i;
const ORIGINAL_SEPARATOR = /^(?:-{2,}\s*(?:original message|ursprüngliche nachricht|message d'origine|message original)\s*-{2,}|_{8,})$/i;
const FROM_LINE = /^(?:from|von|de)\s*:\s*(.+)$/i;
const HEADER_LINE = /^(?:sent|date|to|cc|bcc|subject|importance|reply-to|gesendet|datum|an|betreff|wichtigkeit|envoyé|à|objet)\s*:/i;
const SUBJECT_LINE = /^(?:subject|betreff|objet)\s*:\s*(.*)$/i;
const REPLY_HEADER = /^(?:on\s.{1,200}\swrote|am\s.{1,200}\sschrieb|le\s.{1,200}\sa\s+écrit)\s*:$/i;
const SUBJECT_PREFIX = /^\s*(re|aw|sv|fw|fwd|wg|tr|rv)\s*(?:\[\d+\])?\s*:/i;
const FORWARD_PREFIXES = new Set(['fw', 'fwd', 'wg', 'tr', 'rv']);

/** "RE: FW: …" → ['quoted', 'forwarded']: what each header block down the message is, outermost first. */
function subjectChain(subject: string): Array<'forwarded' | 'quoted'> {
  const chain: Array<'forwarded' | 'quoted'> = [];
  let rest = subject;
  for (let m = SUBJECT_PREFIX.exec(rest); m; m = SUBJECT_PREFIX.exec(rest)) {
    chain.push(FORWARD_PREFIXES.has((m[1] ?? '').toLowerCase()) ? 'forwarded' : 'quoted');
    rest = rest.slice(m[0].length);
  }
  return chain;
}

interface HeaderBlock {
  author: MailPart['author'];
  subject: string;
  /** The first line after the block. */
  next: number;
}

/** "From: … / Sent: … / To: … / Subject: …" (Outlook, Gmail, Apple Mail, in English, German, French). */
function headerBlockAt(lines: string[], at: number, afterSeparator: boolean): HeaderBlock | null {
  const from = FROM_LINE.exec(lines[at] ?? '');
  if (!from) return null;
  let next = at + 1;
  let subject = '';
  while (next < lines.length && HEADER_LINE.test(lines[next] ?? '')) {
    subject = SUBJECT_LINE.exec(lines[next] ?? '')?.[1] ?? subject;
    next += 1;
  }
  // "From: our Denver office" in prose is no header: a real one has Sent/To/Subject lines or a separator.
  if (next === at + 1 && !afterSeparator) return null;
  return { author: parseAddressLine(from[1] ?? ''), subject, next };
}

const CLOSING = /^(?:--|—|best(?: regards| wishes)?|kind(?:est)? regards|warm(?:est)? regards|regards|many thanks|thanks(?: again| so much| in advance| a lot)?|thank you(?: so much| in advance)?|cheers|sincerely|yours sincerely|br|mit freundlichen gr[üu](?:ß|ss)en|freundliche gr[üu](?:ß|ss)e|viele gr[üu](?:ß|ss)e|beste gr[üu](?:ß|ss)e|liebe gr[üu](?:ß|ss)e|lg|vg|mfg|gru(?:ß|ss)|bien cordialement|cordialement|bien à vous|salutations|merci(?: beaucoup| d'avance)?|sent from my \S+|get outlook for \S+)(?=$|[\s,.!])[\s,.!]*/i;
const DISCLAIMER = /^(?:this (?:e-?mail|message|communication)\b.{0,60}\b(?:confidential|intended|privileged)|confidential(?:ity)? (?:notice|note)|disclaimer\b|the information (?:contained )?in this (?:e-?mail|message)|diese (?:e-?mail|nachricht)\b.{0,60}\b(?:vertraulich|enthält)|ce (?:message|courriel|e-?mail)\b.{0,60}\b(?:confidentiel|destiné))/i;

/** A closing line ("Thanks,", "Kind regards, Jane", "Mit freundlichen Grüßen") or a disclaimer ends one's own words. */
function endsOwnWords(line: string): boolean {
  const closing = CLOSING.exec(line);
  const after = closing ? line.slice(closing[0].length).trim() : '';
  const signedOff = closing !== null && (after === '' || after.split(/\s+/).every((word, i) => i < 3 && /^\p{Lu}/u.test(word)));
  return signedOff || DISCLAIMER.test(line);
}

function ownWords(lines: string[]): string {
  const end = lines.findIndex((line, i) => i > 0 && endsOwnWords(line));
  return (end === -1 ? lines : lines.slice(0, end)).join('\n');
}

function part(kind: MailPart['kind'], author: MailPart['author'], subject: string, lines: string[]): MailPart {
  return { kind, author, subject, text: lines.join('\n'), words: ownWords(lines) };
}

/**
 * Splits at forward and reply headers. A header block is forwarded when a forward separator announces it or
 * the subject's prefixes say so ("FW:" for the first block, "RE: FW:" for the second); otherwise quoted.
 */
function splitParts(message: MailMessage, text: string): MailPart[] {
  const lines = text.split('\n');
  const chain = subjectChain(message.subject);
  const from = message.from ? { name: personName(message.from.name, message.from.email), email: message.from.email.toLowerCase() } : null;
  const parts: MailPart[] = [];
  let current: Pick<MailPart, 'kind' | 'author' | 'subject'> & { lines: string[] } = { kind: 'top', author: from, subject: message.subject, lines: [] };
  let separator: 'forward' | 'original' | null = null;
  const startPart = (kind: MailPart['kind'], author: MailPart['author'], subject: string) => {
    parts.push(part(current.kind, current.author, current.subject, current.lines));
    current = { kind, author, subject, lines: [] };
    separator = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const forward = FORWARD_SEPARATOR.test(line);
    if (forward || ORIGINAL_SEPARATOR.test(line)) {
      separator = forward ? 'forward' : 'original';
      continue;
    }
    const header = headerBlockAt(lines, i, separator !== null);
    if (header) {
      const bySubject = chain.shift() ?? 'quoted';
      startPart(separator === 'forward' ? 'forwarded' : bySubject, header.author, header.subject);
      i = header.next - 1;
    } else if (REPLY_HEADER.test(line)) {
      chain.shift();
      startPart('quoted', null, '');
    } else if (line.startsWith('>')) {
      if (current.kind !== 'quoted') startPart('quoted', null, '');
      current.lines.push(line.replace(/^(?:>\s?)+/, ''));
    } else {
      current.lines.push(line);
    }
  }
  parts.push(part(current.kind, current.author, current.subject, current.lines));
  return parts;
}

// ---------------------------------------------------------------------------------------------------------
// What the words say
// ---------------------------------------------------------------------------------------------------------

const ACCOUNT_WORDS = String.raw`accounts?|ids?|access|licen[cs]es?|registration|sign[\s-]?up|log[\s-]?in|sign[\s-]?in|seats?|subscriptions?|invit(?:e|ations?)|konto|konten|zugang|lizenz(?:en)?|registrierung|einladung|comptes?|accès|identifiant|inscription|abonnement`;
const PRODUCTS = String.raw`revit|autocad|civil 3d|navisworks|3ds max|maya|fusion(?: 360)?|bim 360|autodesk construction cloud|autodesk docs|forma|infraworks|recap`;
/** A space or hyphen on the same line; required between words, so a long word cannot be split many ways. */
const GAP = String.raw`(?:[^\S\n]*-[^\S\n]*|[^\S\n]+)`;
/** Up to three words in between. */
const FEW_WORDS = String.raw`${GAP}(?:[\p{L}\d']+${GAP}){0,3}?`;
/** An Autodesk account, ID, access or licence (either word order), Cloud Credits, or a licence for an Autodesk product. */
const ACCOUNT_TOPICS = [
  new RegExp(String.raw`\bautodesk${FEW_WORDS}(?:${ACCOUNT_WORDS})\b`, 'iu'),
  new RegExp(String.raw`\b(?:${ACCOUNT_WORDS})${FEW_WORDS}autodesk\b`, 'iu'),
  /\b(?:cloud[\s-]?credits?|flex[\s-]?tokens?)\b/i,
  new RegExp(String.raw`\b(?:${PRODUCTS})${FEW_WORDS}(?:licen[cs]e|access|account|seat|lizenz|zugang|konto|accès|compte)\b`, 'iu'),
  new RegExp(String.raw`\b(?:licen[cs]e|access|account|seat|lizenz|zugang|accès|compte)${FEW_WORDS}(?:${PRODUCTS})\b`, 'iu'),
];
/** Asking for something, in English, German or French. */
const REQUEST = new RegExp(
  [
    String.raw`\b(?:needs?|request(?:ing)?|set (?:me|him|her|them|us|[\p{Lu}][\p{L}]+) up|set up|setup|create|register|sign (?:me|him|her|them|us) up`,
    String.raw`(?:can|could|may) (?:i|we|you|someone|somebody|\S+ and i)\b|would you|would it be possible|please (?:add|create|set|register|give|grant|arrange|enable|provide|invite|sort)`,
    String.raw`(?:give|get) (?:me|him|her|them|us) (?:access|an? )|access (?:to|for)|grant|invite|would like|i'd like|onboard(?:ing)?|new (?:starter|hire|joiner)`,
    String.raw`brauche|bräuchte|benötige|benötigt|braucht|bitte|anlegen|einrichten|beantragen|freischalten|könnten sie|könntest du|kannst du|können sie|hätte gerne?|möchte`,
    String.raw`besoin|pourriez-vous|pourrais-tu|pouvez-vous|peux-tu|merci de|créer|demande|j'aimerais|je voudrais|ouvrir)\b`,
  ].join('|'),
  'iu',
);
/** The sender says the account is for someone else. */
const FOR_SOMEONE_ELSE = /\b(?:colleague|co-?worker|new (?:starter|hire|joiner|team member|employee)|on behalf of|for (?:him|her|them)|(?:he|she|they) (?:needs?|will need|would like|requires?|starts?)|kolleg(?:e|in|en)|neue[nrm]? mitarbeiter(?:in)?|collègue|nouvel(?:le)? (?:arrivant|arrivante|collaborat\w*)|nouveau collaborateur)/iu;
const NEWSLETTER = /\b(?:unsubscribe|view (?:this email )?in (?:your )?browser|manage (?:your )?(?:email )?preferences|newsletter abbestellen|abmelden|se désabonner|désinscri\w*|you are receiving this)\b/i;
const STRONG_QUOTE_WORD = /\b(?:quote|quotes|quoted|quotation|proposal|angebot\w*|devis|kostenvoranschlag)\b/i;
const WEAK_QUOTE_WORD = /\b(?:offer|offre|estimate)\b/i;
const NOT_A_QUOTE_SUBJECT = /\b(?:invoice|rechnung|facture|payment|zahlung|paiement|reminder|overdue|mahnung|relance|order confirmation|auftragsbestätigung|confirmation de commande|receipt|statement)\b/i;
const QUOTE_ATTACHMENT = /(?:quot|angebot|devis|offre|offer|proposal|\b(?:QUO|QTE|QT|Q)[-_]?\d{3})/i;

const quoted = (text: string): string => `"${text.trim().replace(/\s+/g, ' ')}"`;

function accountTopic(text: string): string | null {
  for (const topic of ACCOUNT_TOPICS) {
    const m = topic.exec(text);
    if (m) return m[0];
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------------------

const NAME_STOP_WORDS = new Set(
  'hi hello hey dear contact email e-mail mail from to cc please for and also thanks new starter hire joiner colleague our my name address von an de à pour für und bitte hallo bonjour salut mr mrs ms dr'.split(' '),
);
const NAME_BEFORE_ADDRESS = /((?:\p{Lu}[\p{L}'’-]*\.?\s+(?:(?:van|von|de|der|den|du|da|di|le|la)\s+)?){0,3}\p{Lu}[\p{L}'’-]*)(\s*[<([]\s*(?:mailto:)?|\s*[,:–-]\s*)$/u;

/** "Jane Doe <jane@x>", "Uma Newhire (uma@x)", "Uma Newhire, uma@x": the capitalised words just before the address. */
function nameBefore(prefix: string): string | null {
  const m = NAME_BEFORE_ADDRESS.exec(prefix);
  if (!m) return null;
  const words = (m[1] ?? '').split(/\s+/);
  while (words.length > 0 && NAME_STOP_WORDS.has((words[0] ?? '').toLowerCase())) words.shift();
  const bracketed = /[<([]/.test(m[2] ?? '');
  return words.length >= (bracketed ? 1 : 2) ? words.join(' ') : null;
}

function addressesIn(text: string): Array<{ email: string; name: string | null }> {
  return [...text.matchAll(ADDRESS)].map((m) => {
    const email = m[0].toLowerCase().replace(/\.+$/, '');
    return { email, name: nameBefore(text.slice(Math.max(0, m.index - 80), m.index)) };
  });
}

const nameIsIn = (name: string, text: string): boolean =>
  new RegExp(String.raw`(?<![\p{L}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\p{L}])`, 'u').test(text);

/** Recipients the words name ("for Uma (cc'd)"): by full name, or by a first name of three letters or more. */
function recipientsNamed(recipients: MailAddress[], words: string): Array<{ email: string; name: string | null }> {
  return recipients.flatMap((r) => {
    const email = r.email.toLowerCase();
    const name = personName(r.name, email);
    const first = name?.split(' ')[0] ?? '';
    const named = name !== null && (nameIsIn(name, words) || (first.length >= 3 && nameIsIn(first, words)));
    return named ? [{ email, name }] : [];
  });
}

/** Keeps the first mention of each address, taking a name from a later one when the first had none. */
function dedupe(people: PersonMention[]): PersonMention[] {
  const byEmail = new Map<string, PersonMention>();
  for (const person of people) {
    const seen = byEmail.get(person.email);
    if (!seen) byEmail.set(person.email, person);
    else if (seen.name === null && person.name !== null) byEmail.set(person.email, { ...seen, name: person.name });
  }
  return [...byEmail.values()];
}

// ---------------------------------------------------------------------------------------------------------
// Triage
// ---------------------------------------------------------------------------------------------------------

interface ReadMail {
  message: MailMessage;
  parts: MailPart[];
  /** The sender's address, lower-cased; '' when the host gave none. */
  sender: string;
  newsletter: boolean;
}

function readMail(message: MailMessage): ReadMail {
  const text = plainMailText(message.bodyText);
  return { message, parts: splitParts(message, text), sender: message.from?.email.toLowerCase() ?? '', newsletter: NEWSLETTER.test(text) };
}

const other = (verdict: string, signals: string[]): MailTriage => ({ kind: 'other', verdict, signals });

/** The part a reseller wrote: the top when they sent it, or a message a colleague forwarded from them. */
function resellerPart(mail: ReadMail, options: TriageOptions): { index: number; email: string } | null {
  const index = mail.parts.findIndex((p) => p.kind === 'forwarded' && p.author?.email && isReseller(p.author.email, options));
  const email = mail.parts[index]?.author?.email;
  return index === -1 || !email ? null : { index, email };
}

/** Why the mail reads as a quote ([] when it does not): quote words, a quote-like attachment, a quote number. */
function quoteEvidence(mail: ReadMail, text: string, reading: QuoteReading): string[] {
  const evidence: string[] = [];
  const strong = STRONG_QUOTE_WORD.exec(`${mail.message.subject}\n${text}`);
  const weak = WEAK_QUOTE_WORD.exec(`${mail.message.subject}\n${text}`);
  const attachment = mail.message.attachmentNames.find((name) => /\.pdf$/i.test(name) && QUOTE_ATTACHMENT.test(name));
  if (strong) evidence.push(`talks about a quote (${quoted(strong[0])})`);
  else if (weak && (reading.amount !== null || attachment)) evidence.push(`talks about an offer (${quoted(weak[0])})`);
  if (attachment) evidence.push(`attachment looks like a quote: ${attachment}`);
  if (reading.quoteNumber && evidence.length > 0) evidence.push(`quote number ${reading.quoteNumber}`);
  return evidence;
}

/** Not a quote despite the words: a newsletter (unless it carries a real quote) or an invoice or reminder. */
function notAQuote(mail: ReadMail, reading: QuoteReading): string | null {
  const subject = NOT_A_QUOTE_SUBJECT.exec(mail.message.subject);
  if (subject) return `the subject is about ${quoted(subject[0])}, not a quote`;
  const hasAttachment = mail.message.attachmentNames.some((name) => QUOTE_ATTACHMENT.test(name));
  return mail.newsletter && !reading.quoteNumber && !hasAttachment ? 'reads like a newsletter' : null;
}

function quoteTriage(mail: ReadMail, options: TriageOptions, from: { index: number; email: string }): MailTriage {
  const { reseller } = options;
  // The reseller's own message and whatever was written above it; never older history quoted below it.
  const ownParts = mail.parts.slice(0, from.index + 1).filter((p) => p.kind !== 'quoted');
  const text = ownParts.map((p) => (p.subject && p.kind !== 'top' ? `Subject: ${p.subject}\n${p.text}` : p.text)).join('\n');
  const reading = readQuote(mail.message.subject, text, mail.message.attachmentNames, options.blockSize);
  const origin = from.index === 0 ? `sender is at ${reseller.emailDomain} (${reseller.name})` : `forwarded from ${from.email} at ${reseller.emailDomain} (${reseller.name})`;
  const evidence = quoteEvidence(mail, text, reading);
  const refusal = notAQuote(mail, reading);
  if (refusal) return other(`From ${reseller.name}, but not a quote.`, [origin, refusal]);
  if (evidence.length === 0) return other(`From ${reseller.name}, but not about a quote.`, [origin, `not about a quote`]);
  const verdict = from.index === 0 ? `Looks like a quote from ${reseller.name}, the reseller.` : `Looks like a quote from ${reseller.name}, the reseller, forwarded by a colleague.`;
  return { kind: 'quote', quote: reading, verdict, signals: [origin, ...evidence] };
}

/** The words that may carry a request: the top and forwarded messages, not Autodesk's or the reseller's. */
function requestParts(mail: ReadMail, options: TriageOptions): MailPart[] {
  return mail.parts.filter((p) => {
    const email = p.author?.email ?? '';
    return p.kind !== 'quoted' && !(email && (isAt(email, AUTODESK_DOMAIN) || isReseller(email, options)));
  });
}

function candidateCheck(options: TriageOptions): (email: string) => boolean {
  const managers = new Set((options.managerEmails ?? []).map((e) => e.toLowerCase()));
  return (email) =>
    isFirm(email, options) &&
    !managers.has(email) &&
    !isReseller(email, options) &&
    !isAt(email, AUTODESK_DOMAIN) &&
    !NO_REPLY.test(email);
}

/**
 * Who the request is for: the sender (if at the firm), the original sender of a forwarded request, and the
 * people the firm's own words name. Named and forwarded people come first when it is for someone else.
 */
function requestedFor(mail: ReadMail, parts: MailPart[], options: TriageOptions): { people: PersonMention[]; signals: string[] } {
  const isCandidate = candidateCheck(options);
  const signals: string[] = [];
  const sender: PersonMention[] = isCandidate(mail.sender) ? [{ email: mail.sender, name: personName(mail.message.from?.name, mail.sender), source: 'sender' }] : [];
  const original = parts.filter((p) => p.kind === 'forwarded').at(-1)?.author;
  const forwarded: PersonMention[] =
    original?.email && original.email !== mail.sender && isCandidate(original.email) ? [{ email: original.email, name: original.name, source: 'forwarded' }] : [];
  if (original?.email) signals.push(`forwarded from ${original.email}`);
  else if (original?.name) signals.push(`forwarded from ${original.name}, whose address is not shown`);

  // Only the firm's own words may name people: an outsider naming addresses is no request from the firm.
  const firmParts = parts.filter((p) => p.author?.email && isFirm(p.author.email, options));
  const top = firmParts.find((p) => p.kind === 'top');
  const named: PersonMention[] = [
    ...firmParts.flatMap((p) => addressesIn(p.words)),
    ...(top ? recipientsNamed([...mail.message.to, ...mail.message.cc], top.words) : []),
  ]
    .filter((p) => p.email !== mail.sender && isCandidate(p.email))
    .map((p) => ({ ...p, source: 'named' as const }));
  for (const person of dedupe(named)) signals.push(`names ${person.email}`);

  const forSomeoneElse = FOR_SOMEONE_ELSE.exec(`${mail.message.subject}\n${parts.map((p) => p.words).join('\n')}`);
  if (forSomeoneElse) signals.push(`for someone else (${quoted(forSomeoneElse[0])})`);
  const othersFirst = forSomeoneElse !== null || forwarded.length > 0;
  const people = dedupe(othersFirst ? [...forwarded, ...named, ...sender] : [...sender, ...forwarded, ...named]);
  if (people.length === 0) signals.push('nobody from the firm is named');
  return { people, signals };
}

function senderSignal(mail: ReadMail, options: TriageOptions): string {
  if (!mail.sender) return 'the sender is not shown';
  if ((options.managerEmails ?? []).some((e) => e.toLowerCase() === mail.sender)) return 'sender is an account manager';
  if (isFirm(mail.sender, options)) return `sender is at ${domainOf(mail.sender)}`;
  return `sender is outside the firm (${domainOf(mail.sender)})`;
}

/** "Looks like a request for an Autodesk account for Jane Doe." */
function requestVerdict(people: PersonMention[]): string {
  const first = people[0];
  if (!first) return 'Looks like a request for an Autodesk account, but it names nobody from the firm.';
  const name = first.name ?? first.email;
  const who = people.length === 1 ? name : `${name} and ${people.length === 2 ? 'one more person' : `${people.length - 1} more people`}`;
  return `Looks like a request for an Autodesk account for ${who}.`;
}

/** An Autodesk account topic and a request in the same words; null when either is missing. */
function registrationRequest(mail: ReadMail, options: TriageOptions): MailTriage | null {
  const parts = requestParts(mail, options);
  const words = parts.flatMap((p) => [p.subject, p.words]).join('\n');
  const topic = accountTopic(words);
  const request = REQUEST.exec(words);
  if (!topic || !request) return null;
  const { people, signals } = requestedFor(mail, parts, options);
  return { kind: 'registration', people, verdict: requestVerdict(people), signals: [senderSignal(mail, options), `mentions ${quoted(topic)}`, `asks: ${quoted(request[0])}`, ...signals] };
}

/** Quote-like words with something concrete (a number, an amount or a quote attachment): a quote from someone else. */
function looksLikeQuote(mail: ReadMail, options: TriageOptions): boolean {
  const text = mail.parts.map((p) => p.text).join('\n');
  const reading = readQuote(mail.message.subject, text, mail.message.attachmentNames, options.blockSize);
  const concrete = reading.quoteNumber !== null || reading.amount !== null;
  return quoteEvidence(mail, text, reading).length > 0 && (concrete || mail.message.attachmentNames.some((n) => QUOTE_ATTACHMENT.test(n)));
}

export function triageMail(message: MailMessage, options: TriageOptions): MailTriage {
  const mail = readMail(message);
  if (mail.sender && isAt(mail.sender, AUTODESK_DOMAIN)) return other('A system mail from Autodesk: nothing to do here.', [`sender is Autodesk (${domainOf(mail.sender)}): a system mail`]);
  if (mail.sender && isReseller(mail.sender, options)) return quoteTriage(mail, options, { index: 0, email: mail.sender });
  const forwardedQuote = resellerPart(mail, options);
  const quote = forwardedQuote ? quoteTriage(mail, options, forwardedQuote) : null;
  if (quote?.kind === 'quote') return quote;

  const notFromReseller = `reads like a quote, but not from ${options.reseller.emailDomain} (${options.reseller.name})`;
  const quoteLike = looksLikeQuote(mail, options);
  const atFirm = isFirm(mail.sender, options);
  const notResellerQuote = `Reads like a quote, but not from ${options.reseller.name}, the reseller.`;
  if (quoteLike && !atFirm) return other(notResellerQuote, [senderSignal(mail, options), notFromReseller]);
  if (mail.newsletter && !atFirm) return other('Reads like a newsletter.', [senderSignal(mail, options), 'reads like a newsletter']);
  const registration = registrationRequest(mail, options);
  if (registration) return registration;
  if (quoteLike) return other(notResellerQuote, [senderSignal(mail, options), notFromReseller]);
  return other('Neither a request for an Autodesk account nor a quote from the reseller.', [senderSignal(mail, options), 'no Autodesk account request or reseller quote found']);
}
