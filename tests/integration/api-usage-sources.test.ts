import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageSourcesResponse, PullNowResponse } from '../../src/contract/index.js';
import { MemoryUsageSources } from '../../server/adapters/memory/memory-usage-sources.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, TEST_RATE_LIMIT, startTestApi } from '../support/api.js';
import { FakeUsageSource, connectionOf } from '../support/fake-usage-source.js';

/** GET /api/usage/sources and "Pull now" over HTTP, through the one route table: who may, and what they answer. */
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

describe('the usage sources API', () => {
  let api: TestApi;
  const sources = new MemoryUsageSources();
  const source = new FakeUsageSource('token_flex', (day) => (day === yesterday() ? [{ email: EMPLOYEES[0]!.email, service: 'Simulation', credits: 1.5 }] : []));

  beforeAll(async () => {
    sources.connect(DEMO_TENANT, connectionOf('token_flex'), source);
    api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, usageSources: sources });
    await api.register(EMPLOYEES[0]!);
  });
  afterAll(async () => {
    await api?.stack.stop();
  });

  it('lists the connected source for account managers and IT, with the next run, and refuses employees', async () => {
    for (const user of [MANAGER, IT]) {
      const answer = await api.call(user, 'GET', '/api/usage/sources');
      expect(answer.status).toBe(200);
      const body = UsageSourcesResponse.parse(answer.body);
      expect(body.sources).toEqual([expect.objectContaining({ kind: 'token_flex', connection: 'connected', lastPull: null, running: null, lastError: null })]);
      expect(Date.parse(body.sources[0]!.nextRunAt!)).toBeGreaterThan(Date.now());
    }
    expect((await api.call(EMPLOYEES[0], 'GET', '/api/usage/sources')).status).toBe(403);
  });

  it('"Pull now" is IT\'s: it starts a pull, a second while it runs changes nothing, and the usage arrives', async () => {
    expect((await api.call(MANAGER, 'POST', '/api/usage/sources/token_flex/pull')).status).toBe(403);
    const held = source.hold();
    const started = await api.call(IT, 'POST', '/api/usage/sources/token_flex/pull');
    expect(started.status).toBe(200);
    expect(PullNowResponse.parse(started.body)).toMatchObject({ started: true, source: { running: { trigger: 'manual' } } });
    await held.asked;
    const again = await api.call(IT, 'POST', '/api/usage/sources/token_flex/pull');
    expect(again.body).toMatchObject({ started: false, source: { running: { trigger: 'manual' } } });
    held.release();
    await api.stack.pullJobs.idle();
    expect(source.requests).toHaveLength(1);
    const after = UsageSourcesResponse.parse((await api.call(IT, 'GET', '/api/usage/sources')).body).sources[0]!;
    expect(after).toMatchObject({ running: null, lastError: null, lastPull: { rowsPosted: 1 }, covered: { to: yesterday() } });
    const history = await api.call(EMPLOYEES[0], 'GET', '/api/usage');
    expect(history.body.items.filter((t: { credits: number; date: string | null }) => t.date === yesterday() && t.credits === 1.5)).toHaveLength(1);
  });

  it('refuses a source that is not connected, or not one at all', async () => {
    const notConnected = await api.call(IT, 'POST', '/api/usage/sources/usage_insights/pull');
    expect(notConnected.status).toBe(409);
    expect(notConnected.body.error.message).toMatch(/not connected.*Settings/);
    expect((await api.call(IT, 'POST', '/api/usage/sources/flexlm/pull')).status).toBe(400);
  });
});
