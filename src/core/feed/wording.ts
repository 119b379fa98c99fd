/**
 * Words for people (issue 19, item 7): amounts, days, times, services, states and purchases as IT's Teams
 * channel and the feed say them — never an id, a slug, an ISO date or a raw `-2724.71`. Pure: the firm's
 * time zone and locale come in as data (the settings); Intl does the formatting.
 */
import type { Units } from '../ledger/money.js';
import { unitsToCredits } from '../ledger/money.js';
import type { Policy } from '../policy/policy.js';
import { isTimeZone, unitWord } from '../policy/policy.js';
import type { Purchase } from '../purchases/purchase-types.js';
import { PURCHASE_STATE_LABEL } from '../purchases/purchase-types.js';

/** There is no firm locale setting: numbers and dates read as in the US. */
export const DEFAULT_LOCALE = 'en-US';
/** Times are in UTC until IT sets the firm's zone, and then say "UTC" so nobody guesses whose clock it is. */
export const FALLBACK_TIME_ZONE = 'UTC';

export type WordingPolicy = Pick<Policy, 'unitName' | 'services'> & { timeZone?: string | null };

export interface Words {
  locale: string;
  /** The IANA zone times are shown in: the firm's, or UTC when none is set. */
  timeZone: string;
  /** What amounts are counted in, for sentences: "credits" or "tokens". */
  unit: string;
  /** "−2,724.71": grouped, at most two decimals, a real minus sign. */
  number(credits: number): string;
  /** "−2,724.71 credits", "1 token". */
  amount(units: Units): string;
  /** The service's display name from the settings ("Cloud rendering"); an unknown slug spelled out. */
  service(slug: string): string;
  /** A calendar day (YYYY-MM-DD) as people write it, "Dec 6, 2026"; for an ISO time, its day in the firm's zone. */
  day(ymd: string): string;
  /** A moment in the firm's zone, the zone named: "Tue, Jan 14, 2025, 4:30 AM EST". */
  time(iso: string): string;
  /** A purchase state in the tab's words: "Quote requested". */
  purchaseState(state: string): string;
  /** How people name a purchase: "Purchase of 2 blocks (Q4 top-up)". */
  purchase(purchase: Pick<Purchase, 'blocks' | 'reason'>): string;
}

/** The words for a firm's settings. An unknown zone (settings written by hand) falls back to UTC, visibly. */
export function wordsFor(policy: WordingPolicy, locale: string = DEFAULT_LOCALE): Words {
  const timeZone = policy.timeZone && isTimeZone(policy.timeZone) ? policy.timeZone : FALLBACK_TIME_ZONE;
  const { numbers, days, zonedDays, times } = formattersFor(locale, timeZone);
  const number = (credits: number) => numbers.format(credits).replace(/^-/, '\u2212');
  const names = new Map(policy.services.map((s) => [s.slug, s.name]));
  return {
    locale,
    timeZone,
    unit: unitWord(policy),
    number,
    amount: (units) => {
      const credits = unitsToCredits(units);
      return `${number(credits)} ${unitWord(policy, Math.abs(credits))}`;
    },
    service: (slug) => names.get(slug) ?? spelledOut(slug),
    day: (dayOrTime) => {
      const calendarDay = dayOrTime.length === 10;
      const date = new Date(calendarDay ? `${dayOrTime}T00:00:00Z` : dayOrTime);
      if (Number.isNaN(date.getTime())) return dayOrTime;
      return calendarDay ? days.format(date) : zonedDays.format(date);
    },
    time: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : times.format(date);
    },
    purchaseState: (state) => PURCHASE_STATE_LABEL[state as keyof typeof PURCHASE_STATE_LABEL] ?? spelledOut(state),
    purchase: (p) => `Purchase of ${number(p.blocks)} ${p.blocks === 1 ? 'block' : 'blocks'}${p.reason ? ` (${p.reason})` : ''}`,
  };
}

/**
 * Making an Intl formatter takes about half a millisecond, and a usage decision asks for words each time:
 * the formatters of a locale and zone are made once (they hold no state).
 */
const formatters = new Map<string, { numbers: Intl.NumberFormat; days: Intl.DateTimeFormat; zonedDays: Intl.DateTimeFormat; times: Intl.DateTimeFormat }>();
function formattersFor(locale: string, timeZone: string) {
  const key = `${locale}|${timeZone}`;
  let made = formatters.get(key);
  if (!made) {
    made = {
      numbers: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }),
      // A calendar day (a usage date) is the same day everywhere; the day of a moment is the firm's.
      days: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }),
      zonedDays: new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', year: 'numeric', timeZone }),
      times: new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone }),
    };
    formatters.set(key, made);
  }
  return made;
}

/** "cloud_rendering" → "Cloud rendering": a slug nobody named still reads as words. */
function spelledOut(slug: string): string {
  const words = slug.replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
