import { describe, expect, it } from 'vitest';
import { interleavedRatio, median, readTarget } from '../../load/figures.js';

describe('interleavedRatio', () => {
  it('takes the median of the rounds, so one slow window moves the figure little, and reports the spread', () => {
    const result = interleavedRatio([
      { ledgerEntities: 1000, ledgerSeconds: 2, rawEntities: 1000, rawSeconds: 2 }, // 1.0
      { ledgerEntities: 900, ledgerSeconds: 2, rawEntities: 1000, rawSeconds: 2 }, // 0.9
      { ledgerEntities: 300, ledgerSeconds: 2, rawEntities: 1000, rawSeconds: 2 }, // 0.3: the machine was busy
      { ledgerEntities: 1100, ledgerSeconds: 2, rawEntities: 1000, rawSeconds: 2 }, // 1.1
      { ledgerEntities: 950, ledgerSeconds: 2, rawEntities: 1000, rawSeconds: 2 }, // 0.95
    ]);
    expect(result.ratio).toBe(0.95);
    expect(result.rounds).toEqual([1, 0.9, 0.3, 1.1, 0.95]);
    expect(result.min).toBe(0.3);
    expect(result.max).toBe(1.1);
    expect(result.pooled).toBe(0.85);
  });

  it('compares rates, not totals: sides that wrote for different times', () => {
    const result = interleavedRatio([
      { ledgerEntities: 600, ledgerSeconds: 1, rawEntities: 2000, rawSeconds: 5 },
      { ledgerEntities: 400, ledgerSeconds: 1, rawEntities: 1000, rawSeconds: 2 },
    ]);
    expect(result.rounds).toEqual([1.5, 0.8]);
    expect(result.ratio).toBe(1.15);
  });

  it('gives no figure when the raw side wrote nothing', () => {
    expect(interleavedRatio([{ ledgerEntities: 500, ledgerSeconds: 1, rawEntities: 0, rawSeconds: 0 }]).ratio).toBeNull();
    expect(interleavedRatio([]).ratio).toBeNull();
  });
});

describe('readTarget', () => {
  it('is missed when any read failed, however fast the others were', () => {
    expect(readTarget(1.2, { STORAGE_UNAVAILABLE: 3 }, 3)).toBe(false);
    expect(readTarget(null, { STORAGE_UNAVAILABLE: 3 }, 3)).toBe(false);
  });

  it('is the ratio against the limit when every read came back', () => {
    expect(readTarget(2.9, {}, 3)).toBe(true);
    expect(readTarget(3.1, {}, 3)).toBe(false);
  });

  it('is null when the reads did not run', () => {
    expect(readTarget(null, undefined, 3)).toBeNull();
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
