import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import type { GraphMessageTraceOptions } from '../../server/adapters/graph/graph-message-trace.js';
import { GraphMessageTraceAdapter } from '../../server/adapters/graph/graph-message-trace.js';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.js';
import { DEMO_TENANT, DEMO_USERS } from '../../server/local/demo-users.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import { STUCK_USER } from '../../server/local/graph-standin-data.js';

/** The message-trace adapter against the Graph stand-in over real HTTP. */

const SENDERS = DEFAULT_POLICY.quarantine.autodeskSenders;
const DAY = 86_400_000;
const person = (first: string) => DEMO_USERS.find((u) => u.displayName.startsWith(`${first} `))!;

let graph: GraphStandIn;
const adapter = (options: Partial<GraphMessageTraceOptions> = {}) =>
  new GraphMessageTraceAdapter({ baseUrl: graph.url, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), retryDelaySeconds: 0, ...options });
const traceRequests = () => graph.requests().filter((r) => r.path.toLowerCase().endsWith('/admin/exchange/tracing/messagetraces'));
const monthAgo = () => new Date(Date.now() - 30 * DAY);

beforeAll(async () => {
  graph = await startGraphStandIn();
});
afterAll(async () => {
  await graph?.stop();
});
beforeEach(() => graph.reset());

/** One person's answer. */
const traceOf = async (trace: GraphMessageTraceAdapter, email: string, senders: readonly string[] = SENDERS) => (await trace.heldMessages(DEMO_TENANT, [email], monthAgo(), senders)).get(email.toLowerCase());

describe('Graph message trace', () => {
  it('finds the quarantined Autodesk message of the stuck person on v1.0, asking per sender and held status for the last 10 days', async () => {
    const result = await traceOf(adapter(), STUCK_USER.email);
    expect(result?.kind).toBe('found');
    if (result?.kind !== 'found') return;
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]).toMatchObject({ senderAddress: 'noreply@autodesk.com', status: 'quarantined', subject: expect.stringContaining('Autodesk') });
    const requests = traceRequests();
    expect(requests.map((r) => r.path)).toEqual(requests.map(() => '/v1.0/admin/exchange/tracing/messageTraces'));
    expect(requests.every((r) => r.app && r.status === 200)).toBe(true);
    const filters = requests.map((r) => r.query.$filter!);
    expect(filters).toHaveLength(SENDERS.length * 2);
    for (const sender of SENDERS) {
      for (const status of ['quarantined', 'filteredAsSpam']) expect(filters.filter((f) => f.includes(`senderAddress eq '${sender}' and status eq '${status}'`))).toHaveLength(1);
    }
    // Only eq joined by and, as the API documents; no or.
    expect(filters.some((f) => / or /.test(f))).toBe(false);
    const from = Date.parse(/receivedDateTime ge (\S+)/.exec(filters[0]!)![1]!);
    expect(Math.abs(Date.now() - 10 * DAY - from)).toBeLessThan(60_000);
  });

  it('answers everyone in one go: the same questions for 1 person or 40', async () => {
    const forty = [STUCK_USER.email, ...DEMO_USERS.map((u) => u.email), ...Array.from({ length: 20 }, (_, i) => `person${i}@contoso.example`)].slice(0, 40);
    const answers = await adapter().heldMessages(DEMO_TENANT, forty, monthAgo(), SENDERS);
    expect(answers.size).toBe(new Set(forty.map((e) => e.toLowerCase())).size);
    expect(answers.get(STUCK_USER.email.toLowerCase())?.kind).toBe('found');
    expect(traceRequests()).toHaveLength(SENDERS.length * 2);
  });

  it('answers none for someone with only delivered Autodesk mail, only non-Autodesk spam, or a hold older than 10 days', async () => {
    const trace = adapter();
    for (const first of ['Avery', 'Blake', 'Logan']) expect(await traceOf(trace, person(first).email)).toEqual({ kind: 'none' });
  });

  it('keeps only the given senders', async () => {
    expect(await traceOf(adapter(), STUCK_USER.email, ['someone@else.example'])).toEqual({ kind: 'none' });
  });

  it('escapes the sender in the filter', async () => {
    expect(await traceOf(adapter(), STUCK_USER.email, ["o'neil+cad@contoso.example"])).toEqual({ kind: 'none' });
    expect(traceRequests()[0]?.query.$filter).toContain("senderAddress eq 'o''neil+cad@contoso.example'");
    expect(traceRequests()[0]?.status).toBe(200);
  });

  it('says "not set up" with the fix for IT, no bare status, when the app lacks ExchangeMessageTrace.Read.All (403)', async () => {
    const trace = adapter({ credential: staticTokenCredential(localGraphToken(DEMO_TENANT, undefined, ['User.Read.All'])) });
    const result = await traceOf(trace, STUCK_USER.email);
    expect(result).toMatchObject({ kind: 'not_set_up', permission: 'ExchangeMessageTrace.Read.All' });
    expect(result?.kind === 'not_set_up' && result.fix).toMatch(/grant .*ExchangeMessageTrace\.Read\.All with admin consent/);
    expect(result?.kind === 'not_set_up' && result.fix).not.toMatch(/\b40[13]\b/);
    expect(traceRequests()[0]?.status).toBe(403);
  });

  it('says "not set up" with the service principal to provision when Graph answers 401 (the tenant lacks it)', async () => {
    const unprovisioned = await startGraphStandIn({ messageTraceServicePrincipal: false });
    try {
      const trace = new GraphMessageTraceAdapter({ baseUrl: unprovisioned.url, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), retryDelaySeconds: 0 });
      const result = await traceOf(trace, STUCK_USER.email);
      expect(result?.kind).toBe('not_set_up');
      expect(result?.kind === 'not_set_up' && result.fix).toContain('New-MgServicePrincipal -AppId 8bd644d1-64a1-4d4b-ae52-2e0cbf64e373');
      expect(result?.kind === 'not_set_up' && result.fix).not.toMatch(/\b401\b/);
      expect(unprovisioned.requests().map((r) => r.status)).toEqual([401]);
    } finally {
      await unprovisioned.stop();
    }
  });

  it('answers unavailable, without throwing, when Graph keeps answering 503', async () => {
    graph.failFor({ status: 503 });
    const result = await traceOf(adapter({ maxRetries: 1 }), STUCK_USER.email);
    expect(result?.kind).toBe('unavailable');
    expect(result?.kind === 'unavailable' && result.message).toContain('503');
    expect(traceRequests()).toHaveLength(2);
  });

  it('answers unavailable when Graph does not answer in time', async () => {
    graph.slowFor({ delayMs: 2_000 });
    const result = await traceOf(adapter({ timeoutMs: 200 }), STUCK_USER.email);
    expect(result).toEqual({ kind: 'unavailable', message: 'Message trace did not answer within 0.2 s.' });
  });
});
