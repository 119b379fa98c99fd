import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayNumber, dayString } from '../../src/core/policy/index.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, MANAGER, startTestApi } from '../support/api.js';

/** GET /api/pool/forecast over HTTP against Azurite: the stack validates every answer against the contract. */
let api: TestApi;
const [emp, other] = EMPLOYEES as [DemoUser, DemoUser];

const today = () => new Date().toISOString().slice(0, 10);
const daysFromToday = (n: number) => dayString(dayNumber(today()) + n);

const forecast = async (user: DemoUser = MANAGER, query = '') => api.call(user, 'GET', `/api/pool/forecast${query}`);
const use = async (credits: number, date: string) => {
  const answer = await api.call(emp, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits, date } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { postingId: string; fromOwn: number; fromPool: number };
};

beforeAll(async () => {
  api = await startTestApi();
  await api.register(emp);
  await api.register(other);
  await api.fillPool(1);
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('GET /api/pool/forecast', () => {
  it('before any draw: no rate and nothing to order, the balance history ends with the pool now', async () => {
    const answer = await forecast();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ today: today(), poolBalance: 100, method: 'no-usage', historyDays: 0, dailyRate: 0, orderNow: false, orderByDate: null, zeroDate: null, recommendedBlocks: 0, blockSize: 100 });
    expect(answer.body.projection).toHaveLength(60);
    expect(answer.body.balanceHistory.at(-1)).toEqual({ date: today(), balance: 100 });
  });

  it('after pool draws on two days: the simple average, a run-out date and an order due now', async () => {
    await use(100, today()); // own credits first
    await use(10, daysFromToday(-2));
    await use(20, daysFromToday(-1));
    const answer = await forecast();
    expect(answer.status).toBe(200);
    const f = answer.body;
    expect(f).toMatchObject({ poolBalance: 70, method: 'simple-rate', historyDays: 2, confidence: 'low', dailyRate: 15, orderNow: true, leadTimeSource: 'policy' });
    expect(f.projection[0]).toMatchObject({ date: today(), expected: 55 });
    // 70 at 15 a day: 55, 40, 25, 10, then gone on the fifth day.
    expect(f.zeroDate).toBe(daysFromToday(4));
    expect(f.orderByDate <= today()).toBe(true);
    expect(f.recommendedBlocks).toBeGreaterThan(0);
    expect(f.recommendedCredits).toBe(f.recommendedBlocks * 100);
  });

  it('gives employees the same figures; anonymous callers get 401', async () => {
    const forManager = await forecast(MANAGER);
    const forEmployee = await forecast(other);
    expect(forEmployee.status).toBe(200);
    expect(forEmployee.body).toEqual(forManager.body);
    expect(JSON.stringify(forEmployee.body)).not.toContain(emp.id);
    expect((await api.call(undefined, 'GET', '/api/pool/forecast')).status).toBe(401);
  });

  it('leaves a reversed draw out of the rate', async () => {
    const history = await api.call(MANAGER, 'GET', `/api/usage?memberId=${emp.id}&limit=50`);
    const draw = (history.body.items as { id: string; code: string; date: string | null }[]).find((t) => t.code === 'usage_pool' && t.date === daysFromToday(-2))!;
    const reversed = await api.call(MANAGER, 'POST', `/api/transfers/${draw.id}/reversal`, { body: { reason: 'Logged by mistake' } });
    expect(reversed.status).toBe(201);
    const f = (await forecast()).body;
    // Nothing two days ago any more, 20 yesterday: 10 a day over the two days.
    expect(f).toMatchObject({ poolBalance: 80, historyDays: 2, dailyRate: 10 });
  });

  it('counts an ordered purchase as on its way and takes the horizon from the query', async () => {
    const created = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 2 } });
    const id = created.body.purchase.id as string;
    for (const step of [{ type: 'quote_received', quoteNumber: 'Q-9', price: 900, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'PO-9' }]) {
      expect((await api.call(MANAGER, 'POST', `/api/purchases/${id}/events`, { body: step })).status).toBe(200);
    }
    const answer = await forecast(MANAGER, '?horizonDays=30');
    expect(answer.status).toBe(200);
    expect(answer.body.horizonDays).toBe(30);
    expect(answer.body.projection).toHaveLength(30);
    expect(answer.body.incoming).toHaveLength(1);
    expect(answer.body.incoming[0].credits).toBe(200);
    const landing = answer.body.projection.findIndex((d: { date: string }) => d.date === answer.body.incoming[0].expectedDate);
    expect(landing).toBeGreaterThan(0);
    expect(answer.body.projection[landing].expected - answer.body.projection[landing - 1].expected).toBeGreaterThan(150);
  });

  it('refuses a horizon out of range or not a number, and unknown parameters', async () => {
    for (const query of ['?horizonDays=6', '?horizonDays=366', '?horizonDays=ten', '?horizonDays=30.5', '?days=30']) {
      const answer = await forecast(MANAGER, query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code, query).toBe('VALIDATION_FAILED');
    }
  });

  it('is in the OpenAPI document with its query', async () => {
    const doc = (await api.call(undefined, 'GET', '/api/openapi.json')).body;
    const op = doc.paths['/api/pool/forecast']?.get;
    expect(op.operationId).toBe('poolForecast');
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['horizonDays']);
  });

  it('leaves the ledger consistent', async () => {
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
  });
});
