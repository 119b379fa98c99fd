/**
 * The Autodesk stand-in's usage: Flex token charges of the demo firm's people, made up day by day from a
 * seed, so any window (a year's backfill too) is the same on every start and quick to make.
 *
 * Autodesk posts recent days late: each charge has a delay of 0 to 3 days before an export shows it, so a
 * day pulled again later can have more rows. A charge never changes once shown, and has a stable
 * `chargedItemID`; a charge posted late has its own. The Token Flex export lists charges one by one; the
 * usage report (usage insights) sums a day's charges per person, product and feature, as Autodesk Account's
 * report does.
 */
import { createHash } from 'node:crypto';
import type { DemoUser } from './demo-users.js';
import { DEMO_USERS } from './demo-users.js';

export interface UsagePerson {
  email: string;
  firstName: string;
  lastName: string;
  /** The Autodesk team (the firm's office). */
  team: string;
  /** Uses Autodesk every other day; the others now and then (as the demo seed's heavy users). */
  heavy: boolean;
}

interface Product {
  /** The Token Flex usage API's productName. */
  tokenFlexName: string;
  usageCategory: 'PRODUCT_CONSUMPTION' | 'CLOUD_CONSUMPTION';
  /** The usage report's Product and Feature. */
  product: string;
  feature: string;
  /** Tokens of one charge, in hundredths: from, to. */
  cents: [number, number];
}

/** What the demo firm uses: the cloud services of its policy (rendering, simulation, generative design) and two desktop products. */
const PRODUCTS: readonly Product[] = [
  { tokenFlexName: 'Cloud Rendering', usageCategory: 'CLOUD_CONSUMPTION', product: 'Autodesk Rendering', feature: 'Cloud Rendering', cents: [100, 600] },
  { tokenFlexName: 'Fusion 360 Simulation', usageCategory: 'CLOUD_CONSUMPTION', product: 'Fusion', feature: 'Simulation', cents: [300, 1200] },
  { tokenFlexName: 'Fusion 360 Generative Design', usageCategory: 'CLOUD_CONSUMPTION', product: 'Fusion', feature: 'Generative Design', cents: [500, 1500] },
  { tokenFlexName: 'Revit', usageCategory: 'PRODUCT_CONSUMPTION', product: 'Revit', feature: 'Revit', cents: [1000, 1000] },
  { tokenFlexName: 'AutoCAD', usageCategory: 'PRODUCT_CONSUMPTION', product: 'AutoCAD', feature: 'AutoCAD', cents: [600, 600] },
];

export const USAGE_CATEGORIES: ReadonlySet<string> = new Set(['PRODUCT_CONSUMPTION', 'CLOUD_CONSUMPTION', 'CLOUD_PRODUCT_CONSUMPTION', 'MANUAL_CONSUMPTION', 'MANUAL_ADJUSTMENT']);

export interface Charge {
  chargedItemID: string;
  usageDate: string;
  person: UsagePerson;
  product: Product;
  /** Tokens in hundredths. */
  cents: number;
  /** Days after `usageDate` until exports show it. */
  lateByDays: number;
}

/** The demo seed's people who use Autodesk and are still with the firm (Morgan left); three heavy users. */
export function demoUsagePeople(users: readonly DemoUser[] = DEMO_USERS): UsagePerson[] {
  const names = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Harper'];
  const heavy = new Set(['Avery', 'Casey', 'Harper']);
  return names.map((name) => {
    const user = users.find((u) => u.displayName.startsWith(`${name} `));
    if (!user) throw new Error(`No demo user ${name}`);
    const [firstName = name, ...rest] = user.displayName.split(' ');
    return { email: user.email, firstName, lastName: rest.join(' '), team: `Contoso ${user.office}`, heavy: heavy.has(name) };
  });
}

