/**
 * Every role's screens in light, dark and high-contrast themes on a seeded stack: a full-page PNG in
 * test-artifacts/screens/<screen>-<theme>.png and an axe-core check that fails on serious or critical
 * violations. Pages still being built (their src/tab/<feature>/index.ts says "Placeholder") are skipped.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { ThemeName } from './support.js';
import { THEMES, axeCheck, capture, coveringElement, describeViolations, goToPage, isPlaceholder, openTab, pageErrors, useE2E } from './support.js';

const env = useE2E({ name: 'screens', seed: true });

// Seeded people: Avery is registered with five months of history and draws on the pool; Jordan's account
// was created and waits for him to finish registering; Riley manages accounts; Taylor is IT.
const AVERY = 'avery.chen@contoso.example';
const JORDAN = 'jordan.alvarez@contoso.example';
const RILEY = 'riley.account@contoso.example';
const TAYLOR = 'taylor.systems@contoso.example';

interface Screen {
  name: string;
  role: 'employee' | 'manager' | 'it';
  as: string;
  /** The page id (hash route) and the src/tab folder that builds it. */
  page: string;
  feature: string;
  /** Brings up what is captured, after the page has loaded (e.g. opens a dialog). */
  show?: (page: Page) => Promise<void>;
  /** Puts the page back as it was (e.g. closes the dialog). */
  hide?: (page: Page) => Promise<void>;
  /** What must be on screen, not under something else (the page's main region unless told). */
  visible?: (page: Page) => Locator;
}

const PAGE_LABEL: Record<string, string> = {
  'my-credits': 'My credits',
  registration: 'Registration',
  history: 'History',
  registrations: 'Requests',
  purchases: 'Purchases',
  members: 'Members',
  pool: 'Pool',
  feed: 'Feed',
  audit: 'Audit',
  reports: 'Reports',
  imports: 'Imports',
  settings: 'Settings',
};

const SCREENS: Screen[] = [
  // With Avery's seeded hold (30 credits from the pool) under "Reserved for planned jobs".
  { name: 'my-credits', role: 'employee', as: AVERY, page: 'my-credits', feature: 'my-credits', visible: (page) => page.getByRole('table', { name: 'Open holds' }) },
  { name: 'registration', role: 'employee', as: JORDAN, page: 'registration', feature: 'registration' },
  { name: 'history', role: 'employee', as: AVERY, page: 'history', feature: 'history' },
  { name: 'pool-employee', role: 'employee', as: AVERY, page: 'pool', feature: 'pool', visible: (page) => page.getByTestId('forecast-order-by') },
  {
    name: 'log-usage',
    role: 'employee',
    as: AVERY,
    page: 'my-credits',
    feature: 'my-credits',
    show: async (page) => {
      await page.getByRole('button', { name: 'Log usage' }).click();
      await page.getByRole('dialog', { name: 'Log usage' }).waitFor();
    },
    visible: (page) => page.getByRole('dialog', { name: 'Log usage' }),
    hide: async (page) => {
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Log usage' }).waitFor({ state: 'detached' });
    },
  },
  // Avery's seeded hold shows on my-credits; this is the dialog that places one (DESIGN 3.5).
  {
    name: 'reserve-credits',
    role: 'employee',
    as: AVERY,
    page: 'my-credits',
    feature: 'my-credits',
    show: async (page) => {
      await page.getByRole('table', { name: 'Open holds' }).waitFor();
      await page.getByRole('button', { name: 'Reserve credits' }).click();
      const dialog = page.getByRole('dialog', { name: 'Reserve credits' });
      await dialog.getByLabel('Credits').fill('12.5');
    },
    visible: (page) => page.getByRole('dialog', { name: 'Reserve credits' }),
    hide: async (page) => {
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Reserve credits' }).waitFor({ state: 'detached' });
    },
  },
  { name: 'registrations', role: 'manager', as: RILEY, page: 'registrations', feature: 'registrations' },
  { name: 'purchases', role: 'manager', as: RILEY, page: 'purchases', feature: 'purchases' },
  { name: 'members', role: 'manager', as: RILEY, page: 'members', feature: 'members' },
  // The pool with its forecast (order-by date, run-out date, projection); employees see it without the purchase button.
  { name: 'pool', role: 'manager', as: RILEY, page: 'pool', feature: 'pool', visible: (page) => page.getByTestId('forecast-order-by') },
  { name: 'feed', role: 'it', as: TAYLOR, page: 'feed', feature: 'feed' },
  { name: 'audit', role: 'it', as: TAYLOR, page: 'audit', feature: 'audit' },
  { name: 'reports', role: 'manager', as: RILEY, page: 'reports', feature: 'reports' },
  { name: 'imports', role: 'manager', as: RILEY, page: 'imports', feature: 'imports' },
  { name: 'settings', role: 'it', as: TAYLOR, page: 'settings', feature: 'settings' },
];

