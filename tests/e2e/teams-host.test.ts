/**
 * The tab in the Teams host stand-in (server/local/hosts/teams-host-page.ts), with the real teams-js and
 * msal-browser of the production build: nested app authentication where Teams recommends it, Teams'
 * sign-in window where it does not, Teams mobile's native bridge, theme and deep link, token renewal.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { inject } from 'vitest';
import { QUINN, settle, useE2E } from './support.js';
import type { ApiCall } from './host-support.js';
import { answerAtEntra, app, asTeamsMobile, claimsOf, count, hostLog, nextApiAnswer, watchApi, watchAuthorize, watchTokenGrants } from './host-support.js';

// https: Teams opens its sign-in window only on an https address (teams-js refuses any other).
const env = useE2E({ name: 'teams-host', https: true });
const entra = inject('e2eEntra');

// The app signs in at the Entra ID stand-in: Teams' accounts are in its environment (MSAL finds cached ones only there).
const cloud = new URL(entra.url).host;
const teams = (switches: Record<string, string>) => `/hosts/teams.html?${new URLSearchParams({ as: QUINN.email, cloud, ...switches })}`;

/** Opens the tab in the Teams stand-in and waits for it to show its pages. */
async function openInTeams(switches: Record<string, string>): Promise<{ page: Page; calls: ApiCall[] }> {
  const page = await env().newPage();
  const calls = watchApi(page);
  await page.goto(teams(switches), { timeout: 90_000 });
  return { page, calls };
}

const shell = (page: Page) => app(page).getByRole('navigation', { name: 'Credit Desk pages' });
const signInBar = (page: Page) => app(page).getByRole('button', { name: 'Sign in' });

/** The tab's page background (Fluent's token on its provider): white, Teams dark's grey or high contrast's black. */
const tabBackground = (page: Page) => page.frames()[1]!.evaluate(() => getComputedStyle(document.querySelector('.fui-FluentProvider')!).getPropertyValue('--colorNeutralBackground1').trim());

