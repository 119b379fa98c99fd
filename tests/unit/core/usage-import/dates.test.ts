import { describe, expect, it } from 'vitest';
import {
  addDateEvidence,
  dateConflictProblem,
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

describe('the day order of a file (issue 18: never guessed silently)', () => {
  const evidenceOf = (values: string[]) => {
    const evidence = emptyDateEvidence();
    for (const [i, v] of values.entries()) addDateEvidence(evidence, v, i + 2);
    return evidence;
  };

  it('is settled by a value only one order can read', () => {
    const evidence = evidenceOf(['06/01/2026', '06/02/2026', '06/13/2026', '2026-06-14']);
    expect(evidence).toMatchObject({ mdyOnly: 1, dmyOnly: 0, mdyLines: [4] });
    expect(decideDateOrder(evidence)).toEqual({ kind: 'decided', order: 'mdy' });
    expect(decideDateOrder(evidenceOf(['25/06/2026']))).toEqual({ kind: 'decided', order: 'dmy' });
  });

  it('asks the person, with examples, when every value fits both orders (dots or slashes alike)', () => {
    expect(decideDateOrder(evidenceOf(['06/12/2026', '06/06/2026', '07/12/2026', '08/12/2026', '09/12/2026']))).toEqual({
      kind: 'ask',
      examples: [
        { line: 2, value: '06/12/2026' },
        { line: 4, value: '07/12/2026' },
        { line: 5, value: '08/12/2026' },
      ],
    });
    expect(decideDateOrder(evidenceOf(['01.06.2026'])).kind).toBe('ask');
  });

  it('has nothing to decide when no value depends on the order (ISO, month names, the same day and month)', () => {
    expect(decideDateOrder(evidenceOf(['2026-06-12', '1-Jun-2026', '06/06/2026']))).toEqual({ kind: 'none' });
  });

  it('is a conflict naming the first lines of each when the values need both orders', () => {
    const verdict = decideDateOrder(evidenceOf(['06/13/2026', '06/14/2026', '25/06/2026', '06/15/2026', '15.06.2026']));
    expect(verdict).toEqual({ kind: 'conflict', mdyOnly: 3, dmyOnly: 2, mdyLines: [2, 3, 5], dmyLines: [4, 6] });
    if (verdict.kind !== 'conflict') throw new Error('expected a conflict');
    const problem = dateConflictProblem(verdict);
    expect(problem).toMatchObject({ code: 'DATE_CONFLICT', dateLines: { monthFirst: [2, 3, 5], dayFirst: [4, 6] } });
    expect(problem.message).toContain('month first (lines 2, 3, 5)');
    expect(problem.message).toContain('day first (lines 4, 6)');
  });

  it("the issue's file (06/12/2026 next to 15.06.2026) is not read day first on a guess", () => {
    const file = readExport(utf8('Date,Email,Service,Credits\n06/12/2026,a@x.co,Simulation,1\n15.06.2026,a@x.co,Simulation,2\n06/13/2026,a@x.co,Simulation,3\n'));
    expect(file.verdict).toMatchObject({ kind: 'conflict', mdyLines: [4], dmyLines: [3] });
  });
});
