import type { DigestMode } from '../feed/delivery.js';
import type { RateLimitPolicy } from './rate-limit-policy.js';
import { DEFAULT_READ_RATE_LIMIT, DEFAULT_RATE_LIMIT } from './rate-limit-policy.js';

/** The firm's policy, from the knowledge-base article; IT edits it as settings. Amounts here are credits. */
export interface ServiceInfo {
  slug: string;
  name: string;
  /** A rough cost per typical job, in credits, so people can estimate before logging. */
  typicalCredits: number;
}

export interface Person {
  name: string;
  email: string;
}

export interface NotificationSettings {
  teams: boolean;
  mail: boolean;
  /** The mailbox notification mails are sent from (Graph sendMail as this user); null: mail is skipped. */
  mailSender: string | null;
}

/**
 * The switches of the opt-in Graph features that have none of their own (src/core/setup/features.ts): off in
 * a fresh tenant, so it runs with the directory look-up as its only Graph permission.
 */
export interface FeatureSwitches {
  /** Exchange message trace for stuck registrations (ExchangeMessageTrace.Read.All). */
  messageTrace: boolean;
  /** The employee's mailbox helper in the tab (delegated Mail.ReadWrite). */
  mailboxHelper: boolean;
}

export interface Policy {
  unitName: 'Cloud Credits' | 'Flex tokens';
  individualAllotment: number;
  allotmentRenewal: 'once' | 'yearly';
  blockSize: number;
  packExpiryMonths: number | null;
  leadTimeDays: { min: number; max: number };
  applyDays: { min: number; max: number };
  /** ISO weekdays (1 = Monday … 7 = Sunday) that count as working days. */
  workingDays: number[];
  holidays: string[];
  stuckAfterWorkingDays: number;
  holdExpiryDays: number;
  /** Most pool credits one person may have in open holds at once, so nobody can reserve the whole pool. */
  maxPoolHeldPerPerson: number;
  services: ServiceInfo[];
  accountManagers: Person[];
  reseller: { name: string; emailDomain: string };
  homeUseKbUrl: string;
  quarantine: { autodeskSenders: string[]; digestSender: string; digestSubject: string };
  teamsWebhookUrl: string | null;
  /** A busy channel gets pool draws as one digest card an hour or a day instead of one card each. */
  feedDigest: DigestMode;
  /**
   * The firm's IANA time zone ("Europe/London") for times IT's channel and the feed's texts show; null: UTC,
   * and the cards say so. Microsoft Graph offers no tenant-wide zone (only each mailbox's own), so IT sets it.
   */
  timeZone: string | null;
  /**
   * Notifications to people (account created, request arrived, usage an import did not confirm): a Teams
   * activity-feed notification, and a mail from `mailSender` where Teams notifications are not set up. No
   * sender: no mail.
   */
  notifications: NotificationSettings;
  /** Opt-in Graph features; which are on is no secret (the tab hides what is off). */
  features: FeatureSwitches;
  alerts: { poolLowPercentOfLastPurchase: number; safetyMarginDays: number; forecastHorizonDays: number };
  /** Changes (POST, PUT) one person may make: `perMinute` on average, `burst` at once; more get 429. */
  rateLimit: RateLimitPolicy;
  /** Reads (GET) one person may make, counted apart from changes; more get 429. */
  readRateLimit: RateLimitPolicy;
}

export const DEFAULT_POLICY: Policy = {
  unitName: 'Cloud Credits',
  individualAllotment: 100,
  allotmentRenewal: 'once',
  blockSize: 100,
  packExpiryMonths: null,
  leadTimeDays: { min: 5, max: 7 },
  applyDays: { min: 1, max: 2 },
  workingDays: [1, 2, 3, 4, 5],
  holidays: [],
  stuckAfterWorkingDays: 2,
  holdExpiryDays: 7,
  maxPoolHeldPerPerson: 100,
  services: [
    { slug: 'cloud_rendering', name: 'Cloud rendering', typicalCredits: 5 },
    { slug: 'simulation', name: 'Simulation', typicalCredits: 20 },
    { slug: 'generative_design', name: 'Generative design', typicalCredits: 25 },
    { slug: 'other', name: 'Other', typicalCredits: 1 },
  ],
  accountManagers: [],
  reseller: { name: 'ImaginiT', emailDomain: 'imaginit.com' },
  homeUseKbUrl: 'https://support.example.com/kb/10423',
  quarantine: {
    autodeskSenders: ['noreply@autodesk.com', 'noreply@signin.autodesk.com', 'no-reply@autodeskcommunications.com'],
    digestSender: 'spamquarantine@',
    digestSubject: 'Spam Quarantine Notification',
  },
  teamsWebhookUrl: null,
  feedDigest: 'off',
  timeZone: null,
  // Opt-in (least privilege, issue 22): each needs a Graph permission IT grants first.
  notifications: { teams: false, mail: false, mailSender: null },
  features: { messageTrace: false, mailboxHelper: false },
  alerts: { poolLowPercentOfLastPurchase: 20, safetyMarginDays: 2, forecastHorizonDays: 60 },
  rateLimit: { ...DEFAULT_RATE_LIMIT },
  readRateLimit: { ...DEFAULT_READ_RATE_LIMIT },
};

