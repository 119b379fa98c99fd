/**
 * Adaptive Cards for IT's Teams channel (DESIGN 4.5): one card per feed event, or one digest card for many
 * pool draws, wrapped in the body a Teams Workflows "post to a channel when a webhook request is received"
 * flow expects. Pure: no I/O, no clock.
 *
 * The layout lives in the JSON templates next to this file; this module only builds the data they bind.
 * Every string that comes from an event (names, offices, messages) is bound as data and shown in a
 * TextRun, which Adaptive Cards never reads as markdown; templating does not expand `${…}` inside data.
 * The cards speak to people (issue 19, item 7): no ids (they travel in `creditDesk`, which Teams does not
 * show), service names rather than slugs, the tab's state words, the firm's zone and locale (core `Words`).
 */
// The package's index types re-export a module that imports adaptivecards' TypeScript sources, which do not
// compile under this project's settings; the template engine's own types are all this module needs.
import { Template } from 'adaptivecards-templating/lib/template-engine.js';
import { tabLink } from '../../../src/contract/tab-link.js';
import type { FeedEvent } from '../../../src/core/feed/feed-event.js';
import { poolFigure } from '../../../src/core/feed/feed-event.js';
import { unitsToCredits, type Units } from '../../../src/core/ledger/money.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/policy.js';
import type { Words } from '../../../src/core/feed/wording.js';
import { wordsFor } from '../../../src/core/feed/wording.js';
import digestTemplate from './digest-card.json' with { type: 'json' };
import eventTemplate from './event-card.json' with { type: 'json' };

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An Adaptive Card (v1.5) as JSON. */
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: unknown[];
  actions?: unknown[];
  [property: string]: unknown;
}

export interface WebhookAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  contentUrl: null;
  content: AdaptiveCardJson;
}

/**
 * The webhook body. `creditDesk` is ours (Workflows ignores unknown properties): the ids of the events the
 * card carries, for the receiver, the tests and anyone deduplicating repeats.
 */
export interface WebhookPayload {
  type: 'message';
  attachments: WebhookAttachment[];
  creditDesk: { card: 'event' | 'digest'; eventIds: string[] };
}

export interface CardOptions {
  /** The Credit Desk tab's URL; the card links to its feed page. */
  tabUrl: string;
  /** The firm's words (unit, services, time zone, locale); the default policy's when not given. */
  words?: Words;
}

export interface DigestCardWindow {
  from: string;
  to: string;
  label: 'hourly' | 'daily';
}

type ContainerStyle = 'default' | 'emphasis' | 'accent' | 'good' | 'warning' | 'attention';
type TextColor = 'default' | 'accent' | 'good' | 'warning' | 'attention';

interface Detail {
  label: string;
  value: string;
}

/** How many members the digest lists by name. */
export const DIGEST_TOP_MEMBERS = 5;

export function eventCardPayload(event: FeedEvent, options: CardOptions): WebhookPayload {
  const f = formatters(options);
  const look = lookOf(event.kind);
  const title = titleOf(event, f);
  const details: Detail[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) details.push({ label, value: plain(value) });
  };
  add('Member', event.memberName);
  if (event.actorName && event.actorName !== event.memberName) add('By', event.actorName);
  add('Office', event.office);
  add('Service', event.service && f.words.service(event.service));
  add('Purchase', event.purchaseTitle);
  add('State', event.purchaseState && f.words.purchaseState(event.purchaseState));
  const pool = poolFigure(event);
  if (pool) add(pool === 'after' ? 'Pool after' : 'Pool now', f.words.amount(event.poolAfter));
  add('When', f.words.time(event.at));

  const data = {
    title,
    style: look.style,
    titleColor: look.color,
    message: plain(event.message),
    details,
    feedUrl: feedUrl(options.tabUrl),
    fallbackText: plain(`${title}. ${event.message}`),
  };
  return payload(expand(eventTemplate, data), 'event', [event.id]);
}

/**
 * Teams refuses a posted message over 28 KB (its documented limit for webhook and Workflows posts), counted
 * over the message as sent: the card with its JSON. Our `creditDesk` property is not part of what Teams posts.
 */
export const TEAMS_MESSAGE_LIMIT_BYTES = 28_000;
/** What a digest may weigh: under the limit with room for what a Workflows flow wraps around the card. */
export const DIGEST_BUDGET_BYTES = 24_000;
/** Offices and services a digest lists by name; the rest are summed in one row, so every table still adds up. */
export const DIGEST_MAX_ROWS = 10;
/** A name longer than this is cut (with an ellipsis): one row never outweighs the others. */
const NAME_MAX_CHARS = 120;

