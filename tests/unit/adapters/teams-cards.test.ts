// @vitest-environment jsdom
import { AdaptiveCard, SerializationContext } from 'adaptivecards';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FEED_EVENT_KINDS, type FeedEvent } from '../../../src/core/feed/feed-event.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/policy.js';
import { wordsFor } from '../../../src/core/feed/wording.js';
import { digestCardPayload, eventCardPayload, type WebhookPayload } from '../../../server/adapters/teams/cards.js';
import { tabLinkFor } from '../../../src/addin/tab-link.js';
import { tabLink } from '../../../src/contract/tab-link.js';
import { polyfillInnerText } from '../../support/jsdom-inner-text.js';

const TAB = 'https://desk.example.com/tab';
const options = { tabUrl: TAB };
/** The firm's words with a time zone (and Flex tokens, when asked). */
const inZone = (timeZone: string | null, unitName: 'Cloud Credits' | 'Flex tokens' = 'Cloud Credits') => ({ ...options, words: wordsFor({ ...DEFAULT_POLICY, unitName, timeZone }) });

function event(overrides: Partial<FeedEvent> = {}): FeedEvent {
  return {
    id: '0abc123def.e0',
    postingId: '0abc123def',
    kind: 'pool_draw',
    at: '2025-01-14T09:30:00.000Z',
    actor: '5f0c2a9e-usage-import',
    actorName: 'Usage import',
    memberId: 'm1',
    memberName: 'Ana Lima',
    office: 'London',
    service: 'Forma',
    amount: 1250,
    poolAfter: 98_700,
    message: 'Ana Lima drew 12.5 from the pool for Forma.',
    ...overrides,
  };
}

type Node = Record<string, unknown>;

/** Every object in the card, with its parent. */
function nodes(root: unknown, parent: Node | null = null, out: { node: Node; parent: Node | null }[] = []) {
  if (Array.isArray(root)) for (const item of root) nodes(item, parent, out);
  else if (root && typeof root === 'object') {
    out.push({ node: root as Node, parent });
    for (const value of Object.values(root)) nodes(value, root as Node, out);
  }
  return out;
}

function strings(root: unknown): string[] {
  if (typeof root === 'string') return [root];
  if (Array.isArray(root)) return root.flatMap(strings);
  if (root && typeof root === 'object') return Object.values(root).flatMap(strings);
  return [];
}

const card = (payload: WebhookPayload) => payload.attachments[0]!.content;
const texts = (payload: WebhookPayload) => nodes(card(payload)).filter(({ node }) => typeof node.text === 'string').map(({ node }) => node.text as string);

/** Parses with the Adaptive Cards library: returns what it complained about, and the card it understood. */
function parse(payload: WebhookPayload) {
  const context = new SerializationContext();
  const parsed = new AdaptiveCard();
  parsed.parse(card(payload), context);
  const problems = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i)?.message);
  return { problems, parsed };
}