/** A small PRNG (mulberry32) from a text seed: the same text, the same numbers. */
function randomFrom(text: string): () => number {
  let state = Number.parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DAY_MS = 86_400_000;
export const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** A day's charges, whether shown yet or not; the same for the same seed, day and people. */
export function chargesOfDay(seed: string, day: string, people: readonly UsagePerson[]): Charge[] {
  const charges: Charge[] = [];
  people.forEach((person, index) => {
    const random = randomFrom(`${seed}|${day}|${index}`);
    if (random() > (person.heavy ? 0.55 : 0.12)) return;
    const count = random() < 0.3 ? 2 : 1;
    for (let n = 0; n < count; n++) {
      const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)]!;
      const [low, high] = product.cents;
      const cents = low + Math.floor(random() * (high - low + 1));
      const r = random();
      const lateByDays = r < 0.7 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 2 : 3;
      // Assumed: Autodesk's charged item ids are opaque; 12 digits here.
      const chargedItemID = String(Number.parseInt(createHash('sha256').update(`${seed}|charge|${day}|${index}|${n}`).digest('hex').slice(0, 12), 16) % 1e12).padStart(12, '0');
      charges.push({ chargedItemID, usageDate: day, person, product, cents, lateByDays });
    }
  });
  return charges;
}

/** The charges an export made on `asOf` shows for the window: days up to `asOf`, each once its delay has passed. */
export function visibleCharges(seed: string, people: readonly UsagePerson[], from: string, to: string, asOf: string): Charge[] {
  const charges: Charge[] = [];
  for (let day = from; day <= to && day <= asOf; day = addDays(day, 1)) {
    for (const charge of chargesOfDay(seed, day, people)) if (addDays(day, charge.lateByDays) <= asOf) charges.push(charge);
  }
  return charges;
}

const tokensText = (cents: number) => (cents / 100).toString();

/** RFC 4180: a value with a comma, quote or line break is quoted, its quotes doubled. */
function csvLine(values: readonly string[]): string {
  return values.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',') + '\r\n';
}

export const TOKEN_FLEX_COLUMNS = ['usageDate', 'userName', 'productName', 'productLineCode', 'usageCategory', 'chargedItemID', 'tokensConsumed'] as const;
export type TokenFlexColumn = (typeof TOKEN_FLEX_COLUMNS)[number];

/** The Token Flex export: the asked columns in the asked order, one line per charge (userName: the person's sign-in email). */
export function tokenFlexCsv(charges: readonly Charge[], columns: readonly TokenFlexColumn[]): string {
  const value = (c: Charge, column: TokenFlexColumn): string => {
    switch (column) {
      case 'usageDate':
        return c.usageDate;
      case 'userName':
        return c.person.email;
      case 'productName':
        return c.product.tokenFlexName;
      case 'productLineCode':
        return c.product.tokenFlexName.toUpperCase().replace(/[^A-Z0-9]+/g, '').slice(0, 8);
      case 'usageCategory':
        return c.product.usageCategory;
      case 'chargedItemID':
        return c.chargedItemID;
      case 'tokensConsumed':
        return tokensText(c.cents);
    }
  };
  return csvLine(columns) + charges.map((c) => csvLine(columns.map((column) => value(c, column)))).join('');
}

export const USAGE_REPORT_COLUMNS = ['Email', 'First name', 'Last name', 'Team', 'Product', 'Feature', 'Day used', 'Tokens used', 'hashed_autodesk_id'] as const;

/** Autodesk's hashed id of a person (personal data off): stable per email. */
const hashedId = (email: string) => createHash('sha256').update(`autodesk-id|${email}`).digest('hex').slice(0, 24).toUpperCase();

/** The usage report (2026 column names): a day's tokens per person, product and feature, in a stable order. */
export function usageReportCsv(charges: readonly Charge[]): string {
  const sums = new Map<string, { charge: Charge; cents: number }>();
  for (const charge of charges) {
    const key = [charge.usageDate, charge.person.email, charge.product.product, charge.product.feature].join('\u001f');
    const sum = sums.get(key);
    if (sum) sum.cents += charge.cents;
    else sums.set(key, { charge, cents: charge.cents });
  }
  const lines = [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, { charge, cents }]) => {
      const p = charge.person;
      return csvLine([p.email, p.firstName, p.lastName, p.team, charge.product.product, charge.product.feature, charge.usageDate, tokensText(cents), hashedId(p.email)]);
    });
  return csvLine(USAGE_REPORT_COLUMNS) + lines.join('');
}
