/**
 * The channel page of the Teams stand-in (issue 19, item 7): a month of activity rendered as the cards IT
 * reads, in headless Chromium, saved as test-artifacts/screens/channel.png. The page's text is checked for
 * ids, slugs, ISO days and UTC times, as a person would read it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FeedReceiver } from '../../server/local/feed-receiver.js';
import { startFeedReceiver } from '../../server/local/feed-receiver.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, startTestApi } from '../support/api.js';
import { channelMonth, postToChannel } from '../support/channel-month.js';
import { SCREENS_DIR, launchChromium } from './support.js';

let api: TestApi;
let receiver: FeedReceiver;
let browser: Browser;

beforeAll(async () => {
  [api, receiver, browser] = await Promise.all([startTestApi(), startFeedReceiver(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  await api?.stack.stop();
});

it('the channel page shows the cards in words', async () => {
  const month = await channelMonth(api, receiver, EMPLOYEES[0]!);
  await postToChannel(api);
  const page = await browser.newPage({ viewport: { width: 640, height: 900 } });
  await page.goto(receiver.pageUrl);
  const posts = page.locator('#posts > li');
  await expect.poll(() => posts.count()).toBe(receiver.received().length);
  await expect.poll(() => page.locator('.card .ac-adaptiveCard').count()).toBe(receiver.received().length);
  const text = await page.locator('#posts').innerText();
  for (const id of month.ids) expect(text).not.toContain(id);
  expect(text).not.toMatch(/\b[a-z]+_[a-z_]+\b|\d{4}-\d{2}-\d{2}|UTC|GMT/);
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS_DIR, 'channel.png'), fullPage: true, animations: 'disabled', caret: 'hide' });
  // The newest cards at a readable size, as the channel opens.
  await page.screenshot({ path: path.join(SCREENS_DIR, 'channel-top.png'), animations: 'disabled', caret: 'hide' });
});
