/**
 * Opening the tab and the pane inside the host stand-ins (server/local/hosts) and watching what passes
 * between them: the stand-in's log, the API calls by frame, and Microsoft's sign-in address, which no test
 * may reach.
 */
import type { BrowserContext, FrameLocator, Page, Route } from 'playwright-core';

/** What the host stand-in recorded (`window.hostStandIn.log`): teams-js calls, bridge requests, dialogs. */
export function hostLog(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { hostStandIn?: { log: string[] } }).hostStandIn?.log.slice() ?? []);
}

export const count = (log: string[], entry: string) => log.filter((e) => e === entry).length;

export interface ApiCall {
  path: string;
  status: number;
  /** Made by the app (the tab or the pane), not by the host stand-in minting tokens. */
  byApp: boolean;
  bearer: boolean;
}

/** Records every `/api/` answer the page and its frames get. */
export function watchApi(page: Page): ApiCall[] {
  const calls: ApiCall[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/')) return;
    const byApp = response.frame() !== page.mainFrame() || !url.pathname.startsWith('/api/dev/');
    calls.push({ path: url.pathname, status: response.status(), byApp, bearer: /^Bearer /.test(response.request().headers().authorization ?? '') });
  });
  return calls;
}

/** The framed app (the tab in Teams, the pane in Outlook). */
export const app = (page: Page): FrameLocator => page.frameLocator('#app');

export const ENTRA = 'https://login.microsoftonline.com';

/**
 * Microsoft's sign-in, as far as a test can take it without Entra: the authorize request is recorded and
 * answered as Entra answers a person who declines the consent (`error=access_denied` back to the redirect
 * URI, with MSAL's state); anything else at Entra fails as unreachable.
 */
export async function declineAtEntra(context: BrowserContext): Promise<URL[]> {
  const asked: URL[] = [];
  await context.route(`${ENTRA}/**`, async (route: Route) => {
    const url = new URL(route.request().url());
    if (!url.pathname.endsWith('/oauth2/v2.0/authorize')) return route.abort('internetdisconnected');
    asked.push(url);
    const back = new URLSearchParams({ error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.', state: url.searchParams.get('state') ?? '' });
    return route.fulfill({ status: 302, headers: { location: `${url.searchParams.get('redirect_uri')}#${back}` } });
  });
  return asked;
}

/** Installs the Teams mobile stand-in in the page as Teams' web view would, before any script of the tab. */
export async function asTeamsMobile(page: Page, switches: { as: string; naa: boolean; tokenSeconds?: number }): Promise<void> {
  const script = await (await page.context().request.get('/hosts/teams-mobile.js')).text();
  await page.addInitScript({ content: `window.teamsMobileStandIn = ${JSON.stringify(switches)};\n${script}` });
}
