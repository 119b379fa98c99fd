import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { rowKeys } from '../../server/adapters/table-storage/row-keys.js';
import { fingerprintOf } from '../../server/functions/steps/fingerprint.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { ApiAnswer, TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

let api: TestApi;
const [alice, bob, carol, dana, erin] = EMPLOYEES as [DemoUser, DemoUser, DemoUser, DemoUser, DemoUser];

const today = () => new Date().toISOString().slice(0, 10);
const usage = (credits: number, extra: Record<string, unknown> = {}) => ({ service: 'simulation', credits, date: today(), ...extra });
const newKey = () => `k-${randomUUID()}`;

interface RawAnswer {
  status: number;
  text: string;
}

/** A request whose answer is kept as the exact bytes the server sent. */
async function raw(user: DemoUser, method: string, path: string, body: unknown, key: string | undefined): Promise<RawAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${await api.token(user)}`, 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  const response = await fetch(api.url + path, { method, headers, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

async function allTransfers(): Promise<{ id: string; postingId: string; memberId: string | null; code: string }[]> {
  const items = [];
  let cursor: string | null = null;
  do {
    const answer: ApiAnswer = await api.call(IT, 'GET', `/api/usage?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(answer.status).toBe(200);
    items.push(...answer.body.items);
    cursor = answer.body.nextCursor;
  } while (cursor);
  return items;
}

const own = async (user: DemoUser) => (await api.call(user, 'GET', '/api/me')).body.credits.own as number;
const poolBalance = async () => (await api.call(IT, 'GET', '/api/pool')).body.balance as number;