// Which pages are built is read once, when the file is collected.
const unbuilt = new Set<string>();
for (const screen of SCREENS) if (await isPlaceholder(screen.feature)) unbuilt.add(screen.feature);

/**
 * One page per person, kept across tests: a load of the dev bundle costs seconds (the icon package alone is
 * megabytes unbundled), so a person's page reloads only when the theme changes and moves between screens
 * with the navigation tabs, as a person would.
 */
const pages = new Map<string, { page: Page; theme: ThemeName }>();

async function pageFor(screen: Screen, theme: ThemeName): Promise<Page> {
  const held = pages.get(screen.as);
  if (held && held.theme === theme) {
    await showPage(held.page, screen.page);
    return held.page;
  }
  const page = held?.page ?? (await env().newPage());
  pages.set(screen.as, { page, theme });
  await openTab(page, { as: screen.as, theme, page: screen.page });
  return page;
}

/** Moves to a page by its navigation tab, unless it is already showing. */
async function showPage(page: Page, id: string) {
  await page.keyboard.press('Escape');
  if ((await page.evaluate(() => location.hash)) === `#/${id}`) return;
  const label = PAGE_LABEL[id] ?? id;
  await goToPage(page, label);
}

async function shoot(screen: Screen, theme: ThemeName) {
  const page = await pageFor(screen, theme);
  await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#/${screen.page}`);
  await screen.show?.(page);
  const covered = await coveringElement(screen.visible?.(page) ?? page.getByRole('main'));
  await page.evaluate(() => window.scrollTo(0, 0));
  const file = await capture(page, screen.name);
  const violations = await axeCheck(page);
  const errors = pageErrors(page).splice(0);
  await screen.hide?.(page);
  return { page, file, violations, errors, covered };
}

describe.each(THEMES)('%s theme', (theme) => {
  for (const screen of SCREENS) {
    // A screen whose page is still a placeholder (src/tab/<feature>/index.ts says so) is skipped; it joins on
    // its own once the page lands.
    test.skipIf(unbuilt.has(screen.feature))(`${screen.role}: ${screen.name} is on screen and has no serious or critical axe violations`, { timeout: 120_000 }, async () => {
      const { violations, errors, covered } = await shoot(screen, theme);
      expect(errors, 'page errors').toEqual([]);
      // E.g. page styles on FluentProvider reach every portal node and turn it into a full-window layer.
      expect(covered, `${screen.name} (${theme}) is hidden under another element`).toBeUndefined();
      expect(violations, `axe found on ${screen.name} (${theme}):\n${describeViolations(violations)}`).toEqual([]);
    });
  }
});

test('employee: my-credits at 320 px wide reflows without horizontal scrolling', { timeout: 120_000 }, async () => {
  const screen = SCREENS[0]!;
  const page = await env().newPage();
  await openTab(page, { as: screen.as, theme: 'light', page: screen.page, width: 320 });
  await capture(page, 'my-credits-320');
  const violations = await axeCheck(page);
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wider = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && e.offsetParent !== null && !e.closest('[data-tabster-dummy]'))
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ')[0]}` : ''} right=${Math.round(e.getBoundingClientRect().right)}`);
    return { width, scrollWidth: document.documentElement.scrollWidth, wider: wider.slice(0, 10) };
  });
  await page.context().close();
  expect(violations, describeViolations(violations)).toEqual([]);
  expect(overflow.scrollWidth, `page is wider than the 320 px viewport: ${overflow.wider.join(', ')}`).toBeLessThanOrEqual(overflow.width);
});
