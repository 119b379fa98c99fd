/**
 * Reading a Cisco IronPort spam-quarantine digest: an HTML email with a table of the messages held for the
 * person, one row each (sender, subject, date) with a Release link. Digests are laid out with nested
 * tables, so only innermost rows are read, and columns are found by their headings where there are some.
 */

/** A message the digest lists as held, from one of the senders looked for. */
export interface HeldMessage {
  heldFrom: string;
  heldSubject: string;
  /** The date as the digest writes it (not always machine-readable); null when the row has none. */
  heldAt: string | null;
  /** The row's Release link (http or https only); null when the row has none. */
  releaseUrl: string | null;
}

const ADDRESS = /[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const HAS_ADDRESS = new RegExp(ADDRESS.source, 'i');

const textOf = (node: Element): string => (node.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A Release link's address, when it is an absolute http(s) URL (never `javascript:` or a relative path). */
export function safeLink(href: string | null): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

type Column = 'from' | 'subject' | 'date';

function headingColumn(text: string): Column | undefined {
  if (/^(from|sender)\b/i.test(text)) return 'from';
  if (/^subject\b/i.test(text)) return 'subject';
  if (/^(date|received|time)\b/i.test(text)) return 'date';
  return undefined;
}

/** The columns named by the closest heading row above `row` in its table, by cell index. */
function columnsFor(row: HTMLTableRowElement): Map<Column, number> | undefined {
  for (let previous = row.previousElementSibling; previous; previous = previous.previousElementSibling) {
    if (previous.tagName !== 'TR') continue;
    const cells = Array.from((previous as HTMLTableRowElement).cells);
    const columns = new Map<Column, number>();
    cells.forEach((cell, i) => {
      const column = headingColumn(textOf(cell));
      if (column && !columns.has(column)) columns.set(column, i);
    });
    if (columns.has('from') && columns.has('subject')) return columns;
  }
  // A <thead> above the <tbody> the row is in.
  const head = row.closest('table')?.tHead;
  if (head && !head.contains(row)) {
    const cells = Array.from(head.rows[head.rows.length - 1]?.cells ?? []);
    const columns = new Map<Column, number>();
    cells.forEach((cell, i) => {
      const column = headingColumn(textOf(cell));
      if (column && !columns.has(column)) columns.set(column, i);
    });
    if (columns.has('from') && columns.has('subject')) return columns;
  }
  return undefined;
}

function releaseLink(row: HTMLTableRowElement): string | null {
  const links = Array.from(row.querySelectorAll('a[href]'));
  const byText = links.find((a) => /\brelease\b/i.test(textOf(a)));
  const byHref = links.find((a) => /release/i.test(a.getAttribute('href') ?? ''));
  return safeLink((byText ?? byHref)?.getAttribute('href') ?? null);
}

const looksLikeDate = (text: string) => /\d/.test(text) && (!Number.isNaN(Date.parse(text)) || /\b\d{1,2}[:.]\d{2}\b/.test(text) || /\b(19|20)\d{2}\b/.test(text));

/**
 * The held messages from `senders` (addresses, any case) that the digest lists, in its order. A digest
 * whose layout is not a table of addressed rows, but which names a sender, gives one entry with only the
 * sender: the person is sent to the digest itself.
 */
export function parseDigest(doc: Document, senders: readonly string[]): HeldMessage[] {
  const wanted = new Set(senders.map((s) => s.trim().toLowerCase()).filter(Boolean));
  const found: HeldMessage[] = [];
  const seen = new Set<string>();
  let addressedRows = 0;
  for (const row of Array.from(doc.querySelectorAll('tr'))) {
    if (row.querySelector('tr')) continue; // a layout row around a nested table
    const cells = Array.from(row.cells);
    if (cells.length < 2 || cells.every((c) => c.tagName === 'TH')) continue;
    const texts = cells.map(textOf);
    if (texts.some((t) => HAS_ADDRESS.test(t))) addressedRows++;
    const columns = columnsFor(row);

    let fromIndex = -1;
    let heldFrom = '';
    const candidates = columns?.has('from') ? [columns.get('from')!] : texts.map((_t, i) => i);
    for (const i of candidates) {
      const address = (texts[i]?.match(ADDRESS) ?? []).map((a) => a.toLowerCase()).find((a) => wanted.has(a));
      if (address) {
        fromIndex = i;
        heldFrom = address;
        break;
      }
    }
    if (fromIndex < 0) continue;

    const releaseUrl = releaseLink(row);
    const linkCell = cells.findIndex((c) => c.querySelector('a[href]') && /\brelease\b/i.test(textOf(c)));
    let heldSubject: string;
    let heldAt: string | null;
    if (columns) {
      heldSubject = texts[columns.get('subject')!] ?? '';
      const dateIndex = columns.get('date');
      heldAt = dateIndex === undefined ? null : texts[dateIndex] || null;
    } else {
      const others = texts.map((text, i) => ({ text, i })).filter(({ text, i }) => i !== fromIndex && i !== linkCell && text !== '');
      const date = others.find(({ text }) => looksLikeDate(text));
      heldAt = date?.text ?? null;
      heldSubject = others.filter((o) => o !== date).sort((a, b) => b.text.length - a.text.length)[0]?.text ?? '';
    }
    const key = releaseUrl ?? `${heldFrom}|${heldSubject}|${heldAt}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({ heldFrom, heldSubject, heldAt, releaseUrl });
  }
  if (addressedRows === 0) {
    const named = (textOf(doc.body ?? doc.documentElement).match(ADDRESS) ?? []).map((a) => a.toLowerCase()).find((a) => wanted.has(a));
    if (named) return [{ heldFrom: named, heldSubject: '', heldAt: null, releaseUrl: null }];
  }
  return found;
}