function expectCode(answer: ApiAnswer | RawAnswer, status: number, code: string) {
  const body = 'text' in answer ? JSON.parse(answer.text) : answer.body;
  expect(answer.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
}

beforeAll(async () => {
  api = await startTestApi();
  for (const user of [alice, bob, carol, dana, erin]) await api.register(user);
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('idempotency', () => {
  it('a repeated usage returns the first status and body byte for byte and posts nothing new', async () => {
    const key = newKey();
    const first = await raw(alice, 'POST', '/api/usage', usage(30), key);
    expect(first.status).toBe(201);
    const transfersAfterFirst = await allTransfers();
    const ownAfterFirst = await own(alice);
    expect(ownAfterFirst).toBe(70);
    for (let i = 0; i < 3; i++) {
      const again = await raw(alice, 'POST', '/api/usage', usage(30), key);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
    }
    // The same body written with its keys in another order is the same request.
    const reordered = await raw(alice, 'POST', '/api/usage', { date: today(), credits: 30, service: 'simulation' }, key);
    expect(reordered.text).toBe(first.text);
    expect(await allTransfers()).toEqual(transfersAfterFirst);
    expect(await own(alice)).toBe(70);
    expect(transfersAfterFirst.filter((t) => t.postingId === JSON.parse(first.text).postingId)).toHaveLength(1);
  });

  it('replays a marker stored before answers were kept alone (with the HTTP status and the body) as it was', async () => {
    const key = newKey();
    const request = usage(5);
    const fingerprint = fingerprintOf('POST', '/api/usage', request);
    const answer = { postingId: 'posted-before-the-upgrade', fromOwn: 5, fromPool: 0, balanceAfter: 42 };
    const table = AzureTableAdapter.fromConnectionString(api.stack.azurite.connectionString, api.tableName);
    await table.create({ partitionKey: api.stack.tenant, rowKey: rowKeys.idempotency(dana.id, key), fingerprint, status: 201, body: JSON.stringify(answer), postingId: answer.postingId });
    const [ownBefore, transfersBefore] = [await own(dana), await allTransfers()];
    const again = await raw(dana, 'POST', '/api/usage', request, key);
    expect(again.status).toBe(201);
    expect(JSON.parse(again.text)).toEqual(answer);
    expect(await own(dana)).toBe(ownBefore);
    expect(await allTransfers()).toEqual(transfersBefore);
  });

  it('replays the first answer even when the ledger has moved on since', async () => {
    // Alice spends all her remaining credits; the repeat must not be decided again (it would now be refused).
    const key = newKey();
    const first = await raw(alice, 'POST', '/api/usage', usage(70), key);
    expect(first.status).toBe(201);
    expect(JSON.parse(first.text)).toMatchObject({ fromOwn: 70, fromPool: 0, balanceAfter: 0 });
    const before = await allTransfers();
    const again = await raw(alice, 'POST', '/api/usage', usage(70), key);
    expect(again.status).toBe(201);
    expect(again.text).toBe(first.text);
    expect(await allTransfers()).toEqual(before);
    expect(await own(alice)).toBe(0);

    // A registration step, replayed after the registration moved on, answers as the first time.
    const newcomer = EMPLOYEES[5]!;
    await api.call(newcomer, 'GET', '/api/me');
    expect((await api.call(newcomer, 'POST', '/api/registrations', { body: {} })).status).toBe(201);
    const stepKey = newKey();
    const created = await raw(MANAGER, 'POST', `/api/registrations/${newcomer.id}/events`, { type: 'account_created' }, stepKey);
    expect(created.status).toBe(200);
    expect((await api.call(newcomer, 'POST', `/api/registrations/${newcomer.id}/events`, { body: { type: 'completed' } })).status).toBe(200);
    const replay = await raw(MANAGER, 'POST', `/api/registrations/${newcomer.id}/events`, { type: 'account_created' }, stepKey);
    expect(replay.status).toBe(200);
    expect(replay.text).toBe(created.text);
    expect((await api.call(newcomer, 'GET', '/api/me')).body.registration.state).toBe('registered');
  });

  it('replays purchases, purchase steps, reversals and settings without a second change', async () => {
    const purchaseKey = newKey();
    const purchase = await raw(MANAGER, 'POST', '/api/purchases', { blocks: 2 }, purchaseKey);
    expect(purchase.status).toBe(201);
    const id = JSON.parse(purchase.text).purchase.id as string;
    const purchasesBefore = (await api.call(MANAGER, 'GET', '/api/purchases?limit=200')).body.items.length;
    expect((await raw(MANAGER, 'POST', '/api/purchases', { blocks: 2 }, purchaseKey)).text).toBe(purchase.text);
    expect((await api.call(MANAGER, 'GET', '/api/purchases?limit=200')).body.items.length).toBe(purchasesBefore);

    const steps = [
      { type: 'quote_requested' },
      { type: 'quote_received', quoteNumber: 'Q-9', price: 900, currency: 'USD' },
      { type: 'approved' },
      { type: 'ordered', poNumber: 'PO-9' },
      { type: 'applied' },
    ];
    const poolBefore = await poolBalance();
    for (const step of steps) {
      const key = newKey();
      const first = await raw(MANAGER, 'POST', `/api/purchases/${id}/events`, step, key);
      expect(first.status, first.text).toBe(200);
      const again = await raw(MANAGER, 'POST', `/api/purchases/${id}/events`, step, key);
      expect(again.status).toBe(200);
      expect(again.text).toBe(first.text);
    }
    expect(await poolBalance()).toBe(poolBefore + 200);
    const lots = (await api.call(IT, 'GET', '/api/pool')).body.lots.filter((l: { purchaseId: string }) => l.purchaseId === id);
    expect(lots).toHaveLength(1);

    const spend = await api.call(bob, 'POST', '/api/usage', { body: usage(10) });
    const transfer = (await allTransfers()).find((t) => t.postingId === spend.body.postingId)!;
    const reversalKey = newKey();
    const reversal = await raw(MANAGER, 'POST', `/api/transfers/${transfer.id}/reversal`, { reason: 'Wrong project' }, reversalKey);
    expect(reversal.status).toBe(201);
    const again = await raw(MANAGER, 'POST', `/api/transfers/${transfer.id}/reversal`, { reason: 'Wrong project' }, reversalKey);
    expect(again.status).toBe(201);
    expect(again.text).toBe(reversal.text);
    expect((await allTransfers()).filter((t) => t.code === 'reversal' && t.memberId === bob.id)).toHaveLength(1);
    expect(await own(bob)).toBe(100);
    // A new key for the same reversal is a new request: the transfer is already reversed.
    expectCode(await raw(MANAGER, 'POST', `/api/transfers/${transfer.id}/reversal`, { reason: 'Wrong project' }, newKey()), 409, 'ALREADY_REVERSED');

    const settings = (await api.call(IT, 'GET', '/api/settings')).body;
    const settingsKey = newKey();
    const put = await raw(IT, 'PUT', '/api/settings', { ...settings, stuckAfterWorkingDays: 3 }, settingsKey);
    expect(put.status).toBe(200);
    expect((await raw(IT, 'PUT', '/api/settings', { ...settings, stuckAfterWorkingDays: 3 }, settingsKey)).text).toBe(put.text);
    expect((await api.call(IT, 'GET', '/api/settings')).body.stuckAfterWorkingDays).toBe(3);
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
  });

  it('the same key with another body is 409 IDEMPOTENCY_KEY_REUSED and changes nothing', async () => {
    const key = newKey();
    const first = await raw(bob, 'POST', '/api/usage', usage(5), key);
    expect(first.status).toBe(201);
    const before = await allTransfers();
    const ownBefore = await own(bob);
    for (const other of [usage(6), usage(5, { note: 'extra' }), usage(5, { service: 'other' }), usage(100_000)]) {
      expectCode(await raw(bob, 'POST', '/api/usage', other, key), 409, 'IDEMPOTENCY_KEY_REUSED');
    }
    // The key belongs to the request it was first used for, whatever the route.
    expectCode(await raw(bob, 'POST', '/api/registrations', {}, key), 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(await allTransfers()).toEqual(before);
    expect(await own(bob)).toBe(ownBefore);
    // And the original still replays.
    expect((await raw(bob, 'POST', '/api/usage', usage(5), key)).text).toBe(first.text);
  });

  it('a refused request is not remembered: fix the cause and resend with the same key', async () => {
    // Carol has 100 of her own and the pool is empty (or short): 150 needs 50 from the pool.
    const short = (await poolBalance()) + 50;
    const key = newKey();
    const body = usage(100 + short);
    const refused = await raw(carol, 'POST', '/api/usage', body, key);
    expectCode(refused, 422, 'POOL_INSUFFICIENT');
    // Still refused on a resend: nothing was remembered, and nothing changed.
    expectCode(await raw(carol, 'POST', '/api/usage', body, key), 422, 'POOL_INSUFFICIENT');
    expect(await own(carol)).toBe(100);
    await api.fillPool(1);
    const accepted = await raw(carol, 'POST', '/api/usage', body, key);
    expect(accepted.status, accepted.text).toBe(201);
    expect(JSON.parse(accepted.text)).toMatchObject({ fromOwn: 100, fromPool: short, balanceAfter: 0 });
    expect((await raw(carol, 'POST', '/api/usage', body, key)).text).toBe(accepted.text);

    // A validation error is not remembered either, so the corrected body may use the key.
    const key2 = newKey();
    expectCode(await raw(dana, 'POST', '/api/usage', usage(1.005), key2), 400, 'VALIDATION_FAILED');
    expectCode(await raw(dana, 'POST', '/api/usage', { ...usage(1), service: 'teleportation' }, key2), 400, 'VALIDATION_FAILED');
    const fixed = await raw(dana, 'POST', '/api/usage', usage(1), key2);
    expect(fixed.status, fixed.text).toBe(201);
    expect(await own(dana)).toBe(99);

    // An invalid transition, then a valid step with the same key.
    const purchase = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1 } });
    const key3 = newKey();
    expectCode(await raw(MANAGER, 'POST', `/api/purchases/${purchase.body.purchase.id}/events`, { type: 'approved' }, key3), 409, 'INVALID_TRANSITION');
    const step = await raw(MANAGER, 'POST', `/api/purchases/${purchase.body.purchase.id}/events`, { type: 'cancelled', reason: 'Mistake' }, key3);
    expect(step.status, step.text).toBe(200);
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
  });

  it('keys are scoped to the caller: two people may use the same key independently', async () => {
    const key = newKey();
    const before = (await allTransfers()).length;
    const forDana = await raw(dana, 'POST', '/api/usage', usage(2), key);
    const forErin = await raw(erin, 'POST', '/api/usage', usage(3), key);
    expect(forDana.status).toBe(201);
    expect(forErin.status).toBe(201);
    expect(JSON.parse(forDana.text).postingId).not.toBe(JSON.parse(forErin.text).postingId);
    expect((await allTransfers()).length).toBe(before + 2);
    expect(await own(dana)).toBe(97);
    expect(await own(erin)).toBe(97);
    // The manager uses the same key for usage on Dana's behalf: a third, separate posting.
    const forManager = await raw(MANAGER, 'POST', '/api/usage', usage(2, { memberId: dana.id }), key);
    expect(forManager.status).toBe(201);
    expect(await own(dana)).toBe(95);
    // Each caller's replay is their own.
    expect((await raw(dana, 'POST', '/api/usage', usage(2), key)).text).toBe(forDana.text);
    expect((await raw(erin, 'POST', '/api/usage', usage(3), key)).text).toBe(forErin.text);
  });

  it('a missing key on usage, purchases, purchase steps, reversals and settings is 400 IDEMPOTENCY_KEY_REQUIRED', async () => {
    const before = await allTransfers();
    const settings = (await api.call(IT, 'GET', '/api/settings')).body;
    const purchases = (await api.call(MANAGER, 'GET', '/api/purchases?limit=200')).body.items;
    const open = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1 } });
    const id = open.body.purchase.id;
    const cases: [DemoUser, string, string, unknown][] = [
      [erin, 'POST', '/api/usage', usage(1)],
      [MANAGER, 'POST', '/api/usage', usage(1, { memberId: erin.id })],
      [MANAGER, 'POST', '/api/purchases', { blocks: 1 }],
      [MANAGER, 'POST', `/api/purchases/${id}/events`, { type: 'quote_requested' }],
      [MANAGER, 'POST', `/api/transfers/${before[0]!.id}/reversal`, { reason: 'No key' }],
      [IT, 'PUT', '/api/settings', { ...settings, stuckAfterWorkingDays: 9 }],
    ];
    for (const [user, method, path, body] of cases) {
      expectCode(await raw(user, method, path, body, undefined), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    }
    expect(await allTransfers()).toEqual(before);
    expect((await api.call(IT, 'GET', '/api/settings')).body).toEqual(settings);
    expect((await api.call(MANAGER, 'GET', '/api/purchases?limit=200')).body.items.length).toBe(purchases.length + 1);
    expect((await api.call(MANAGER, 'GET', `/api/purchases?state=requested&limit=200`)).body.items.map((p: { id: string }) => p.id)).toContain(id);
    // Registrations take a key optionally: without one each request stands alone.
    const stranger = EMPLOYEES[6]!;
    await api.call(stranger, 'GET', '/api/me');
    expect((await raw(stranger, 'POST', '/api/registrations', {}, undefined)).status).toBe(201);
  });

  it('a malformed key is 400 IDEMPOTENCY_KEY_INVALID', async () => {
    const before = await allTransfers();
    for (const key of ['short', '1234567', 'has spaces in it', 'under_score_key', 'x'.repeat(65), 'cl\u00e9-cl\u00e9-cl\u00e9', 'key/with/slash', 'key.with.dots']) {
      expectCode(await raw(erin, 'POST', '/api/usage', usage(1), key), 400, 'IDEMPOTENCY_KEY_INVALID');
      expectCode(await raw(MANAGER, 'POST', '/api/purchases', { blocks: 1 }, key), 400, 'IDEMPOTENCY_KEY_INVALID');
      expectCode(await raw(erin, 'POST', '/api/registrations', {}, key), 400, 'IDEMPOTENCY_KEY_INVALID');
    }
    // The bounds themselves are fine.
    expect((await raw(erin, 'POST', '/api/usage', usage(1), '12345678')).status).toBe(201);
    expect((await raw(erin, 'POST', '/api/usage', usage(1), 'K'.repeat(64))).status).toBe(201);
    expect((await allTransfers()).length).toBe(before.length + 2);
  });

  it('ten concurrent duplicates make exactly one posting and all get the same answer', async () => {
    for (const [user, credits] of [
      [erin, 4],
      [dana, 120],
    ] as const) {
      const key = newKey();
      const before = await allTransfers();
      const ownBefore = await own(user);
      const poolBefore = await poolBalance();
      const answers = await Promise.all(Array.from({ length: 10 }, () => raw(user, 'POST', '/api/usage', usage(credits), key)));
      for (const answer of answers) {
        expect(answer.status, answer.text).toBe(201);
        expect(answer.text).toBe(answers[0]!.text);
      }
      const after = await allTransfers();
      const postingId = JSON.parse(answers[0]!.text).postingId;
      const posted = after.filter((t) => !before.some((b) => b.id === t.id));
      expect(posted.length).toBeGreaterThan(0);
      expect(new Set(posted.map((t) => t.postingId))).toEqual(new Set([postingId]));
      const { fromOwn, fromPool } = JSON.parse(answers[0]!.text);
      expect(fromOwn + fromPool).toBe(credits);
      expect(await own(user)).toBe(ownBefore - fromOwn);
      expect(await poolBalance()).toBe(poolBefore - fromPool);
    }

    // Concurrent duplicates of a reversal, and of a purchase step, too.
    const target = (await allTransfers()).find((t) => t.code === 'usage_individual' && t.memberId === erin.id)!;
    const key = newKey();
    const reversals = await Promise.all(Array.from({ length: 10 }, () => raw(MANAGER, 'POST', `/api/transfers/${target.id}/reversal`, { reason: 'Duplicate' }, key)));
    for (const answer of reversals) {
      expect(answer.status, answer.text).toBe(201);
      expect(answer.text).toBe(reversals[0]!.text);
    }
    expect((await allTransfers()).filter((t) => t.code === 'reversal' && (t as { reverses?: string }).reverses === target.id)).toHaveLength(1);
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
  });
});
