/**
 * The tab's main path in a real browser against the real local stack (fresh, not seeded): an employee
 * requests an account, an account manager marks it created, the employee completes registration and gets
 * 100 credits, logs usage past them and draws on the pool, an account manager applies a purchase and the
 * pool grows, and IT sees both in the feed. People change with the "Demo user" switcher, as in `npm start`.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { EMPLOYEES, MANAGER } from '../support/api.js';
import { QUINN, RILEY, TAYLOR, creditsOf, goToPage, openTab, pageErrors, settle, useE2E } from './support.js';

const env = useE2E({ name: 'tab-flows' });

/** Switches the signed-in demo user with the header's switcher and waits for their landing page. */
async function switchUser(page: Page, displayName: string): Promise<void> {
  await page.getByRole('combobox', { name: 'Demo user' }).click();
  await page.getByRole('option', { name: new RegExp(`^${displayName}`) }).click();
  await expect.poll(() => page.getByRole('combobox', { name: 'Demo user' }).textContent()).toContain(`${displayName} (demo)`);
  await page.getByTestId('own-balance').waitFor();
  await settle(page);
}

const balance = async (page: Page, testId: 'own-balance' | 'pool-balance') => creditsOf(await page.getByTestId(testId).textContent());

describe('tab: from request to pool draw', () => {
  let orderedPurchase: string;

  beforeAll(async () => {
    const { api } = env();
    // The pool: one block applied (100 credits), and a purchase of two blocks ordered, waiting to be applied.
    await api.fillPool(1);
    const created = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 2, reason: 'E2E top-up' } });
    expect(created.status).toBe(201);
    orderedPurchase = created.body.purchase.id;
    for (const step of [
      { type: 'quote_requested' },
      { type: 'quote_received', quoteNumber: 'Q-2002', price: 1100, currency: 'USD' },
      { type: 'approved' },
      { type: 'ordered', poNumber: 'PO-88' },
    ]) {
      const moved = await api.call(MANAGER, 'POST', `/api/purchases/${orderedPurchase}/events`, { body: step });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    }
  });

  test('employee registers, logs usage past their credits; a manager applies a purchase; IT sees both', { timeout: 180_000 }, async () => {
    const { api } = env();
    const page = await env().newPage();

    // 1. Quinn has never asked: My credits sends them to Registration, where they request an account.
    await openTab(page, { as: QUINN.email });
    expect(await balance(page, 'own-balance')).toBe(0);
    // A Fluent Link without an href is a button; either way it is named "Go to registration".
    await page.getByRole('link', { name: 'Go to registration' }).or(page.getByRole('button', { name: 'Go to registration' })).click();
    await settle(page);
    await page.getByRole('button', { name: 'Request my Autodesk account' }).click();
    await expect.poll(() => page.getByText('An account manager is adding you').isVisible()).toBe(true);

    // 2. Riley finds the request on Requests and marks the account created.
    await switchUser(page, RILEY.displayName);
    await goToPage(page, 'Requests');
    const requests = page.getByRole('table', { name: 'Registration requests' });
    await requests.getByRole('row', { name: new RegExp(QUINN.displayName) }).waitFor();
    await page.getByRole('button', { name: `Actions for ${QUINN.displayName}` }).click();
    await page.getByRole('menuitem', { name: 'Mark account created' }).click();
    await expect.poll(() => requests.getByText('Account created. They will get an email from Autodesk.').isVisible()).toBe(true);

    // 3. Quinn finds the Autodesk email, says so, and their 100 credits are on My credits.
    await switchUser(page, QUINN.displayName);
    await goToPage(page, 'Registration');
    await page.getByRole('button', { name: "I've completed registration" }).click();
    await expect.poll(() => page.getByText("You're registered").isVisible()).toBe(true);
    await goToPage(page, 'My credits');
    expect(await balance(page, 'own-balance')).toBe(100);
    expect(await balance(page, 'pool-balance')).toBe(100);

    // 4. Quinn logs 120 credits: their own 100 first, then 20 from the pool.
    await page.getByRole('button', { name: 'Log usage' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log usage' });
    await dialog.getByLabel('Credits').fill('120');
    await dialog.getByRole('button', { name: 'Log usage' }).click();
    await expect.poll(() => dialog.getByText(/100 from your own credits and 20 from the shared pool/).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => balance(page, 'own-balance')).toBe(0);
    expect(await balance(page, 'pool-balance')).toBe(80);

    // 5. Riley moves the ordered purchase to applied on the Purchases board; the pool grows by 200.
    await switchUser(page, RILEY.displayName);
    await goToPage(page, 'Purchases');
    const ordered = page.getByRole('region', { name: 'Ordered' });
    await ordered.getByText('2 blocks · 200 credits').waitFor();
    await ordered.getByRole('button', { name: 'Credits applied…' }).click();
    const apply = page.getByRole('dialog', { name: 'Credits applied to the pool' });
    await apply.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByText('Purchase of 2 blocks is now “Applied”.').isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('region', { name: 'Ordered' }).getByText('None').isVisible()).toBe(true);
    // The Pool page (and My credits, on every visit) reads the pool afresh.
    await goToPage(page, 'Pool');
    await expect.poll(() => balance(page, 'pool-balance')).toBe(280);
    await page.getByRole('table', { name: 'Lots' }).getByRole('row', { name: /E2E top-up/ }).waitFor();

    // 6. Taylor (IT) sees the pool draw and the applied purchase in the Feed.
    await switchUser(page, TAYLOR.displayName);
    await goToPage(page, 'Feed');
    const feed = page.getByRole('list', { name: 'Pool changes and alerts' });
    await expect.poll(() => feed.getByText(`${QUINN.displayName} drew 20 credits from the pool`).isVisible()).toBe(true);
    await expect.poll(() => feed.getByText(/Purchase of 2 blocks.* applied: 200 credits added to the pool\./).first().isVisible()).toBe(true);

    // The API agrees, and the ledger still balances.
    const me = await api.call(QUINN, 'GET', '/api/me');
    expect(me.body.credits).toMatchObject({ own: 0, pool: 280 });
    expect((await api.ledgerCheck()).ok).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('a double-clicked "Log usage" submit creates one transfer', { timeout: 90_000 }, async () => {
    const { api } = env();
    const avery = EMPLOYEES[0]!;
    await api.register(avery);
    const page = await env().newPage();
    await openTab(page, { as: avery.email });
    expect(await balance(page, 'own-balance')).toBe(100);

    await page.getByRole('button', { name: 'Log usage' }).click();
    const dialog = page.getByRole('dialog', { name: 'Log usage' });
    await dialog.getByLabel('Credits').fill('5');
    await dialog.getByRole('button', { name: 'Log usage' }).dblclick();
    await expect.poll(() => dialog.getByText(/5 from your own credits/).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => balance(page, 'own-balance')).toBe(95);

    const history = await api.call(avery, 'GET', '/api/usage');
    const usage = (history.body.items as { code: string; postingId: string }[]).filter((t) => t.code === 'usage_individual' || t.code === 'usage_pool');
    expect(new Set(usage.map((t) => t.postingId)).size).toBe(1);
    expect((await api.call(avery, 'GET', '/api/me')).body.credits.own).toBe(95);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('popups open with a mouse click and leave the page visible behind them', async () => {
    const page = await env().newPage();
    await openTab(page, { as: RILEY.email });
    await page.getByRole('combobox', { name: 'Demo user' }).click();
    const layers = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('[data-portal-node]')].map((node) => {
        const style = getComputedStyle(node);
        const box = node.getBoundingClientRect();
        return { covers: box.width >= innerWidth && box.height >= innerHeight, background: style.backgroundColor };
      }),
    );
    const covering = layers.filter((l) => l.covers && l.background !== 'rgba(0, 0, 0, 0)');
    expect(
      covering,
      'A portal mount node covers the whole window with an opaque background: FluentProvider copies its className ' +
        'to portals (applyStylesToPortals defaults to true), so page styles (min-height: 100%, background) on it ' +
        'turn every popup into a full-window layer. Keep such styles on an element inside the provider.',
    ).toEqual([]);
    await expect.poll(() => page.getByRole('option', { name: /^Avery Chen/ }).isVisible()).toBe(true);
    await page.context().close();
  });
});
