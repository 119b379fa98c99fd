/**
 * Holds (DESIGN 3.5, issue 7) over real HTTP against Azurite: place, settle by usage, void, expire through
 * the timer's function with a clock moved on, idempotent retries, refused input that writes nothing, and a
 * pool too small. The ledger checker runs after each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/core/ledger/index.js';
import { expireDueHolds } from '../../server/app/holds.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

let api: TestApi;
const [ana, ben, cal, dev] = EMPLOYEES as [DemoUser, DemoUser, DemoUser, DemoUser];
const today = () => new Date().toISOString().slice(0, 10);

const me = async (user: DemoUser) => {
  const answer = await api.call(user, 'GET', '/api/me');
  expect(answer.status).toBe(200);
  return answer.body.credits as { own: number; pool: number; held: number; available: number };
};
const pool = async () => (await api.call(IT, 'GET', '/api/pool')).body as { balance: number; held: number };
const holds = async (user: DemoUser, query = '') => {
  const answer = await api.call(user, 'GET', `/api/holds${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.items as { id: string; memberId: string; credits: number; fromOwn: number; fromPool: number; state: string; closedIn: string | null; expiresAt: string }[];
};
const sound = async () => expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });

beforeAll(async () => {
  api = await startTestApi();
  await api.register(ana);
  await api.register(ben);
  await api.call(cal, 'POST', '/api/registrations', { body: {} });
  await api.fillPool(1);
}, 120_000);

afterAll(async () => {
  await api?.stack.stop();
});

describe('holds over HTTP', () => {
  let first: { id: string };

  it('POST /api/holds reserves own credits first, then the pool; /me and /pool show it', async () => {
    const placed = await api.call(ana, 'POST', '/api/holds', { body: { service: 'simulation', credits: 130, note: 'Tower wind study' } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.hold).toMatchObject({ memberId: ana.id, credits: 130, fromOwn: 100, fromPool: 30, service: 'simulation', note: 'Tower wind study', state: 'held', placedBy: ana.id });
    first = placed.body.hold;
    expect(await me(ana)).toEqual({ own: 0, pool: 70, held: 130, available: 70 });
    expect(await me(ben)).toEqual({ own: 100, pool: 70, held: 0, available: 170 });
    expect(await pool()).toMatchObject({ balance: 70, held: 30 });
    expect((await holds(ana)).map((h) => h.id)).toEqual([first.id]);
    // An employee sees only their own; asking for someone else's is refused.
    expect(await holds(ben)).toEqual([]);
    expect((await api.call(ben, 'GET', `/api/holds?memberId=${ana.id}`)).status).toBe(403);
    expect((await holds(MANAGER, `?memberId=${ana.id}&state=held`)).map((h) => h.id)).toEqual([first.id]);
    const placedTransfers = (await api.call(ana, 'GET', '/api/usage')).body.items.filter((t: { code: string }) => t.code === 'hold_placed');
    expect(placedTransfers.map((t: { debit: string; credit: string; credits: number }) => [t.debit, t.credit, t.credits])).toEqual(
      expect.arrayContaining([
        [`member:${ana.id}`, `held:${ana.id}`, 100],
        ['pool', `held:${ana.id}`, 30],
      ]),
    );
    await sound();
  });

  it('a retry with the same Idempotency-Key replays; another body with it is a 409; no key is a 400', async () => {
    const key = 'hold-retry-0001';
    const a = await api.call(ben, 'POST', '/api/holds', { key, body: { service: 'other', credits: 5 } });
    const b = await api.call(ben, 'POST', '/api/holds', { key, body: { service: 'other', credits: 5 } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect((await holds(ben)).length).toBe(1);
    const other = await api.call(ben, 'POST', '/api/holds', { key, body: { service: 'other', credits: 6 } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const noKey = await api.call(ben, 'POST', '/api/holds', { key: null, body: { service: 'other', credits: 5 } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await me(ben)).toMatchObject({ own: 95, held: 5 });
    await sound();
  });

  it('bad input is a coded 400 and writes nothing', async () => {
    const before = { ana: await me(ana), ben: await me(ben), pool: await pool(), holds: await holds(IT), ledger: (await api.stack.store.snapshot(api.stack.tenant)).transfers.length };
    const bad: unknown[] = [
      { service: 'simulation', credits: 0 },
      { service: 'simulation', credits: -5 },
      { service: 'simulation', credits: 1.234 },
      { service: 'simulation', credits: '10' },
      { service: 'simulation', credits: 100_001 },
      { service: 'Not A Slug', credits: 5 },
      { credits: 5 },
      { service: 'simulation' },
      { service: 'simulation', credits: 5, note: 'x'.repeat(1001) },
      { service: 'simulation', credits: 5, memberId: 'bad id!' },
      { service: 'simulation', credits: 5, extra: true },
    ];
    for (const body of bad) {
      const answer = await api.call(ana, 'POST', '/api/holds', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
    const malformed = await api.call(ana, 'POST', '/api/holds', { rawBody: '{"service":' });
    expect(malformed.body.error.code).toBe('MALFORMED_JSON');
    const unknownService = await api.call(ana, 'POST', '/api/holds', { body: { service: 'teleportation', credits: 5 } });
    expect(unknownService.status).toBe(400);
    expect(unknownService.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'service' } });
    expect((await api.call(ana, 'GET', '/api/holds?state=bogus')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api.call(ana, 'POST', '/api/holds/bad%20id!/void')).body.error.code).toBe('VALIDATION_FAILED');
    const after = { ana: await me(ana), ben: await me(ben), pool: await pool(), holds: await holds(IT), ledger: (await api.stack.store.snapshot(api.stack.tenant)).transfers.length };
    expect(after).toEqual(before);
  });

  it('refuses what the pool cannot cover (POOL_INSUFFICIENT, 422), someone not registered, and holding for others unless a manager', async () => {
    const short = await api.call(ben, 'POST', '/api/holds', { body: { service: 'simulation', credits: 95 + 70.01 } });
    expect(short.status).toBe(422);
    expect(short.body.error).toMatchObject({ code: 'POOL_INSUFFICIENT', details: { poolBalance: 70, needed: 70.01, openPurchases: [] } });
    const notRegistered = await api.call(cal, 'POST', '/api/holds', { body: { service: 'simulation', credits: 1 } });
    expect(notRegistered.status).toBe(422);
    expect(notRegistered.body.error.code).toBe('NOT_REGISTERED');
    expect((await api.call(ben, 'POST', '/api/holds', { body: { service: 'other', credits: 1, memberId: ana.id } })).status).toBe(403);
    // Another person's usage cannot take what Ana holds from the pool (Ben's own hold of 5 would be settled first).
    const greedy = await api.call(ben, 'POST', '/api/usage', { body: { service: 'other', credits: 100 + 70.01, date: today() } });
    expect(greedy.body.error).toMatchObject({ code: 'POOL_INSUFFICIENT', details: { poolBalance: 70, needed: 70.01 } });
    expect(await me(ben)).toMatchObject({ own: 95, held: 5 });
    await sound();
  });

  it('logging usage settles the hold in the same change and releases the difference', async () => {
    const used = await api.call(ana, 'POST', '/api/usage', { body: { service: 'simulation', credits: 110, date: today() } });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    expect(used.body).toMatchObject({ fromOwn: 100, fromPool: 10, balanceAfter: 0, settledHolds: [{ id: first.id, credits: 130, service: 'simulation' }] });
    const [settled] = await holds(ana, '?state=settled');
    expect(settled).toMatchObject({ id: first.id, state: 'settled', closedIn: used.body.postingId });
    expect(await me(ana)).toEqual({ own: 0, pool: 90, held: 0, available: 90 });
    expect(await pool()).toMatchObject({ balance: 90, held: 0 });
    const history = (await api.call(ana, 'GET', '/api/usage')).body.items.filter((t: { postingId: string }) => t.postingId === used.body.postingId);
    expect(history.map((t: { code: string }) => t.code).sort()).toEqual(['hold_released', 'hold_released', 'usage_individual', 'usage_pool']);
    await sound();
  });

  it('void: the holder or an account manager; a second void is a replay with the same key and 409 INVALID_TRANSITION otherwise', async () => {
    const [benHold] = await holds(ben, '?state=held');
    expect((await api.call(ana, 'POST', `/api/holds/${benHold!.id}/void`)).status).toBe(403);
    expect((await api.call(IT, 'POST', `/api/holds/${benHold!.id}/void`)).status).toBe(403);
    const voided = await api.call(ben, 'POST', `/api/holds/${benHold!.id}/void`, { key: 'void-once-0001' });
    expect(voided.status).toBe(200);
    expect(voided.body.hold).toMatchObject({ state: 'voided', closedBy: ben.id });
    const replay = await api.call(ben, 'POST', `/api/holds/${benHold!.id}/void`, { key: 'void-once-0001' });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(voided.body);
    const again = await api.call(MANAGER, 'POST', `/api/holds/${benHold!.id}/void`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'INVALID_TRANSITION', details: { state: 'voided' } });
    expect((await api.call(MANAGER, 'POST', '/api/holds/no-such-hold/void')).status).toBe(404);
    expect(await me(ben)).toMatchObject({ own: 100, held: 0 });

    const forBen = await api.call(MANAGER, 'POST', '/api/holds', { body: { service: 'cloud_rendering', credits: 3, memberId: ben.id } });
    expect(forBen.status).toBe(201);
    expect(forBen.body.hold).toMatchObject({ memberId: ben.id, placedBy: MANAGER.id });
    const managerVoid = await api.call(MANAGER, 'POST', `/api/holds/${forBen.body.hold.id}/void`);
    expect(managerVoid.body.hold).toMatchObject({ state: 'voided', closedBy: MANAGER.id });
    await sound();
  });

  it('the hourly expiry timer releases holds past their expiry (a clock moved on), once', async () => {
    const placed = await api.call(ben, 'POST', '/api/holds', { body: { service: 'generative_design', credits: 120 } });
    expect(placed.status).toBe(201);
    expect(placed.body.hold).toMatchObject({ fromOwn: 100, fromPool: 20 });
    const deps = api.stack.deps;
    expect((await expireDueHolds(deps, api.stack.tenant)).expired).toEqual([]);
    const later = { now: () => new Date(Date.parse(placed.body.hold.expiresAt) + 60_000) };
    expect(await expireDueHolds({ ...deps, clock: later }, api.stack.tenant)).toEqual({ due: 1, expired: [placed.body.hold.id] });
    expect(await expireDueHolds({ ...deps, clock: later }, api.stack.tenant)).toEqual({ due: 0, expired: [] });
    const [expired] = await holds(ben, '?state=expired');
    expect(expired).toMatchObject({ id: placed.body.hold.id, state: 'expired' });
    expect(await me(ben)).toEqual({ own: 100, pool: 90, held: 0, available: 190 });
    expect((await api.call(ben, 'POST', `/api/holds/${placed.body.hold.id}/void`)).body.error.code).toBe('INVALID_TRANSITION');
    expect(checkInvariants(await api.stack.store.snapshot(api.stack.tenant))).toEqual([]);
    await sound();
  });
});

describe('own credits first, with holds, and the per-person limit (issue 15)', () => {
  it('hold 100 own, hold 60 from the pool, log 60 against the second, void the first: own 40, the pool untouched, the ledger sound', async () => {
    await api.register(dev);
    await api.fillPool(1);
    const poolBefore = (await pool()).balance;
    const ownHold = await api.call(dev, 'POST', '/api/holds', { body: { service: 'cloud_rendering', credits: 100 } });
    expect(ownHold.body.hold).toMatchObject({ fromOwn: 100, fromPool: 0 });
    const poolHold = await api.call(dev, 'POST', '/api/holds', { body: { service: 'simulation', credits: 60 } });
    expect(poolHold.body.hold).toMatchObject({ fromOwn: 0, fromPool: 60 });

    const used = await api.call(dev, 'POST', '/api/usage', { body: { service: 'simulation', credits: 60, date: today() } });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    expect(used.body).toMatchObject({ fromOwn: 60, fromPool: 0, settledHolds: [{ id: poolHold.body.hold.id }] });
    // The rendering hold keeps its 100: 40 own, 60 from the pool.
    const [rendering] = await holds(dev, '?state=held');
    expect(rendering).toMatchObject({ id: ownHold.body.hold.id, credits: 100, fromOwn: 40, fromPool: 60 });
    await sound();

    expect((await api.call(dev, 'POST', `/api/holds/${ownHold.body.hold.id}/void`)).status).toBe(200);
    expect(await me(dev)).toMatchObject({ own: 40, held: 0 });
    expect((await pool()).balance).toBe(poolBefore);
    const feed = (await api.call(IT, 'GET', '/api/feed')).body.items as { kind: string; memberId?: string }[];
    expect(feed.filter((e) => e.memberId === dev.id && (e.kind === 'pool_draw' || e.kind === 'pool_joined'))).toEqual([]);
    await sound();
  });

  it('one person may hold at most 100 credits from the pool (the default): past it, 422 HOLD_LIMIT_REACHED, for an account manager too', async () => {
    const first = await api.call(dev, 'POST', '/api/holds', { body: { service: 'simulation', credits: 140 } });
    expect(first.body.hold).toMatchObject({ fromOwn: 40, fromPool: 100 });
    const before = { me: await me(dev), pool: await pool() };
    for (const [caller, body] of [
      [dev, { service: 'simulation', credits: 0.01 }],
      [MANAGER, { service: 'simulation', credits: 0.01, memberId: dev.id }],
    ] as const) {
      const refused = await api.call(caller, 'POST', '/api/holds', { body });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'HOLD_LIMIT_REACHED', details: { limit: 100, heldFromPool: 100, needed: 0.01 } });
    }
    expect({ me: await me(dev), pool: await pool() }).toEqual(before);
    expect((await api.call(dev, 'POST', `/api/holds/${first.body.hold.id}/void`)).status).toBe(200);
    await sound();
  });
});

describe('what settles a hold, and holds in the feed (issue 19)', () => {
  type FeedItem = { kind: string; memberId: string | null; memberName: string | null; credits: number | null; message: string };
  const feed = async (user: DemoUser) => (await api.call(user, 'GET', '/api/feed?limit=100')).body.items as FeedItem[];
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const place = async (user: DemoUser, service: string, credits: number) => {
    const placed = await api.call(user, 'POST', '/api/holds', { body: { service, credits } });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    return placed.body.hold as { id: string; fromPool: number };
  };

  it("an import row of another service, or of its service before the hold's day, leaves it open; a row of its service that day settles it, and the hold says so", async () => {
    await api.fillPool(1);
    const hold = await place(ana, 'generative_design', 30);
    expect(hold.fromPool).toBe(30);
    const csv = `Date,Email,Service,Cloud Credits Used\n${daysAgo(4)},${ana.email},Simulation,30\n${daysAgo(1)},${ana.email},Generative Design,5\n`;
    const first = await api.call(MANAGER, 'POST', '/api/usage/imports?fileName=before.csv', { rawBody: csv, headers: { 'content-type': 'text/csv' } });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const earlier = await api.commitImport(MANAGER, first.body.id);
    expect(earlier.state, JSON.stringify(earlier.error)).toBe('committed');
    expect(earlier.result).toMatchObject({ posted: 2, holdsSettled: 0 });
    expect((await holds(ana, '?state=held')).map((h) => h.id)).toEqual([hold.id]);

    const same = `Date,Email,Service,Cloud Credits Used\n${today()},${ana.email},Generative Design,25\n`;
    const second = await api.call(MANAGER, 'POST', '/api/usage/imports?fileName=same-day.csv', { rawBody: same, headers: { 'content-type': 'text/csv' } });
    const done = await api.commitImport(MANAGER, second.body.id);
    expect(done.state, JSON.stringify(done.error)).toBe('committed');
    expect(done.result).toMatchObject({ posted: 1, holdsSettled: 1 });
    expect(await holds(ana, '?state=held')).toEqual([]);
    const settled = (await holds(ana, '?state=settled')).find((h) => h.id === hold.id);
    expect(settled).toMatchObject({ state: 'settled', settledBy: { service: 'generative_design', date: today(), credits: 25, source: 'import' } });
    // The import's summary and the feed say it: IT sees whose hold, an employee only that a hold gave credits back.
    const forIt = await feed(IT);
    expect(forIt.find((e) => e.kind === 'import_committed' && e.message.includes('same-day.csv'))?.message).toMatch(/1 hold settled/);
    expect(forIt.find((e) => e.kind === 'hold_settled' && e.memberId === ana.id)).toMatchObject({ credits: 30, memberName: expect.any(String) });
    const forBen = (await feed(ben)).find((e) => e.kind === 'hold_settled');
    expect(forBen).toMatchObject({ memberId: null, memberName: null, credits: 30 });
    await sound();
  });

  it('a self-logged usage dated before the hold was placed does not settle it; one dated that day does, logged by the person', async () => {
    const hold = await place(ana, 'simulation', 10);
    const before = await api.call(ana, 'POST', '/api/usage', { body: { service: 'simulation', credits: 1, date: daysAgo(1) } });
    expect(before.status, JSON.stringify(before.body)).toBe(201);
    expect(before.body.settledHolds ?? []).toEqual([]);
    const sameDay = await api.call(ana, 'POST', '/api/usage', { body: { service: 'simulation', credits: 2, date: today() } });
    expect(sameDay.body.settledHolds).toEqual([expect.objectContaining({ id: hold.id })]);
    const settled = (await holds(ana, '?state=settled')).find((h) => h.id === hold.id);
    expect(settled).toMatchObject({ settledBy: { service: 'simulation', date: today(), credits: 2, source: 'self' } });
    await sound();
  });

  it('placing, voiding and the expiry timer releasing a hold with a pool part are in the feed, with the pool after each', async () => {
    const hold = await place(ana, 'cloud_rendering', 20);
    const poolAfterPlacing = (await pool()).balance;
    expect((await api.call(ana, 'POST', `/api/holds/${hold.id}/void`)).status).toBe(200);
    const events = (await feed(IT)).filter((e) => e.memberId === ana.id);
    const placed = events.find((e) => e.kind === 'hold_placed' && e.credits === 20) as FeedItem & { poolAfter: number };
    expect(placed.poolAfter).toBe(poolAfterPlacing);
    expect(events.find((e) => e.kind === 'hold_voided')).toMatchObject({ credits: 20, poolAfter: poolAfterPlacing + 20 });
    // Ben's hold of 120 (20 from the pool) lapsed through the timer above.
    expect((await feed(IT)).find((e) => e.kind === 'hold_expired' && e.memberId === ben.id)).toMatchObject({ credits: 20 });
    // Holds of own credits only do not move the pool: not in the feed.
    expect((await feed(IT)).filter((e) => e.memberId === ben.id && e.kind === 'hold_placed').map((e) => e.credits)).toEqual([20]);
  });
});
