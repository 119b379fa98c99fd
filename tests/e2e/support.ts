/**
 * Browser end-to-end support: one local stack (API host and dev identity on tables of its own in the
 * worker's shared Azurite) and one headless Chromium per test file; the pages are the production build,
 * served once for the run (tests/e2e/shared-web.ts), which sends the file's `/api` requests to its stack. `useE2E()` registers beforeAll/afterAll and stops everything at the end.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_USERS } from '../../server/local/demo-users.js';
import { issuerConfigOf } from '../../server/local/entra-standin.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import { seedDemoData } from '../../server/local/seed.js';
import type { AutodeskStandIn } from '../../server/local/autodesk-standin.js';
import { callbackUrlOf, demoSelfLogged, localAutodeskClients, startLocalAutodesk } from '../../server/local/autodesk-local.js';
import { freePort } from '../../server/local/azurite.js';
import type { LocalStack } from '../../server/local/stack.js';
import { startStack } from '../../server/local/stack.js';
import { TestApi, freshTableName, sharedAzurite } from '../support/api.js';
import { API_TARGET_HEADER, GRAPH_TARGET_HEADER } from './shared-web.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENS_DIR = path.join(ROOT, 'test-artifacts', 'screens');
const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const CHROMIUM_PATH = process.env.CREDIT_DESK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export type ThemeName = 'light' | 'dark' | 'contrast';
export const THEMES: ThemeName[] = ['light', 'dark', 'contrast'];

/** Demo users by email, so a test reads as the person it acts as. */
export function user(email: string): DemoUser {
  const found = DEMO_USERS.find((u) => u.email === email);
  if (!found) throw new Error(`No demo user ${email}`);
  return found;
}

export const QUINN = user('quinn.fischer@contoso.example');
export const RILEY = user('riley.account@contoso.example');
export const TAYLOR = user('taylor.systems@contoso.example');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export interface E2E {
  stack: LocalStack;
  api: TestApi;
  baseUrl: string;
  browser: Browser;
  /** The Graph stand-in the tab's `/graph` is proxied to (only with `graph: true`). */
  graph?: GraphStandIn;
  /** The Autodesk stand-in the stack connects to (only with `autodesk: true`). */
  autodesk?: AutodeskStandIn;
  /** A page in a fresh browser context (own storage), with page errors recorded for `pageErrors`. */
  newPage(options?: { width?: number; height?: number }): Promise<Page>;
  stop(): Promise<void>;
}

const errorsOf = new WeakMap<Page, string[]>();

/** Uncaught errors and console errors the page has reported so far. */
export function pageErrors(page: Page): string[] {
  return errorsOf.get(page) ?? [];
}

export interface E2EOptions {
  /** The demo firm (server/local/seed.ts); 'flex': on Flex tokens, as `npm start -- --flex` seeds it. */
  seed?: boolean | 'flex';
  name: string;
  /**
   * Also start the Graph stand-in (server/local/graph-standin.ts) on a free port; the tab's `/graph/...` (its
   * Graph base with the dev identity) goes to it, without the `/graph` prefix.
   */
  graph?: boolean;
  /**
   * Also start the Autodesk stand-in, wired as `npm start` wires it (the local APS app, the API's callback
   * registered with it, the real APS clients pointed at it).
   */
  autodesk?: boolean;
  /** Serve the pages over https (`e2eHttpsWebUrl`, a certificate of the run's own): Teams' sign-in window needs it. */
  https?: boolean;
}

