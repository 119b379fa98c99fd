/**
 * The per-person limit on reads (issue 15): a bucket of its own beside the one for changes, 600 a minute
 * with bursts of 100 by default. The pipeline takes the time from its clock: this one stands still unless
 * the test moves it, so nothing here depends on how fast the machine is.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableFeedOutbox } from '../../../server/adapters/table-storage/table-feed-outbox.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import { TokenVerifier } from '../../../server/functions/auth.js';
import type { ApiRequest, ApiResponse } from '../../../server/functions/http-types.js';
import { createPipeline } from '../../../server/functions/pipeline.js';
import type { DemoUser } from '../../../server/local/demo-users.js';
import { DEMO_TENANT, DEMO_USERS } from '../../../server/local/demo-users.js';
import { createDevIdentity } from '../../../server/local/dev-identity.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { NO_DIRECTORY } from '../../support/directory.js';
import { memoryImportDeps } from '../../support/memory-imports.js';

let dev: Awaited<ReturnType<typeof createDevIdentity>>;
const employees = DEMO_USERS.filter((u) => u.roles.length === 0);
const [alice, bob, carol, dana] = employees as [DemoUser, DemoUser, DemoUser, DemoUser];

function harness(options: { fixedRateLimit?: { perMinute: number; burst: number } } = {}) {
  let now = Date.parse('2026-03-02T09:00:00Z');
  const clock = { now: () => new Date(now) };
  const table = new MemoryTableAdapter();
  const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  const base = { store, directory: NO_DIRECTORY, clock, defaultPolicy: DEFAULT_POLICY };
  const handle = createPipeline({
    deps: { ...memoryImportDeps(base, table), outbox: new TableFeedOutbox(table), dev },
    verifier: new TokenVerifier({ dev: dev.issuer }, new Set([DEMO_TENANT])),
    devMode: true,
    log: () => {},
    ...options,
  });
  const call = async (user: DemoUser, method: string, url: string, body?: unknown): Promise<ApiResponse> => {
    const request: ApiRequest = {
      method,
      url,
      headers: {
        host: '127.0.0.1:7071',
        authorization: `Bearer ${await dev.sign(user)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
      },
      body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)),
      remoteAddress: '127.0.0.1',
    };
    return handle(request);
  };
  return { call, advance: (ms: number) => (now += ms) };
}

const reads = (h: ReturnType<typeof harness>, user: DemoUser, count: number) => Promise.all(Array.from({ length: count }, (_v, i) => h.call(user, 'GET', i % 2 ? '/api/me' : '/api/pool')));
const statuses = (answers: ApiResponse[]) => answers.map((a) => a.status);

function expectReadLimited(answer: ApiResponse) {
  expect(answer.status).toBe(429);
  const body = JSON.parse(answer.body);
  expect(body.error.code).toBe('RATE_LIMITED');
  expect(body.error.message).toMatch(/reads/);
  expect(body.error.details).toMatchObject({ perMinute: 600, burst: 100, limit: 'reads' });
  expect(answer.headers['retry-after']).toBe(String(body.error.details.retryAfterSeconds));
  return Number(answer.headers['retry-after']);
}

beforeAll(async () => {
  dev = await createDevIdentity();
});

describe('the per-person limit on reads (default 600 a minute, bursts of 100)', () => {
  it('a burst of reads past 100 gets 429 with Retry-After; a second later there are reads again', async () => {
    const h = harness();
    const first = await reads(h, alice, 100);
    expect(new Set(statuses(first))).toEqual(new Set([200]));
    const past = await reads(h, alice, 5);
    for (const answer of past) expect(expectReadLimited(answer)).toBe(1);
    // 600 a minute is one every 100 ms: after the second Retry-After names, ten are back, not eleven.
    h.advance(1_000);
    expect(new Set(statuses(await reads(h, alice, 10)))).toEqual(new Set([200]));
    expectReadLimited(await h.call(alice, 'GET', '/api/me'));
  });

  it('another person is not limited by the first one', async () => {
    const h = harness();
    await reads(h, alice, 100);
    expectReadLimited(await h.call(alice, 'GET', '/api/me'));
    expect(new Set(statuses(await reads(h, bob, 100)))).toEqual(new Set([200]));
  });

  it('reads and changes are counted apart', async () => {
    const h = harness();
    // All reads used: changes still go through.
    await reads(h, carol, 100);
    expectReadLimited(await h.call(carol, 'GET', '/api/me'));
    expect((await h.call(carol, 'POST', '/api/registrations', {})).status).toBe(201);
    // All changes used (30 at once): reads still go through.
    const changes = await Promise.all(Array.from({ length: 31 }, () => h.call(dana, 'POST', '/api/registrations', {})));
    expect(changes.filter((a) => a.status === 429)).toHaveLength(1);
    const refusedChange = JSON.parse(changes.find((a) => a.status === 429)!.body);
    expect(refusedChange.error.details).toMatchObject({ perMinute: 120, burst: 30, limit: 'changes' });
    expect(new Set(statuses(await reads(h, dana, 100)))).toEqual(new Set([200]));
  });

  it('a harness with a fixed limit gets it for reads too', async () => {
    const h = harness({ fixedRateLimit: { perMinute: 100_000, burst: 10_000 } });
    expect(new Set(statuses(await reads(h, alice, 300)))).toEqual(new Set([200]));
  });
});
