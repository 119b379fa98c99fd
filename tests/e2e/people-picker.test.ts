/**
 * An account manager finds a person with the directory picker on Requests, by keyboard, and raises an
 * account request for them, in a real browser against the local stack (its in-memory demo directory).
 */
import { describe, expect, test } from 'vitest';
import { DIRECTORY_ONLY } from '../../server/local/demo-users.js';
import { RILEY, axeCheck, capture, describeViolations, goToPage, openTab, pageErrors, settle, useE2E } from './support.js';

const env = useE2E({ name: 'people-picker' });
const UMA = DIRECTORY_ONLY.find((u) => u.displayName === 'Uma Newhire')!;

describe('tab: people picker', () => {
  test('an account manager finds someone new in the directory and raises their request', { timeout: 120_000 }, async () => {
    const { api } = env();
    const page = await env().newPage();
    await openTab(page, { as: RILEY.email });
    await goToPage(page, 'Requests');

    const picker = page.getByRole('combobox', { name: 'Find a person in the directory' });
    await picker.click();
    await picker.pressSequentially('uma', { delay: 20 });
    const option = page.getByRole('option', { name: /Uma Newhire/ });
    await option.waitFor();
    await expect.poll(() => option.textContent()).toContain(`${UMA.email} · Seattle`);
    await capture(page, 'people-picker');
    expect(describeViolations(await axeCheck(page))).toBe('');

    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Work email').inputValue()).toBe(UMA.email);
    expect(await page.getByLabel(/^Name/).inputValue()).toBe('Uma Newhire');
    await page.getByRole('button', { name: 'Raise request' }).click();
    await expect.poll(() => page.getByText(`Uma Newhire (${UMA.email}) is now in the queue.`).isVisible()).toBe(true);
    await settle(page);

    // The picker now shows Uma as a member with her request.
    await picker.fill('');
    await picker.pressSequentially('uma', { delay: 20 });
    await expect.poll(() => page.getByRole('option', { name: /Uma Newhire/ }).textContent()).toContain('Requested');

    const found = await api.call(RILEY, 'GET', '/api/directory/search?q=uma');
    expect(found.body.items).toMatchObject([{ id: UMA.id, member: { registrationState: 'requested' } }]);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