/**
 * Flex mode (DESIGN 3.1, 3.6): the contract runs on Flex tokens. `unitName` is the one switch; in Flex mode
 * there is no individual allotment and the pool is made of packs that expire `packExpiryMonths` after they
 * are applied.
 */
export function isFlexMode(policy: Pick<Policy, 'unitName'>): boolean {
  return policy.unitName === 'Flex tokens';
}

/** The unit as people say it in a sentence: "credits" or "tokens" (singular for exactly one). */
export function unitWord(policy: Pick<Policy, 'unitName'>, amount?: number): string {
  const word = isFlexMode(policy) ? 'token' : 'credit';
  return amount === 1 ? word : `${word}s`;
}

/** An amount (in credits or tokens, not units) with its unit: "12.5 tokens". */
export function formatAmount(policy: Pick<Policy, 'unitName'>, amount: number): string {
  return `${amount} ${unitWord(policy, amount)}`;
}

/**
 * The part of the policy every signed-in person may read: what the pages need to explain the rules and
 * help people act on them. Everything else (the Teams webhook URL, which carries its own signature, the
 * mail sender, the digest mode, the rate limit) is IT's alone: a new policy field stays IT's until it is
 * listed here.
 */
export const PUBLIC_POLICY_FIELDS = [
  'unitName',
  'individualAllotment',
  'allotmentRenewal',
  'blockSize',
  'packExpiryMonths',
  'leadTimeDays',
  'applyDays',
  'workingDays',
  'holidays',
  'stuckAfterWorkingDays',
  'holdExpiryDays',
  'maxPoolHeldPerPerson',
  'services',
  'accountManagers',
  'reseller',
  'homeUseKbUrl',
  'quarantine',
  'features',
  'alerts',
] as const satisfies readonly (keyof Policy)[];
export type PublicPolicyField = (typeof PUBLIC_POLICY_FIELDS)[number];

/** The policy as everyone may read it: only the fields of PUBLIC_POLICY_FIELDS. */
export function publicPolicy(policy: Policy): Pick<Policy, PublicPolicyField> {
  return Object.fromEntries(PUBLIC_POLICY_FIELDS.map((field) => [field, policy[field]])) as Pick<Policy, PublicPolicyField>;
}

/** What a switch to Flex mode sets unless the settings say otherwise (DESIGN 3.6). */
export const FLEX_DEFAULTS = { unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 } as const satisfies Partial<Policy>;

/**
 * The policy with another unit, preset for it: Flex tokens need no allotment and packs that expire (a
 * chosen expiry is kept); back on Cloud Credits an allotment of 0 becomes the KB's 100, and packs keep
 * whatever expiry IT set. Other fields are left as they are.
 */
export function withUnit<P extends Pick<Policy, 'unitName' | 'individualAllotment' | 'packExpiryMonths'>>(policy: P, unitName: Policy['unitName']): P {
  if (unitName === policy.unitName) return policy;
  if (unitName === FLEX_DEFAULTS.unitName) {
    return { ...policy, unitName, individualAllotment: FLEX_DEFAULTS.individualAllotment, packExpiryMonths: policy.packExpiryMonths ?? FLEX_DEFAULTS.packExpiryMonths };
  }
  return { ...policy, unitName, individualAllotment: policy.individualAllotment === 0 ? DEFAULT_POLICY.individualAllotment : policy.individualAllotment };
}

/**
 * Rules across fields that the settings schema cannot see: in Flex mode nobody has an individual allotment
 * and packs expire. Returns the problems, empty when the policy is sound.
 */
export function policyProblems(policy: Policy): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  if (isFlexMode(policy)) {
    if (policy.individualAllotment !== 0) problems.push({ field: 'individualAllotment', message: 'Flex tokens have no individual allotment: set it to 0.' });
    if (policy.packExpiryMonths === null) problems.push({ field: 'packExpiryMonths', message: 'Flex token packs expire: set the months until a pack expires (12 on Autodesk Flex).' });
  }
  return problems;
}

/** Whether the runtime knows an IANA time zone ("Europe/London"); "Not/AZone" and "" are not. */
export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function isKnownService(policy: Policy, slug: string): boolean {
  return policy.services.some((s) => s.slug === slug);
}

