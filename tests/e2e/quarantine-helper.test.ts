/**
 * The quarantine helper (issue 5) in a real browser, against the local stack and the Graph stand-in (the
 * tab's `/graph` proxied to it): three demo employees whose Autodesk accounts were created search their
 * own mailboxes. Quinn's Autodesk email is in Junk Email and goes back to the Inbox with one click; Kai's
 * was held by IronPort and a quarantine digest lists it, with its Release link; Jordan has nothing and
 * tells the account managers, which flags his registration as stuck in the feed, once.
 * (An account manager finding a person with the picker is tests/e2e/people-picker.test.ts.)
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import { AUTODESK_SENDER, CLEAN_USER, DIGEST_USER, FOLDER_IDS, IRONPORT_RELEASE_URL, JUNK_USER, seedMailboxes } from '../../server/local/graph-standin-data.js';
import { IT, MANAGER } from '../support/api.js';
import { axeCheck, capture, describeViolations, goToPage, openTab, pageErrors, settle, useE2E } from './support.js';

const env = useE2E({ name: 'quarantine-helper', graph: true });

const QUINN = JUNK_USER;
const KAI = DIGEST_USER;
const JORDAN = CLEAN_USER;

// What the stand-in's seeded mailboxes hold (ids and links do not depend on the clock).
const SEEDED = seedMailboxes(new Date());
const DAY = 86_400_000;
/** Quinn's Autodesk welcome email in Junk Email (the other Autodesk one there is older than 30 days). */
const QUINN_JUNK = SEEDED.get(QUINN.id)!.find((m) => m.folder === 'junkemail' && m.from.address === AUTODESK_SENDER && Date.now() - Date.parse(m.receivedDateTime) < 30 * DAY)!;
/** The Release link of the Autodesk row in Kai's IronPort digest. */
const KAI_RELEASE_URL = (() => {
  for (const mail of SEEDED.get(KAI.id)!) {
    const row = mail.html.split('<tr>').find((r) => r.includes(AUTODESK_SENDER));
    const href = row && /href="([^"]+)"/.exec(row)?.[1];
    if (href) return href;
  }
  throw new Error('No digest in the seeded data lists an Autodesk message');
})();
const KAI_HELD_SUBJECT = 'Verify your Autodesk account';

interface FeedItem {
  kind: string;
  memberId: string | null;
  memberName: string | null;
  message: string;
}

/** The stuck-registration alerts naming this person, in the feed as IT sees it. */
async function stuckAlertsFor(person: DemoUser): Promise<FeedItem[]> {
  const feed = await env().api.call(IT, 'GET', '/api/feed?limit=200');
  expect(feed.status, JSON.stringify(feed.body)).toBe(200);
  return (feed.body.items as FeedItem[]).filter((e) => e.kind === 'alert_registration_stuck' && e.memberId === person.id);
}

/** Opens the tab as the person, goes to Registration, opens the helper and searches; returns the helper once the search ended. */
async function searchAs(page: Page, person: DemoUser): Promise<Locator> {
  await openTab(page, { as: person.email });
  await goToPage(page, 'Registration');
  await page.getByRole('button', { name: 'Open the quarantine helper' }).click();
  const helper = page.getByRole('region', { name: 'Quarantine helper' });
  await helper.waitFor();
  await helper.getByRole('button', { name: 'Search my mailbox' }).click();
  // The button says "Search again" once the search is done (or failed).
  await helper.getByRole('button', { name: 'Search again' }).waitFor({ timeout: 30_000 });
  await settle(page);
  return helper;
}

/** Waits for one of the helper's outcome sections; when it does not come, fails with what the helper says instead. */
async function outcome(helper: Locator, name: string): Promise<Locator> {
  const section = helper.getByRole('region', { name });
  try {
    await section.waitFor();
  } catch {
    throw new Error(`No "${name}" in the helper, which says: ${(await helper.textContent())?.replace(/\s+/g, ' ')}`);
  }
  return section;
}

/** The helper searched this person's mailbox on the stand-in, through the dev server's /graph proxy. */
function graphPathsOf(person: DemoUser): string[] {
  return env()
    .graph!.requests()
    .filter((r) => r.user === person.id)
    .map((r) => `${r.method} ${r.path} ${r.status}`);
}

/** A PNG of the outcome, then axe (serious or critical fails) and the page's errors. */
async function checkScreen(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await capture(page, name);
  const violations = await axeCheck(page);
  expect(violations, `axe found on ${name}:\n${describeViolations(violations)}`).toEqual([]);
  expect(pageErrors(page), 'page errors').toEqual([]);
}

