/**
 * The Outlook pane in a real browser at the task pane's width, against the local stack with demo data: dev
 * mode reads sample messages through the same Office.js reader as Outlook. An account manager acts on an
 * account request and on a reseller quote; other emails show the queues.
 */
import { describe, expect, test } from 'vitest';
import { DIRECTORY_ONLY } from '../../server/local/demo-users.js';
import { PANE_WIDTH, QUINN, RILEY, axeCheck, capture, describeViolations, openPane, pageErrors, settle, useE2E } from './support.js';

const env = useE2E({ name: 'outlook-pane', seed: true });
const UMA = DIRECTORY_ONLY.find((u) => u.displayName === 'Uma Newhire')!;

interface Purchase {
  id: string;
  state: string;
  quoteNumber: string | null;
  price: number | null;
  currency: string | null;
  reason: string | null;
}

const purchases = async () => (await env().api.call(RILEY, 'GET', '/api/purchases?limit=200')).body.items as Purchase[];

/** The page is no wider than the pane: nothing scrolls sideways. */
const fitsThePane = async (page: import('playwright-core').Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PANE_WIDTH);

describe('Outlook pane', () => {
  test('a new starter asks for an account: the manager raises the request, then marks the account created', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    await openPane(page, { as: RILEY.email, sample: 'new-starter' });

    await expect.poll(() => page.getByText('Account request', { exact: true }).isVisible()).toBe(true);
    const card = page.getByRole('group', { name: `Uma Newhire, ${UMA.email}` });
    await card.waitFor();
    expect(await card.textContent()).toContain('Seattle');
    await fitsThePane(page);
    await capture(page, 'pane-registration');
    expect(describeViolations(await axeCheck(page))).toBe('');

    // Nothing is written before the manager confirms.
    await card.getByRole('button', { name: 'Raise request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Raise an account request' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(UMA.email);
    expect((await env().api.call(RILEY, 'GET', `/api/members/lookup?email=${UMA.email}`)).body.member).toBeNull();
    await dialog.getByRole('button', { name: 'Raise request' }).click();
    await expect.poll(() => page.getByText(/Request raised/).isVisible()).toBe(true);
    await settle(page);
    await expect.poll(() => card.getByText('Requested', { exact: true }).isVisible()).toBe(true);

    await card.getByRole('button', { name: 'Mark account created' }).click();
    await expect.poll(() => page.getByText(/Account created recorded/).isVisible()).toBe(true);
    await settle(page);
    const stored = await env().api.call(RILEY, 'GET', `/api/members/lookup?email=${UMA.email}`);
    expect(stored.body.member.registration.state).toBe('account_created');
    expect(stored.body.member.registration.history.map((h: { event: string }) => h.event)).toEqual(['requested', 'account_created']);
    await capture(page, 'pane-registration-done');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('a request for a colleague names both people; an unknown address gets a way forward', { timeout: 90_000 }, async () => {
    const page = await env().newPage();
    await openPane(page, { as: RILEY.email, sample: 'for-colleague' });
    const people = page.getByRole('tablist', { name: 'People in this email' });
    await people.waitFor();
    // The person the email is for comes first, then the sender who asked.
    const tabs = people.getByRole('tab');
    expect(await tabs.count()).toBe(2);
    expect(await tabs.nth(0).getAttribute('aria-selected')).toBe('true');
    expect(await tabs.nth(0).textContent()).toContain('Victor Lee');
    expect(await tabs.nth(1).textContent()).toContain('Emery Rossi');
    await page.getByRole('group', { name: /^Victor Lee, victor\.lee@/ }).waitFor();
    await capture(page, 'pane-several-people');

    // Jordan's account was created days ago and they never registered: the card says they are stuck.
    await openPane(page, { as: RILEY.email, sample: 'waiting' });
    const jordan = page.getByRole('group', { name: /^Jordan Alvarez, / });
    await jordan.waitFor();
    await expect.poll(() => jordan.getByText(/Waiting longer than expected/).isVisible()).toBe(true);
    expect(await jordan.getByRole('button').allTextContents()).toEqual(['Already registered', 'Decline…']);

    await openPane(page, { as: RILEY.email, sample: 'unknown-address' });
    await expect.poll(() => page.getByText("Not in the firm's directory").isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Raise request' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Open Requests in Credit Desk' }).getAttribute('href')).toMatch(/\/index\.html#\/registrations$/);
    await capture(page, 'pane-unknown-address');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('a reseller quote is read, confirmed and recorded on the open purchase; a second time it is refused', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    const before = await purchases();
    // Two open purchases of one block: the quote answers the one a quote was asked for, not the one only raised.
    const spare = before.find((p) => p.reason === 'Seattle office')!;
    expect(spare.state).toBe('quote_requested');
    expect(before.find((p) => p.reason === 'Spare block for December')!.state).toBe('requested');

    await openPane(page, { as: RILEY.email, sample: 'quote', theme: 'dark' });
    await expect.poll(() => page.getByText('Reseller quote', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByLabel('Quote number').inputValue()).toBe('Q-2026-0412');
    expect(await page.getByLabel('Total').inputValue()).toBe('550');
    expect(await page.getByRole('combobox', { name: 'Currency' }).inputValue()).toBe('USD');
    const target = page.getByRole('radio', { name: /Seattle office/ });
    expect(await target.isChecked()).toBe(true);
    await fitsThePane(page);
    await capture(page, 'pane-quote');
    expect(describeViolations(await axeCheck(page))).toBe('');

    await page.getByRole('button', { name: 'Record quote on purchase' }).click();
    await expect.poll(() => page.getByText('Quote Q-2026-0412 recorded').isVisible()).toBe(true);
    const after = (await purchases()).find((p) => p.id === spare.id)!;
    expect(after).toMatchObject({ state: 'quote_received', quoteNumber: 'Q-2026-0412', price: 550, currency: 'USD' });
    expect((await purchases()).length).toBe(before.length);

    // The same email again: the quote is already on a purchase, and the pane will not record it twice.
    await openPane(page, { as: RILEY.email, sample: 'quote', theme: 'dark' });
    await expect.poll(() => page.getByText('Already recorded').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /Record quote|Create purchase/ }).isDisabled()).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('a quote without readable figures asks for them and writes nothing until they are given', { timeout: 90_000 }, async () => {
    const page = await env().newPage();
    const before = await purchases();
    await openPane(page, { as: RILEY.email, sample: 'quote-unreadable' });
    await expect.poll(() => page.getByText('Reseller quote', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Not found in the email: type it from the quote.').count()).toBeGreaterThanOrEqual(2);
    await page.getByRole('radio', { name: 'A new purchase from this quote' }).check();
    await page.getByRole('button', { name: 'Create purchase with this quote' }).click();
    await expect.poll(() => page.getByText('Type the quote total, e.g. 550.00.').isVisible()).toBe(true);
    expect(await purchases()).toEqual(before);
    await capture(page, 'pane-quote-missing');

    await page.getByLabel('Quote number').fill('QUO-88231');
    await page.getByLabel('Total').fill('1,100.00');
    await page.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
    await page.getByLabel('Blocks').fill('2');
    await page.getByRole('button', { name: 'Create purchase with this quote' }).click();
    await expect.poll(() => page.getByText('Quote QUO-88231 recorded').isVisible()).toBe(true);
    const created = (await purchases()).filter((p) => !before.some((b) => b.id === p.id));
    expect(created).toEqual([expect.objectContaining({ state: 'quote_received', quoteNumber: 'QUO-88231', price: 1100, currency: 'EUR', reason: 'Quote QUO-88231' })]);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('any other email shows the queues with links into the tab; an employee is pointed to the tab', { timeout: 90_000 }, async () => {
    const page = await env().newPage();
    await openPane(page, { as: RILEY.email, sample: 'unrelated' });
    const queues = page.getByRole('region', { name: 'Queues at a glance' });
    await queues.waitFor();
    const text = await queues.textContent();
    expect(text).toMatch(/Account requests waiting: \d+/);
    expect(text).toMatch(/Purchases in flight: [1-9]/);
    expect(text).toMatch(/Pool: [\d,.]+ credits/);
    expect(await queues.getByRole('link', { name: 'Open Purchases' }).getAttribute('href')).toMatch(/\/index\.html#\/purchases$/);
    await fitsThePane(page);
    await capture(page, 'pane-queues');
    expect(describeViolations(await axeCheck(page))).toBe('');

    await page.goto(`/pane.html?as=${encodeURIComponent(QUINN.email)}&sample=quote`);
    await page.getByText('For account managers').waitFor({ timeout: 30_000 });
    expect(await page.getByRole('main', { name: 'Credit Desk' }).count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
