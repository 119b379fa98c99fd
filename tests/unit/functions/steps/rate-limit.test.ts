import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../../server/app/caller.js';
import type { TenantLimits } from '../../../../server/functions/steps/rate-limit.js';
import { RateLimits } from '../../../../server/functions/steps/rate-limit.js';

const caller: Caller = { tenant: 't1', id: 'p1', email: 'p1@x.example', displayName: 'P1', roles: [] };
const NOW = Date.parse('2026-03-02T09:00:00Z');

function limits(perTenant: TenantLimits = { rateLimit: { perMinute: 60, burst: 2 }, readRateLimit: { perMinute: 60, burst: 3 } }) {
  let reads = 0;
  const read = async () => {
    reads++;
    return perTenant;
  };
  return { limits: new RateLimits(read, undefined), settingsReads: () => reads };
}

describe('rate-limit step', () => {
  it('lets anonymous calls through', async () => {
    const { limits: l } = limits({ rateLimit: { perMinute: 1, burst: 0 }, readRateLimit: { perMinute: 1, burst: 0 } });
    expect((await l.limit('POST', undefined, NOW)).ok).toBe(true);
  });

  it('answers 429 with Retry-After past the burst, changes and reads counted apart', async () => {
    const { limits: l } = limits();
    expect((await l.limit('POST', caller, NOW)).ok).toBe(true);
    expect((await l.limit('PUT', caller, NOW)).ok).toBe(true);
    const refused = await l.limit('POST', caller, NOW);
    expect(!refused.ok && refused.response).toMatchObject({ status: 429, headers: { 'retry-after': '1' } });
    expect(!refused.ok && JSON.parse(refused.response.body)).toMatchObject({ error: { code: 'RATE_LIMITED', details: { limit: 'changes', burst: 2 } } });
    // Reads have their own bucket: three at once go through after the changes ran out.
    for (let i = 0; i < 3; i++) expect((await l.limit('GET', caller, NOW)).ok).toBe(true);
    expect((await l.limit('GET', caller, NOW)).ok).toBe(false);
    // A second later one change has come back (60 a minute).
    expect((await l.limit('POST', caller, NOW + 1000)).ok).toBe(true);
  });

  it('reads a tenant limits once, and again after forget', async () => {
    const { limits: l, settingsReads } = limits();
    await l.limit('GET', caller, NOW);
    await l.limit('GET', caller, NOW);
    expect(settingsReads()).toBe(1);
    l.forget(caller.tenant);
    await l.limit('GET', caller, NOW);
    expect(settingsReads()).toBe(2);
  });
});