/** The size Teams holds against its limit: the posted message (type and attachments), UTF-8 JSON. */
export function teamsMessageBytes(payload: WebhookPayload): number {
  return new TextEncoder().encode(JSON.stringify({ type: payload.type, attachments: payload.attachments })).length;
}

export function digestCardPayload(events: readonly FeedEvent[], window: DigestCardWindow, options: CardOptions): WebhookPayload {
  const f = formatters(options);
  // Oldest first by time; the sort is stable, so events of one posting keep their order.
  const ordered = [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const total = ordered.reduce((sum, e) => sum + (e.amount ?? 0), 0);
  const last = ordered.at(-1);
  const offices = groupTotals(ordered, (e) => e.office, '(no office)');
  const services = groupTotals(ordered, (e) => e.service && f.words.service(e.service), '(no service)');
  const members = groupTotals(ordered, (e) => e.memberName, '(unknown)').slice(0, DIGEST_TOP_MEMBERS);

  const count = ordered.length;
  const title = `${window.label === 'hourly' ? 'Hourly' : 'Daily'} digest: ${f.words.number(count)} pool ${count === 1 ? 'draw' : 'draws'}, ${f.words.amount(total)}`;
  const cardWith = (maxRows: number) =>
    payload(
      expand(digestTemplate, {
        title,
        subtitle: f.range(window.from, window.to),
        count: f.words.number(count),
        total: f.words.amount(total),
        poolAfter: last ? f.words.amount(last.poolAfter) : '—',
        sections: [
          section('By office', 'Office', summarised(offices, maxRows, ['office', 'offices'], f), f),
          section('By service', 'Service', summarised(services, maxRows, ['service', 'services'], f), f),
          section(`Top ${DIGEST_TOP_MEMBERS} members`, 'Member', members, f),
        ].filter((s) => s.rows.length > 0),
        feedUrl: feedUrl(options.tabUrl),
        fallbackText: title,
      }),
      'digest',
      ordered.map((e) => e.id),
    );
  // Fewer named rows until the card fits; with none, each table is one row of all it covers.
  for (let maxRows = DIGEST_MAX_ROWS; ; maxRows = Math.floor(maxRows / 2)) {
    const card = cardWith(maxRows);
    if (maxRows === 0 || teamsMessageBytes(card) <= DIGEST_BUDGET_BYTES) return card;
  }
}

/** The largest `maxRows` groups, then one row summing the rest ("90 other offices"). */
function summarised(groups: GroupTotal[], maxRows: number, [one, many]: [string, string], f: Formatters): GroupTotal[] {
  if (groups.length <= maxRows) return groups;
  const rest = groups.slice(maxRows);
  const noun = rest.length === 1 ? one : many;
  const name = maxRows === 0 ? `All ${f.words.number(rest.length)} ${noun}` : `${f.words.number(rest.length)} other ${noun}`;
  return [...groups.slice(0, maxRows), { name, count: rest.reduce((n, g) => n + g.count, 0), units: rest.reduce((n, g) => n + g.units, 0) }];
}

/** Totals per key, largest first (ties by name), as display rows. */
export interface GroupTotal {
  name: string;
  count: number;
  units: Units;
}

export function groupTotals(events: readonly FeedEvent[], keyOf: (e: FeedEvent) => string | undefined, missing: string): GroupTotal[] {
  const groups = new Map<string, GroupTotal>();
  for (const e of events) {
    const name = keyOf(e) || missing;
    const group = groups.get(name) ?? { name, count: 0, units: 0 };
    group.count++;
    group.units += e.amount ?? 0;
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => b.units - a.units || a.name.localeCompare(b.name));
}

function section(heading: string, nameHeader: string, groups: GroupTotal[], f: Formatters) {
  return {
    heading,
    nameHeader,
    unitHeader: f.unitLabel,
    rows: groups.map((g) => ({ name: plain(clip(g.name)), count: f.words.number(g.count), total: f.words.number(unitsToCredits(g.units)) })),
  };
}

const clip = (name: string) => ([...name].length > NAME_MAX_CHARS ? `${[...name].slice(0, NAME_MAX_CHARS - 1).join('')}…` : name);

function titleOf(event: FeedEvent, f: Formatters): string {
  const amount = event.amount !== undefined ? `: ${f.words.amount(event.amount)}` : '';
  return `${kindTitle(event, f.words)}${amount}`;
}

function kindTitle(event: FeedEvent, words: Words): string {
  switch (event.kind) {
    case 'pool_draw':
      return 'Pool draw';
    case 'pool_joined':
      return 'Joined the shared pool';
    case 'reversal':
      return 'Reversal';
    case 'purchase_step':
      return `Purchase ${event.purchaseState ? words.purchaseState(event.purchaseState).toLowerCase() : 'updated'}`;
    case 'import_committed':
      return 'Usage imported from Autodesk';
    case 'provisional_unconfirmed':
      return 'Logged usage not in the Autodesk export';
    case 'hold_placed':
      return 'Pool credits reserved for a planned job';
    case 'hold_settled':
      return 'Hold settled by its usage, back to the pool';
    case 'hold_voided':
      return 'Hold voided, back to the pool';
    case 'hold_expired':
      return 'Hold lapsed unused, back to the pool';
    default:
      return alertTitle(event.kind);
  }
}

/** Keyed by plain strings: alert kinds come and go, and one missing here still gets a title. */
const ALERT_TITLES: Readonly<Record<string, string>> = {
  alert_pool_low: 'Alert: the pool is running low',
  alert_pool_negative: 'Alert: the pool is overdrawn',
  alert_order_now: 'Alert: time to order credits',
  alert_purchase_slow: 'Alert: a purchase is taking longer than usual',
  alert_registration_stuck: 'Alert: a registration is stuck',
  alert_reconciliation: 'Alert: Autodesk charged more than the pool held',
  alert_autodesk_disconnected: 'Alert: Autodesk is disconnected',
};

/** An alert's title; for a kind not listed, from its name ("alert_sync_stalled" → "Alert: sync stalled"). */
function alertTitle(kind: string): string {
  const known = ALERT_TITLES[kind];
  if (known) return known;
  if (kind.startsWith('alert_')) return `Alert: ${kind.slice('alert_'.length).replaceAll('_', ' ')}`;
  return kind.replaceAll('_', ' ');
}

function lookOf(kind: string): { style: ContainerStyle; color: TextColor } {
  if (kind === 'alert_pool_negative' || kind === 'alert_reconciliation') return { style: 'attention', color: 'attention' };
  if (kind.startsWith('alert_')) return { style: 'warning', color: 'warning' };
  if (kind === 'purchase_step') return { style: 'accent', color: 'default' };
  return { style: 'emphasis', color: 'default' };
}

interface Formatters {
  words: Words;
  unitLabel: string;
  /** A window: "Tue, Jan 14, 2025, 9:00 AM to 10:00 AM EST", "Tue, Jan 14, 2025, all day (EST)", or two full times. */
  range(fromIso: string, toIso: string): string;
}

function formatters(options: CardOptions): Formatters {
  const words = options.words ?? wordsFor(DEFAULT_POLICY);
  const { locale, timeZone } = words;
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone });
  const clock = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone });
  const clockZone = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone });
  return {
    words,
    unitLabel: words.unit.charAt(0).toUpperCase() + words.unit.slice(1),
    range: (fromIso, toIso) => {
      const from = new Date(fromIso);
      const to = new Date(toIso);
      const lastMs = new Date(to.getTime() - 1);
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || day.format(from) !== day.format(lastMs)) return `${words.time(fromIso)} to ${words.time(toIso)}`;
      if (clock.format(from) === clock.format(to) && to.getTime() > from.getTime()) {
        const zone = clockZone.formatToParts(from).find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
        return `${day.format(from)}, all day (${zone})`;
      }
      return `${day.format(from)}, ${clock.format(from)} to ${clockZone.format(to)}`;
    },
  };
}

/** The tab's feed page: a Teams deep link gets it as subEntityId, the tab's web address as the hash. */
function feedUrl(tabUrl: string): string {
  return tabLink(tabUrl, 'feed');
}

/**
 * Event text shown as it is. TextRuns are never markdown, but every renderer still rewrites
 * `{{DATE(…)}}` and `{{TIME(…)}}` in any text: a word joiner between the braces keeps such text literal
 * (it looks the same).
 */
export function plain(text: string): string {
  return text.replace(/\{\{/g, '{\u2060{');
}

function expand(template: object, data: object): AdaptiveCardJson {
  return new Template(template).expand({ $root: data }) as AdaptiveCardJson;
}

function payload(content: AdaptiveCardJson, card: 'event' | 'digest', eventIds: string[]): WebhookPayload {
  return {
    type: 'message',
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content }],
    creditDesk: { card, eventIds },
  };
}
