/**
 * The usage import in a real browser against the real local stack (seeded demo firm, Azurite's table and
 * blob services): an account manager uploads Autodesk's cloud services export (watching the upload's
 * progress), reads the preview and the problems, links a person the file names to a member and skips
 * another, downloads the report, posts the import and watches it finish; the API shows the rows posted.
 * A file with a column the importer does not know is mapped by hand, and a binary file is refused plainly.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { RILEY, TAYLOR, axeCheck, capture, describeViolations, goToPage, openTab, pageErrors, settle, useE2E, user } from './support.js';

const env = useE2E({ name: 'usage-import', seed: true });

// Seeded, registered members the export names (server/local/seed.ts), and two people it names who are not members.
const AVERY = user('avery.chen@contoso.example');
const BLAKE = user('blake.okafor@contoso.example');
const CASEY = user('casey.lindqvist@contoso.example');
const DEVON = user('devon.patel@contoso.example');
const HARPER = user('harper.nakamura@contoso.example');
const EMERY = user('emery.rossi@contoso.example');

interface Person {
  email: string;
  first: string;
  last: string;
}
const person = (u: { email: string; displayName: string }): Person => {
  const [first, ...rest] = u.displayName.split(' ');
  return { email: u.email, first: first!, last: rest.join(' ') };
};
// Gus works under another address (linked to Devon by hand); Zoe is a contractor whose rows are skipped.
const GUS: Person = { email: 'gus.hansen@contoso.example', first: 'Gus', last: 'Hansen' };
const ZOE: Person = { email: 'zoe.unknown@contractor.example', first: 'Zoe', last: 'Unknown' };

const DAY = 86_400_000;
/** A day some days back, as the cloud services export writes it (month/day/year). */
function usDate(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * DAY);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

/**
 * A day some days back in ISO form: a file of a few US dates within one month's first twelve days could be
 * read either way, and the importer then asks (issue 18); files that are not about dates write them so.
 */
const isoDate = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);

type Row = [daysAgo: number, who: Person, service: string, product: string, job: string, credits: string];

/** Shaped like ../shared/fixtures/cloud-services-usage.csv, with the seeded firm's people and dates of the last weeks. */
const CLOUD_HEADER = 'Date,Email,First Name,Last Name,Service,Product,Job Name,Cloud Credits Used,Team';
const CLOUD_ROWS: Row[] = [
  [24, person(BLAKE), 'Generative Design', 'Fusion 360', 'generative-1791', '12'],
  [23, person(CASEY), 'Simulation', 'Fusion 360 Simulation', 'simulation-1950', '7.5'],
  [22, person(AVERY), 'Cloud Rendering', 'Revit', 'cloud-8104', '7'],
  [20, person(CASEY), 'Generative Design', 'Fusion 360', 'generative-1968', '4'],
  [18, person(AVERY), 'Generative Design', 'Fusion 360', 'generative-1812', '14'],
  [16, GUS, 'Cloud Rendering', 'Revit', 'cloud-2271', '9'],
  [15, person(HARPER), 'Generative Design', 'Fusion 360', 'generative-6146', '18'],
  [14, person(EMERY), 'Simulation', 'Fusion 360 Simulation', 'simulation-5070', '3'],
  [13, ZOE, 'Cloud Rendering', 'Revit', 'cloud-5919', '9'],
  [12, person(BLAKE), 'Cloud Rendering', 'Revit', 'cloud-4078', 'six'],
  [11, person(AVERY), 'Cloud Rendering', 'Revit', 'cloud-2533', '5'],
  [10, GUS, 'Simulation', 'Fusion 360 Simulation', 'simulation-6737', '6'],
  [9, person(HARPER), 'Cloud Rendering', 'Revit', 'cloud-1994', '12'],
  [8, ZOE, 'Generative Design', 'Fusion 360', 'generative-5662', '22'],
];
const csvLine = ([daysAgo, who, service, product, job, credits]: Row) => [usDate(daysAgo), who.email, who.first, who.last, service, product, job, credits, 'Contoso'].join(',');
const CLOUD_CSV = [CLOUD_HEADER, ...CLOUD_ROWS.map(csvLine)].join('\r\n') + '\r\n';
const VALID_ROWS = CLOUD_ROWS.filter((r) => r[5] !== 'six');
const creditsOf = (who: Person) => VALID_ROWS.filter((r) => r[1].email === who.email).reduce((sum, r) => sum + Number(r[5]), 0);

