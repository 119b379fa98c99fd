/**
 * The pane in the Outlook host stand-in (server/local/hosts/outlook-host-page.ts) with the Office.js
 * stand-in (office-standin.ts) and the real msal-browser of the production build: nested app
 * authentication where Outlook has NestedAppAuth 1.1, Office's dialog where it has not, token renewal.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { RILEY, settle, useE2E } from './support.js';
import type { ApiCall } from './host-support.js';
import { answerAtEntra, app, claimsOf, count, hostLog, nextApiAnswer, watchApi, watchAuthorize, watchTokenGrants } from './host-support.js';

const env = useE2E({ name: 'outlook-host', https: true });
const entra = inject('e2eEntra');
// The app signs in at the Entra ID stand-in: Outlook's accounts are in its environment (MSAL finds cached ones only there).
const cloud = new URL(entra.url).host;

async function openInOutlook(switches: Record<string, string>): Promise<{ page: Page; calls: ApiCall[] }> {
  const page = await env().newPage();
  const calls = watchApi(page);
  await page.goto(`/hosts/outlook.html?${new URLSearchParams({ as: RILEY.email, sample: 'new-starter', cloud, ...switches })}`, { timeout: 90_000 });
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

  test("without NestedAppAuth 1.1: Sign in opens Office's dialog on the sign-in page; the person picks their account at Entra and the pane calls the API as them", async () => {
    const { page, calls } = await openInOutlook({ naa: 'off' });
    const authorize = watchAuthorize(page.context());
    await signInButton(page).waitFor({ timeout: 60_000 });
    expect(count(await hostLog(page), 'naa')).toBe(0);

    const dialogOpens = page.waitForEvent('popup');
    await signInButton(page).click();
    const dialog = await dialogOpens;
    const opened = new URL(dialog.url());
    expect(opened.pathname).toBe('/auth.html');
    expect(Object.fromEntries(opened.searchParams)).toEqual({ for: 'outlook', scopes: entra.apiScope });

    // The page goes to Entra (the stand-in) with MSAL; the person picks themself; the page answers with messageParent.
    const me = nextApiAnswer(page, '/api/me');
    await answerAtEntra(dialog, RILEY);
    const answer = await me;
    expect(answer).toMatchObject({ status: 200, body: { member: { id: RILEY.id, email: RILEY.email } } });
    expect(claimsOf(answer.authorization)).toMatchObject({ iss: `${entra.url}/${env().stack.tenant}/v2.0`, aud: entra.clientId, oid: RILEY.id, scp: 'access_as_user' });
    await accountRequest(page).waitFor({ timeout: 60_000 });
    // The pane closes the dialog once it has the answer.
    await expect.poll(() => dialog.isClosed()).toBe(true);

    expect(authorize).toHaveLength(1);
    expect([authorize[0]!.searchParams.get('client_id'), authorize[0]!.searchParams.get('redirect_uri')]).toEqual([entra.clientId, `${env().baseUrl}/auth.html`]);
    expect(await hostLog(page)).toEqual(expect.arrayContaining(['displayDialog', 'dialog: hello', 'dialog: messageParent', 'closeDialog']));
    expect(calls.filter((c) => c.byApp && c.path.startsWith('/api/dev/'))).toEqual([]);
  });

  test("without NestedAppAuth 1.1: the person cancels at Entra in Office's dialog, and the pane says permission was not given", async () => {
    const { page } = await openInOutlook({ naa: 'off' });
    await signInButton(page).waitFor({ timeout: 60_000 });
    const dialogOpens = page.waitForEvent('popup');
    await signInButton(page).click();
    await answerAtEntra(await dialogOpens, 'cancel');

    await app(page).getByText('Credit Desk did not get permission to sign you in.', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await hostLog(page)).toEqual(expect.arrayContaining(['dialog: messageParent', 'closeDialog']));
    expect(await signInButton(page).isEnabled()).toBe(true);
  });

  test("without NestedAppAuth 1.1: the person closes Office's dialog (12006), and the pane says so and offers Sign in again", async () => {
    const { page } = await openInOutlook({ naa: 'off' });
    await signInButton(page).waitFor({ timeout: 60_000 });
    const dialogOpens = page.waitForEvent('popup');
    await signInButton(page).click();
    await (await dialogOpens).close();

    await app(page).getByText('Signing in was stopped before it finished.', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await signInButton(page).isEnabled()).toBe(true);
  });

  test("without NestedAppAuth 1.1: an hour later the pane's token has run out, and MSAL renews it silently with the refresh token Entra gave Office's dialog", async () => {
    const page = await env().newPage();
    // The browser's clock, which Outlook, the pane and the dialog share, so that an hour can pass.
    await page.clock.install();
    const grants = watchTokenGrants(page.context());
    await page.goto(`/hosts/outlook.html?${new URLSearchParams({ as: RILEY.email, sample: 'new-starter', cloud, naa: 'off' })}`, { timeout: 90_000 });
    await signInButton(page).waitFor({ timeout: 60_000 });
    const dialogOpens = page.waitForEvent('popup');
    await signInButton(page).click();
    const signedIn = nextApiAnswer(page, '/api/me');
    await answerAtEntra(await dialogOpens, RILEY);
    const first = claimsOf((await signedIn).authorization);
    await accountRequest(page).waitFor({ timeout: 60_000 });
    await settle(page.frames()[1] as unknown as Page);
    expect(grants).toEqual(['authorization_code']);

    await page.clock.fastForward('01:01:00');
    // Outlook opens another message in the pinned pane (ItemChanged): the pane reads it and calls the API.
    const next = nextApiAnswer(page);
    await page.getByLabel('Open message').selectOption('quote');
    const answer = await next;
    expect(answer.status).toBe(200);
    const renewed = claimsOf(answer.authorization);
    expect(renewed).toMatchObject({ oid: RILEY.id, iss: first.iss });
    expect(renewed.uti).not.toBe(first.uti);
    // Renewed at Entra with the refresh token, without Office's dialog or the person.
    expect(grants).toEqual(['authorization_code', 'refresh_token']);
    expect(count(await hostLog(page), 'displayDialog')).toBe(1);
    expect(await signInButton(page).count()).toBe(0);
  });

  test('token expiry: when another message opens, a token about to run out is renewed through the bridge; a fresh one is reused', async () => {
    const renewals = async (tokenSeconds: string) => {
      const { page, calls } = await openInOutlook({ naa: 'on', tokenSeconds });
      await accountRequest(page).waitFor({ timeout: 60_000 });
      // The first loads finish first: a late answer to one of them is not the new message's call.
      await settle(page.frames()[1] as unknown as Page);
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