describe('Teams host', () => {
  test('nested app auth: the tab gets its token from Teams through the bridge and the API takes it', async () => {
    const { page, calls } = await openInTeams({ naa: 'on' });
    await shell(page).waitFor({ timeout: 60_000 });

    const log = await hostLog(page);
    expect(log).toEqual(expect.arrayContaining(['initialize', 'getContext', 'nestedAppAuth GetInitContext', 'nestedAppAuth GetToken']));
    expect(log).not.toContain('authentication.authenticate');
    expect(calls.find((c) => c.byApp && c.path === '/api/me')).toMatchObject({ status: 200, bearer: true });
    // The tab never fell back to the dev identity.
    expect(calls.filter((c) => c.byApp && c.path.startsWith('/api/dev/'))).toEqual([]);
  });

  test("Teams' theme and deep link: the tab opens the linked page in Teams' theme and follows a theme change", async () => {
    const { page } = await openInTeams({ naa: 'on', theme: 'dark', page: 'pool' });
    await shell(page).waitFor({ timeout: 60_000 });
    expect(await shell(page).getByRole('tab', { name: 'Pool', exact: true }).getAttribute('aria-selected')).toBe('true');
    expect(await tabBackground(page)).toBe('#292929');

    await page.getByRole('button', { name: 'High contrast' }).click();
    await expect.poll(() => tabBackground(page)).toBe('#000000');
    await page.getByRole('button', { name: 'Light' }).click();
    await expect.poll(() => tabBackground(page)).toBe('#ffffff');
  });

  test("without nested app auth: Sign in opens Teams' window on the sign-in page; the person picks their account at Entra and the tab calls the API as them", async () => {
    const { page, calls } = await openInTeams({ naa: 'off' });
    const authorize = watchAuthorize(page.context());
    await signInBar(page).waitFor({ timeout: 60_000 });
    expect(await app(page).getByText('Sign in with your work account to use Credit Desk.').isVisible()).toBe(true);

    const signInWindow = page.waitForEvent('popup');
    await signInBar(page).click();
    const popup = await signInWindow;
    const opened = new URL(popup.url());
    expect(opened.pathname).toBe('/auth.html');
    expect(Object.fromEntries(opened.searchParams)).toEqual({ for: 'teams', scopes: entra.apiScope });

    // The page goes to Entra (the stand-in) with MSAL; the person picks themself; the page tells Teams (notifySuccess), Teams the tab.
    const me = nextApiAnswer(page, '/api/me');
    await answerAtEntra(popup, QUINN);
    const answer = await me;
    expect(answer).toMatchObject({ status: 200, body: { member: { id: QUINN.id, email: QUINN.email } } });
    expect(claimsOf(answer.authorization)).toMatchObject({ iss: `${entra.url}/${env().stack.tenant}/v2.0`, aud: entra.clientId, oid: QUINN.id, scp: 'access_as_user' });
    await shell(page).waitFor({ timeout: 60_000 });
    // Teams closes its window once the page has answered.
    await expect.poll(() => popup.isClosed()).toBe(true);

    expect(authorize).toHaveLength(1);
    const asked = authorize[0]!.searchParams;
    expect([asked.get('client_id'), asked.get('redirect_uri'), asked.get('code_challenge_method'), asked.get('response_type')]).toEqual([entra.clientId, `${env().baseUrl}/auth.html`, 'S256', 'code']);
    expect(asked.get('scope')?.split(' ')).toContain(entra.apiScope);
    expect(await hostLog(page)).toEqual(expect.arrayContaining(['authentication.authenticate', 'sign-in window: initialize', 'sign-in window: authentication.authenticate.success']));
    expect(calls.filter((c) => c.byApp && c.path.startsWith('/api/dev/'))).toEqual([]);
  });

  test("without nested app auth: the person cancels at Entra in Teams' window, and the tab says permission was not given", async () => {
    const { page } = await openInTeams({ naa: 'off' });
    await signInBar(page).waitFor({ timeout: 60_000 });
    const signInWindow = page.waitForEvent('popup');
    await signInBar(page).click();
    await answerAtEntra(await signInWindow, 'cancel');

    // Entra answers access_denied; the page tells Teams (notifyFailure), Teams tells the tab.
    await app(page).getByText('Credit Desk did not get permission to sign you in.', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await hostLog(page)).toEqual(expect.arrayContaining(['sign-in window: authentication.authenticate.failure']));
    expect(await signInBar(page).isEnabled()).toBe(true);
  });

  test("without nested app auth: the person closes Teams' sign-in window, and the tab says so and offers Sign in again", async () => {
    const { page } = await openInTeams({ naa: 'off' });
    await signInBar(page).waitFor({ timeout: 60_000 });
    const signInWindow = page.waitForEvent('popup');
    await signInBar(page).click();
    await (await signInWindow).close();

    await app(page).getByText('Signing in was stopped before it finished.', { exact: false }).waitFor({ timeout: 30_000 });
    expect(await signInBar(page).isEnabled()).toBe(true);
  });

  test("without nested app auth: an hour later the tab's token has run out, and MSAL renews it silently with the refresh token Entra gave Teams' window", async () => {
    const page = await env().newPage();
    // The browser's clock, which the host, the tab and the sign-in window share, so that an hour can pass.
    await page.clock.install();
    const grants = watchTokenGrants(page.context());
    await page.goto(teams({ naa: 'off' }), { timeout: 90_000 });
    await signInBar(page).waitFor({ timeout: 60_000 });
    const signInWindow = page.waitForEvent('popup');
    await signInBar(page).click();
    const signedIn = nextApiAnswer(page, '/api/me');
    await answerAtEntra(await signInWindow, QUINN);
    const first = claimsOf((await signedIn).authorization);
    await shell(page).waitFor({ timeout: 60_000 });
    await settle(page.frames()[1] as unknown as Page);
    expect(grants).toEqual(['authorization_code']);

    await page.clock.fastForward('01:01:00');
    const next = nextApiAnswer(page);
    await shell(page).getByRole('tab', { name: 'History', exact: true }).click();
    const answer = await next;
    expect(answer.status).toBe(200);
    const renewed = claimsOf(answer.authorization);
    expect(renewed).toMatchObject({ oid: QUINN.id, iss: first.iss });
    expect(renewed.uti).not.toBe(first.uti);
    // Renewed at Entra with the refresh token, without Teams' window or the person.
    expect(grants).toEqual(['authorization_code', 'refresh_token']);
    expect(count(await hostLog(page), 'authentication.authenticate')).toBe(1);
    expect(await signInBar(page).count()).toBe(0);
  });

  test('token expiry: a token about to run out is renewed silently through the bridge; a fresh one is reused', async () => {
    const renewals = async (tokenSeconds: string) => {
      const { page, calls } = await openInTeams({ naa: 'on', tokenSeconds });
      await shell(page).waitFor({ timeout: 60_000 });
      await settle(page.frames()[1] as unknown as Page);
      const before = count(await hostLog(page), 'nestedAppAuth GetToken');
      const apiBefore = calls.length;
      await shell(page).getByRole('tab', { name: 'History', exact: true }).click();
      await expect.poll(() => calls.length).toBeGreaterThan(apiBefore);
      await settle(page.frames()[1] as unknown as Page);
      expect(calls.filter((c) => c.byApp && !c.path.startsWith('/api/dev/') && c.status !== 200)).toEqual([]);
      return count(await hostLog(page), 'nestedAppAuth GetToken') - before;
    };
    // 60 s is inside MSAL's 5-minute renewal margin: each call asks Teams again, and the API takes the new token.
    expect(await renewals('60')).toBeGreaterThan(0);
    // An hour's token stays in MSAL's cache.
    expect(await renewals('3600')).toBe(0);
  });
});

describe('Teams mobile host', () => {
  const openMobile = async (naa: boolean) => {
    const page = await env().newPage({ width: 400, height: 800 });
    const calls = watchApi(page);
    await asTeamsMobile(page, { as: QUINN.email, naa, cloud });
    await page.goto('/', { timeout: 90_000 });
    return { page, calls };
  };

  test("nested app auth: teams-js talks to Teams through nativeInterface, MSAL through the host's bridge", async () => {
    const { page, calls } = await openMobile(true);
    await page.getByRole('navigation', { name: 'Credit Desk pages' }).waitFor({ timeout: 60_000 });
    expect(await hostLog(page)).toEqual(expect.arrayContaining(['initialize', 'getContext', 'nestedAppAuth GetInitContext', 'nestedAppAuth GetToken']));
    expect(calls.find((c) => c.path === '/api/me')).toMatchObject({ status: 200, bearer: true });
    expect(calls.filter((c) => c.path.startsWith('/api/dev/users'))).toEqual([]);
  });

  test('without nested app auth: the tab knows it is in Teams, not a browser, and asks the person to sign in', async () => {
    const { page, calls } = await openMobile(false);
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 60_000 });
    expect(await hostLog(page)).toEqual(expect.arrayContaining(['initialize', 'getContext']));
    expect(calls.filter((c) => c.path.startsWith('/api/dev/'))).toEqual([]);
  });
});
