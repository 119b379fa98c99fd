/**
 * The tab and the Outlook pane in Flex mode (DESIGN 3.1, 3.6), in the light theme, on a stack of its own so
 * that the seeded tenant of screens.test.ts stays on Cloud Credits. IT switches the tenant to Flex tokens over
 * the API; two packs are bought and applied, the second under a 2-month expiry so that it expires within 90
 * days (no fake clock needed); employees log usage and reserve tokens. Each screen goes to
 * test-artifacts/screens/flex-<screen>-light.png, must show the unit as tokens, must not say "credits"
 * anywhere (visible text and accessible names, the product's name "Credit Desk" aside), and must pass axe.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { RILEY, TAYLOR, axeCheck, capture, describeViolations, goToPage, openPane, openTab, pageErrors, pageNav, settle, useE2E, user } from './support.js';

const env = useE2E({ name: 'flex-screens' });

const AVERY = user('avery.chen@contoso.example');
const BLAKE = user('blake.okafor@contoso.example');
const DAY = 86_400_000;
const dayAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);

interface LotView {
  id: string;
  credits: number;
  remaining: number;
  expiresAt: string | null;
}

async function ok(answer: Promise<{ status: number; body: unknown }>, what: string) {
  const { status, body } = await answer;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body as Record<string, unknown>;
}

async function putSettings(api: TestApi, changes: Record<string, unknown>) {
  const current = (await api.call(TAYLOR, 'GET', '/api/settings')).body as Record<string, unknown>;
  return ok(api.call(TAYLOR, 'PUT', '/api/settings', { body: { ...current, ...changes } }), `PUT /api/settings ${JSON.stringify(changes)}`);
}

/** A purchase started by the account manager and moved through `steps`. */
async function purchaseUpTo(api: TestApi, body: { blocks: number; reason: string }, steps: Record<string, unknown>[]) {
  const created = await ok(api.call(RILEY, 'POST', '/api/purchases', { body }), 'new purchase');
  const id = (created.purchase as { id: string }).id;
  for (const step of steps) await ok(api.call(RILEY, 'POST', `/api/purchases/${id}/events`, { body: step }), `purchase step ${String(step.type)}`);
}

/**
 * A tenant on Flex tokens: a 3-pack purchase on the 12-month policy, a 1-pack purchase applied while the
 * policy said 2 months (it expires within 90 days), the policy back at 12, a 2-pack purchase waiting for
 * approval, a 1-pack purchase ordered, and two employees who have drawn on the pool, one with a hold.
 */
async function flexTenant(api: TestApi): Promise<{ yearPack: string; shortPack: string }> {
  await putSettings(api, { unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 });
  await api.register(AVERY);
  await api.register(BLAKE);
  const yearPack = await api.fillPool(3);
  await putSettings(api, { packExpiryMonths: 2 });
  const shortPack = await api.fillPool(1);
  await putSettings(api, { packExpiryMonths: 12 });

  // Two purchases on their way: one waiting for approval, one ordered (its move reads "Tokens applied").
  await purchaseUpTo(api, { blocks: 2, reason: 'Tower competition, phase 2' }, [
    { type: 'quote_requested' },
    { type: 'quote_received', quoteNumber: 'Q-2026-0518', price: 1000, currency: 'USD' },
  ]);
  await purchaseUpTo(api, { blocks: 1, reason: 'Top-up for the spring renders' }, [
    { type: 'quote_requested' },
    { type: 'quote_received', quoteNumber: 'Q-2026-0521', price: 500, currency: 'USD' },
    { type: 'approved' },
    { type: 'ordered', poNumber: 'PO-1187' },
  ]);

  // Usage on the last few days (the forecast counts whole days before today), and a hold.
  const usage: [DemoUser, string, number, number][] = [
    [AVERY, 'simulation', 20, 3],
    [BLAKE, 'cloud_rendering', 12.5, 2],
    [AVERY, 'simulation', 15, 1],
    [BLAKE, 'cloud_rendering', 5, 0],
  ];
  for (const [who, service, credits, daysAgo] of usage) {
    await ok(api.call(who, 'POST', '/api/usage', { body: { service, credits, date: dayAgo(daysAgo) } }), `${who.displayName} usage`);
  }
  await ok(api.call(AVERY, 'POST', '/api/holds', { body: { service: 'generative_design', credits: 25, note: 'Façade options' } }), 'Avery hold');
  return { yearPack, shortPack };
}

/** Credits where Flex mode says tokens ("Credit Desk" is the product's name, not the unit). */
const CREDITS = /\bcredits?\b/i;
/** Blocks where Flex mode says packs. */
const BLOCKS = /\bblocks?\b/i;

/**
 * Lines of what the page shows or reads out that match `wrong`: its visible text (innerText) and the
 * accessible names and tooltips given as attributes of visible elements.
 */
async function linesMatching(page: Page, wrong: RegExp): Promise<string[]> {
  const found = await page.evaluate(() => {
    const visible = document.body.innerText.split('\n');
    const named = [...document.querySelectorAll<HTMLElement>('[aria-label], [title], [aria-description]')].filter((e) => e.offsetParent !== null);
    const attributes = named.flatMap((e) =>
      ['aria-label', 'title', 'aria-description'].flatMap((a) => {
        const value = e.getAttribute(a);
        return value ? [`[${e.tagName.toLowerCase()} ${a}] ${value}`] : [];
      }),
    );
    return [...visible, ...attributes];
  });
  return found.map((line) => line.trim()).filter((line) => wrong.test(line.replace(/Credit Desk/g, '')));
}

