import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImportRowToPost } from '../../../src/core/usage-import/index.js';
import { dayString } from '../../../src/core/policy/index.js';
import { JobRows } from '../../../server/app/imports/job-rows.js';

const row = (n: number, memberId: string, date: string, extra: Partial<ImportRowToPost> = {}): ImportRowToPost => ({
  rowId: `id${n}-0`,
  line: n + 2,
  memberId,
  date,
  service: n % 2 === 0 ? 'simulation' : 'cloud_rendering',
  amount: 50 + n,
  ...extra,
});

describe('JobRows', () => {
  it('gives back every row as it was pushed, member by member, then by date and line', () => {
    const rows = new JobRows();
    const pushed = [
      row(1, 'm-b', '2026-06-02', { project: 'P-1', job: 'bracket' }),
      row(2, 'm-a', '2026-06-03'),
      row(3, 'm-b', '2026-06-01'),
      row(4, 'm-a', '2026-06-03', { job: 'frame' }),
      row(5, 'm-a', '2026-05-30', { project: 'P-1' }),
    ];
    for (const r of pushed) rows.push(r);
    rows.sort();
    expect(rows.length).toBe(5);
    expect(rows.slice(0, 10)).toEqual([pushed[4], pushed[1], pushed[3], pushed[2], pushed[0]]);
    expect([0, 1, 2, 3, 4].map((p) => rows.memberAt(p))).toEqual(['m-a', 'm-a', 'm-a', 'm-b', 'm-b']);
    expect([...rows.memberIds()].sort()).toEqual(['m-a', 'm-b']);
    expect(rows.dayRange()).toEqual({ from: '2026-05-30', to: '2026-06-03' });
  });

  it('keeps any number of rows (it grows) and orders them like a sort of the objects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ member: fc.integer({ min: 0, max: 5 }), day: fc.integer({ min: 20_000, max: 20_060 }), amount: fc.integer({ min: 1, max: 100_000_000 }) }), { maxLength: 3000, size: 'max' }),
        (raw) => {
          const objects = raw.map((r, i) => row(i, `member-${r.member}`, dayString(r.day), { amount: r.amount, ...(i % 3 === 0 ? { job: `job ${i}` } : {}) }));
          const rows = new JobRows();
          for (const o of objects) rows.push(o);
          rows.sort();
          const expected = [...objects].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : a.date < b.date ? -1 : a.date > b.date ? 1 : a.line - b.line));
          expect(rows.slice(0, objects.length)).toEqual(expected);
          expect(rows.dayRange()).toEqual(objects.length === 0 ? null : { from: expected.map((o) => o.date).sort()[0], to: expected.map((o) => o.date).sort().at(-1) });
        },
      ),
      { numRuns: 10 },
    );
  });

  it('refuses rows after it was ordered, and positions past its end', () => {
    const rows = new JobRows();
    rows.push(row(1, 'm', '2026-06-01'));
    expect(() => rows.at(0)).toThrow(/not ordered/);
    rows.sort();
    expect(() => rows.push(row(2, 'm', '2026-06-01'))).toThrow(/already ordered/);
    expect(() => rows.at(1)).toThrow(RangeError);
  });
});
