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

describe('Graph message trace', () => {
  it('finds the quarantined Autodesk message of the stuck person, asking for the last 10 days, held statuses, that recipient', async () => {
    const result = await adapter().heldMessages(DEMO_TENANT, STUCK_USER.email, monthAgo(), SENDERS);
    expect(result.kind).toBe('found');
    if (result.kind !== 'found') return;
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]).toMatchObject({ senderAddress: 'noreply@autodesk.com', status: 'quarantined', subject: expect.stringContaining('Autodesk') });
    const [request] = traceRequests();
    expect(request?.path).toBe('/beta/admin/exchange/tracing/messageTraces');
    expect(request?.app).toBe(true);
    const filter = request!.query.$filter!;
    expect(filter).toContain(`recipientAddress eq '${STUCK_USER.email}'`);
    expect(filter).toContain("status eq 'quarantined' or status eq 'filteredAsSpam'");
    const from = Date.parse(/receivedDateTime ge (\S+)/.exec(filter)![1]!);
    expect(Math.abs(Date.now() - 10 * DAY - from)).toBeLessThan(60_000);
  });

  it('answers none for someone with only delivered Autodesk mail, only non-Autodesk spam, or a hold older than 10 days', async () => {
    const trace = adapter();
    for (const first of ['Avery', 'Blake', 'Logan']) {
      expect(await trace.heldMessages(DEMO_TENANT, person(first).email, monthAgo(), SENDERS)).toEqual({ kind: 'none' });
    }
  });

  it('keeps only the given senders', async () => {
    expect(await adapter().heldMessages(DEMO_TENANT, STUCK_USER.email, monthAgo(), ['someone@else.example'])).toEqual({ kind: 'none' });
  });

  it('escapes the address in the filter', async () => {
    expect(await adapter().heldMessages(DEMO_TENANT, "o'neil+cad@contoso.example", monthAgo(), SENDERS)).toEqual({ kind: 'none' });
    expect(traceRequests()[0]?.query.$filter).toContain("recipientAddress eq 'o''neil+cad@contoso.example'");
    expect(traceRequests()[0]?.status).toBe(200);
  });

  it('names the missing permission when the app token lacks ExchangeMessageTrace.Read.All (403)', async () => {
    const trace = adapter({ credential: staticTokenCredential(localGraphToken(DEMO_TENANT, undefined, ['User.Read.All'])) });
    const result = await trace.heldMessages(DEMO_TENANT, STUCK_USER.email, monthAgo(), SENDERS);
    expect(result).toMatchObject({ kind: 'missing_permission', permission: 'ExchangeMessageTrace.Read.All' });
    expect(traceRequests()[0]?.status).toBe(403);
  });

  it('answers unavailable, without throwing, when Graph keeps answering 503', async () => {
    graph.failFor({ status: 503 });
    const result = await adapter({ maxRetries: 1 }).heldMessages(DEMO_TENANT, STUCK_USER.email, monthAgo(), SENDERS);
    expect(result.kind).toBe('unavailable');
    expect(result.kind === 'unavailable' && result.message).toContain('503');
    expect(traceRequests()).toHaveLength(2);
  });

  it('answers unavailable when Graph does not answer in time', async () => {
    graph.slowFor({ delayMs: 2_000 });
    const result = await adapter({ timeoutMs: 200 }).heldMessages(DEMO_TENANT, STUCK_USER.email, monthAgo(), SENDERS);
    expect(result).toEqual({ kind: 'unavailable', message: 'Message trace did not answer within 0.2 s.' });
  });
});