/** Starts the stack and Chromium. Stops whatever started if a later step fails. */
export async function startE2E(options: E2EOptions): Promise<E2E> {
  const stopping: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stopping.reverse()) await stop().catch(() => undefined);
  };
  try {
    const tableName = freshTableName();
    let autodesk: { standIn: AutodeskStandIn; port: number; clients: ReturnType<typeof localAutodeskClients> } | undefined;
    if (options.autodesk) {
      const port = await freePort();
      const callbackUrl = callbackUrlOf(`http://127.0.0.1:${port}`);
      const standIn = await startLocalAutodesk(callbackUrl);
      stopping.push(() => standIn.close());
      autodesk = { standIn, port, clients: localAutodeskClients(standIn, callbackUrl) };
    }
    // The run's Entra ID stand-in signs people in where a host cannot broker a token: its tokens are taken as Entra's.
    const stack = await startStack({ azurite: sharedAzurite(), tableName, entra: issuerConfigOf(inject('e2eEntra').trust), ...(autodesk ? { port: autodesk.port, ...autodesk.clients } : {}) });
    stopping.push(() => stack.stop());
    const now = new Date();
    const flex = options.seed === 'flex' ? { flex: { selfLogged: demoSelfLogged(now.toISOString().slice(0, 10)) } } : {};
    if (options.seed) await seedDemoData(AzureTableAdapter.fromConnectionString(stack.azurite.connectionString, tableName), now, () => {}, flex);
    let graph: GraphStandIn | undefined;
    if (options.graph) {
      const standIn = await startGraphStandIn({ port: 0 });
      graph = standIn;
      stopping.push(() => standIn.stop());
    }

    const baseUrl = inject(options.https ? 'e2eHttpsWebUrl' : 'e2eWebUrl');
    const https = options.https ? { ignoreHTTPSErrors: true } : {};
    const backends = { [API_TARGET_HEADER]: stack.apiUrl, ...(graph ? { [GRAPH_TARGET_HEADER]: graph.url } : {}) };
    // Only the pages' own /api and /graph requests name the backends: a header added to every request (Playwright's
    // extraHTTPHeaders) would make the browser's cross-origin requests to the Entra ID stand-in need a CORS preflight.
    const routeToBackends = async (context: BrowserContext) => {
      for (const prefix of ['/api/', '/graph/']) {
        await context.route(`${baseUrl}${prefix}**`, (route) => route.continue({ headers: { ...route.request().headers(), ...backends } }));
      }
    };

    const browser = await launchChromium();
    stopping.push(() => browser.close());
    const contexts: BrowserContext[] = [];

    // The stack answers before any test starts. Signed in as IT, so no employee's record is touched before the tests.
    const warmUp = await browser.newContext({ baseURL: baseUrl, ...https });
    try {
      await routeToBackends(warmUp);
      const page = await warmUp.newPage();
      await page.goto(`/?as=${encodeURIComponent(TAYLOR.email)}`, { timeout: 120_000 });
      await page.getByRole('navigation', { name: 'Credit Desk pages' }).waitFor({ timeout: 120_000 });
    } finally {
      await warmUp.close();
    }

    return {
      stack,
      api: new TestApi(stack, tableName),
      baseUrl,
      browser,
      ...(graph ? { graph } : {}),
      ...(autodesk ? { autodesk: autodesk.standIn } : {}),
      async newPage(size = {}) {
        const context = await browser.newContext({ baseURL: baseUrl, ...https, viewport: { width: size.width ?? 1280, height: size.height ?? 900 }, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
        contexts.push(context);
        await routeToBackends(context);
        // Fail a missing element in seconds, not in the 30 s default; page loads get longer (openTab).
        context.setDefaultTimeout(10_000);
        const page = await context.newPage();
        const errors: string[] = [];
        errorsOf.set(page, errors);
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        return page;
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * One stack, one Vite server and one browser for the test file: started in beforeAll, stopped in afterAll.
 * Returns a getter, valid inside tests.
 */
export function useE2E(options: E2EOptions): () => E2E {
  let env: E2E | undefined;
  beforeAll(async () => {
    env = await startE2E(options);
  }, 180_000);
  afterAll(async () => {
    await env?.stop();
  }, 60_000);
  return () => {
    if (!env) throw new Error('The e2e environment did not start.');
    return env;
  };
}

export interface OpenTabOptions {
  /** The demo user to sign in as (`?as=` in the URL). */
  as: string;
  theme?: ThemeName;
  /** Viewport width in CSS pixels; the height stays as it is. */
  width?: number;
  /** A page id of src/tab/pages.tsx (the hash route); the role's landing page if left out. */
  page?: string;
}

const THEME_KEY = 'credit-desk.theme';
const withThemeScript = new WeakSet<Page>();

/**
 * Opens the tab as a demo user in a theme (light unless told) and waits for the shell and the page to load.
 * The theme goes to localStorage before any script of the app runs.
 */
async function themeFromQuery(page: Page): Promise<void> {
  if (withThemeScript.has(page)) return;
  withThemeScript.add(page);
  await page.addInitScript(
    ([key]) => {
      const wanted = new URLSearchParams(location.search).get('e2e-theme');
      if (wanted) localStorage.setItem(key!, wanted);
    },
    [THEME_KEY],
  );
}

export async function openTab(page: Page, options: OpenTabOptions): Promise<void> {
  await themeFromQuery(page);
  if (options.width) {
    const current = page.viewportSize();
    await page.setViewportSize({ width: options.width, height: current?.height ?? 900 });
  }
  const query = new URLSearchParams({ as: options.as, 'e2e-theme': options.theme ?? 'light' });
  await page.goto(`/?${query}${options.page ? `#/${options.page}` : ''}`, { timeout: 90_000 });
  await page.getByRole('navigation', { name: 'Credit Desk pages' }).waitFor({ timeout: 30_000 });
  await settle(page);
}

export interface OpenPaneOptions {
  /** The demo user to sign in as; the pane's default is an account manager. */
  as: string;
  /** A sample message id of src/addin/dev/samples.ts. */
  sample: string;
  theme?: ThemeName;
}

/** The width of Outlook's task pane. */
export const PANE_WIDTH = 320;

/** Opens the Outlook pane (dev mode: a sample message instead of Outlook) at the task pane's width, and waits for it. */
export async function openPane(page: Page, options: OpenPaneOptions): Promise<void> {
  await themeFromQuery(page);
  await page.setViewportSize({ width: PANE_WIDTH, height: 900 });
  const query = new URLSearchParams({ as: options.as, sample: options.sample, 'e2e-theme': options.theme ?? 'light' });
  await page.goto(`/pane.html?${query}`, { timeout: 90_000 });
  await page.getByRole('main', { name: 'Credit Desk' }).waitFor({ timeout: 30_000 });
  await settle(page);
}

/** The name of the navigation's "More" button, which lists the pages whose tabs do not fit (src/tab/MorePagesMenu.tsx). */
export const MORE_PAGES = 'More pages';

/** The tab's page navigation. */
export function pageNav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Credit Desk pages' });
}

/**
 * Goes to another page of the tab as a person would, and waits for it to load: by its navigation tab, or,
 * when the window is too narrow for that tab, from the "More" menu.
 */
export async function goToPage(page: Page, label: string): Promise<void> {
  const nav = pageNav(page);
  const tab = nav.getByRole('tab', { name: label, exact: true });
  const more = nav.getByRole('button', { name: MORE_PAGES });
  await tab.or(more).first().waitFor();
  if (await tab.isVisible()) {
    await tab.click();
  } else {
    await more.click();
    await page.getByRole('menu').getByRole('menuitem', { name: label, exact: true }).click();
  }
  await settle(page);
}

/** Waits until no skeleton, spinner or busy region is on screen (pages load their data after they appear). */
export async function settle(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const busy = document.querySelectorAll('.fui-Skeleton, .fui-Spinner, [aria-busy="true"]');
      return [...busy].every((element) => (element as HTMLElement).offsetParent === null);
    },
    undefined,
    { timeout, polling: 100 },
  );
}

/** The theme the tab is showing (what it saved in localStorage). */
export async function currentTheme(page: Page): Promise<ThemeName> {
  const saved = await page.evaluate((key) => localStorage.getItem(key), THEME_KEY);
  return saved === 'dark' || saved === 'contrast' ? saved : 'light';
}

/** A full-page PNG at test-artifacts/screens/<name>-<theme>.png; returns the path. */
export async function capture(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}-${await currentTheme(page)}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  targets: string[];
  summaries: string[];
}

/** Runs axe-core on the page and returns the violations of impact serious or critical. */
export async function axeCheck(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  // Evaluated, not added as a <script>: the pages' Content-Security-Policy allows no inline script.
  if (!loaded) await page.evaluate(readFileSync(AXE_PATH, 'utf8'));
  return page.evaluate(async () => {
    interface AxeResult {
      violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: unknown[]; failureSummary?: string; element?: Element }[] }[];
    }
    const axe = (window as unknown as { axe: { run(context: object, options: object): Promise<AxeResult> } }).axe;
    // Tabster (Fluent's focus manager) puts aria-hidden, focusable <i data-tabster-dummy> sentinels around
    // the arrow-key group of an open menu, the focus trap of an open dialog and a chart's data-point and legend navigation
    // (react-charts' CartesianChart), and its root's pair around the app, by design (microsoft/tabster#288; reproduced in
    // tests/ui/upstream-tabster-sentinels.test.tsx, which fails once Fluent drops them). Those are left out,
    // and only those: the page's own tab lists have none (src/ui/RovingTabList.tsx).
    const popups = '[role="menu"], [role="dialog"], [role="alertdialog"], [role="listbox"], .fui-cart__chartWrapper, .fui-legend__root';
    const popupSentinels = [...document.querySelectorAll('[data-tabster-dummy]')].filter(
      (d) =>
        d.parentElement?.closest(popups) ||
        [d.previousElementSibling, d.nextElementSibling].some((s) => s?.matches(popups)) ||
        // Tabster's root sentinels, directly in <body> around the app, which stay once a dialog or menu has held focus.
        d.parentElement === document.body,
    );
    const result = await axe.run({ include: [document], exclude: popupSentinels }, { resultTypes: ['violations'], elementRef: true });
    // A target such as `i:nth-child(1)` says little: name the nearest ancestor with a role or a class too.
    const around = (element: Element | undefined): string => {
      const holder = element?.parentElement?.closest('[role], [class]');
      if (!holder) {
        const siblings = [...(element?.parentElement?.children ?? [])].map((c) => `${c.tagName.toLowerCase()}${c.id ? `#${c.id}` : ''}${c.getAttribute('role') ? `[role=${c.getAttribute('role')}]` : ''}.${String(c.getAttribute('class') ?? '').split(' ')[0]}`);
        return ` in <${element?.parentElement?.tagName.toLowerCase() ?? '?'}> beside ${siblings.join(', ')}`;
      }
      const role = holder.getAttribute('role');
      return ` in <${holder.tagName.toLowerCase()}${role ? ` role="${role}"` : ''} class="${String(holder.getAttribute('class') ?? '').slice(0, 80)}">`;
    };
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact ?? '',
        help: v.help,
        helpUrl: v.helpUrl,
        targets: v.nodes.map((n) => n.target.map(String).join(' ') + around(n.element)),
        summaries: v.nodes.map((n) => (n.failureSummary ?? '').replace(/\s+/g, ' ').trim()),
      }));
  });
}

