import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

/** GET /api/reports/chargeback over HTTP against Azurite: figures worked out by hand from the entries posted. */
let api: TestApi;
const [avery, blake, casey] = EMPLOYEES as [DemoUser, DemoUser, DemoUser];
const today = () => new Date().toISOString().slice(0, 10);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const report = (user: DemoUser, query: string) => api.call(user, 'GET', `/api/reports/chargeback?${query}`);

/** Buys one block of 100 credits at `price` and applies it: a lot of its own. */
async function buyBlock(price: number, currency: string): Promise<void> {
  const created = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1 } });
  const id = created.body.purchase.id as string;
  for (const step of [
    { type: 'quote_requested' },
    { type: 'quote_received', quoteNumber: `Q-${price}`, price, currency },
    { type: 'approved' },
    { type: 'ordered', poNumber: `PO-${price}` },
    { type: 'applied' },
  ]) {
    const answer = await api.call(MANAGER, 'POST', `/api/purchases/${id}/events`, { body: step });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
}

async function use(user: DemoUser, credits: number, extra: Record<string, unknown> = {}) {
  const answer = await api.call(user, 'POST', '/api/usage', { body: { service: 'simulation', credits, date: today(), ...extra } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { postingId: string; fromOwn: number; fromPool: number };
}

beforeAll(async () => {
  api = await startTestApi();
  for (const user of [avery, blake, casey]) await api.register(user);
  // Lot 1: 100 credits for 500 USD (5 a credit); lot 2: 100 credits for 800 USD (8 a credit). Drawn oldest first.
  await buyBlock(500, 'USD');
  await buyBlock(800, 'USD');
  expect(await use(avery, 120)).toMatchObject({ fromOwn: 100, fromPool: 20 }); // 20 from lot 1: 100 USD
  expect(await use(blake, 190, { project: 'Harbour' })).toMatchObject({ fromOwn: 100, fromPool: 90 }); // 80 from lot 1, 10 from lot 2: 480 USD
  await use(casey, 10, { service: 'cloud_rendering', project: '=HYPERLINK("x")' });
  const wrong = await use(casey, 5);
  const history = await api.call(MANAGER, 'GET', `/api/usage?memberId=${casey.id}`);
  const transfer = (history.body.items as { id: string; postingId: string }[]).find((t) => t.postingId === wrong.postingId)!;
  expect((await api.call(MANAGER, 'POST', `/api/transfers/${transfer.id}/reversal`, { body: { reason: 'Logged twice' } })).status).toBe(201);
}, 120_000);
afterAll(async () => {
  await api?.stack.stop();
});

describe('GET /api/reports/chargeback', () => {
  it('groups by office: own vs pool, people, and the pool use at each lot’s price; a reversed entry counts zero', async () => {
    const answer = await report(MANAGER, `from=${addDays(today(), -1)}&to=${today()}&groupBy=office`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.groups).toEqual([
      { key: avery.office, label: avery.office, own: 200, pool: 110, total: 310, people: 2, poolCost: [{ currency: 'USD', amount: 580 }], unpriced: 0 },
      { key: casey.office, label: casey.office, own: 10, pool: 0, total: 10, people: 1, poolCost: [], unpriced: 0 },
    ]);
    expect(answer.body.totals).toEqual({ own: 210, pool: 110, total: 320, people: 3, poolCost: [{ currency: 'USD', amount: 580 }], unpriced: 0 });
  });

  it('groups by person, project and service, with "(none)" for entries without a project', async () => {
    const range = `from=${today()}&to=${today()}`;
    const person = await report(IT, `${range}&groupBy=person`);
    expect(person.status).toBe(200);
    expect(person.body.groups.map((g: { label: string; total: number; poolCost: unknown }) => [g.label, g.total, g.poolCost])).toEqual([
      [blake.displayName, 190, [{ currency: 'USD', amount: 480 }]],
      [avery.displayName, 120, [{ currency: 'USD', amount: 100 }]],
      [casey.displayName, 10, []],
    ]);
    const project = await report(MANAGER, `${range}&groupBy=project`);
    expect(project.body.groups.map((g: { key: string; total: number }) => [g.key, g.total])).toEqual([
      ['Harbour', 190],
      ['(none)', 120],
      ['=HYPERLINK("x")', 10],
    ]);
    const service = await report(MANAGER, `${range}&groupBy=service`);
    expect(service.body.groups.map((g: { key: string; total: number }) => [g.key, g.total])).toEqual([
      ['simulation', 310],
      ['cloud_rendering', 10],
    ]);
  });

  it('an empty range has no groups and zero totals', async () => {
    const answer = await report(MANAGER, 'from=2020-01-01&to=2020-01-31&groupBy=department');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ from: '2020-01-01', to: '2020-01-31', groupBy: 'department', groups: [], totals: { own: 0, pool: 0, total: 0, people: 0, poolCost: [], unpriced: 0 } });
  });

  it('caps the range at 366 days and refuses bad dates and groupings', async () => {
    expect((await report(MANAGER, 'from=2024-01-01&to=2024-12-31&groupBy=office')).status).toBe(200);
    const long = await report(MANAGER, 'from=2024-01-01&to=2025-01-01&groupBy=office');
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'RANGE_TOO_LONG', details: { maxDays: 366, days: 367 } });
    const backwards = await report(MANAGER, 'from=2024-02-01&to=2024-01-01&groupBy=office');
    expect([backwards.status, backwards.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    for (const bad of ['from=2024-02-30&to=2024-03-01&groupBy=office', 'from=01/02/2024&to=2024-03-01&groupBy=office', 'from=2024-01-01&groupBy=office', 'from=2024-01-01&to=2024-01-02&groupBy=team']) {
      const answer = await report(MANAGER, bad);
      expect([answer.status, answer.body.error.code], bad).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('is for account managers and IT only', async () => {
    const answer = await report(avery, `from=${today()}&to=${today()}&groupBy=office`);
    expect([answer.status, answer.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await api.call(undefined, 'GET', `/api/reports/chargeback?from=${today()}&to=${today()}&groupBy=office`)).status).toBe(401);
  });
});
