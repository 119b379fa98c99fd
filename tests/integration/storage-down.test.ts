import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPLOYEES, IT, TEST_RATE_LIMIT, startTestApi } from '../support/api.js';
import type { TestApi } from '../support/api.js';

let api: TestApi;
const employee = EMPLOYEES[0]!;

beforeAll(async () => {
  // Its own Azurite: the test stops it.
  api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, ownAzurite: true });
  await api.register(employee);
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('when Table Storage stops answering', () => {
  it('health says 503 and a write answers 503 STORAGE_UNAVAILABLE with Retry-After', async () => {
    expect((await api.call(undefined, 'GET', '/api/healthz')).status).toBe(200);
    await api.stack.azurite.stop();

    const health = await api.call(undefined, 'GET', '/api/healthz');
    expect(health.status).toBe(503);
    expect(health.body.error.code).toBe('STORAGE_UNAVAILABLE');

    const usage = await api.call(employee, 'POST', '/api/usage', { body: { service: 'simulation', credits: 5, date: '2026-11-01' } });
    expect(usage.status).toBe(503);
    expect(usage.body.error.code).toBe('STORAGE_UNAVAILABLE');
    expect(usage.headers.get('retry-after')).toBeTruthy();

    const read = await api.call(IT, 'GET', '/api/members');
    expect(read.status).toBe(503);
  });
});
