import { describe, expect, it } from 'vitest';
import {
  addDateEvidence,
  decideDateOrder,
  emptyDateEvidence,
  parseUsageDate,
} from '../../../../src/core/usage-import/index.js';
import { readExport, utf8 } from './fixtures.js';

describe('parseUsageDate', () => {
  it.each([
    ['2026-06-01', '2026-06-01'],
    ['2026-06-01T10:00:00Z', '2026-06-01'],
    ['2026-06-01T23:30:00.000+02:00', '2026-06-01'],
    ['2026-06-01 10:00', '2026-06-01'],
    ['2026/06/01', '2026-06-01'],
    ['2026-6-1', '2026-06-01'],
    ['1-Jun-2026', '2026-06-01'],
    ['01-Jun-26', '2026-06-01'],
    ['01 Jun 2026', '2026-06-01'],
    ['Jun 1, 2026', '2026-06-01'],
    ['June 1 2026', '2026-06-01'],
    ['June 1st, 2026', '2026-06-01'],
    ['Sept 3, 2026', '2026-09-03'],
    ['1. Juni 2026', '2026-06-01'],
    ['3 mars 2026', '2026-03-03'],
    ['1 déc. 2026', '2026-12-01'],
    ['12 Okt 2026', '2026-10-12'],
    ['Jun 1, 2026 10:00 AM', '2026-06-01'],
  ])('%s → %s in either order', (text, want) => {
    expect(parseUsageDate(text, 'mdy')).toBe(want);
    expect(parseUsageDate(text, 'dmy')).toBe(want);
  });

  it('reads numeric dates in the file\'s order', () => {
    expect(parseUsageDate('06/01/2026', 'mdy')).toBe('2026-06-01');
    expect(parseUsageDate('06/01/2026', 'dmy')).toBe('2026-01-06');
    expect(parseUsageDate('6/1/2026', 'mdy')).toBe('2026-06-01');
    expect(parseUsageDate('06/01/26', 'mdy')).toBe('2026-06-01');
    expect(parseUsageDate('01.06.2026', 'dmy')).toBe('2026-06-01');
    expect(parseUsageDate('01-06-2026', 'dmy')).toBe('2026-06-01');
    expect(parseUsageDate('06/13/2026 14:05', 'mdy')).toBe('2026-06-13');
  });

  it('refuses impossible calendar dates and things that are not dates', () => {
    for (const text of ['2026-02-30', '2026-13-01', '02/30/2026', '2025-02-29', '04/31/2026', '32 Jun 2026', 'Foo 1, 2026', '', 'yesterday', '2026-06', '46174']) {
      expect(parseUsageDate(text, 'mdy'), text).toBeNull();
    }
    expect(parseUsageDate('31.04.2026', 'dmy')).toBeNull();
    expect(parseUsageDate('06/13/2026', 'dmy')).toBeNull();
    expect(parseUsageDate('2024-02-29', 'mdy')).toBe('2024-02-29');
  });
});

describe('the day order of a file', () => {
  it('is settled by a value only one order can read', () => {
    const evidence = emptyDateEvidence();
    for (const [i, v] of ['06/01/2026', '06/02/2026', '06/13/2026', '2026-06-14'].entries()) addDateEvidence(evidence, v, i + 2);
    expect(evidence).toMatchObject({ mdyOnly: 1, dmyOnly: 0, firstMdyLine: 4 });
    expect(decideDateOrder(evidence, 'dmy')).toEqual({ order: 'mdy', conflict: null });
  });

  it('day first when a value says so', () => {
    const evidence = emptyDateEvidence();
    addDateEvidence(evidence, '25/06/2026', 7);
    expect(decideDateOrder(evidence, 'mdy')).toEqual({ order: 'dmy', conflict: null });
  });

  it('the fallback when nothing decides; dots mean day first', () => {
    const evidence = emptyDateEvidence();
    addDateEvidence(evidence, '06/01/2026', 2);
    expect(decideDateOrder(evidence, 'mdy').order).toBe('mdy');
    expect(decideDateOrder(evidence, 'dmy').order).toBe('dmy');
    const dotted = emptyDateEvidence();
    addDateEvidence(dotted, '01.06.2026', 2);
    expect(decideDateOrder(dotted, 'mdy').order).toBe('dmy');
  });

  it('reports a conflict with a line of each when the values need both orders', () => {
    const evidence = emptyDateEvidence();
    for (const [i, v] of ['06/13/2026', '06/14/2026', '25/06/2026', '06/15/2026'].entries()) addDateEvidence(evidence, v, i + 2);
    expect(decideDateOrder(evidence, 'dmy')).toEqual({ order: 'mdy', conflict: { mdyLine: 2, dmyLine: 4 } });
  });

  it('a file with both orders: the minority rows are refused as bad dates, and the conflict is named', () => {
    const file = readExport(utf8('Date,Email,Service,Credits\n06/13/2026,a@x.co,Simulation,1\n2026-06-02,a@x.co,Simulation,2\n25/06/2026,a@x.co,Simulation,3\n06/20/2026,a@x.co,Simulation,4\n1-Jun-2026,a@x.co,Simulation,5\n'));
    expect(file.conflict).toEqual({ mdyLine: 2, dmyLine: 4 });
    expect(file.order).toBe('mdy');
    expect(file.rows.map((r) => r.date)).toEqual(['2026-06-13', '2026-06-02', '2026-06-20', '2026-06-01']);
    expect(file.problems).toEqual([{ line: 4, code: 'BAD_DATE', field: 'date' }]);
  });
});
