/**
 * The page navigation when the window is too narrow for every tab: IT has the most pages, and at 1280 px
 * the tabs that do not fit move into a "More" menu (src/tab/PageTabs.tsx, MorePagesMenu.tsx). Choosing a
 * page there opens it and puts its tab on screen; at 1920 px every tab fits and there is no "More" button.
 * Screens of the bar (menu closed, open, and with Settings chosen) go to test-artifacts/screens/page-tabs-1280*-<theme>.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { MORE_PAGES, TAYLOR, THEMES, axeCheck, capture, describeViolations, openTab, pageErrors, pageNav, settle, useE2E } from './support.js';

const env = useE2E({ name: 'page-tabs', seed: true });

/** IT's pages in the order of src/tab/pages.tsx. */
const IT_PAGES = ['My credits', 'Registration', 'History', 'Requests', 'Purchases', 'Members', 'Pool', 'Imports', 'Reports', 'Audit', 'Feed', 'Setup', 'Settings'];

const moreButton = (page: Page) => pageNav(page).getByRole('button', { name: MORE_PAGES });

/** The names of the tabs on screen, left to right (tabs moved into the menu are not displayed). */
const shownTabs = (page: Page) => pageNav(page).getByRole('tab').allInnerTexts();

/** Opens the "More" menu, reads the pages it lists and closes it again. */
async function listedInMenu(page: Page): Promise<string[]> {
  await moreButton(page).click();
  const menu = page.getByRole('menu');
  await menu.waitFor();
  const listed = await menu.getByRole('menuitem').allInnerTexts();
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  return listed;
}

/** Tabs and "More" button that reach past the window's right edge or are squeezed to nothing. */
async function clippedInNav(page: Page): Promise<string[]> {
  return pageNav(page).evaluate((nav) => {
    const width = document.documentElement.clientWidth;
    return [...nav.querySelectorAll<HTMLElement>('[role="tab"], button')]
      .filter((e) => e.offsetParent !== null)
      .map((e) => ({ name: e.getAttribute('aria-label') ?? e.textContent ?? '', box: e.getBoundingClientRect() }))
      .filter(({ box }) => box.right > width || box.left < 0 || box.width < 24)
      .map(({ name, box }) => `${name} (${Math.round(box.left)}–${Math.round(box.right)} of ${width})`);
  });
}

describe('IT at 1280 × 800', () => {
  test('the tabs that do not fit are in the "More" menu, and choosing Settings there opens it', { timeout: 120_000 }, async () => {
    const page = await env().newPage({ width: 1280, height: 800 });
    await openTab(page, { as: TAYLOR.email, page: 'my-credits' });

    await moreButton(page).waitFor();
    const shown = await shownTabs(page);
    expect(shown.length, 'tabs on screen').toBeLessThan(IT_PAGES.length);
    expect(shown).not.toContain('Settings');
    expect(await clippedInNav(page)).toEqual([]);
    // Every page is reachable once: the tabs on screen, then the rest, in order, in the menu.
    expect([...shown, ...(await listedInMenu(page))]).toEqual(IT_PAGES);

    await moreButton(page).click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'Settings', exact: true }).click();
    await settle(page);
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/settings');
    await page.getByRole('main').getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    // The selected page's tab is on screen and selected; another tab made room for it.
    const settingsTab = pageNav(page).getByRole('tab', { name: 'Settings', exact: true });
    expect(await settingsTab.isVisible()).toBe(true);
    expect(await settingsTab.getAttribute('aria-selected')).toBe('true');
    const shownNow = await shownTabs(page);
    const listedNow = await listedInMenu(page);
    expect(listedNow).not.toContain('Settings');
    expect(listedNow.length).toBeGreaterThan(0);
    expect([...shownNow, ...listedNow].sort()).toEqual([...IT_PAGES].sort());
    expect(await clippedInNav(page)).toEqual([]);
    await capture(page, 'page-tabs-1280-settings');

    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });

  test('the "More" button works from the keyboard and says it opens a menu', { timeout: 120_000 }, async () => {
    const page = await env().newPage({ width: 1280, height: 800 });
    await openTab(page, { as: TAYLOR.email, page: 'my-credits' });
    const more = moreButton(page);
    await more.waitFor();
    expect(await more.getAttribute('aria-haspopup')).toBe('menu');
    expect(await more.getAttribute('aria-expanded')).toBe('false');

    // Tab from the selected tab (the tab list is one stop) to the "More" button.
    await pageNav(page).getByRole('tab', { selected: true }).focus();
    await page.keyboard.press('Tab');
    expect(await more.evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    // The last hidden page is Settings; End moves to it, Enter opens it.
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Settings');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/settings');
    await settle(page);
    await expect.poll(() => pageNav(page).getByRole('tab', { selected: true }).innerText()).toBe('Settings');

    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});

test('IT at 1920 px: every tab fits and there is no "More" button; narrowing the window brings it', { timeout: 120_000 }, async () => {
  const page = await env().newPage({ width: 1920, height: 800 });
  await openTab(page, { as: TAYLOR.email, page: 'my-credits' });
  expect(await shownTabs(page)).toEqual(IT_PAGES);
  expect(await moreButton(page).count()).toBe(0);
  expect(await clippedInNav(page)).toEqual([]);

  await page.setViewportSize({ width: 1280, height: 800 });
  await moreButton(page).waitFor();
  expect((await shownTabs(page)).length).toBeLessThan(IT_PAGES.length);
  expect(await clippedInNav(page)).toEqual([]);
  await page.context().close();
});

describe.each(THEMES)('%s theme', (theme) => {
  test('IT at 1280 px: the tab bar, with the "More" menu closed and open, has no serious axe violations', { timeout: 120_000 }, async () => {
    const page = await env().newPage({ width: 1280, height: 800 });
    await openTab(page, { as: TAYLOR.email, theme, page: 'my-credits' });
    await moreButton(page).waitFor();
    await capture(page, 'page-tabs-1280');
    expect(describeViolations(await axeCheck(page))).toBe('');

    await moreButton(page).click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'Settings', exact: true }).waitFor();
    await capture(page, 'page-tabs-1280-more');
    expect(describeViolations(await axeCheck(page))).toBe('');
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
