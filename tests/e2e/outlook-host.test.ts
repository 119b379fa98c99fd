/**
 * The pane in the Outlook host stand-in (server/local/hosts/outlook-host-page.ts) with the Office.js
 * stand-in (office-standin.ts) and the real msal-browser of the production build: nested app
 * authentication where Outlook has NestedAppAuth 1.1, Office's dialog where it has not, token renewal.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { E2E_API_SCOPE, E2E_CLIENT_ID } from './shared-web.js';
import { RILEY, useE2E } from './support.js';
import type { ApiCall } from './host-support.js';
import { app, count, declineAtEntra, hostLog, watchApi } from './host-support.js';

const env = useE2E({ name: 'outlook-host', https: true });

async function openInOutlook(switches: Record<string, string>): Promise<{ page: Page; calls: ApiCall[] }> {
  const page = await env().newPage();
  const calls = watchApi(page);
  await page.goto(`/hosts/outlook.html?${new URLSearchParams({ as: RILEY.email, sample: 'new-starter', ...switches })}`, { timeout: 90_000 });
  return { page, calls };
}

const accountRequest = (page: Page) => app(page).getByText('Account request', { exact: true });
const signInButton = (page: Page) => app(page).getByRole('button', { name: 'Sign in' });

describe('Outlook host', () => {
  test('NestedAppAuth 1.1: the pane gets its token from Outlook through the bridge and reads the open message', async () => {
    const { page, calls } = await openInOutlook({ naa: 'on' });
    await accountRequest(page).waitFor({ timeout: 60_000 });

    const log = await hostLog(page);
    expect(log).toEqual(expect.arrayContaining(['hello', 'naa']));
    expect(calls.find((c) => c.byApp && c.path === '/api/me')).toMatchObject({ status: 200, bearer: true });
    // The pane took Outlook's path, not the dev identity's sample messages.
    expect(calls.filter((c) => c.byApp && c.path.startsWith('/api/dev/'))).toEqual([]);
    expect(await app(page).getByRole('region', { name: 'Dev mode' }).count()).toBe(0);
  });

  test("without NestedAppAuth 1.1: Sign in opens Office's dialog on the sign-in page, which goes to Entra and answers with messageParent", async () => {
    const { page, calls } = await openInOutlook({ naa: 'off' });
    const authorize = await declineAtEntra(page.context());
    await signInButton(page).waitFor({ timeout: 60_000 });
    expect(count(await hostLog(page), 'naa')).toBe(0);

    const dialogOpens = page.waitForEvent('popup');
    await signInButton(page).click();
    const dialog = await dialogOpens;
    const opened = new URL(dialog.url());
    expect(opened.pathname).toBe('/auth.html');
    expect(Object.fromEntries(opened.searchParams)).toEqual({ for: 'outlook', scopes: E2E_API_SCOPE });

    await app(page).getByText('Credit Desk did not get permission to sign you in.', { exact: false }).waitFor({ timeout: 30_000 });
    expect(authorize).toHaveLength(1);
    expect([authorize[0]!.searchParams.get('client_id'), authorize[0]!.searchParams.get('redirect_uri')]).toEqual([E2E_CLIENT_ID, `${env().baseUrl}/auth.html`]);
    expect(await hostLog(page)).toEqual(expect.arrayContaining(['displayDialog', 'dialog: hello', 'dialog: messageParent', 'closeDialog']));
    expect(calls.filter((c) => c.byApp && c.path.startsWith('/api/dev/'))).toEqual([]);
  });

  test("without NestedAppAuth 1.1: the person closes Office's dialog (12006), and the pane says so and offers Sign in again", async () => {
    const { page } = await openInOutlook({ naa: 'off' });
    await declineAtEntra(page.context());
    await signInButton(page).waitFor({ timeout: 60_000 });
    const dialogOpens = page.waitForEvent('popup');
    await signInButton(page).click();
    await (await dialogOpens).close();

    await app(page).getByText('Signing in was stopped before it finished.', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await signInButton(page).isEnabled()).toBe(true);
  });

  test('token expiry: when another message opens, a token about to run out is renewed through the bridge; a fresh one is reused', async () => {
    const renewals = async (tokenSeconds: string) => {
      const { page, calls } = await openInOutlook({ naa: 'on', tokenSeconds });
      await accountRequest(page).waitFor({ timeout: 60_000 });
      const before = count(await hostLog(page), 'naa');
      const apiBefore = calls.length;
      // Outlook opens another message in the pinned pane (ItemChanged): the pane reads it and calls the API.
      await page.getByLabel('Open message').selectOption('quote');
      await expect.poll(() => calls.length).toBeGreaterThan(apiBefore);
      await app(page).getByText('Account request', { exact: true }).waitFor({ state: 'detached' });
      expect(calls.filter((c) => c.byApp && !c.path.startsWith('/api/dev/') && c.status !== 200)).toEqual([]);
      return count(await hostLog(page), 'naa') - before;
    };
    expect(await renewals('60')).toBeGreaterThan(0);
    expect(await renewals('3600')).toBe(0);
  });
});
