/**
 * 320 px wide (a phone, Teams mobile, a narrow side panel) on a seeded stack: History stacks each entry as a
 * block with its labels instead of a table wider than the screen, the Requests filter tabs show every label
 * whole, and axe finds nothing serious, the tab lists' focus sentinels included. PNGs:
 * test-artifacts/screens/history-320-light.png and requests-320-light.png.
 */
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { RILEY, axeCheck, capture, describeViolations, openTab, pageErrors, useE2E } from './support.js';

const env = useE2E({ name: 'narrow-screens', seed: true });
const AVERY = 'avery.chen@contoso.example';

/** Elements reaching past the viewport's right edge (nothing, when the page does not scroll sideways). */
function widerThanScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && e.offsetParent !== null)
      .slice(0, 10)
      .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]} right=${Math.round(e.getBoundingClientRect().right)}`);
  });
}

test('employee: History at 320 px stacks each entry with its labels, no sideways scrolling', { timeout: 120_000 }, async () => {
  const page = await env().newPage();
  await openTab(page, { as: AVERY, page: 'history', width: 320 });
  const table = page.getByRole('table', { name: 'Your history' });
  await table.getByRole('row').nth(1).waitFor();
  const file = await capture(page, 'history-320');
  expect(await widerThanScreen(page), `sideways scroll in ${file}`).toEqual([]);
  const layout = await table.evaluate((t) => {
    const header = t.querySelector('thead');
    const row = t.querySelector('tbody tr')!;
    const label = (name: string) => {
      const cell = row.querySelector<HTMLElement>(`[data-label="${name}"]`);
      return cell ? getComputedStyle(cell, '::before').content : null;
    };
    return { headerShown: header ? getComputedStyle(header).display !== 'none' : false, usedOn: label('Used on'), recorded: label('Recorded'), rowWidth: row.getBoundingClientRect().width };
  });
  expect(layout).toMatchObject({ headerShown: false, usedOn: '"Used on: "', recorded: '"Recorded: "' });
  expect(layout.rowWidth).toBeLessThanOrEqual(320);
  expect(describeViolations(await axeCheck(page))).toBe('');
  expect(pageErrors(page)).toEqual([]);
  await page.context().close();
});

test('account manager: the Requests filter tabs at 320 px show every label whole, and the tab lists pass axe', { timeout: 120_000 }, async () => {
  const page = await env().newPage();
  await openTab(page, { as: RILEY.email, page: 'registrations', width: 320 });
  const filters = page.getByRole('tablist', { name: 'Show' });
  await filters.getByRole('tab', { name: 'Account created' }).waitFor();
  const file = await capture(page, 'requests-320');
  const tabs = await filters.getByRole('tab').evaluateAll((all) =>
    all.map((tab) => {
      const box = tab.getBoundingClientRect();
      const label = tab.querySelector<HTMLElement>('.fui-Tab__content')!;
      const cut = label.scrollWidth > label.clientWidth + 1 || label.getBoundingClientRect().right > box.right + 1;
      return { name: label.textContent, cut, inside: box.left >= 0 && box.right <= document.documentElement.clientWidth };
    }),
  );
  expect(tabs.map((t) => t.name)).toEqual(['Waiting on us', 'Requested', 'Account created', 'Registered', 'Declined', 'Left', 'Everyone']);
  expect(tabs.filter((t) => t.cut || !t.inside), `cut or off screen in ${file}`).toEqual([]);
  expect(await widerThanScreen(page), `sideways scroll in ${file}`).toEqual([]);
  // No tab list on the page (the pages' tabs, the filters) has Tabster's aria-hidden, focusable sentinels.
  expect(await page.locator('[role="tablist"] [data-tabster-dummy], [data-tabster-dummy] + [role="tablist"]').count()).toBe(0);
  expect(describeViolations(await axeCheck(page))).toBe('');
  expect(pageErrors(page)).toEqual([]);
  await page.context().close();
});
