/**
 * Two hosts over one storage account (the documented Azure set-up scales out), each with its own group
 * committer and row cache. A change made through one instance must not be refused by the other on the
 * rows it cached before: a refusal rests on rows read from storage after the request came in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/core/ledger/index.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { MANAGER, TEST_RATE_LIMIT, TestApi, freshTableName, sharedAzurite, startTestApi } from '../support/api.js';

let a: TestApi;
let b: TestApi;

const person = (i: number): DemoUser => ({ id: `d0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, email: `scale${i}@contoso.example`, displayName: `Scale ${i}`, office: 'Boston', roles: [] });
const usage = (credits: number) => ({ body: { service: 'simulation', credits, date: '2026-11-02' } });

beforeAll(async () => {
  // Two hosts on one storage: the same Azurite and the same table.
  const storage = { azurite: sharedAzurite(), tableName: freshTableName(), fixedRateLimit: TEST_RATE_LIMIT };
  [a, b] = await Promise.all([startTestApi(storage), startTestApi(storage)]);
});

afterAll(async () => {
  await Promise.all([a?.stack.stop(), b?.stack.stop()]);
});

describe('two host instances over one storage', () => {
  it('a purchase applied on A: B lets a person with no own credits left draw from the pool at once', async () => {
    const p = person(1);
    await a.register(p);
    expect((await a.call(p, 'POST', '/api/usage', usage(100))).status).toBe(201);
    // B decides on the empty pool once, so its cache holds the pool at 0.
    const before = await b.call(p, 'POST', '/api/usage', usage(5));
    expect(before.status).toBe(422);
    expect(before.body.error.code).toBe('POOL_INSUFFICIENT');

    await a.fillPool(1);
    expect((await b.call(MANAGER, 'GET', '/api/pool')).body.balance).toBe(100);
    const after = await b.call(p, 'POST', '/api/usage', usage(5));
    expect(after.body).toMatchObject({ fromOwn: 0, fromPool: 5 });
    expect(after.status).toBe(201);
  });

  it('a registration completed on A: B accepts the person\'s usage at once', async () => {
    const p = person(2);
    await b.call(p, 'GET', '/api/me');
    expect((await b.call(p, 'POST', '/api/registrations', { body: {} })).status).toBe(201);
    // B caches the member row as `requested` while it refuses.
    const before = await b.call(p, 'POST', '/api/usage', usage(5));
    expect(before.body.error.code).toBe('NOT_REGISTERED');

    expect((await a.call(MANAGER, 'POST', `/api/registrations/${p.id}/events`, { body: { type: 'already_registered' } })).status).toBe(200);
    const after = await b.call(p, 'POST', '/api/usage', usage(5));
    expect(after.body).toMatchObject({ fromOwn: 5, fromPool: 0 });
    expect(after.status).toBe(201);
  });

  it('a refusal that still holds on fresh rows is still refused, and nothing refused is stored', async () => {
    const p = person(3);
    await a.register(p);
    const pool = (await a.call(MANAGER, 'GET', '/api/pool')).body.balance as number;
    const refused = await b.call(p, 'POST', '/api/usage', usage(100 + pool + 1));
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('POOL_INSUFFICIENT');
    expect(refused.body.error.details.poolBalance).toBe(pool);
    const snapshot = await a.stack.store.snapshot(DEMO_TENANT);
    expect(snapshot.transfers.filter((t) => t.memberId === p.id && t.code.startsWith('usage'))).toEqual([]);
    expect(checkInvariants(snapshot)).toEqual([]);
  });
});
