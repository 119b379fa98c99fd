import { describe, expect, it } from 'vitest';
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
});
