/**
 * Opening the tab and the pane inside the host stand-ins (server/local/hosts) and watching what passes
 * between them: the stand-in's log, the API calls by frame, and the Entra ID stand-in's sign-in page in the
 * host's sign-in window.
 */
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';

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

/**
 * The authorize requests the context's pages and windows send to the run's Entra ID stand-in (tests/e2e/shared-web.ts),
 * the authority the build names: its sign-in page is the demo-user picker.
 */
export function watchAuthorize(context: BrowserContext): URL[] {
  const entra = inject('e2eEntra');
  const asked: URL[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === entra.url && url.pathname.endsWith('/oauth2/v2.0/authorize')) asked.push(url);
  });
  return asked;
}

/** The stand-in's token requests (code redemptions and refreshes), by grant type. */
export function watchTokenGrants(context: BrowserContext): string[] {
  const entra = inject('e2eEntra');
  const grants: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === entra.url && url.pathname.endsWith('/oauth2/v2.0/token') && request.method() === 'POST') grants.push(new URLSearchParams(request.postData() ?? '').get('grant_type') ?? '');
  });
  return grants;
}

/** In a host's sign-in window on the stand-in's sign-in page: the person picks their account, or cancels. */
export async function answerAtEntra(signInWindow: Page, choice: DemoUser | 'cancel'): Promise<void> {
  await signInWindow.getByRole('heading', { name: 'Pick an account' }).waitFor({ timeout: 60_000 });
  expect(new URL(signInWindow.url()).origin).toBe(inject('e2eEntra').url);
  const button = choice === 'cancel' ? signInWindow.getByRole('button', { name: 'Cancel' }) : signInWindow.getByRole('button', { name: new RegExp(choice.displayName) });
  await button.click();
}

/** The claims of a bearer token (read, not verified: the API verified it). */
export function claimsOf(authorization: string | undefined): Record<string, unknown> {
  const payload = (authorization ?? '').replace(/^Bearer /, '').split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The next answer of the API to the framed app (of `path` if given, else of any but the dev routes), with the token it was asked with. */
export async function nextApiAnswer(page: Page, path?: string): Promise<{ path: string; status: number; body: unknown; authorization: string | undefined }> {
  const response = await page.waitForResponse((r) => {
    const at = new URL(r.url()).pathname;
    return r.frame() !== page.mainFrame() && (path ? at === path : at.startsWith('/api/') && !at.startsWith('/api/dev/'));
  }, { timeout: 60_000 });
  return { path: new URL(response.url()).pathname, status: response.status(), body: await response.json().catch(() => undefined), authorization: response.request().headers().authorization };
}

/** Installs the Teams mobile stand-in in the page as Teams' web view would, before any script of the tab. */
export async function asTeamsMobile(page: Page, switches: { as: string; naa: boolean; tokenSeconds?: number; cloud?: string }): Promise<void> {
  const script = await (await page.context().request.get('/hosts/teams-mobile.js')).text();
  await page.addInitScript({ content: `window.teamsMobileStandIn = ${JSON.stringify(switches)};\n${script}` });
}
