/**
 * IT's first-run page in a real browser, against the local stack: a fresh tenant (no channel, no account
 * managers, every opt-in Graph feature off) whose backend has no Graph identity yet (the stack's directory
 * is the demo one) opens the tab as IT and is taken to Setup, which shows what is ready, what is off, and
 * what to do.
 */
import { describe, expect, test } from 'vitest';
import { IT } from '../support/api.js';
import { axeCheck, capture, describeViolations, openTab, pageErrors, settle, useE2E } from './support.js';

const env = useE2E({ name: 'setup-page' });

describe('the Setup page', () => {
  test("opens by itself on IT's first visit while something is red, with each check and its fix", async () => {
    const page = await env().newPage();
    try {
      await openTab(page, { as: IT.email });
      await page.getByRole('heading', { name: 'Setup', level: 1 }).waitFor({ timeout: 30_000 });
      await settle(page);
      const checks = page.getByRole('list', { name: 'Setup checks' });
      await expect.poll(() => checks.getByRole('listitem').count()).toBeGreaterThanOrEqual(9);
      const file = await capture(page, 'setup');
      expect(file).toMatch(/setup-light\.png$/);
      const directory = checks.getByRole('group', { name: 'Directory look-up: Not set up' });
      expect(await directory.textContent()).toContain('CREDIT_DESK_GRAPH_MANAGED_IDENTITY=1');
      await checks.getByRole('group', { name: 'Message trace for stuck registrations: Off' }).waitFor();
      const channel = checks.getByRole('group', { name: "IT's Teams channel: Not set up" });
      expect(await channel.textContent()).toContain('Workflows');
      await page.getByText(/things to set up/).waitFor();

      const violations = await axeCheck(page);
      expect(violations, describeViolations(violations)).toEqual([]);
      expect(pageErrors(page), 'page errors').toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
