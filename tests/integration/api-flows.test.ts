import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../src/contract/index.js';
import { PUBLIC_POLICY_FIELDS, publicPolicy } from '../../src/core/policy/index.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DIRECTORY_ONLY } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

let api: TestApi;
const [emp, other, late] = EMPLOYEES as [DemoUser, DemoUser, DemoUser];

const today = () => new Date().toISOString().slice(0, 10);

interface Transfer {
  id: string;
  postingId: string;
  code: string;
  debit: string;
  credit: string;
  credits: number;
  memberId: string | null;
  lotId: string | null;
  reverses: string | null;
}

const me = async (user: DemoUser) => {
  const answer = await api.call(user, 'GET', '/api/me');
  expect(answer.status).toBe(200);
  return answer.body;
};
const history = async (user: DemoUser, query = ''): Promise<Transfer[]> => {
  const answer = await api.call(user, 'GET', `/api/usage?limit=200${query}`);
  expect(answer.status).toBe(200);
  expect(answer.body.nextCursor).toBeNull();
  return answer.body.items;
};

// Shared across the ordered steps below.
let purchaseId: string;
let firstUsage: { postingId: string };
let secondUsage: { postingId: string };

beforeAll(async () => {
  api = await startTestApi();
  await api.register(other);
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('main paths over HTTP', () => {
  it('GET /api/healthz answers 200 without a token', async () => {
    const answer = await api.call(undefined, 'GET', '/api/healthz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: true, storage: 'up' });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('registration: request → account_created → completed grants the allotment of 100 once', async () => {
    const fresh = await me(emp);
    expect(fresh).toMatchObject({
      member: { id: emp.id, email: emp.email, displayName: emp.displayName, office: emp.office },
      registration: { state: 'not_requested' },
      credits: { own: 0, held: 0, available: 0 },
      mayDrawFromPool: false,
      roles: [],
    });

    const requested = await api.call(emp, 'POST', '/api/registrations', { body: {} });
    expect(requested.status).toBe(201);
    expect(requested.body.member.registration).toMatchObject({ state: 'requested', requestedBy: null });
    expect(requested.body.member.allotmentGrantedAt).toBeNull();

    const queue = await api.call(MANAGER, 'GET', '/api/registrations?state=requested');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((m: { member: { id: string } }) => m.member.id)).toContain(emp.id);
    expect(queue.body.items.every((m: { registration: { state: string } }) => m.registration.state === 'requested')).toBe(true);

    const created = await api.call(MANAGER, 'POST', `/api/registrations/${emp.id}/events`, { body: { type: 'account_created' } });
    expect(created.status).toBe(200);
    expect(created.body.member.registration.state).toBe('account_created');
    expect(created.body.member.credits.own).toBe(0);
    // The member may not do the manager's step, nor skip theirs.
    expect((await api.call(emp, 'POST', `/api/registrations/${emp.id}/events`, { body: { type: 'account_created' } })).status).toBe(403);

    const completed = await api.call(emp, 'POST', `/api/registrations/${emp.id}/events`, { body: { type: 'completed' } });
    expect(completed.status).toBe(200);
    expect(completed.body.member.registration.state).toBe('registered');
    expect(completed.body.member.credits.own).toBe(100);
    expect(completed.body.member.allotmentGrantedAt).toEqual(expect.any(String));
    expect(completed.body.member.registration.history.map((h: { event: string }) => h.event)).toEqual(['requested', 'account_created', 'completed']);

    const after = await me(emp);
    expect(after.registration.state).toBe('registered');
    expect(after.credits).toEqual({ own: 100, pool: 0, held: 0, available: 100 });
    expect(after.mayDrawFromPool).toBe(false);

    // Once: no further step reaches `registered` again, and no second grant appears.
    expect((await api.call(emp, 'POST', `/api/registrations/${emp.id}/events`, { body: { type: 'completed' } })).status).toBe(409);
    expect((await api.call(MANAGER, 'POST', `/api/registrations/${emp.id}/events`, { body: { type: 'already_registered' } })).status).toBe(409);
    expect((await api.call(emp, 'POST', '/api/registrations', { body: {} })).status).toBe(409);
    const grants = (await history(emp)).filter((t) => t.code === 'allotment_granted');
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ debit: 'contract', credit: `member:${emp.id}`, credits: 100, memberId: emp.id });
    expect((await me(emp)).credits.own).toBe(100);
  });

  it('an account manager raises a request for someone from the directory', async () => {
    const newcomer = DIRECTORY_ONLY[0]!;
    const raised = await api.call(MANAGER, 'POST', '/api/registrations', { body: { email: newcomer.email } });
    expect(raised.status).toBe(201);
    expect(raised.body.member.member).toMatchObject({ id: newcomer.id, email: newcomer.email, office: newcomer.office });
    expect(raised.body.member.registration).toMatchObject({ state: 'requested', requestedBy: MANAGER.id });
    const members = await api.call(IT, 'GET', '/api/members?limit=200');
    expect(members.body.items.map((m: { member: { id: string } }) => m.member.id)).toEqual(expect.arrayContaining([emp.id, other.id, newcomer.id]));
  });

  it('purchases go through every step to applied, filling the pool with a lot', async () => {
    const created = await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 3, reason: 'Q3 rendering push' } });
    expect(created.status).toBe(201);
    expect(created.body.purchase).toMatchObject({ blocks: 3, credits: 300, state: 'requested', reason: 'Q3 rendering push', requestedBy: MANAGER.id });
    purchaseId = created.body.purchase.id;

    const steps = [
      [{ type: 'quote_requested' }, {}],
      [{ type: 'quote_received', quoteNumber: 'Q-2024-17', price: 1500, currency: 'USD' }, { quoteNumber: 'Q-2024-17', price: 1500, currency: 'USD' }],
      [{ type: 'approved' }, {}],
      [{ type: 'ordered', poNumber: 'PO-4411' }, { poNumber: 'PO-4411' }],
    ] as const;
    for (const [step, fields] of steps) {
      const answer = await api.call(MANAGER, 'POST', `/api/purchases/${purchaseId}/events`, { body: step });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.purchase).toMatchObject({ id: purchaseId, state: step.type, ...fields });
      // Nothing reaches the pool before the credits are applied.
      expect((await api.call(emp, 'GET', '/api/pool')).body.balance).toBe(0);
    }
    const applied = await api.call(IT, 'POST', `/api/purchases/${purchaseId}/events`, { body: { type: 'applied' } });
    expect(applied.status).toBe(200);
    expect(applied.body.purchase.state).toBe('applied');
    expect(applied.body.purchase.steps.map((s: { type: string }) => s.type)).toEqual(['requested', 'quote_requested', 'quote_received', 'approved', 'ordered', 'applied']);

    const pool = await api.call(emp, 'GET', '/api/pool');
    expect(pool.body.balance).toBe(300);
    expect(pool.body.lots).toEqual([expect.objectContaining({ id: purchaseId, purchaseId, credits: 300, remaining: 300 })]);
    // Prices are for account managers and IT: an employee's lots carry none.
    expect(pool.body.lots[0]).not.toHaveProperty('price');
    expect(pool.body.lots[0]).not.toHaveProperty('currency');
    for (const who of [MANAGER, IT]) {
      expect((await api.call(who, 'GET', '/api/pool')).body.lots).toEqual([expect.objectContaining({ id: purchaseId, price: 1500, currency: 'USD' })]);
    }
    expect((await me(emp)).credits).toMatchObject({ own: 100, pool: 300, available: 400 });

    const listed = await api.call(MANAGER, 'GET', '/api/purchases?state=applied');
    expect(listed.body.items.map((p: { id: string }) => p.id)).toEqual([purchaseId]);
    const everything = await api.call(MANAGER, 'GET', '/api/purchases');
    expect(everything.body).toMatchObject({ items: expect.any(Array), nextCursor: null });
    const applyTransfer = (await history(IT)).filter((t) => t.code === 'purchase_applied');
    expect(applyTransfer).toEqual([expect.objectContaining({ debit: 'reseller', credit: 'pool', credits: 300, lotId: purchaseId })]);
  });

  it('usage of 30 then 90 takes own credits first, then the pool', async () => {
    const first = await api.call(emp, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits: 30, date: today(), project: 'Harbour Tower' } });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ postingId: expect.any(String), fromOwn: 30, fromPool: 0, balanceAfter: 70 });
    firstUsage = first.body;
    expect(await me(emp)).toMatchObject({ credits: { own: 70, pool: 300, available: 370 }, mayDrawFromPool: false });

    const second = await api.call(emp, 'POST', '/api/usage', { body: { service: 'simulation', credits: 90, date: today() } });
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ postingId: expect.any(String), fromOwn: 70, fromPool: 20, balanceAfter: 0 });
    secondUsage = second.body;
    expect(await me(emp)).toMatchObject({ credits: { own: 0, pool: 280, available: 280 }, mayDrawFromPool: true });

    const mine = await history(emp);
    const split = mine.filter((t) => t.postingId === secondUsage.postingId);
    expect(split.map((t) => [t.code, t.credits, t.debit, t.lotId]).sort()).toEqual(
      [
        ['usage_individual', 70, `member:${emp.id}`, null],
        ['usage_pool', 20, 'pool', purchaseId],
      ].sort(),
    );
    expect(mine.filter((t) => t.postingId === firstUsage.postingId)).toEqual([expect.objectContaining({ code: 'usage_individual', credits: 30, memberId: emp.id })]);
    // Newest first.
    expect(mine[0]!.postingId).toBe(secondUsage.postingId);

    const pool = await api.call(MANAGER, 'GET', '/api/pool');
    expect(pool.body.balance).toBe(280);
    expect(pool.body.lots[0]).toMatchObject({ id: purchaseId, remaining: 280 });
    expect(pool.body.eligibleMembers).toBe(1);
  });

  it('employees see only their own records; managers and IT see everyone', async () => {
    const theirs = await history(other);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((t) => t.memberId === other.id)).toBe(true);
    expect((await api.call(other, 'GET', `/api/usage?memberId=${emp.id}`)).status).toBe(403);
    for (const viewer of [MANAGER, IT]) {
      const all = await history(viewer);
      expect(new Set(all.map((t) => t.memberId))).toEqual(new Set([emp.id, other.id, null]));
      const filtered = await history(viewer, `&memberId=${emp.id}`);
      expect(filtered.length).toBeGreaterThan(0);
      expect(filtered.every((t) => t.memberId === emp.id)).toBe(true);
    }
  });

  it('GET /api/pool names who drew for managers, not for employees', async () => {
    const forManager = (await api.call(MANAGER, 'GET', '/api/pool')).body;
    expect(forManager.recentDraws).toEqual([
      expect.objectContaining({ credits: 20, count: 1, service: 'simulation', memberId: emp.id, memberName: emp.displayName, office: emp.office }),
    ]);
    const forIt = (await api.call(IT, 'GET', '/api/pool')).body;
    expect(forIt.recentDraws[0].memberName).toBe(emp.displayName);

    for (const viewer of [other, emp]) {
      const body = (await api.call(viewer, 'GET', '/api/pool')).body;
      expect(body.balance).toBe(280);
      expect(body.recentDraws).toEqual([{ at: today(), credits: 20, count: 1, service: 'simulation', office: null, memberId: null, memberName: null }]);
      expect(JSON.stringify(body)).not.toContain(emp.displayName);
    }
  });

  it('GET /api/feed names people for managers, and hides other people for employees', async () => {
    const forManager = await api.call(MANAGER, 'GET', '/api/feed');
    expect(forManager.status).toBe(200);
    expect(forManager.body.nextCursor).toBeNull();
    const items = forManager.body.items as { kind: string; at: string; memberName: string | null; memberId: string | null; message: string; actor: string | null; credits: number | null; poolAfter: number }[];
    const ats = items.map((i) => i.at);
    expect([...ats].sort().reverse()).toEqual(ats);
    const draw = items.find((i) => i.kind === 'pool_draw')!;
    expect(draw).toMatchObject({ memberId: emp.id, memberName: emp.displayName, actor: emp.id, credits: 20, poolAfter: 280 });
    expect(draw.message).toContain(emp.displayName);
    expect(items.find((i) => i.kind === 'pool_joined')).toMatchObject({ memberId: emp.id, memberName: emp.displayName });
    expect(items.filter((i) => i.kind === 'purchase_step').length).toBeGreaterThanOrEqual(6);

    const forOther = (await api.call(other, 'GET', '/api/feed')).body;
    expect(forOther.items.map((i: { id: string }) => i.id)).toEqual(items.map((i) => (i as unknown as { id: string }).id));
    for (const item of forOther.items) {
      expect(item.memberId).toBeNull();
      expect(item.memberName).toBeNull();
      expect(item.office).toBeNull();
      expect(item.actor).toBeNull();
    }
    expect(JSON.stringify(forOther)).not.toContain(emp.displayName);
    expect(JSON.stringify(forOther)).not.toContain(emp.id);
    const anonymousDraw = forOther.items.find((i: { kind: string }) => i.kind === 'pool_draw');
    expect(anonymousDraw).toMatchObject({ credits: 20, service: 'simulation' });
    expect(anonymousDraw.message).toBe('Someone drew 20 credits from the pool for Simulation.');

    const forSelf = (await api.call(emp, 'GET', '/api/feed')).body;
    expect(forSelf.items.find((i: { kind: string }) => i.kind === 'pool_draw')).toMatchObject({ memberId: emp.id, memberName: emp.displayName });
  });

  it('a reversal restores balances once; a second reversal is 409 ALREADY_REVERSED', async () => {
    const mine = await history(emp);
    const original = mine.find((t) => t.postingId === firstUsage.postingId)!;
    const reversal = await api.call(MANAGER, 'POST', `/api/transfers/${original.id}/reversal`, { body: { reason: 'Logged against the wrong person' } });
    expect(reversal.status).toBe(201);
    expect(reversal.body.reversal).toMatchObject({
      code: 'reversal',
      debit: 'usage',
      credit: `member:${emp.id}`,
      credits: 30,
      memberId: emp.id,
      reverses: original.id,
      reason: 'Logged against the wrong person',
      actor: MANAGER.id,
    });
    expect(await me(emp)).toMatchObject({ credits: { own: 30, pool: 280 }, mayDrawFromPool: false });

    const again = await api.call(MANAGER, 'POST', `/api/transfers/${original.id}/reversal`, { body: { reason: 'Once more' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_REVERSED');
    expect((await api.call(IT, 'POST', `/api/transfers/${original.id}/reversal`, { body: { reason: 'By IT' } })).body.error.code).toBe('ALREADY_REVERSED');
    expect((await me(emp)).credits.own).toBe(30);

    // A reversal cannot itself be reversed.
    const undo = await api.call(MANAGER, 'POST', `/api/transfers/${reversal.body.reversal.id}/reversal`, { body: { reason: 'Undo' } });
    expect(undo.status).toBe(422);
    expect(undo.body.error.code).toBe('NOT_REVERSIBLE');

    // Reversing the pool draw puts the credits back into the pool and its lot.
    const draw = (await history(emp)).find((t) => t.postingId === secondUsage.postingId && t.code === 'usage_pool')!;
    expect((await api.call(IT, 'POST', `/api/transfers/${draw.id}/reversal`, { body: { reason: 'Job failed, Autodesk refunded' } })).status).toBe(201);
    const pool = (await api.call(MANAGER, 'GET', '/api/pool')).body;
    expect(pool.balance).toBe(300);
    expect(pool.lots[0]).toMatchObject({ id: purchaseId, remaining: 300 });
    expect((await me(emp)).credits).toMatchObject({ own: 30, pool: 300 });
    const reversals = (await history(emp)).filter((t) => t.code === 'reversal');
    expect(reversals.map((t) => t.reverses).sort()).toEqual([original.id, draw.id].sort());
    const feed = (await api.call(MANAGER, 'GET', '/api/feed')).body.items;
    expect(feed.filter((i: { kind: string }) => i.kind === 'reversal')).toHaveLength(2);
  });

  it('settings: anyone signed in reads the policy, only IT the whole settings; only IT replaces them, validated; the allotment applies to later grants', async () => {
    const read = await api.call(emp, 'GET', '/api/policy');
    expect(read.status).toBe(200);
    expect(read.body.individualAllotment).toBe(100);
    expect(read.body.services.map((s: { slug: string }) => s.slug)).toEqual(['cloud_rendering', 'simulation', 'generative_design', 'other']);
    const settings = (await api.call(IT, 'GET', '/api/settings')).body;
    expect(read.body).toEqual(publicPolicy(settings));

    const changed = { ...settings, individualAllotment: 50, services: [...settings.services, { slug: 'point_clouds', name: 'Point clouds', typicalCredits: 3 }] };
    expect((await api.call(MANAGER, 'PUT', '/api/settings', { body: changed })).status).toBe(403);
    expect((await api.call(emp, 'PUT', '/api/settings', { body: changed })).status).toBe(403);

    const invalid = [
      { ...settings, individualAllotment: -1 },
      { ...settings, individualAllotment: 12.345 },
      { ...settings, individualAllotment: '50' },
      { ...settings, blockSize: 0 },
      { ...settings, leadTimeDays: { min: 9, max: 2 } },
      { ...settings, services: [] },
      { ...settings, services: [settings.services[0], settings.services[0]] },
      { ...settings, services: [{ slug: 'Bad Slug', name: 'x', typicalCredits: 1 }] },
      { ...settings, homeUseKbUrl: 'http://insecure.example.com' },
      { ...settings, unitName: 'Tokens' },
      { ...settings, surprise: true },
    ];
    for (const body of invalid) {
      const answer = await api.call(IT, 'PUT', '/api/settings', { body });
      expect(answer.status, JSON.stringify(body).slice(0, 200)).toBe(400);
      expect(answer.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await api.call(IT, 'GET', '/api/settings')).body).toEqual(settings);

    const put = await api.call(IT, 'PUT', '/api/settings', { body: changed });
    expect(put.status).toBe(200);
    expect(put.body).toEqual(changed);
    expect((await api.call(other, 'GET', '/api/policy')).body).toEqual(publicPolicy(changed));

    // A grant after the change is 50; the earlier grants stay as they were.
    await api.register(late);
    expect((await me(late)).credits.own).toBe(50);
    expect((await me(emp)).credits.own).toBe(30);
    expect((await me(other)).credits.own).toBe(100);
    // The new service is accepted for usage; a removed one would not be.
    const used = await api.call(late, 'POST', '/api/usage', { body: { service: 'point_clouds', credits: 5, date: today() } });
    expect(used.status).toBe(201);
    expect(used.body).toMatchObject({ fromOwn: 5, balanceAfter: 45 });

    const restored = await api.call(IT, 'PUT', '/api/settings', { body: settings });
    expect(restored.status).toBe(200);
    const gone = await api.call(late, 'POST', '/api/usage', { body: { service: 'point_clouds', credits: 5, date: today() } });
    expect(gone.status).toBe(400);
    expect(gone.body.error.code).toBe('VALIDATION_FAILED');
  });

  it("the Teams webhook URL and the mail sender are IT's: everyone else reads the policy without them", async () => {
    const settings = (await api.call(IT, 'GET', '/api/settings')).body;
    const webhook = 'https://prod-00.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=kept-secret';
    const secret = { ...settings, teamsWebhookUrl: webhook, feedDigest: 'daily', notifications: { teams: true, mail: true, mailSender: 'credit.desk@contoso.example' } };
    expect((await api.call(IT, 'PUT', '/api/settings', { body: secret })).status).toBe(200);
    try {
      expect((await api.call(IT, 'GET', '/api/settings')).body).toEqual(secret);
      for (const who of [emp, MANAGER]) {
        const refused = await api.call(who, 'GET', '/api/settings');
        expect(refused.status, who.email).toBe(403);
        expect(refused.body.error.code).toBe('FORBIDDEN');
        const policy = await api.call(who, 'GET', '/api/policy');
        expect(policy.status).toBe(200);
        expect(Object.keys(policy.body).sort()).toEqual([...PUBLIC_POLICY_FIELDS].sort());
        const text = JSON.stringify(policy.body);
        for (const hidden of [webhook, 'kept-secret', 'credit.desk@contoso.example']) expect(text, `${who.email} sees ${hidden}`).not.toContain(hidden);
      }
    } finally {
      expect((await api.call(IT, 'PUT', '/api/settings', { body: settings })).status).toBe(200);
    }
  });

  it('GET /api/openapi.json is an OpenAPI 3.1 document listing every non-dev route', async () => {
    const answer = await api.call(undefined, 'GET', '/api/openapi.json');
    expect(answer.status).toBe(200);
    const doc = answer.body;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.Error).toBeDefined();
    const operations = new Set<string>();
    for (const [name, route] of Object.entries(ROUTES)) {
      const operation = doc.paths?.[route.path]?.[route.method.toLowerCase()];
      if ('devOnly' in route && route.devOnly) continue;
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.operationId).toBe(name);
      expect(operation.summary).toBe(route.summary);
      expect(Object.keys(operation.responses)).toContain(String(route.status));
      const answerType = 'produces' in route && route.produces ? route.produces : 'application/json';
      expect(operation.responses[String(route.status)].content[answerType].schema, name).toBeDefined();
      if ('body' in route && route.body) expect(operation.requestBody?.content?.['application/json']?.schema, name).toBeDefined();
      if ('upload' in route && route.upload) expect(operation.requestBody?.content?.['text/csv']?.schema, name).toEqual({ type: 'string', format: 'binary' });
      const key = (operation.parameters as { name: string; in: string; required: boolean }[]).find((p) => p.name === 'Idempotency-Key');
      if (route.idempotency === 'none') expect(key, name).toBeUndefined();
      else expect(key, name).toMatchObject({ in: 'header', required: route.idempotency === 'required' });
      if (route.access === 'anyone') expect(operation.security, name).toEqual([]);
      for (const param of route.path.match(/\{(\w+)\}/g) ?? []) {
        expect(operation.parameters, name).toEqual(expect.arrayContaining([expect.objectContaining({ name: param.slice(1, -1), in: 'path', required: true })]));
      }
      operations.add(`${route.method} ${route.path}`);
    }
    const nonDev = Object.values(ROUTES).filter((r) => !('devOnly' in r && r.devOnly));
    expect(operations.size).toBe(nonDev.length);
    // Nothing in the document that the route table does not have.
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(methods)) {
        expect(Object.values(ROUTES).some((r) => r.path === path && r.method.toLowerCase() === method), `${method} ${path}`).toBe(true);
      }
    }
  });

  it('the ledger check stays ok at the end, and balances add up', async () => {
    const check = await api.call(IT, 'GET', '/api/ledger/check');
    expect(check.status).toBe(200);
    expect(check.body).toEqual({ ok: true, violations: [] });
    const members = (await api.call(MANAGER, 'GET', '/api/members?limit=200')).body.items as { member: { id: string }; credits: { own: number } }[];
    const ownOf = (id: string) => members.find((m) => m.member.id === id)?.credits.own;
    expect([ownOf(emp.id), ownOf(other.id), ownOf(late.id)]).toEqual([30, 100, 45]);
    expect((await api.call(IT, 'GET', '/api/pool')).body.balance).toBe(300);
  });
});
