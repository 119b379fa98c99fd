/**
 * Issue 17, item 2: Teams mobile hosts the tab without a frame, through `window.nativeInterface`; the tab
 * asked teams-js only inside a frame or with an opener, and so took Teams mobile for a plain browser.
 * These run the real teams-js against a Teams mobile host (tests/support/teams-native-host.ts).
 */
import { app } from '@microsoft/teams-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectHost, mayBeInHost } from '../../../src/platform/host.js';
import { installTeamsNativeHost } from '../../support/teams-native-host.js';

let uninstall: (() => void) | undefined;
beforeEach(() => localStorage.clear());
afterEach(() => {
  // teams-js keeps its connection in module state; its own test hook forgets it.
  app._uninitialize();
  uninstall?.();
  uninstall = undefined;
});

describe('which host the tab is in', () => {
  it('a plain browser (no parent frame, no opener, no native bridge) is a browser, without asking teams-js', async () => {
    expect(mayBeInHost()).toBe(false);
    const host = await detectHost();
    expect(host).toMatchObject({ host: 'browser', nestedAuth: false });
  });

  it('Teams mobile, without a frame: teams-js connects through nativeInterface, and the host recommends nested app authentication', async () => {
    const native = installTeamsNativeHost({ naaRecommended: true, theme: 'dark', subEntityId: 'registrations' });
    uninstall = native.uninstall;
    const host = await detectHost(30_000);
    expect(host).toMatchObject({ host: 'teams', theme: 'dark', page: 'registrations', nestedAuth: true });
    expect(native.asked).toEqual(expect.arrayContaining(['initialize', 'getContext']));
  });

  it('Teams mobile on a build without the NAA channel: still Teams, but nested app authentication is not recommended', async () => {
    const native = installTeamsNativeHost({ naaRecommended: false });
    uninstall = native.uninstall;
    expect(await detectHost(30_000)).toMatchObject({ host: 'teams', nestedAuth: false });
  });
});
