/**
 * Through the API: a draw that takes the pool under the low line raises no "time to order more" while an
 * open purchase covers it (the use case loads the open purchases for the decision), and does without one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api?.stack.stop();
});

const lowAlerts = async () => ((await api.call(IT, 'GET', '/api/feed?limit=100')).body.items as { kind: string }[]).filter((e) => e.kind === 'alert_pool_low').length;

it('a draw under the low line is quiet while a purchase on its way covers it, and raises the alert once none does', async () => {
  await api.fillPool(1);
  const [ana] = EMPLOYEES as [(typeof EMPLOYEES)[number]];
  await api.register(ana);
  const today = new Date().toISOString().slice(0, 10);
  const use = async (credits: number) => expect((await api.call(ana, 'POST', '/api/usage', { body: { service: 'simulation', credits, date: today } })).status).toBe(201);
  await use(100);
  const next = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1, reason: 'On its way' } });
  expect(next.status).toBe(201);
  await use(85); // the pool: 15, under 20, with 100 on its way
  expect(await lowAlerts()).toBe(0);

  expect((await api.call(MANAGER, 'POST', `/api/purchases/${next.body.purchase.id}/events`, { body: { type: 'cancelled', reason: 'Not needed' } })).status).toBe(200);
  await api.fillPool(1); // a refill: a new cycle, the pool back at 115
  await use(100); // 15 again, nothing on its way
  expect(await lowAlerts()).toBe(1);
});
