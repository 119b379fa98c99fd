/**
 * The local stack signs in as production does: the tab, served by the Vite dev server as `npm start` serves
 * it (the Entra app's settings pointing at the Entra ID stand-in), runs the real msal-browser in Chromium,
 * which redirects to the stand-in's sign-in page; the person picked there comes back through the sign-in
 * page (MSAL's redirect bridge) and the tab loads their page with the stand-in's token, never the dev one.
 */
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { freePort } from '../../server/local/azurite.js';
import type { EntraStandIn } from '../../server/local/entra-standin.js';
import { pageSettingsFor, startEntraStandIn } from '../../server/local/entra-standin.js';
import { seedDemoData } from '../../server/local/seed.js';
import type { LocalStack } from '../../server/local/stack.js';
import { startStack } from '../../server/local/stack.js';
import { freshTableName, sharedAzurite } from '../support/api.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, QUINN, RILEY, ROOT } from './support.js';

let standIn: EntraStandIn;
let stack: LocalStack;
let web: ViteDevServer;
let webUrl: string;
let browser: Browser;

/** The dev server as npm start runs it, with the stand-in's settings in the environment Vite reads them from. */
async function startDevServer(port: number): Promise<ViteDevServer> {
  const settings = pageSettingsFor(standIn);
  const before = Object.fromEntries(Object.keys(settings).map((name) => [name, process.env[name]]));
  Object.assign(process.env, settings);
  try {
    const { createServer } = await import('vite');
    const server = await createServer({
      configFile: path.join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      cacheDir: path.join(ROOT, 'node_modules', '.vite-e2e-entra'),
      server: { host: '127.0.0.1', port, strictPort: true, hmr: false, proxy: { '/api': stack.apiUrl } },
    });
    await server.listen();
    return server;
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

beforeAll(async () => {
  const port = await freePort();
  webUrl = `http://127.0.0.1:${port}`;
  standIn = await startEntraStandIn({ redirectUris: [`${webUrl}/auth.html`] });
  const tableName = freshTableName();
  stack = await startStack({ azurite: sharedAzurite(), tableName, entra: standIn.issuerConfig });
  await seedDemoData(AzureTableAdapter.fromConnectionString(stack.azurite.connectionString, tableName), new Date());
  web = await startDevServer(port);
  // The stand-in's certificate is made at start: a test browser may skip the warning a person clicks through once.
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--ignore-certificate-errors'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await web?.close();
  await stack?.stop();
  await standIn?.stop();
}, 60_000);

it('signs in with MSAL by redirect through the stand-in’s picker, and the tab loads the person’s page', async () => {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const asked: string[] = [];
  page.on('request', (request) => asked.push(request.url()));
  const apiAuthorizations: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${webUrl}/api/`) && request.headers().authorization) apiAuthorizations.push(request.headers().authorization!);
  });

  await page.goto(`${webUrl}/`, { timeout: 120_000 });
  // Nobody is signed in: MSAL leaves for the authority's sign-in page, the demo-user picker.
  await page.getByRole('heading', { name: 'Pick an account' }).waitFor({ timeout: 120_000 });
  expect(new URL(page.url()).origin).toBe(standIn.url);
  const authorize = new URL(page.url());
  expect(authorize.pathname).toBe(`${new URL(standIn.authority).pathname}/oauth2/v2.0/authorize`);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${webUrl}/auth.html`);

  const me = page.waitForResponse((response) => response.url() === `${webUrl}/api/me`, { timeout: 60_000 });
  await page.getByRole('button', { name: new RegExp(QUINN.displayName) }).click();
  expect(await (await me).json()).toMatchObject({ member: { id: QUINN.id, email: QUINN.email } });
  await page.getByRole('navigation', { name: 'Credit Desk pages' }).waitFor({ timeout: 60_000 });
  expect(new URL(page.url()).origin).toBe(webUrl);

  // MSAL found the authority by its discovery document, redeemed the code there, and the API took its token.
  expect(asked).toContain(`${standIn.authority}/v2.0/.well-known/openid-configuration`);
  expect(asked.some((url) => url.startsWith(`${standIn.authority}/oauth2/v2.0/token?`))).toBe(true);
  expect(asked.some((url) => url.includes('/api/dev/'))).toBe(false);
  expect(apiAuthorizations.length).toBeGreaterThan(0);
  const claims = JSON.parse(Buffer.from(apiAuthorizations[0]!.split('.')[1]!, 'base64url').toString());
  expect(claims).toMatchObject({ iss: `${standIn.url}/${stack.tenant}/v2.0`, aud: standIn.clientId, oid: QUINN.id, scp: 'access_as_user' });

  // Signing out goes through the authority's logout and back; the tab then asks who signs in, and another person can.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Pick an account' }).waitFor({ timeout: 60_000 });
  expect(asked.some((url) => url.startsWith(`${standIn.authority}/oauth2/v2.0/logout?`))).toBe(true);
  const riley = page.waitForResponse((response) => response.url() === `${webUrl}/api/me`, { timeout: 60_000 });
  await page.getByRole('button', { name: new RegExp(RILEY.displayName) }).click();
  expect(await (await riley).json()).toMatchObject({ member: { id: RILEY.id } });
  await page.getByRole('navigation', { name: 'Credit Desk pages' }).getByRole('tab', { name: 'Requests' }).waitFor({ timeout: 60_000 });
  await context.close();
}, 240_000);

it('signs the Outlook pane in the same way outside Outlook, on the sample emails', async () => {
  const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const devTokens: string[] = [];
  page.on('request', (request) => request.url().includes('/api/dev/token') && devTokens.push(request.url()));
  await page.goto(`${webUrl}/pane.html`, { timeout: 120_000 });
  await page.getByRole('heading', { name: 'Pick an account' }).waitFor({ timeout: 120_000 });
  const me = page.waitForResponse((response) => response.url() === `${webUrl}/api/me`, { timeout: 60_000 });
  await page.getByRole('button', { name: new RegExp(RILEY.displayName) }).click();
  expect(await (await me).json()).toMatchObject({ member: { id: RILEY.id }, roles: ['AccountManager'] });
  await page.getByRole('region', { name: 'Dev mode' }).getByRole('combobox', { name: 'Sample message' }).waitFor({ timeout: 60_000 });
  expect(new URL(page.url()).pathname).toBe('/pane.html');
  expect(devTokens).toEqual([]);
  await context.close();
}, 240_000);
