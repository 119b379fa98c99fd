/**
 * Holds in a real browser against the real local stack (DESIGN 3.5, issue 7): an employee reserves credits
 * on My credits (own first, then the pool), sees the hold with when it lapses, voids it, reserves again and
 * logs the job, which settles the hold. Screenshots of My credits with a hold and of the dialog go to
 * test-artifacts/screens.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { QUINN, axeCheck, capture, creditsOf, describeViolations, openTab, pageErrors, settle, useE2E } from './support.js';

const env = useE2E({ name: 'holds' });

const figure = async (page: Page, testId: 'own-balance' | 'pool-balance' | 'available') => creditsOf(await page.getByTestId(testId).textContent());

describe('tab: reserving credits', () => {
  beforeAll(async () => {
    const { api } = env();
    await api.register(QUINN);
    await api.fillPool(1);
  });

  test('reserve from My credits, see the hold, void it; reserve again and settle it by logging the job', { timeout: 180_000 }, async () => {
    const { api } = env();
    const page = await env().newPage();
    await openTab(page, { as: QUINN.email });
    expect(await figure(page, 'own-balance')).toBe(100);
    await page.getByText('Nothing reserved').waitFor();

    // 1. Reserve 120: the dialog says 100 from own credits and 20 from the pool before anything is sent.
    await page.getByRole('button', { name: 'Reserve credits' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reserve credits' });
    await dialog.getByRole('combobox', { name: 'Service' }).click();
    await page.getByRole('option', { name: 'Simulation' }).click();
    await dialog.getByLabel('Credits').fill('120');
    await dialog.getByLabel('Note (optional)').fill('Tower wind study, north façade');
    await expect.poll(() => dialog.getByText('100 from your own credits and 20 from the shared pool.').isVisible()).toBe(true);
    await capture(page, 'reserve-credits');
    expect(describeViolations(await axeCheck(page))).toBe('');
    await dialog.getByRole('button', { name: 'Reserve', exact: true }).dblclick();
    await expect.poll(() => dialog.getByText(/120 credits held for you until/).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });

    // 2. My credits: own credits and the pool are less what is held; the hold is listed with its split.
    await expect.poll(() => figure(page, 'own-balance')).toBe(0);
    expect(await figure(page, 'pool-balance')).toBe(80);
    expect(await figure(page, 'available')).toBe(80);
    await expect.poll(() => page.getByTestId('held').textContent()).toBe('120 held for planned jobs: 100 of your own and 20 from the pool.');
    const table = page.getByRole('table', { name: 'Open holds' });
    await table.getByText('Tower wind study, north façade').waitFor();
    expect(await table.textContent()).toMatch(/100 own · 20 pool/);
    await expect.poll(() => table.getByText('in 7 days').isVisible()).toBe(true);
    await settle(page);
    await capture(page, 'my-credits-hold');
    expect(describeViolations(await axeCheck(page))).toBe('');
    const held = await api.call(QUINN, 'GET', '/api/holds?state=held');
    expect(held.body.items).toHaveLength(1);
    expect((await api.call(QUINN, 'GET', '/api/pool')).body).toMatchObject({ balance: 80, held: 20 });

    // 3. Void it: everything goes back where it came from.
    await page.getByRole('button', { name: 'Void the hold of 120 credits for Simulation' }).click();
    await page.getByText('Nothing reserved').waitFor();
    await expect.poll(() => figure(page, 'own-balance')).toBe(100);
    expect(await figure(page, 'pool-balance')).toBe(100);
    expect((await api.call(QUINN, 'GET', '/api/holds?state=voided')).body.items).toHaveLength(1);

    // 4. Reserve 30 again, then log the job (25): the dialog says the hold is settled, and the rest goes back.
    await page.getByRole('button', { name: 'Reserve credits' }).click();
    await dialog.getByLabel('Credits').fill('30');
    await dialog.getByRole('button', { name: 'Reserve', exact: true }).click();
    await expect.poll(() => dialog.getByText(/30 credits held for you until/).isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => figure(page, 'own-balance')).toBe(70);
    await page.getByRole('button', { name: 'Log usage' }).click();
    const log = page.getByRole('dialog', { name: 'Log usage' });
    await expect.poll(() => log.getByText(/This settles your hold of 30 for cloud rendering/).isVisible()).toBe(true);
    await log.getByLabel('Credits').fill('25');
    await log.getByRole('button', { name: 'Log usage' }).click();
    await expect.poll(() => log.getByText(/Your hold of 30 is settled/).isVisible()).toBe(true);
    await log.getByRole('button', { name: 'Done' }).click();
    await page.getByText('Nothing reserved').waitFor();
    await expect.poll(() => figure(page, 'own-balance')).toBe(75);
    // The settled hold says what settled it (issue 19).
    await page.getByRole('region', { name: 'Recently settled holds' }).getByText(/Settled by 25 credits of cloud rendering used .+, logged by you\./).waitFor();

    expect((await api.call(QUINN, 'GET', '/api/me')).body.credits).toEqual({ own: 75, pool: 100, held: 0, available: 175 });
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
