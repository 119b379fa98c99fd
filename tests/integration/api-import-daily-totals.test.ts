/**
 * Daily totals uploaded twice (Autodesk Account's usage report, the usage insights export): one total per
 * person, product, feature and day, no charge id. A day that was not settled when first downloaded has a
 * larger total in a later download: the second upload posts only the growth, a smaller total changes
 * nothing and is reported, the same file again posts nothing. Token Flex rows (one per charge) stay as they
 * were: two charges of one day are two rows. Over HTTP against Azurite, through the real import pipeline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, MANAGER, startTestApi } from '../support/api.js';

const [ana, ben] = EMPLOYEES as [DemoUser, DemoUser];
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const HEADER = 'Email,First name,Last name,Team,Product,Feature,Day used,Tokens used';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await api.useFlexTokens();
  for (const user of [ana, ben]) await api.register(user);
  await api.fillPool(5);
}, 120_000);
afterAll(async () => api?.stack.stop());

/** Uploads and commits a file that needs no click; the committed import's view. */
async function importFile(lines: string[], fileName: string) {
  const uploaded = await api.call(MANAGER, 'POST', `/api/usage/imports?fileName=${encodeURIComponent(fileName)}`, { rawBody: [...lines, ''].join('\r\n'), headers: { 'content-type': 'text/csv' } });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  expect(uploaded.body.state, JSON.stringify(uploaded.body.problems)).toBe('ready');
  const done = await api.commitImport(MANAGER, uploaded.body.id);
  expect(done.state, JSON.stringify(done.error)).toBe('committed');
  return done;
}

/** What the ledger says a member used on a day, from imports: usage less its reversals. */
async function importedOn(user: DemoUser, day: string) {
  const items = (await api.call(MANAGER, 'GET', `/api/usage?memberId=${user.id}&limit=200`)).body.items as { source: string; credits: number; code: string; date: string | null }[];
  return items.filter((t) => t.source.startsWith('import:') && t.date === day).reduce((sum, t) => sum + (t.code === 'reversal' ? -t.credits : t.credits), 0);
}

describe('the usage report uploaded again after a day grew', () => {
  const day = daysAgo(1);
  const row = (user: DemoUser, product: string, feature: string, tokens: number) => `${user.email},${user.displayName.split(' ')[0]},X,Firm,${product},${feature},${day},${tokens}`;

  it('posts only the growth of a grown day, nothing for the unchanged one', async () => {
    const first = await importFile([HEADER, row(ana, 'Fusion', 'Generative Design', 12), row(ben, 'Revit', 'Cloud Rendering', 5)], 'usage-monday.csv');
    expect(first.result).toMatchObject({ posted: 2, amount: 17 });

    const second = await importFile([HEADER, row(ana, 'Fusion', 'Generative Design', 15), row(ben, 'Revit', 'Cloud Rendering', 5)], 'usage-thursday.csv');
    expect(await importedOn(ana, day)).toBe(15);
    expect(await importedOn(ben, day)).toBe(5);
    expect(second.result).toMatchObject({ posted: 1, amount: 3, alreadyImported: 1, daysGrown: 1, daysLower: 0 });
    expect((await api.ledgerCheck()).ok).toBe(true);
  });

  it('posts nothing when the same export is uploaded again', async () => {
    const again = await importFile([HEADER, row(ana, 'Fusion', 'Generative Design', 15), row(ben, 'Revit', 'Cloud Rendering', 5)], 'usage-thursday-again.csv');
    expect(again.result).toMatchObject({ posted: 0, amount: 0, alreadyImported: 2, daysGrown: 0 });
    expect(await importedOn(ana, day)).toBe(15);
  });

  it('changes nothing for a day whose total is now smaller, and reports the line with a reason', async () => {
    const lower = await importFile([HEADER, row(ana, 'Fusion', 'Generative Design', 13)], 'usage-friday.csv');
    expect(await importedOn(ana, day)).toBe(15);
    expect(lower.result).toMatchObject({ posted: 0, amount: 0, daysLower: 1 });
    const report = await api.call(MANAGER, 'GET', `/api/usage/imports/${lower.id}/report`);
    expect(String(report.body)).toMatch(/2,lower_than_imported,DAY_TOTAL_LOWER,.*now 13 tokens, less than the 15 tokens already imported/);
  });

  it('counts two lines of one person, product, feature and day in one file as the day total they add up to', async () => {
    const other = daysAgo(2);
    const split = (team: string, tokens: number) => `${ben.email},Ben,X,${team},Revit,Cloud Rendering,${other},${tokens}`;
    const first = await importFile([HEADER, split('Firm', 4), split('Studio', 2)], 'usage-teams.csv');
    expect(first.result).toMatchObject({ amount: 6 });
    const grown = await importFile([HEADER, split('Firm', 4), split('Studio', 3)], 'usage-teams-later.csv');
    expect(grown.result).toMatchObject({ amount: 1, daysGrown: 1 });
    expect(await importedOn(ben, other)).toBe(7);
  });
});

describe('Token Flex charges, one row per charge', () => {
  it('keeps two charges of the same person, product and day as two rows, and a charge uploaded again once', async () => {
    const day = daysAgo(3);
    const header = 'usageDate,userName,productName,tokensConsumed,chargedItemID';
    const first = await importFile([header, `${day},${ana.email},AutoCAD,6,CH-1`], 'flex-1.csv');
    expect(first.result).toMatchObject({ posted: 1, amount: 6 });
    const later = await importFile([header, `${day},${ana.email},AutoCAD,6,CH-1`, `${day},${ana.email},AutoCAD,6,CH-2`], 'flex-2.csv');
    expect(later.result).toMatchObject({ posted: 1, amount: 6, alreadyImported: 1 });
    expect(await importedOn(ana, day)).toBe(12);
  });
});
