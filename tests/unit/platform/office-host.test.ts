import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildManifest } from '../../../manifest/build-manifest.js';
import { paneSignInRoute } from '../../../src/platform/auth.js';
import { connectToOutlook, themeFromOffice } from '../../../src/platform/office-host.js';
import { OFFICE_THEME_MAILBOX, PANE_MAILBOX_APIS, PANE_MAILBOX_MINIMUM } from '../../../src/platform/office-requirements.js';
import { goodSettings } from '../manifest/fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

describe('the pane in Outlook', () => {
  it("follows Office's theme: a dark body background is the dark theme", () => {
    expect(themeFromOffice({ bodyBackgroundColor: '#FFFFFF' })).toBe('light');
    expect(themeFromOffice({ bodyBackgroundColor: '#F3F2F1' })).toBe('light');
    expect(themeFromOffice({ bodyBackgroundColor: '#292827' })).toBe('dark');
    expect(themeFromOffice({ bodyBackgroundColor: '000000' })).toBe('dark');
    expect(themeFromOffice({ bodyBackgroundColor: 'not a colour' })).toBe('light');
    expect(themeFromOffice(undefined)).toBe('light');
  });

  it('is not in Outlook when Office.js is not on the page (dev mode and tests)', async () => {
    expect(typeof (globalThis as { Office?: unknown }).Office).toBe('undefined');
    expect(await connectToOutlook(50)).toBeUndefined();
  });

  describe('nested app authentication (issue 17, item 3)', () => {
    /** Office.js in Outlook, as far as connecting goes; `supported` is what isSetSupported answers for NestedAppAuth 1.1. */
    function outlookWith(supported: boolean): string[] {
      const asked: string[] = [];
      (globalThis as { Office?: unknown }).Office = {
        HostType: { Outlook: 'Outlook' },
        EventType: { ItemChanged: 'olkItemSelectedChanged' },
        onReady: async () => ({ host: 'Outlook', platform: 'OfficeOnline' }),
        context: {
          officeTheme: { bodyBackgroundColor: '#ffffff' },
          mailbox: { userProfile: { emailAddress: 'Quinn@Fabrikam.example' }, addHandlerAsync: () => {} },
          requirements: {
            isSetSupported: (name: string, version: string) => {
              asked.push(`${name} ${version}`);
              return supported;
            },
          },
        },
      };
      return asked;
    }
    afterEach(() => {
      delete (globalThis as { Office?: unknown }).Office;
    });

    it('an Outlook with NestedAppAuth 1.1 brokers the token: the pane uses nested app authentication', async () => {
      const asked = outlookWith(true);
      const outlook = await connectToOutlook(30_000);
      expect(asked).toContain('NestedAppAuth 1.1');
      expect(paneSignInRoute(outlook!)).toBe('nested');
    });

    it('older builds and Outlook.com mailboxes lack it: the pane signs in through Office’s dialog', async () => {
      outlookWith(false);
      const outlook = await connectToOutlook(30_000);
      expect(outlook?.userEmail).toBe('quinn@fabrikam.example');
      expect(paneSignInRoute(outlook!)).toBe('office-dialog');
    });
  });
});

describe('the requirement sets the pane declares', () => {
  const sources = ['src/platform/office-host.ts', 'src/mail/office-mail.ts'].map((file) => readFileSync(path.join(ROOT, file), 'utf8')).join('\n');

  it('lists every mailbox, item and body member the pane calls, so none is left out of the minimum', () => {
    const used = new Set([...sources.matchAll(/\b(?:mailbox|item|body)\.(\w+)/g)].map((m) => m[1]!));
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((name) => !PANE_MAILBOX_APIS.some((a) => new RegExp(`\\.${name}\\b`).test(a.api)))).toEqual([]);
  });

  it('is Mailbox 1.5 (body.getAsync 1.3, ItemChanged 1.5), in the manifest and in manifest/README.md', () => {
    expect(PANE_MAILBOX_MINIMUM).toBe('1.5');
    const extension = buildManifest(goodSettings()).extensions?.[0];
    expect(extension?.requirements.capabilities).toEqual([{ name: 'Mailbox', minVersion: PANE_MAILBOX_MINIMUM }]);
    const readme = readFileSync(path.join(ROOT, 'manifest/README.md'), 'utf8');
    const stated = [...readme.matchAll(/Mailbox (\d+\.\d+) or later/g)].map((m) => m[1]);
    expect(stated.length).toBeGreaterThan(0);
    expect(new Set(stated)).toEqual(new Set([PANE_MAILBOX_MINIMUM]));
    expect(readme).toContain(`**Mailbox ${PANE_MAILBOX_MINIMUM}**`);
  });
});

describe('the theme in Outlook', () => {
  afterEach(() => vi.unstubAllGlobals());

  const outlook = (supported: string) => {
    const read = vi.fn(() => ({ bodyBackgroundColor: '#1F1F1F' }));
    const context = { mailbox: { userProfile: { emailAddress: 'Am@Contoso.example' }, addHandlerAsync: vi.fn() }, requirements: { isSetSupported: (name: string, version: string) => name === 'Mailbox' && Number(version) <= Number(supported) } };
    Object.defineProperty(context, 'officeTheme', { get: read });
    vi.stubGlobal('Office', { onReady: async () => ({ host: 'Outlook' }), HostType: { Outlook: 'Outlook' }, EventType: { ItemChanged: 'olkItemSelectedChanged' }, context });
    return read;
  };

  it(`reads officeTheme only where Mailbox ${OFFICE_THEME_MAILBOX} is supported; older clients are light`, async () => {
    const old = outlook('1.13');
    expect((await connectToOutlook(1000))?.theme).toBe('light');
    expect(old).not.toHaveBeenCalled();
    const current = outlook('1.14');
    expect(await connectToOutlook(1000)).toMatchObject({ theme: 'dark', userEmail: 'am@contoso.example' });
    expect(current).toHaveBeenCalled();
  });
});
