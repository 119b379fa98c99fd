import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '../../src/contract/index.js';
import { ROUTES } from '../../src/contract/index.js';
import { csvCell } from '../../src/ui/csv.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, TEST_RATE_LIMIT, startTestApi } from '../support/api.js';
import { authzAps } from './authz-matrix.js';
import type { FuzzReport } from './fuzz.js';
import { isCodedError, runFuzz, sendRaw, tableSnapshot } from './fuzz.js';
import { FUZZ_USERS, seedForFuzzing } from './suites.js';

/** The CI run: 1,500 inputs with a fixed seed (FUZZ_INPUTS and FUZZ_SEED change them for a longer look). */
const INPUTS = Number(process.env.FUZZ_INPUTS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_801);

let api: TestApi;
let snapshot: () => Promise<string>;
const [first] = EMPLOYEES as [DemoUser];

beforeAll(async () => {
  api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, aps: authzAps() });
  snapshot = tableSnapshot(api.stack.azurite.connectionString, api.tableName);
  await seedForFuzzing(api);
}, 60_000);

afterAll(async () => {
  await api?.stack.stop();
});

function printFailures(report: FuzzReport): string {
  return report.failures
    .slice(0, 15)
    .map((f) => `${f.kind} ${f.route} → ${f.status} ${f.body.slice(0, 200)}\n  ${JSON.stringify(f.request, (k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v)).slice(0, 600)}`)
    .join('\n');
}

describe('input fuzzing (issue 8)', () => {
  it(`${INPUTS} mutated inputs over every route: coded 4xx, never 5xx, storage unchanged`, async () => {
    const report = await runFuzz({ baseUrl: api.url, tokenFor: (who) => api.token(FUZZ_USERS[who]), inputs: INPUTS, seed: SEED, readSnapshot: snapshot });
    const { failures, ...figures } = report;
    console.info(`fuzz: ${JSON.stringify(figures)} (${Math.round(report.fuzz_inputs / (report.fuzz_ms / 1000))} inputs/s)`);
    expect(report.fuzz_inputs).toBe(INPUTS);
    expect(failures, printFailures(report)).toEqual([]);
    expect(report.fuzz_5xx).toBe(0);
    expect(report.fuzz_unchanged_violations).toBe(0);
    // Most batches take part in the storage comparison.
    expect(report.fuzz_batches_skipped).toBeLessThanOrEqual(report.fuzz_batches / 4);
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
  }, Math.max(120_000, INPUTS * 20));

  it('notices when storage changes under a batch of refused requests', async () => {
    let reads = 0;
    const report = await runFuzz({ baseUrl: api.url, tokenFor: (who) => api.token(who === 'employee' ? first : who === 'manager' ? MANAGER : IT), inputs: 50, seed: 1, readSnapshot: async () => `read ${reads++}` });
    expect(report.fuzz_batches).toBe((Object.values(ROUTES) as RouteDef[]).filter((r) => !r.devOnly).length);
    expect(report.fuzz_unchanged_violations).toBe(report.fuzz_batches - report.fuzz_batches_skipped);
    expect(report.failures.filter((f) => f.kind !== 'storage-changed')).toEqual([]);
  });

  it('stores text that looks like a spreadsheet formula as typed, and the CSV export shows it as text', async () => {
    const history = await api.call(first, 'GET', '/api/usage');
    const notes = (history.body.items as { note: string | null }[]).map((t) => t.note).filter((n) => n !== null);
    expect(notes).toContain("=cmd|' /C calc'!A0");
    for (const text of ["=cmd|' /C calc'!A0", '+1+cmd', '-2+3', '@SUM(1)', '\t=1', '\r=1']) {
      const cell = csvCell(text);
      expect(cell.replace(/^"/, ''), text).toMatch(/^'/);
    }
  });
});

/** What the fuzzer found (and what was fixed), kept as plain cases so they stay fixed. */
describe('findings of the fuzzer', () => {
  it('a request target no URL parser takes (//[) gets a coded 4xx, not 500 INTERNAL', async () => {
    for (const target of ['//[', '//x:99999/api/me', '//%zz/api/me']) {
      const answer = await sendRaw(api.url, { method: 'GET', target, headers: {} });
      expect(answer.status, `${target} → ${answer.status} ${answer.body}`).toBeLessThan(500);
      expect(isCodedError(answer.status, answer.body), answer.body).toBe(true);
    }
  });

  it('a request line over 16 KB gets a coded 431, not Node\'s bare 431 without a body', async () => {
    const answer = await sendRaw(api.url, { method: 'GET', target: `/api/feed?cursor=${'q'.repeat(17_000)}`, headers: {} }, await api.token(first));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(isCodedError(answer.status, answer.body), `${answer.status} ${JSON.stringify(answer.body)}`).toBe(true);
  });

  it('a cursor the API never gave out gets 400 VALIDATION_FAILED, not 503 STORAGE_UNAVAILABLE', async () => {
    const forged = (v: unknown) => encodeURIComponent(Buffer.from(JSON.stringify(v)).toString('base64'));
    for (const cursor of ['a', '1e400', forged(null), forged({ nextPartitionKey: 'x', nextRowKey: { $ne: 1 } }), forged({ nextPartitionKey: '\uD800' })]) {
      const answer = await api.call(MANAGER, 'GET', `/api/members?cursor=${cursor}`);
      expect(answer.status, `cursor ${cursor} → ${answer.status} ${JSON.stringify(answer.body)}`).toBe(400);
    }
  });
});
