/**
 * The Autodesk stand-in's made-up usage: the same for the same seed, for any window, with late-posted
 * charges that appear on a later day under their own ids while the shown ones never change; both exports
 * in the importer's known shapes.
 */
import { describe, expect, it } from 'vitest';
import { TOKEN_FLEX_COLUMNS, USAGE_REPORT_COLUMNS, addDays, demoUsagePeople, tokenFlexCsv, usageReportCsv, visibleCharges } from '../../../server/local/autodesk-standin-usage.js';
import { DEMO_USERS } from '../../../server/local/demo-users.js';
import { detectHeaders } from '../../../src/core/usage-import/headers.js';

const people = demoUsagePeople();
const TODAY = '2026-11-20';

describe('the stand-in usage', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = visibleCharges('contoso', people, '2026-10-01', '2026-10-31', TODAY);
    expect(visibleCharges('contoso', people, '2026-10-01', '2026-10-31', TODAY)).toEqual(a);
    expect(visibleCharges('fabrikam', people, '2026-10-01', '2026-10-31', TODAY)).not.toEqual(a);
    expect(a.length).toBeGreaterThan(10);
  });

  it('belongs to the demo firm’s people, heavy users most', () => {
    const year = visibleCharges('contoso', people, addDays(TODAY, -364), TODAY, TODAY);
    const emails = new Set(DEMO_USERS.map((u) => u.email));
    expect(year.every((c) => emails.has(c.person.email))).toBe(true);
    const count = (name: string) => year.filter((c) => c.person.firstName === name).length;
    expect(count('Avery')).toBeGreaterThan(2 * count('Blake'));
  });

  it('a window is the days of a larger window it lies in (any range, day by day)', () => {
    const year = visibleCharges('contoso', people, '2025-11-21', TODAY, TODAY);
    const march = visibleCharges('contoso', people, '2026-03-01', '2026-03-31', TODAY);
    expect(march).toEqual(year.filter((c) => c.usageDate >= '2026-03-01' && c.usageDate <= '2026-03-31'));
  });

  it('shows no day after today and posts some charges days late, each under its own id', () => {
    const window = ['2026-11-10', '2026-11-30'] as const;
    const early = visibleCharges('contoso', people, ...window, TODAY);
    const later = visibleCharges('contoso', people, ...window, addDays(TODAY, 3));
    expect(early.every((c) => c.usageDate <= TODAY)).toBe(true);
    const earlyIds = new Set(early.map((c) => c.chargedItemID));
    const added = later.filter((c) => !earlyIds.has(c.chargedItemID));
    // Late charges of days already shown, not only the three new days.
    expect(added.some((c) => c.usageDate <= TODAY)).toBe(true);
    // What was shown is shown again unchanged.
    expect(later.filter((c) => earlyIds.has(c.chargedItemID))).toEqual(early);
    expect(new Set(later.map((c) => c.chargedItemID)).size).toBe(later.length);
  });

  it('writes the Token Flex export the importer knows as token_flex_api', () => {
    const csv = tokenFlexCsv(visibleCharges('contoso', people, '2026-11-01', TODAY, TODAY), ['usageDate', 'userName', 'productName', 'chargedItemID', 'tokensConsumed']);
    const [header, first] = csv.split('\r\n');
    expect(detectHeaders(header!.split(',')).format).toBe('token_flex_api');
    expect(first).toMatch(/^2026-11-\d\d,[a-z.]+@contoso\.example,[^,]+,\d{12},\d+(\.\d{1,2})?$/);
  });

  it('writes the usage report the importer knows as usage_report_2026, a day’s tokens summed per person and product', () => {
    const charges = visibleCharges('contoso', people, '2026-11-01', TODAY, TODAY);
    const csv = usageReportCsv(charges);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(USAGE_REPORT_COLUMNS.join(','));
    expect(detectHeaders(USAGE_REPORT_COLUMNS).format).toBe('usage_report_2026');
    const total = (cents: number[]) => cents.reduce((a, b) => a + b, 0);
    const reported = lines.slice(1).map((l) => Math.round(Number(l.split(',')[7]) * 100));
    expect(total(reported)).toBe(total(charges.map((c) => c.cents)));
    expect(new Set(lines.slice(1).map((l) => l.split(',').filter((_, i) => i !== 7).join())).size).toBe(lines.length - 1);
  });

  it('knows every Token Flex column it can be asked for', () => {
    const csv = tokenFlexCsv(visibleCharges('contoso', people, '2026-11-01', TODAY, TODAY), TOKEN_FLEX_COLUMNS);
    const [header, first] = csv.split('\r\n');
    expect(header).toBe(TOKEN_FLEX_COLUMNS.join(','));
    expect(first!.split(',')).toHaveLength(TOKEN_FLEX_COLUMNS.length);
  });
});