/**
 * Captures the screen, then checks it: the unit shows as tokens and never as credits (nor, unless told,
 * purchases as blocks), no serious or critical axe violations, no page errors. Returns the visible text.
 */
async function checkScreen(page: Page, name: string): Promise<string> {
  await settle(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = await capture(page, name);
  const text = await page.evaluate(() => document.body.innerText);
  expect(text, `${file} shows the unit as tokens`).toMatch(/\btokens\b/);
  expect(await linesMatching(page, CREDITS), `${file} says "credits" where Flex mode says tokens`).toEqual([]);
  expect(await linesMatching(page, BLOCKS), `${file} says "blocks" where Flex mode says packs`).toEqual([]);
  expect(describeViolations(await axeCheck(page)), `axe on ${file}`).toBe('');
  expect(pageErrors(page), 'page errors').toEqual([]);
  return text;
}

describe('Flex mode screens (light theme)', () => {
  let packs: { yearPack: string; shortPack: string };

  beforeAll(async () => {
    packs = await flexTenant(env().api);
  }, 120_000);

  test('the API says Flex tokens, and one pack expires within 90 days', async () => {
    const { api } = env();
    expect((await api.call(AVERY, 'GET', '/api/policy')).body).toMatchObject({ unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 });
    const lots = (await api.call(RILEY, 'GET', '/api/pool')).body.lots as LotView[];
    const short = lots.find((l) => l.id === packs.shortPack)!;
    const year = lots.find((l) => l.id === packs.yearPack)!;
    expect(Date.parse(short.expiresAt!) - Date.now()).toBeLessThan(90 * DAY);
    expect(Date.parse(year.expiresAt!) - Date.now()).toBeGreaterThan(300 * DAY);
    // Draws take the earliest-expiring pack first: 52.5 used and 25 held come out of the short one.
    expect(short.remaining).toBe(22.5);
    expect(year.remaining).toBe(300);
  });

  test('employee: My tokens has no allotment meter, the pool in tokens and the hold', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    await openTab(page, { as: AVERY.email, page: 'my-credits' });
    await page.getByRole('table', { name: 'Open holds' }).waitFor();
    const text = await checkScreen(page, 'flex-my-credits');
    expect(await pageNav(page).getByRole('tab', { selected: true }).textContent()).toBe('My tokens');
    // Nobody has an allotment in Flex mode: no "0 of 0 tokens left" meter, and the pool is where tokens come from.
    expect(text).not.toMatch(/of 0 tokens left/);
    expect(await page.getByRole('progressbar').count()).toBe(0);
    expect(text).toContain('No personal allotment: the tokens you use come from the shared pool.');
    expect(await page.getByTestId('pool-balance').textContent()).toBe('322.5');
    expect(await page.getByRole('table', { name: 'Open holds' }).textContent()).toContain('25 tokens');
    await page.context().close();
  });

  test('account manager: the Pool page lists the packs, earliest expiry first, and flags the one expiring within 90 days', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    await openTab(page, { as: RILEY.email, page: 'pool' });
    await page.getByTestId('pool-balance').waitFor();
    const text = await checkScreen(page, 'flex-pool');
    expect(text).toContain('earliest-expiring pack first');
    const table = page.getByRole('table', { name: 'Packs' });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['From', 'Applied', 'Tokens', 'Remaining', 'Expires', 'Price']);
    const [short, year] = await table.getByRole('row').filter({ has: page.getByRole('cell') }).all();
    // Lots are named by where they came from, not by id: the short pack is the one drawn down to 22.5.
    expect(await short!.textContent()).toContain('22.5 left');
    const left = Number.parseInt((await short!.getByText(/^\d+ days? left$/).textContent()) ?? '', 10);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(90);
    expect(await year!.getByRole('cell').nth(2).textContent()).toBe('300');
    expect(await year!.textContent()).not.toMatch(/days? left/);
    expect(await page.getByTestId('forecast-blocks').textContent()).toMatch(/^(\d+ packs?|Nothing to buy)$/);
    await page.context().close();
  });

  test('account manager: the Purchases board counts packs and tokens', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    await openTab(page, { as: RILEY.email, page: 'pool' });
    await goToPage(page, 'Purchases');
    await page.getByText('2 packs · 200 tokens').waitFor();
    await checkScreen(page, 'flex-purchases');
    const ordered = page.getByRole('group', { name: '1 pack · 100 tokens' }).filter({ hasText: 'PO-1187' });
    expect(await ordered.getByRole('button').allTextContents()).toEqual(['Tokens applied…', 'Cancel…']);
    await page.context().close();
  });

  test('Outlook pane: the queues give the pool in tokens', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    await openPane(page, { as: RILEY.email, sample: 'unrelated' });
    const queues = page.getByRole('region', { name: 'Queues at a glance' });
    await queues.waitFor();
    expect(await queues.textContent()).toMatch(/Pool: [\d,.]+ tokens/);
    await checkScreen(page, 'flex-pane-queues');
    await page.context().close();
  });
});