/** ISO weekday of a YYYY-MM-DD or ISO timestamp, 1 = Monday … 7 = Sunday, in UTC. */
function isoWeekday(date: Date): number {
  const day = date.getUTCDay();
  return day === 0 ? 7 : day;
}

export function isWorkingDay(policy: Pick<Policy, 'workingDays' | 'holidays'>, day: Date): boolean {
  const ymd = day.toISOString().slice(0, 10);
  return policy.workingDays.includes(isoWeekday(day)) && !policy.holidays.includes(ymd);
}

/** Whole working days that have passed from `from` to `to` (the day of `from` itself not counted). */
export function workingDaysBetween(policy: Pick<Policy, 'workingDays' | 'holidays'>, from: string, to: string): number {
  const start = new Date(from.slice(0, 10) + 'T00:00:00Z');
  const end = new Date(to.slice(0, 10) + 'T00:00:00Z');
  let count = 0;
  for (let d = new Date(start.getTime() + 86_400_000); d <= end; d = new Date(d.getTime() + 86_400_000)) {
    if (isWorkingDay(policy, d)) count++;
  }
  return count;
}


/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    value = value * 10 + c;
  }
  return value;
}

/**
 * Days since 1970-01-01 of a YYYY-MM-DD (or the date part of an ISO timestamp), in UTC; NaN when it is not
 * a real calendar date (2026-02-30 is not). Cheap: forecasts parse many dates.
 */
export function dayNumber(date: string): number {
  if (date.length < 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45) return Number.NaN;
  const y = digitsAt(date, 0, 4);
  const m = digitsAt(date, 5, 2);
  const d = digitsAt(date, 8, 2);
  if (!(m >= 1 && m <= 12 && d >= 1)) return Number.NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= monthDays ? daysFromCivil(y, m, d) : Number.NaN;
}

/**
 * The years a day may fall in where a person or a file gives one (usage, reports, holidays, imported rows):
 * Autodesk's cloud credits are this century's, and a year 0000 or 9999 is a typo, not history.
 */
export const DAY_YEARS = { first: 2000, last: 2100 } as const;

/** Whether a YYYY-MM-DD falls in DAY_YEARS. */
export function isDayInYears(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= DAY_YEARS.first && year <= DAY_YEARS.last;
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + String(n);

/** The YYYY-MM-DD of a day number (see dayNumber), for years 0 to 9999. */
export function dayString(day: number): string {
  // H. Hinnant's civil_from_days.
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return String(y).padStart(4, '0') + '-' + pad2(m) + '-' + pad2(d);
}

/**
 * A fast working-day test over day numbers, for loops over many days; it agrees with isWorkingDay. A
 * calendar without any working weekday would make working-day counts endless, so it counts every day.
 */
export function workingDayTest(policy: Pick<Policy, 'workingDays' | 'holidays'>): (day: number) => boolean {
  const weekdays = new Set(policy.workingDays.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7));
  if (weekdays.size === 0) return () => true;
  const holidays = new Set(policy.holidays.map(dayNumber).filter((d) => Number.isFinite(d)));
  // 1970-01-01 was a Thursday (ISO 4).
  return (day) => weekdays.has((((day + 3) % 7) + 7) % 7 + 1) && !holidays.has(day);
}

function wholeDays(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.ceil(n)) : 0;
}

/** Day number `n` working days after `day` (the day itself not counted), on the policy calendar. */
export function addWorkingDayNumbers(isWorking: (day: number) => boolean, day: number, n: number): number {
  let d = day;
  for (let left = wholeDays(n); left > 0; ) {
    d++;
    if (isWorking(d)) left--;
  }
  return d;
}

/**
 * Latest day number from which `n` working days later is still on or before `day`: an order placed then,
 * with a lead time of n working days, arrives by `day`.
 */
export function subtractWorkingDayNumbers(isWorking: (day: number) => boolean, day: number, n: number): number {
  let d = day;
  for (let left = wholeDays(n); left > 0; d--) {
    if (isWorking(d)) left--;
  }
  return d;
}

/**
 * The date `n` working days after `date` (the date itself not counted), on the policy's calendar of
 * working days and holidays: what workingDaysBetween(date, result) counts as n. Fractional n round up.
 */
export function addWorkingDays(policy: Policy, date: string, n: number): string {
  const day = dayNumber(date);
  if (!Number.isFinite(day)) throw new RangeError(`not a date: ${date}`);
  return dayString(addWorkingDayNumbers(workingDayTest(policy), day, n));
}

/** The latest date from which `n` working days later (addWorkingDays) is on or before `date`. */
export function subtractWorkingDays(policy: Policy, date: string, n: number): string {
  const day = dayNumber(date);
  if (!Number.isFinite(day)) throw new RangeError(`not a date: ${date}`);
  return dayString(subtractWorkingDayNumbers(workingDayTest(policy), day, n));
}
