import { describe, expect, it } from 'vitest';
import type { UsageCell } from '../../load/connector-figures.js';
import { compareWithAutodesk } from '../../load/connector-figures.js';

const charged: UsageCell[] = [
  { day: '2026-11-01', person: 'avery', units: 500 },
  { day: '2026-11-01', person: 'avery', units: 250 },
  { day: '2026-11-01', person: 'blake', units: 1000 },
  { day: '2026-11-02', person: 'avery', units: 300 },
];

describe('compareWithAutodesk', () => {
  it('finds nothing wrong when the ledger holds what Autodesk charged, however the rows are split', () => {
    // One row drawn partly from the person's own credits and partly from the pool: two transfers.
    const ledger: UsageCell[] = [
      { day: '2026-11-01', person: 'avery', units: 700 },
      { day: '2026-11-01', person: 'avery', units: 50 },
      { day: '2026-11-01', person: 'blake', units: 1000 },
      { day: '2026-11-02', person: 'avery', units: 300 },
    ];
    expect(compareWithAutodesk(ledger, charged)).toEqual({ duplicates: 0, missing: 0, daysTwice: [], daysMissing: [] });
  });

  it('reports a row posted twice', () => {
    const ledger = [...charged, { day: '2026-11-02', person: 'avery', units: 300 }];
    expect(compareWithAutodesk(ledger, charged)).toEqual({ duplicates: 1, missing: 0, daysTwice: ['2026-11-02'], daysMissing: [] });
  });

  it('reports a daily total posted again after it grew (another row identity, the same usage)', () => {
    // Imported when the day showed 500; read again showing 750, posted as a new row.
    const ledger = [
      { day: '2026-11-01', person: 'avery', units: 500 },
      { day: '2026-11-01', person: 'avery', units: 750 },
      { day: '2026-11-01', person: 'blake', units: 1000 },
      { day: '2026-11-02', person: 'avery', units: 300 },
    ];
    expect(compareWithAutodesk(ledger, charged)).toMatchObject({ duplicates: 1, daysTwice: ['2026-11-01'] });
  });

  it('reports usage missing from the ledger, and usage Autodesk never charged', () => {
    const ledger = [charged[0]!, charged[1]!, charged[2]!, { day: '2026-11-03', person: 'casey', units: 100 }];
    expect(compareWithAutodesk(ledger, charged)).toEqual({ duplicates: 1, missing: 1, daysTwice: ['2026-11-03'], daysMissing: ['2026-11-02'] });
  });
});