/** Avery's rows in a file whose person column has a name the importer does not know. */
const ODD_HEADER_CSV = ['Usage Date,Colleague,Cloud Service,Cloud Credits Used', `${isoDate(6)},${AVERY.email},Cloud Rendering,2`, `${isoDate(5)},${BLAKE.email},Simulation,3`].join('\n') + '\n';

/** Slashed dates that read both ways (3 November or 11 March; 5 October or 10 May), all in the past. */
const AMBIGUOUS_DATES_CSV = ['Date,Email,Service,Cloud Credits Used', `11/03/2026,${AVERY.email},Cloud Rendering,2`, `10/05/2026,${BLAKE.email},Simulation,3`].join('\n') + '\n';

/** A damaged Excel workbook: a zip archive's signature, then bytes no workbook has. */
const XLSX_BYTES = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), Buffer.from(Array.from({ length: 4000 }, (_v, i) => (i * 37 + 11) % 256))]);

async function chooseFile(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Choose a file' }).click()]);
  await chooser.setFiles({ name, mimeType, buffer });
}

const state = (page: Page) => page.getByTestId('import-state');

/** The page fits its width: nothing sticks out sideways. */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && e.offsetParent !== null && !e.closest('[data-tabster-dummy]'))
      .slice(0, 10)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} right=${Math.round(e.getBoundingClientRect().right)}`);
  });
}

async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await axeCheck(page);
  expect(violations, `axe on ${where}:\n${describeViolations(violations)}`).toEqual([]);
}

describe('tab: usage import', () => {
  test('an account manager uploads an export, links and skips people, posts it and downloads the report', { timeout: 240_000 }, async () => {
    const { api } = env();
    // Avery logged the rendering of 11 days ago themself; the export's row for it replaces the entry.
    const isoDay = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString().slice(0, 10);
    const logged = await api.call(AVERY, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits: 5, date: isoDay(11), note: 'Lobby renders' } });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const page = await env().newPage();
    await openTab(page, { as: RILEY.email });
    await goToPage(page, 'Imports');
    await page.getByText('Drop the usage export here').waitFor();

    // 1. A large export on a slow line: the upload shows its bytes and percent, and can be cancelled.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
    const big = [CLOUD_HEADER, ...Array.from({ length: 6000 }, (_v, i) => csvLine(CLOUD_ROWS[i % CLOUD_ROWS.length]!))].join('\r\n');
    await chooseFile(page, 'big-export.csv', 'text/csv', Buffer.from(big));
    const uploading = page.getByRole('progressbar', { name: 'Uploading big-export.csv' });
    await uploading.waitFor();
    await expect.poll(() => page.getByText(/KB of \d+(\.\d)? KB \(\d+%\)/).isVisible()).toBe(true);
    await capture(page, 'imports-uploading');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Drop the usage export here').waitFor();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // 2. The export: detected as cloud services usage, every row checked, two people without a member.
    await chooseFile(page, 'cloud-services-usage.csv', 'text/csv', Buffer.from(CLOUD_CSV));
    await state(page).waitFor({ timeout: 60_000 });
    await settle(page);
    expect(await page.getByTestId('import-format').textContent()).toBe('Cloud services usage');
    expect(await page.getByTestId('rows-total').textContent()).toBe(String(CLOUD_ROWS.length));
    expect(await page.getByTestId('rows-refused').textContent()).toBe('1');
    expect(await page.getByTestId('rows-unmatched').textContent()).toBe('4');
    expect(await page.getByTestId('import-encoding').textContent()).toMatch(/UTF-8/i);
    expect(await page.getByTestId('import-delimiter').textContent()).toMatch(/comma/i);
    expect(await state(page).textContent()).toBe('Needs people linked');
    const importId = new URLSearchParams((await page.evaluate(() => location.hash)).split('?')[1]).get('id')!;
    expect(importId).toBeTruthy();

    // The preview has each row's result, and the problems list names the line and the reason.
    const preview = page.getByRole('table', { name: 'First rows of the file' });
    await expect.poll(() => preview.getByRole('row').count()).toBe(CLOUD_ROWS.length + 1);
    expect(await preview.locator('[data-status="refused"]').count()).toBe(1);
    expect(await preview.locator('[data-status="unmatched"]').count()).toBe(4);
    const problems = page.getByRole('table', { name: 'Problems found' });
    await problems.getByRole('row', { name: /^11 / }).waitFor();
    const post = page.getByRole('button', { name: 'Post to the ledger…' });
    expect(await post.isDisabled()).toBe(true);
    await capture(page, 'imports-preview');
    await expectAccessible(page, 'the preview');

    // Narrow Teams panes: the import reflows without sideways scrolling.
    for (const width of [320, 768]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await horizontalOverflow(page), `sideways scroll at ${width} px`).toEqual([]);
      await capture(page, `imports-preview-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // 3. Gus's rows go to Devon (remembered for next time); Zoe's are skipped.
    const unmatched = page.getByTestId('unmatched-people');
    const gusPicker = unmatched.getByRole('combobox', { name: 'Member for Gus Hansen' });
    await gusPicker.click();
    await gusPicker.pressSequentially('devon', { delay: 20 });
    await page.getByRole('option', { name: /Devon Patel/ }).click();
    await unmatched.getByText('Linked to Devon Patel').waitFor();
    await unmatched.getByRole('button', { name: /^Skip Zoe Unknown/ }).click();
    await unmatched.getByText('Rows skipped').waitFor();
    await expect.poll(() => state(page).textContent()).toBe('Ready to post');
    expect(await page.getByTestId('rows-skipped').textContent()).toBe('2');
    expect(await page.getByTestId('rows-valid').textContent()).toBe(String(VALID_ROWS.length - 2));
    await capture(page, 'imports-linked');

    // 4. The report: every row not posted as it is, with its line and reason.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download report' }).click()]);
    expect(download.suggestedFilename()).toBe('cloud-services-usage-import-report.csv');
    const reportPath = await download.path();
    const { readFile } = await import('node:fs/promises');
    const report = await readFile(reportPath, 'utf8');
    expect(report).toMatch(/^\uFEFF?line,status,code,message/);
    expect(report).toMatch(/\n11,refused,BAD_AMOUNT,/);
    expect(report).toContain('SKIPPED_PERSON');

    // 5. Post: the confirmation says what goes in; then the job's progress, then what it did.
    await post.click();
    const confirm = page.getByRole('dialog', { name: 'Post this import?' });
    await confirm.getByText(`${VALID_ROWS.length - 2} rows`, { exact: false }).first().waitFor();
    await capture(page, 'imports-confirm');
    await confirm.getByRole('button', { name: `Post ${VALID_ROWS.length - 2} rows` }).click();
    const progress = page.getByTestId('import-progress');
    // The commit answers at once with the job started (0 of N); a dozen rows post within the second before
    // the first poll, so the bar shows briefly: catch it if it is there, then wait for the result.
    if (await progress.waitFor({ timeout: 3000 }).then(() => true, () => false)) {
      expect(await progress.textContent()).toMatch(/of \d+ rows/);
      await capture(page, 'imports-posting');
    }
    await expect.poll(() => state(page).textContent(), { timeout: 60_000 }).toBe('Posted');
    expect(await page.getByTestId('result-posted').textContent()).toBe(String(VALID_ROWS.length - 2));
    expect(await page.getByTestId('result-skipped').textContent()).toBe('2');
    await capture(page, 'imports-posted');
    await expectAccessible(page, 'the posted import');

    // The ledger has the rows: each member's imported usage adds up to their rows in the file.
    const imported = async (memberId: string) => {
      const history = await api.call(RILEY, 'GET', `/api/usage?memberId=${memberId}&limit=200`);
      expect(history.status).toBe(200);
      return (history.body.items as { code: string; source: string; credits: number }[])
        .filter((t) => t.source === `import:${importId}` && (t.code === 'usage_individual' || t.code === 'usage_pool'))
        .reduce((sum, t) => sum + t.credits, 0);
    };
    expect(await imported(AVERY.id)).toBeCloseTo(creditsOf(person(AVERY)), 2);
    expect(await imported(HARPER.id)).toBeCloseTo(creditsOf(person(HARPER)), 2);
    // Gus's rows, linked by hand, are Devon's.
    expect(await imported(DEVON.id)).toBeCloseTo(creditsOf(GUS), 2);
    expect((await api.ledgerCheck()).ok).toBe(true);

    // Avery's history after the import: by the day used, then when recorded, the two named; the entry the
    // export replaced reads as replaced, and no import id shows.
    const historyPage = await env().newPage();
    await openTab(historyPage, { as: AVERY.email, page: 'history' });
    const historyTable = historyPage.getByRole('table', { name: 'Your history' });
    await historyTable.waitFor();
    await settle(historyPage);
    expect(await historyTable.getByRole('columnheader').allTextContents()).toEqual(['Used on', 'Entry', 'Amount', 'Service', 'Project', 'Note', 'Recorded']);
    const usedOn = (await historyTable.locator('tbody tr td:first-child').allTextContents()).filter((d) => d !== '—').map((d) => Date.parse(d));
    expect(usedOn.length).toBeGreaterThan(3);
    expect(usedOn).toEqual([...usedOn].sort((a, b) => b - a));
    await historyTable.getByRole('row', { name: /Replaced by the same usage in Autodesk's usage export/ }).waitFor();
    expect(await historyTable.textContent()).not.toMatch(new RegExp(`Confirmed by|${importId}`));
    await capture(historyPage, 'history-after-import');
    await expectAccessible(historyPage, 'the history after an import');
    expect(pageErrors(historyPage)).toEqual([]);
    await historyPage.context().close();

    // 6. Past imports list it; reopening it (a reload, in the dark theme) shows the result again.
    const list = page.getByRole('table', { name: 'Past imports, newest first' });
    await list.getByRole('row', { name: /cloud-services-usage\.csv/ }).getByText('Posted').waitFor();
    await openTab(page, { as: RILEY.email, theme: 'dark', page: `imports?id=${encodeURIComponent(importId)}` });
    await expect.poll(() => state(page).textContent()).toBe('Posted');
    await capture(page, 'imports-posted');
    await expectAccessible(page, 'the posted import (dark)');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('an export that charges more than the pool holds shows as an overdraft, with who and when', { timeout: 180_000 }, async () => {
    const { api } = env();
    // The import before may already have overdrawn the pool (its rows are Autodesk's, recorded whatever the
    // pool held): a purchase first brings it back to zero or more, so this export alone overdraws it.
    const before = (await api.call(RILEY, 'GET', '/api/pool')).body.balance as number;
    if (before < 0) await api.fillPool(Math.ceil(-before / 100));
    const me = (await api.call(BLAKE, 'GET', '/api/me')).body;
    // 40 more than Blake's own credits and the pool hold, in hundredths (a float sum may carry a third decimal).
    const credits = ((Math.round(me.credits.own * 100) + Math.round(me.credits.pool * 100) + 4000) / 100).toFixed(2);
    const file = [CLOUD_HEADER, csvLine([2, person(BLAKE), 'Simulation', 'Fusion 360 Simulation', 'simulation-7001', credits]).replace(usDate(2), isoDate(2))].join('\r\n') + '\r\n';
    const uploaded = await api.call(RILEY, 'POST', '/api/usage/imports?fileName=overdraw-export.csv', { rawBody: file, headers: { 'content-type': 'text/csv' } });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect((await api.commitImport(RILEY, uploaded.body.id)).result).toMatchObject({ posted: 1, reconciliationAlert: true });

    const page = await env().newPage();
    await openTab(page, { as: RILEY.email, page: 'pool' });
    const bar = page.getByTestId('pool-overdraft');
    await bar.waitFor();
    expect(await bar.textContent()).toMatch(/^The pool is overdrawn by 40 credits since .*Blake Okafor \(40\) used credits on .* that the pool did not have, imported from Autodesk’s usage export overdraw-export\.csv, uploaded /);
    expect(await page.getByTestId('pool-overdrawn').textContent()).toBe('Overdrawn by 40 credits: nothing left to draw.');
    // The forecast says the same overdraft, not a day the pool runs out.
    const forecastOverdrawn = page.getByTestId('forecast-overdrawn');
    await forecastOverdrawn.waitFor();
    expect(await forecastOverdrawn.textContent()).toBe('40 credits');
    expect(await page.getByTestId('forecast-runs-out').count()).toBe(0);
    await capture(page, 'pool-overdraft');
    await expectAccessible(page, 'the overdrawn pool');

    // An employee sees the overdraft and since when, not who.
    const employee = await env().newPage();
    await openTab(employee, { as: AVERY.email, page: 'pool' });
    const theirs = employee.getByTestId('pool-overdraft');
    await theirs.waitFor();
    expect(await theirs.textContent()).toMatch(/^The pool is overdrawn by 40 credits since .*Autodesk’s usage export shows pool use on .* that the pool did not have\. /);
    expect(await theirs.textContent()).not.toContain('Blake');
    await capture(employee, 'pool-overdraft-employee');

    // IT's alert says overdraft, who and the day, in words.
    const feed = (await api.call(TAYLOR, 'GET', '/api/feed?limit=20')).body.items as { kind: string; message: string }[];
    const alert = feed.find((e) => e.kind === 'alert_reconciliation')!;
    expect(alert.message).toMatch(/^The pool is overdrawn by 40 credits after Autodesk's usage export overdraw-export\.csv: it charged Blake Okafor 40 credits more than the pool held, used on [A-Z][a-z]{2} \d{1,2}, \d{4}\. /);
    expect(pageErrors(page)).toEqual([]);
    expect(pageErrors(employee)).toEqual([]);
    await page.context().close();
    await employee.context().close();
  });

  test('a file with a column the importer does not know is mapped by hand', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    await openTab(page, { as: RILEY.email, page: 'imports' });
    await chooseFile(page, 'usage-odd-columns.csv', 'text/csv', Buffer.from(ODD_HEADER_CSV));
    await state(page).waitFor({ timeout: 60_000 });
    await settle(page);
    expect(await state(page).textContent()).toBe('Needs column mapping');
    const columns = page.getByRole('region', { name: 'Column mapping' });
    await columns.getByRole('group', { name: 'Columns Credit Desk did not recognise' }).getByText('Colleague').waitFor();

    await columns.getByRole('combobox', { name: 'Person’s email' }).click();
    await page.getByRole('option', { name: 'Colleague' }).click();
    await capture(page, 'imports-mapping');
    await expectAccessible(page, 'the column mapping');
    await columns.getByRole('button', { name: 'Check again' }).click();
    await expect.poll(() => state(page).textContent()).toBe('Ready to post');
    expect(await page.getByTestId('import-format').textContent()).toBe('Custom');
    expect(await page.getByTestId('rows-valid').textContent()).toBe('2');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('a file whose dates read both ways asks which comes first, once, and posts nothing before the answer', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    await openTab(page, { as: RILEY.email, page: 'imports' });
    await chooseFile(page, 'usage-slashed-dates.csv', 'text/csv', Buffer.from(AMBIGUOUS_DATES_CSV));
    await state(page).waitFor({ timeout: 60_000 });
    await settle(page);
    expect(await state(page).textContent()).toBe('Needs the date order');
    const question = page.getByTestId('date-order-question');
    await question.getByText('Which comes first, the month or the day?').waitFor();
    expect(await question.getByRole('list', { name: 'Dates from the file' }).textContent()).toContain('11/03/2026 is Nov 3, 2026 if the month comes first, or Mar 11, 2026 if the day does.');
    await capture(page, 'imports-date-question');
    await expectAccessible(page, 'the date-order question');
    await question.getByRole('button', { name: 'Day first' }).click();
    await expect.poll(() => state(page).textContent()).toBe('Ready to post');
    expect(await question.getByRole('button', { name: 'Day first' }).getAttribute('aria-pressed')).toBe('true');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('a damaged Excel workbook is refused with what to do', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    await openTab(page, { as: RILEY.email, page: 'imports' });
    await chooseFile(page, 'usage.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', XLSX_BYTES);
    const refusal = page.getByText('usage.xlsx cannot be imported');
    await refusal.waitFor({ timeout: 60_000 });
    // The server's message says what is wrong and what to do.
    await page.getByText(/Excel workbook/).waitFor();
    await capture(page, 'imports-refused');
    await expectAccessible(page, 'the refusal');
    // The page is ready for another file.
    await page.getByRole('button', { name: 'Choose another file' }).waitFor();
    // The 422 answer itself is logged by the browser as a failed resource; nothing else may be.
    expect(pageErrors(page).filter((e) => !/Failed to load resource: the server responded with a status of 422/.test(e))).toEqual([]);
    await page.context().close();
  });

  test('IT loads the opening balances of go-live: people from the directory become members, the pool gets its balance', { timeout: 120_000 }, async () => {
    const { api } = env();
    const page = await env().newPage();
    await openTab(page, { as: TAYLOR.email, page: 'imports' });
    await page.getByRole('radio', { name: 'Opening balances (go-live)' }).check();
    await page.getByText('Drop the opening balances here').waitFor();
    await capture(page, 'imports-opening-choose');
    const file = ['Email,Display Name,Credits Used,Status', 'uma.newhire@contoso.example,Uma Newhire,0,Pending', 'victor.lee@contoso.example,Victor Lee,25.5,Active', 'nobody@contoso.example,Nobody,3,maybe'].join('\r\n') + '\r\n';
    await chooseFile(page, 'go-live.csv', 'text/csv', Buffer.from(file));
    await state(page).waitFor({ timeout: 60_000 });
    await settle(page);
    expect(await page.getByTestId('import-kind-badge').textContent()).toBe('Opening balances (go-live)');
    expect(await page.getByTestId('import-format').textContent()).toBe('Opening balances');
    expect(await page.getByTestId('rows-refused').textContent()).toBe('1');
    const problems = page.getByRole('table', { name: 'Problems found' });
    await problems.getByRole('row', { name: /^4 / }).waitFor();
    await expect.poll(() => state(page).textContent()).toBe('Ready to post');
    await capture(page, 'imports-opening-preview');
    await expectAccessible(page, 'the opening balances preview');

    const poolBefore = (await api.call(TAYLOR, 'GET', '/api/pool')).body.balance as number;
    await page.getByRole('button', { name: 'Post to the ledger…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Load these opening balances?' });
    await confirm.getByTestId('pool-credits').fill('1200');
    await capture(page, 'imports-opening-confirm');
    await confirm.getByRole('button', { name: 'Load 2 people' }).click();
    await expect.poll(() => state(page).textContent(), { timeout: 60_000 }).toBe('Posted');
    expect(await page.getByTestId('result-posted').textContent()).toBe('2');
    expect(await page.getByTestId('result-pool').textContent()).toMatch(/1,200/);
    await capture(page, 'imports-opening-posted');
    await expectAccessible(page, 'the loaded opening balances');

    expect((await api.call(TAYLOR, 'GET', '/api/pool')).body.balance).toBe(poolBefore + 1200);
    const victor = (await api.call(TAYLOR, 'GET', '/api/members/lookup?email=victor.lee%40contoso.example')).body.member;
    expect(victor).toMatchObject({ registration: { state: 'registered' }, credits: { own: 74.5 } });
    expect((await api.ledgerCheck()).ok).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
