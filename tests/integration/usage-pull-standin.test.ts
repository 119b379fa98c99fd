import { afterEach, describe, expect, it } from 'vitest';
import { dayNumber, dayString } from '../../src/core/policy/index.js';
import { demoUsagePeople, visibleCharges } from '../../server/local/autodesk-standin-usage.js';
import type { DayWindow, UsageSourceKind } from '../../server/ports/usage-source.js';
import { freshTableName, sharedAzurite } from '../support/api.js';
import type { StandinPull } from '../support/standin-pull.js';
import { STANDIN_SEED, nextDay, standinPull } from '../support/standin-pull.js';
import { compareWithAutodesk } from '../load/connector-figures.js';

/**
 * Each API's pull window against the Autodesk stand-in (real clients over HTTP, the import pipeline,
 * Azurite), as days pass and Autodesk posts charges late. Usage insights gives a day's total per person,
 * product and feature: a day read before it settled and again after it grew would be counted twice, so it
 * is read once, settled. Token Flex lists charges with stable ids: its settling days are read again and
 * bring the late charges.
 */
/** A day when a daily total of the day before yesterday has yet to grow (the stand-in's usage is seeded). */
const TODAY = '2026-04-07';
const RULE = { settlingDays: 3, backfillDays: 10 };
const addDays = (day: string, days: number) => dayString(dayNumber(day) + days);
const tableName = freshTableName();

let running: StandinPull | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function harness(kind: UsageSourceKind): Promise<StandinPull> {
  running = await standinPull({ connectionString: sharedAzurite().connectionString, tableName, kind, today: TODAY, rule: RULE });
  return running;
}

/** The usage report's rows (day, person, product, feature) as Autodesk shows them on `asOf`, with their totals. */
function reportRows(from: string, to: string, asOf: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const c of visibleCharges(STANDIN_SEED, demoUsagePeople(), from, to, asOf)) {
    const row = [c.usageDate, c.person.email, c.product.product, c.product.feature].join('|');
    rows.set(row, (rows.get(row) ?? 0) + c.cents);
  }
  return rows;
}

const total = (cells: { units: number }[]) => cells.reduce((sum, c) => sum + c.units, 0);

async function covered(h: StandinPull): Promise<DayWindow> {
  const state = (await h.deps.usagePulls.get(h.tenant))!.state;
  return state.sources[h.kind]!.covered!;
}

describe('pulling from the Autodesk stand-in', () => {
  it('usage insights: a recent day that grows between two pulls is read once, settled, and nothing is counted twice', async () => {
    const h = await harness('usage_insights');
    const recentRows = (asOf: string) => reportRows(addDays(TODAY, -3), addDays(TODAY, -1), asOf);
    const atFirstPull = recentRows(TODAY);

    expect(await h.pull()).toMatchObject({ kind: 'imported', window: { from: addDays(TODAY, -13), to: addDays(TODAY, -4) } });
    for (let day = 1; day <= 4; day++) {
      nextDay(h);
      expect(await h.pull()).toMatchObject({ kind: 'imported', window: { from: addDays(TODAY, day - 4), to: addDays(TODAY, day - 4) } });
    }
    // Autodesk posted charges of those days late: a daily total the first pull could have read grew since.
    const now = recentRows(addDays(TODAY, 4));
    expect([...atFirstPull].filter(([row, units]) => now.get(row)! > units)).not.toEqual([]);

    const window = await covered(h);
    expect(window).toEqual({ from: addDays(TODAY, -13), to: TODAY });
    const ledger = await h.ledgerUsage();
    expect(ledger.length).toBeGreaterThan(0);
    expect(compareWithAutodesk(ledger, h.autodeskUsage(window))).toEqual({ duplicates: 0, missing: 0, daysTwice: [], daysMissing: [] });
    // Pulled again the same day: nothing new is settled, nothing is asked for.
    expect(await h.pull()).toEqual({ kind: 'nothing_to_pull' });
  });

  it('Token Flex: the settling days are read again and bring the late charges, none twice', async () => {
    const h = await harness('token_flex');
    expect(await h.pull()).toMatchObject({ kind: 'imported', window: { from: addDays(TODAY, -10), to: addDays(TODAY, -1) } });
    const yesterday = { from: addDays(TODAY, -3), to: addDays(TODAY, -1) };
    const atFirstPull = total(h.autodeskUsage(yesterday));
    for (let day = 1; day <= 3; day++) {
      nextDay(h);
      expect(await h.pull()).toMatchObject({ kind: 'imported', window: { from: addDays(TODAY, day - 4), to: addDays(TODAY, day - 1) } });
    }
    expect(total(h.autodeskUsage(yesterday))).toBeGreaterThan(atFirstPull);
    const window = await covered(h);
    expect(window).toEqual({ from: addDays(TODAY, -10), to: addDays(TODAY, 2) });
    expect(compareWithAutodesk(await h.ledgerUsage(), h.autodeskUsage(window))).toEqual({ duplicates: 0, missing: 0, daysTwice: [], daysMissing: [] });
  });
});