function expectValidPayload(payload: WebhookPayload, eventIds: string[]) {
  expect(payload.type).toBe('message');
  expect(payload.attachments).toHaveLength(1);
  expect(payload.attachments[0]).toMatchObject({ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null });
  expect(card(payload)).toMatchObject({ type: 'AdaptiveCard', version: '1.5', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' });
  expect(payload.creditDesk.eventIds).toEqual(eventIds);
  const { problems, parsed } = parse(payload);
  expect(problems).toEqual([]);
  // Nothing the library did not understand was dropped: the same elements come back out.
  const types = (json: unknown) => nodes(json).map(({ node }) => node.type).filter((t) => typeof t === 'string').sort();
  expect(types(parsed.toJSON())).toEqual(types(card(payload)));
  // Every binding was filled in.
  expect(strings(card(payload)).filter((s) => s.includes('${'))).toEqual([]);
  expect(card(payload).actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in Credit Desk', url: `${TAB}#/feed` }]);
}

describe('event cards', () => {
  const kinds = [...FEED_EVENT_KINDS, 'alert_sync_stalled'] as FeedEvent['kind'][];

  it.each(kinds)('%s gives a valid card that carries its event id for machines, not on the card', (kind) => {
    const payload = eventCardPayload(event({ kind, id: `posting-${kind}.e2` }), options);
    expectValidPayload(payload, [`posting-${kind}.e2`]);
    expect(strings(card(payload)).join(' ')).not.toContain(`posting-${kind}`);
  });

  it('titles each kind, with the amount when there is one', () => {
    const title = (e: FeedEvent) => texts(eventCardPayload(e, options))[0];
    expect(title(event())).toBe('Pool draw: 12.5 credits');
    expect(title(event({ kind: 'reversal', amount: 100 }))).toBe('Reversal: 1 credit');
    expect(title(event({ kind: 'pool_joined', amount: undefined }))).toBe('Joined the shared pool');
    expect(title(event({ kind: 'purchase_step', purchaseState: 'quote_received', amount: undefined }))).toBe('Purchase quote received');
    expect(title(event({ kind: 'alert_pool_low', amount: undefined }))).toBe('Alert: the pool is running low');
    expect(title(event({ kind: 'alert_sync_stalled' as FeedEvent['kind'], amount: undefined }))).toBe('Alert: sync stalled');
    expect(title(event({ kind: 'hold_placed', amount: 3000 }))).toBe('Pool credits reserved for a planned job: 30 credits');
    expect(title(event({ kind: 'hold_settled', amount: 3000 }))).toBe('Hold settled by its usage, back to the pool: 30 credits');
    expect(title(event({ kind: 'hold_voided', amount: 3000 }))).toBe('Hold voided, back to the pool: 30 credits');
    expect(title(event({ kind: 'hold_expired', amount: 3000 }))).toBe('Hold lapsed unused, back to the pool: 30 credits');
    expect(texts(eventCardPayload(event(), inZone(null, 'Flex tokens')))[0]).toBe('Pool draw: 12.5 tokens');
  });

  it('says who, where, the pool after and when', () => {
    const payload = eventCardPayload(event({ poolAfter: 123_456 }), options);
    const all = texts(payload);
    for (const expected of ['Ana Lima', 'Usage import', 'London', 'Forma', 'Pool after', '1,234.56 credits', 'Tue, Jan 14, 2025, 9:30 AM UTC']) expect(all).toContain(expected);
    expect(all).toContain('Ana Lima drew 12.5 from the pool for Forma.');
  });

  it('leaves out what the event does not have', () => {
    const all = texts(eventCardPayload(event({ office: undefined, service: undefined, memberName: undefined, memberId: undefined }), options));
    expect(all).not.toContain('Office');
    expect(all).not.toContain('Service');
    expect(all).not.toContain('Member');
    expect(all).toContain('By');
    // Without a looked-up name there is no "By" line: an actor id means nothing to IT.
    expect(texts(eventCardPayload(event({ actorName: undefined }), options))).not.toContain('By');
    expect(texts(eventCardPayload(event({ actorName: undefined }), options)).join(' ')).not.toContain('5f0c2a9e');
  });

  it('shows times in the configured time zone', () => {
    expect(texts(eventCardPayload(event(), inZone('America/New_York')))).toContain('Tue, Jan 14, 2025, 4:30 AM EST');
    expect(texts(eventCardPayload(event(), inZone('Not/AZone')))).toContain('Tue, Jan 14, 2025, 9:30 AM UTC');
  });

  it("shows a purchase step by what the purchase is and its state in the tab's words, not its id", () => {
    const payload = eventCardPayload(
      event({ kind: 'purchase_step', purchaseId: 'zd33y8k2', purchaseTitle: 'Purchase of 5 blocks (Q1 top-up)', purchaseState: 'applied', amount: 50_000, memberName: undefined }),
      options,
    );
    const all = texts(payload);
    expect(all[0]).toBe('Purchase applied: 500 credits');
    expect(all).toEqual(expect.arrayContaining(['Purchase', 'Purchase of 5 blocks (Q1 top-up)', 'State', 'Applied']));
    expect(strings(card(payload)).join(' ')).not.toContain('zd33y8k2');
    expect(card(payload).body[0]).toMatchObject({ type: 'Container', style: 'accent' });
  });

  it('styles alerts as attention or warning, and nothing else that way', () => {
    const header = (kind: string) => card(eventCardPayload(event({ kind: kind as FeedEvent['kind'] }), options)).body[0] as Node;
    expect(header('alert_pool_negative')).toMatchObject({ style: 'attention' });
    expect((header('alert_pool_negative').items as Node[])[0]).toMatchObject({ color: 'attention' });
    expect(header('alert_pool_low')).toMatchObject({ style: 'warning' });
    expect(header('alert_something_new')).toMatchObject({ style: 'warning' });
    for (const kind of ['pool_draw', 'pool_joined', 'reversal', 'purchase_step']) {
      expect(['attention', 'warning']).not.toContain(header(kind).style);
      expect(['attention', 'warning']).not.toContain((header(kind).items as Node[])[0]!.color);
    }
  });
});

describe('text from events is shown as it is', () => {
  const nasty = '${actor} **bold** [click](https://evil.example) <b>x</b> {{DATE(2025-01-01T00:00:00Z, SHORT)}}';

  beforeAll(() => {
    polyfillInnerText();
  });

  afterEach(() => {
    AdaptiveCard.onProcessMarkdown = undefined;
  });

  /** Renders with a markdown processor installed, as Teams has: any text it reaches would become HTML. */
  function render(payload: WebhookPayload): HTMLElement {
    AdaptiveCard.onProcessMarkdown = (text, result) => {
      result.outputHtml = text.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/\[(.+?)\]\((.+?)\)/g, '<a href="$2">$1</a>');
      result.didProcess = true;
    };
    const parsed = new AdaptiveCard();
    parsed.parse(card(payload));
    return parsed.render()!;
  }

  it('does not expand ${…} and keeps names out of markdown', () => {
    const payload = eventCardPayload(event({ memberName: nasty, office: '${office}', service: nasty, message: `${nasty} drew 12.5` }), options);
    const all = strings(card(payload));
    expect(all).toContain('${office}');
    expect(all.some((s) => s.includes('${actor} **bold**'))).toBe(true);
    expect(all.some((s) => s.includes('usage-import **bold**'))).toBe(false);
    // Wherever the name went, it is in a TextRun, which Adaptive Cards never reads as markdown.
    const holders = nodes(card(payload)).filter(({ node }) => Object.values(node).some((v) => typeof v === 'string' && v.includes('**bold**')));
    expect(holders.length).toBeGreaterThanOrEqual(3);
    for (const { node } of holders) {
      if (node.type === 'AdaptiveCard') continue; // fallbackText is plain text by definition
      expect(node.type).toBe('TextRun');
    }

    const html = render(payload);
    expect(html.querySelector('strong')).toBeNull();
    expect(html.querySelector('a[href="https://evil.example"]')).toBeNull();
    expect(html.querySelector('b')).toBeNull();
    const shown = (html.textContent ?? '').replaceAll('\u2060', '');
    expect(shown).toContain(nasty);
    expect(shown).toContain('${office}');
  });

  it('keeps a name out of markdown in the digest too', () => {
    const payload = digestCardPayload([event({ memberName: nasty, office: nasty })], { from: '2025-01-14T09:00:00Z', to: '2025-01-14T10:00:00Z', label: 'hourly' }, options);
    expect(parse(payload).problems).toEqual([]);
    const html = render(payload);
    expect(html.querySelector('strong')).toBeNull();
    expect(html.querySelector('a[href="https://evil.example"]')).toBeNull();
    expect((html.textContent ?? '').replaceAll('\u2060', '')).toContain(nasty);
  });
});

describe('digest card', () => {
  const window = { from: '2025-01-14T09:00:00.000Z', to: '2025-01-14T10:00:00.000Z', label: 'hourly' as const };
  const draws: FeedEvent[] = [
    event({ id: 'd1.e0', at: '2025-01-14T09:01:00.000Z', memberId: 'a', memberName: 'Ana', office: 'London', service: 'Forma', amount: 1250, poolAfter: 9000 }),
    event({ id: 'd2.e0', at: '2025-01-14T09:05:00.000Z', memberId: 'b', memberName: 'Ben', office: 'Paris', service: 'Forma', amount: 300, poolAfter: 8700 }),
    event({ id: 'd4.e0', at: '2025-01-14T09:40:00.000Z', memberId: 'c', memberName: 'Cy', office: undefined, service: 'Revit', amount: 75, poolAfter: 8400 }),
    event({ id: 'd3.e0', at: '2025-01-14T09:20:00.000Z', memberId: 'a', memberName: 'Ana', office: 'London', service: 'Revit', amount: 225, poolAfter: 8475 }),
    event({ id: 'd5.e0', at: '2025-01-14T09:30:00.000Z', memberId: 'd', memberName: 'Dee', office: 'Berlin', service: 'Docs', amount: 10, poolAfter: 8465 }),
    event({ id: 'd6.e0', at: '2025-01-14T09:31:00.000Z', memberId: 'e', memberName: 'Eve', office: 'Berlin', service: 'Docs', amount: 20, poolAfter: 8445 }),
    event({ id: 'd7.e0', at: '2025-01-14T09:32:00.000Z', memberId: 'f', memberName: 'Fay', office: 'Paris', service: 'Forma', amount: 5, poolAfter: 8440 }),
  ];

  /** The rows of the table under a heading: [name, draws, credits]. */
  function table(payload: WebhookPayload, heading: string): string[][] {
    const section = nodes(card(payload)).find(({ node }) => node.type === 'Container' && (node.items as Node[] | undefined)?.[0]?.text === heading)?.node;
    expect(section, heading).toBeDefined();
    const rows = ((section!.items as Node[])[1]!.rows as Node[]).slice(1);
    return rows.map((row) => (row.cells as Node[]).map((cell) => nodes(cell).map(({ node }) => node.text).find((t) => typeof t === 'string') as string));
  }

  const fact = (payload: WebhookPayload, title: string) =>
    ((nodes(card(payload)).find(({ node }) => node.type === 'FactSet')!.node.facts as { title: string; value: string }[]).find((f) => f.title === title)?.value);

  it('is a valid card that carries every event id for machines, none on the card', () => {
    const payload = digestCardPayload(draws, window, options);
    expectValidPayload(payload, ['d1.e0', 'd2.e0', 'd3.e0', 'd5.e0', 'd6.e0', 'd7.e0', 'd4.e0']);
    expect(strings(card(payload)).join(' ')).not.toMatch(/d\d\.e0/);
    expect(texts(payload)[0]).toBe('Hourly digest: 7 pool draws, 18.85 credits');
    expect(texts(payload)).toContain('Tue, Jan 14, 2025, 9:00 AM to 10:00 AM UTC');
    const daily = { from: '2025-01-14T00:00:00.000Z', to: '2025-01-15T00:00:00.000Z', label: 'daily' as const };
    expect(texts(digestCardPayload(draws, daily, options)).slice(0, 2)).toEqual(['Daily digest: 7 pool draws, 18.85 credits', 'Tue, Jan 14, 2025, all day (UTC)']);
    expect(texts(digestCardPayload(draws, daily, inZone('Europe/Paris')))[1]).toBe('Tue, Jan 14, 2025, 1:00 AM GMT+1 to Wed, Jan 15, 2025, 1:00 AM GMT+1');
  });

  it('adds up: count, total, per office and per service', () => {
    const payload = digestCardPayload(draws, window, options);
    expect(fact(payload, 'Draws')).toBe('7');
    expect(fact(payload, 'Total')).toBe('18.85 credits');
    expect(table(payload, 'By office')).toEqual([
      ['London', '2', '14.75'],
      ['Paris', '2', '3.05'],
      ['(no office)', '1', '0.75'],
      ['Berlin', '2', '0.3'],
    ]);
    expect(table(payload, 'By service')).toEqual([
      ['Forma', '3', '15.55'],
      ['Revit', '2', '3'],
      ['Docs', '2', '0.3'],
    ]);
    for (const heading of ['By office', 'By service']) {
      const rows = table(payload, heading);
      expect(rows.reduce((n, r) => n + Number(r[1]), 0)).toBe(draws.length);
      expect(Math.round(rows.reduce((n, r) => n + Number(r[2]) * 100, 0))).toBe(draws.reduce((n, e) => n + e.amount!, 0));
    }
  });

  it('lists the top five members and the pool after the last draw in time', () => {
    const payload = digestCardPayload(draws, window, options);
    expect(table(payload, 'Top 5 members')).toEqual([
      ['Ana', '2', '14.75'],
      ['Ben', '1', '3'],
      ['Cy', '1', '0.75'],
      ['Eve', '1', '0.2'],
      ['Dee', '1', '0.1'],
    ]);
    // d4 is last in time though not in the list.
    expect(fact(payload, 'Pool after')).toBe('84 credits');
  });

  it('still gives a valid card for an empty window', () => {
    const payload = digestCardPayload([], window, options);
    expectValidPayload(payload, []);
    expect(fact(payload, 'Draws')).toBe('0');
  });
});

describe('"Open in Credit Desk" in Teams', () => {
  const TEAMS_TAB = 'https://teams.microsoft.com/l/entity/11111111-1111-4111-8111-111111111111/creditDesk';
  const openUrl = (payload: WebhookPayload) => new URL((card(payload).actions as { url: string }[])[0]!.url);

  it('opens the feed page through context.subEntityId, as the notifications do, on event and digest cards', () => {
    const window = { from: '2025-01-14T09:00:00.000Z', to: '2025-01-14T10:00:00.000Z', label: 'hourly' as const };
    for (const payload of [eventCardPayload(event(), { tabUrl: TEAMS_TAB }), digestCardPayload([event()], window, { tabUrl: TEAMS_TAB })]) {
      const url = openUrl(payload);
      expect(`${url.origin}${url.pathname}`).toBe(TEAMS_TAB);
      expect(url.hash).toBe('');
      expect(JSON.parse(url.searchParams.get('context')!)).toEqual({ subEntityId: 'feed' });
      expect(url.href).toBe(tabLink(TEAMS_TAB, 'feed'));
    }
    // The Outlook pane's links are the same link.
    expect(tabLinkFor('11111111-1111-4111-8111-111111111111', 'https://desk.example.com')('registrations')).toBe(tabLink(TEAMS_TAB, 'registrations'));
  });
});

describe('digest card size', () => {
  const window = { from: '2025-01-14T00:00:00.000Z', to: '2025-01-15T00:00:00.000Z', label: 'daily' as const };
  /** What Teams counts against its 28 KB: the posted message (type and attachments) as UTF-8 JSON. */
  const messageBytes = (payload: WebhookPayload) => new TextEncoder().encode(JSON.stringify({ type: payload.type, attachments: payload.attachments })).length;
  const LIMIT = 28_000;
  const pad = (n: number) => String(n).padStart(3, '0');
  /** One draw for every office and service pair: 100 × 100 = 10,000 draws. */
  const grid = (officeName: (i: number) => string, serviceName: (j: number) => string) =>
    Array.from({ length: 100 * 100 }, (_, k) => {
      const [i, j] = [Math.floor(k / 100), k % 100];
      return event({ id: `g${pad(i)}${pad(j)}.e0`, at: `2025-01-14T${String(k % 24).padStart(2, '0')}:00:00.000Z`, memberId: `m${i}`, memberName: `Member ${pad(i)}`, office: officeName(i), service: serviceName(j), amount: 100 + i + j, poolAfter: 1_000_000 - k });
    });

  it('stays under 28 KB at 100 offices × 100 services, naming the largest and summing the rest so each table adds up', () => {
    const draws = grid((i) => `Office ${pad(i)} — Rotterdam Zuid-Holland`, (j) => `service-${pad(j)}`);
    const payload = digestCardPayload(draws, window, options);
    expect(messageBytes(payload)).toBeLessThan(LIMIT);
    expect(parse(payload).problems).toEqual([]);
    const cellText = (cell: Node) => nodes(cell).map(({ node }) => node.text).find((t) => typeof t === 'string') as string;
    const tables = nodes(card(payload)).filter(({ node }) => node.type === 'Table').map(({ node }) => (node.rows as Node[]).slice(1).map((row) => (row.cells as Node[]).map(cellText)));
    const [byOffice, byService] = tables;
    expect(byOffice!.length).toBeLessThan(100);
    expect(byOffice!.at(-1)![0]).toMatch(/^\d+ other offices$/);
    expect(byService!.at(-1)![0]).toMatch(/^\d+ other services$/);
    const amount = draws.reduce((n, e) => n + e.amount!, 0);
    for (const rows of [byOffice!, byService!]) {
      expect(rows.reduce((n, r) => n + Number(r[1]!.replaceAll(',', '')), 0)).toBe(draws.length);
      expect(Math.round(rows.reduce((n, r) => n + Number(r[2]!.replaceAll(',', '')) * 100, 0))).toBe(amount);
    }
    // The largest office (99: the highest amounts) is named first.
    expect(byOffice![0]![0]).toBe('Office 099 — Rotterdam Zuid-Holland');
  });

  it('stays under 28 KB with very long names in any script', () => {
    const long = (label: string, n: number) => `${label} ${pad(n)} ${'東京都千代田区丸の内 ✓ '.repeat(40)}`;
    const payload = digestCardPayload(grid((i) => long('Office', i), (j) => long('Service', j)), window, options);
    expect(messageBytes(payload)).toBeLessThan(LIMIT);
    expect(parse(payload).problems).toEqual([]);
  });
});