/** Violations as readable lines: rule, impact, help, and up to five targets each. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => {
      const shown = v.targets.slice(0, 5).map((t, i) => `    ${t}${v.summaries[i] ? `  — ${v.summaries[i].slice(0, 200)}` : ''}`);
      const more = v.targets.length > 5 ? [`    … and ${v.targets.length - 5} more`] : [];
      return [`${v.id} (${v.impact}): ${v.help}`, ...shown, ...more].join('\n');
    })
    .join('\n');
}

/** Whether a page folder under src/tab/ is still the placeholder (not built yet). */
export async function isPlaceholder(feature: string): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  const read = (file: string) => readFile(path.join(ROOT, 'src', 'tab', feature, file), 'utf8').catch(() => undefined);
  const source = (await read('index.ts')) ?? (await read('index.tsx')) ?? '';
  return source === '' || source.includes('Placeholder');
}

/** Credits a UI shows ("1,234.5") as a number. */
export function creditsOf(text: string | null): number {
  return Number((text ?? '').replace(/[^\d.-]/g, ''));
}

/**
 * What covers the top of an element, if anything does: hit-tests a point 20 px into the element (at its
 * horizontal centre, scrolled into view) and returns undefined when the topmost element there is the element
 * or inside it, else a short description of what lies on top.
 */
export async function coveringElement(locator: Locator): Promise<string | undefined> {
  await locator.scrollIntoViewIfNeeded();
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = Math.min(box.top + 20, box.bottom - 1);
    const hit = document.elementFromPoint(x, y);
    if (!hit || element === hit || element.contains(hit)) return undefined;
    const style = getComputedStyle(hit);
    const name = `${hit.tagName.toLowerCase()}${hit.getAttribute('data-portal-node') !== null ? '[data-portal-node]' : ''}${hit.className ? `.${String(hit.className).split(' ').slice(0, 2).join('.')}` : ''}`;
    return `${name} (position ${style.position}, z-index ${style.zIndex}, background ${style.backgroundColor}) at ${Math.round(x)},${Math.round(y)}`;
  });
}
