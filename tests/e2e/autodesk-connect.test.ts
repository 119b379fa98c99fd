/**
 * Autodesk connected end to end, on the local stack as `npm start -- --flex` runs it: the demo firm on Flex
 * tokens, the Autodesk stand-in wired with the real APS clients. IT connects Token Flex in Settings through
 * the stand-in's consent page (the window the click opens), presses "Pull now" on Imports and sees the
 * card's rows posted and the entries people logged settled. Screenshots of both cards go to
 * test-artifacts/screens/autodesk-*.png.
 */
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { UsageSourcesResponse } from '../../src/contract/index.js';
import { SCREENS_DIR, TAYLOR, axeCheck, describeViolations, goToPage, openTab, pageErrors, settle, useE2E } from './support.js';

const env = useE2E({ name: 'autodesk-connect', seed: 'flex', autodesk: true });

async function shoot(locator: import('playwright-core').Locator, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await locator.screenshot({ path: path.join(SCREENS_DIR, `${name}-light.png`), animations: 'disabled', caret: 'hide' });
}

describe('connecting Autodesk and pulling usage (Flex tokens demo)', () => {
  test("IT connects Token Flex by an admin's consent, pulls now, and the logged entries are settled", { timeout: 180_000 }, async () => {
    const { autodesk, api } = env();
    const page = await env().newPage();
    await openTab(page, { as: TAYLOR.email, page: 'settings' });
    const card = page.getByRole('region', { name: 'Autodesk' });
    await card.getByRole('button', { name: 'Connect Token Flex usage' }).waitFor();
    // A Flex tokens tenant: nothing stands between IT and the button.
    expect(await card.getByText('Flex tokens first').count()).toBe(0);

    const opened = page.waitForEvent('popup');
    await card.getByRole('button', { name: 'Connect Token Flex usage' }).click();
    const consent = await opened;
    await consent.getByRole('button', { name: 'Allow' }).waitFor({ timeout: 30_000 });
    expect(consent.url().startsWith(`${autodesk!.url}/authentication/v2/authorize?`)).toBe(true);
    const closed = consent.waitForEvent('close', { timeout: 30_000 });
    await consent.getByRole('button', { name: 'Allow' }).click();
    // The callback page says it, then closes itself; Settings reads the connections again.
    await consent.getByText('Autodesk is connected').waitFor({ timeout: 30_000 });
    await closed;
    await card.getByText('Token Flex usage connected').waitFor({ timeout: 30_000 });
    expect(await card.getByRole('group', { name: 'Token Flex usage', exact: true }).textContent()).toMatch(/By Taylor Systems on .*with an admin's consent/);
    await settle(page);
    await shoot(card, 'autodesk-settings-card');
    expect(describeViolations(await axeCheck(page))).toBe('');

    await goToPage(page, 'Imports');
    const source = page.getByTestId('usage-source-token_flex');
    await source.getByText('None yet').first().waitFor();
    await source.getByRole('button', { name: 'Pull now' }).click();
    // The card asks again while the pull runs: rows posted and entries settled appear once it ends.
    await source.getByText(/logged entr(y|ies) settled/).waitFor({ timeout: 120_000 });
    const rows = await source.locator('dd').nth(2).textContent();
    expect(rows).toMatch(/^[\d,]+ for .*; \d+ logged entr(y|ies) settled$/);
    await settle(page);
    await shoot(source, 'autodesk-imports-card');
    expect(describeViolations(await axeCheck(page))).toBe('');

    const status = UsageSourcesResponse.parse((await api.call(TAYLOR, 'GET', '/api/usage/sources')).body).sources[0]!;
    expect(status).toMatchObject({ kind: 'token_flex', connection: 'connected', lastError: null });
    expect(status.lastPull!.settled).toBeGreaterThan(0);
    expect(rows).toContain(`${status.lastPull!.settled} logged`);
    expect(pageErrors(page)).toEqual([]);
  });
});
