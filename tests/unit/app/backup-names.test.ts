import { describe, expect, it } from 'vitest';
import { assertTenantId, backupName, takenAt } from '../../../server/app/backup.js';

describe('backup names', () => {
  it('are {tenant}/{yyyy-mm-dd}T{hhmmss}Z.jsonl.gz in UTC', () => {
    expect(backupName('7d3f2a10-0c1e-4b8a-9f4e-3c2d1b0a9e8f', new Date('2026-11-27T03:15:04.250Z'))).toBe('7d3f2a10-0c1e-4b8a-9f4e-3c2d1b0a9e8f/2026-11-27T031504Z.jsonl.gz');
  });

  it('date a backup by its export’s start, else by its name, else by its blob', () => {
    const createdAt = new Date('2030-01-01T00:00:00Z');
    expect(takenAt({ name: 't/2026-11-27T031504Z.jsonl.gz', createdAt, size: 1, facts: { tenant: 't', sha256: 'x', rows: 1, startedAt: '2026-11-27T03:15:04.250Z' } })).toBe(Date.parse('2026-11-27T03:15:04.250Z'));
    expect(takenAt({ name: 't/2026-11-27T031504Z-2.jsonl.gz', createdAt, size: 1 })).toBe(Date.parse('2026-11-27T03:15:04Z'));
    expect(takenAt({ name: 't/other.gz', createdAt, size: 1 })).toBe(createdAt.getTime());
  });

  it('take only a tenant id as the folder', () => {
    expect(() => assertTenantId('7d3f2a10-0c1e-4b8a-9f4e-3c2d1b0a9e8f')).not.toThrow();
    for (const bad of ['', '../x', 'a/b', 'a b', "x' or 1 eq 1"]) expect(() => assertTenantId(bad), bad).toThrow(/Not a tenant id/);
  });
});