describe('tab: the quarantine helper against the Graph stand-in', () => {
  beforeAll(async () => {
    const { api } = env();
    // The mailbox helper is opt-in (delegated Mail.ReadWrite): this tenant's IT switched it on.
    const settings = (await api.call(IT, 'GET', '/api/settings')).body;
    expect((await api.call(IT, 'PUT', '/api/settings', { body: { ...settings, features: { ...settings.features, mailboxHelper: true } } })).status).toBe(200);
    // Each has asked for an account and an account manager has created it: the "check your email" step.
    for (const person of [QUINN, KAI, JORDAN]) {
      expect((await api.call(person, 'GET', '/api/me')).status).toBe(200);
      const requested = await api.call(person, 'POST', '/api/registrations', { body: {} });
      expect(requested.status, JSON.stringify(requested.body)).toBe(201);
      const created = await api.call(MANAGER, 'POST', `/api/registrations/${person.id}/events`, { body: { type: 'account_created' } });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
    }
  }, 60_000);

  test('Quinn finds the Autodesk email in Junk Email and moves it to the Inbox', { timeout: 120_000 }, async () => {
    const page = await env().newPage();
    const helper = await searchAs(page, QUINN);

    const junk = await outcome(helper, 'In your Junk Email folder');
    expect(await helper.getByRole('region', { name: 'Held in the spam quarantine' }).count()).toBe(0);
    expect(await helper.getByRole('region', { name: 'Nothing from Autodesk in your mailbox' }).count()).toBe(0);
    // Only the recent one: the other Autodesk email in Junk is older than 30 days.
    const found = junk.getByRole('list', { name: 'Autodesk emails in Junk Email' }).getByRole('listitem');
    expect(await found.count()).toBe(1);
    const text = await found.first().textContent();
    expect(text).toContain(`${QUINN_JUNK.from.name} <${AUTODESK_SENDER}>`);
    expect(text).toContain(QUINN_JUNK.subject);
    expect(graphPathsOf(QUINN)).toContain('GET /v1.0/me/mailFolders/junkemail/messages 200');
    expect(env().graph!.movedMessages()).toEqual([]);

    await found.first().getByRole('button', { name: 'Move to Inbox' }).click();
    await expect.poll(() => junk.getByText('Moved to your Inbox').isVisible()).toBe(true);
    expect(await junk.textContent()).toMatch(/Open Outlook and finish registration from the email/);
    expect(await junk.getByRole('button', { name: 'Move to Inbox' }).count()).toBe(0);
    expect(env().graph!.movedMessages()).toEqual([expect.objectContaining({ userId: QUINN.id, fromId: QUINN_JUNK.id, destinationFolderId: FOLDER_IDS.inbox })]);

    await checkScreen(page, 'quarantine-helper-junk');
    await page.context().close();
  });

  test('Kai finds the Autodesk email in an IronPort digest, with its Release link in a new tab', { timeout: 120_000 }, async () => {
    expect(KAI_RELEASE_URL.startsWith(`${IRONPORT_RELEASE_URL}?`)).toBe(true);
    const page = await env().newPage();
    const helper = await searchAs(page, KAI);

    const digest = await outcome(helper, 'Held in the spam quarantine');
    expect(await helper.getByRole('region', { name: 'In your Junk Email folder' }).count()).toBe(0);
    expect(await helper.getByRole('region', { name: 'Nothing from Autodesk in your mailbox' }).count()).toBe(0);
    // One held Autodesk email; the digests' other rows are not Autodesk's.
    const held = digest.getByRole('list', { name: 'Held Autodesk emails' }).getByRole('listitem');
    expect(await held.count()).toBe(1);
    const text = await held.first().textContent();
    expect(text).toContain(AUTODESK_SENDER);
    expect(text).toContain(KAI_HELD_SUBJECT);
    expect(await digest.textContent()).toMatch(/Released mail reaches your inbox within a few minutes/);

    const release = held.first().getByRole('link', { name: /Release it from the quarantine/ });
    expect(await release.getAttribute('href')).toBe(KAI_RELEASE_URL);
    expect(await release.getAttribute('target')).toBe('_blank');
    expect(await release.getAttribute('rel')).toContain('noopener');

    await checkScreen(page, 'quarantine-helper-digest');

    // The link opens the quarantine's page in a new tab (answered here: the host does not exist).
    const context = page.context();
    await context.route(`${IRONPORT_RELEASE_URL}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Released</title>' }));
    const [opened] = await Promise.all([context.waitForEvent('page'), release.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(KAI_RELEASE_URL);
    expect(page.url()).toContain('#/registration');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  test('Jordan finds nothing, gets the guidance and tells the account managers, once', { timeout: 120_000 }, async () => {
    expect(await stuckAlertsFor(JORDAN)).toEqual([]);
    const page = await env().newPage();
    const helper = await searchAs(page, JORDAN);

    const nothing = await outcome(helper, 'Nothing from Autodesk in your mailbox');
    expect(await helper.getByRole('region', { name: 'In your Junk Email folder' }).count()).toBe(0);
    expect(await helper.getByRole('region', { name: 'Held in the spam quarantine' }).count()).toBe(0);
    const guidance = nothing.getByRole('list', { name: 'What else to check' });
    expect(await guidance.getByRole('listitem').count()).toBeGreaterThanOrEqual(3);
    expect(await guidance.textContent()).toContain(JORDAN.email);
    expect(graphPathsOf(JORDAN)).toEqual(expect.arrayContaining(['GET /v1.0/me/mailFolders/junkemail/messages 200', 'GET /v1.0/me/messages 200']));
    const axeBefore = await axeCheck(page);
    expect(axeBefore, `axe found before telling:\n${describeViolations(axeBefore)}`).toEqual([]);

    await nothing.getByRole('button', { name: 'Tell the account managers' }).click();
    await expect.poll(() => nothing.getByText('The account managers know', { exact: true }).isVisible()).toBe(true);
    const alerts = await stuckAlertsFor(JORDAN);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.memberName).toBe(JORDAN.displayName);
    expect(alerts[0]!.message).toContain(JORDAN.displayName);

    await checkScreen(page, 'quarantine-helper-nothing');

    // Searching again brings the button back; pressing it again says they already know and raises nothing new.
    await helper.getByRole('button', { name: 'Search again' }).click();
    await nothing.getByRole('button', { name: 'Tell the account managers' }).click();
    await expect.poll(() => nothing.getByText('The account managers already know', { exact: true }).isVisible()).toBe(true);
    expect(await stuckAlertsFor(JORDAN)).toHaveLength(1);
    expect(pageErrors(page)).toEqual([]);
    await page.context().close();
  });
});
