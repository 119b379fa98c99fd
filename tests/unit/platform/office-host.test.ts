import { afterEach, describe, expect, it } from 'vitest';
import { paneSignInRoute } from '../../../src/platform/auth.js';
import { connectToOutlook, themeFromOffice } from '../../../src/platform/office-host.js';

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
      expect(asked).toEqual(['NestedAppAuth 1.1']);
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
