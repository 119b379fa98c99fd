import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import { composeServer } from '../../server/compose.js';
import { freePort } from '../../server/local/azurite.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import { createDevIdentity } from '../../server/local/dev-identity.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import { STUCK_USER } from '../../server/local/graph-standin-data.js';
import { startLocalHost } from '../../server/local/host.js';
import type { LocalStack } from '../../server/local/stack.js';
import { newMember } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { IT, MANAGER, TestApi, freshTableName, sharedAzurite } from '../support/api.js';
import { closeServer } from '../../server/local/listen.js';

/**
 * GET /api/registrations/stuck over HTTP, composed as in production (message trace through Graph, answers
 * kept per person) against the Graph stand-in: message trace allows about 100 questions per 5 minutes per
 * tenant, so neither the number of stuck people nor the number of page loads adds questions.
 */

const STUCK_PEOPLE = 30;
const DAY = 86_400_000;
let graph: GraphStandIn;
let server: http.Server;
let api: TestApi;

beforeAll(async () => {
  graph = await startGraphStandIn();
  const tableName = freshTableName();
  const dev = await createDevIdentity();
  const composed = await composeServer(
    { storageConnectionString: sharedAzurite().connectionString, tableName, devMode: true, auth: undefined, tabUrl: 'http://localhost:5173/' },
    { dev: { identity: dev, issuer: dev.issuer, tenant: DEMO_TENANT }, graph: { baseUrl: graph.url, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), retryDelaySeconds: 0, tokenPerTenant: false } },
  );
  const since = new Date(Date.now() - 8 * DAY).toISOString();
  const emails = [STUCK_USER.email, ...Array.from({ length: STUCK_PEOPLE - 1 }, (_, i) => `stuck${i}@contoso.example`)];
  for (const [i, email] of emails.entries()) {
    const member = newMember({ id: `stuck-${i}`, email, displayName: `Stuck ${i}`, now: since });
    await composed.store.ensureMember(DEMO_TENANT, { ...member, registration: { state: 'account_created', since, history: [] } });
  }
  const port = await freePort();
  server = await startLocalHost({ pipeline: composed.pipeline, port });
  api = new TestApi({ apiUrl: `http://127.0.0.1:${port}`, dev } as unknown as LocalStack, tableName);
  // Message trace is opt-in: this tenant's IT switched it on.
  const settings = (await api.call(IT, 'GET', '/api/settings')).body;
  expect((await api.call(IT, 'PUT', '/api/settings', { body: { ...settings, features: { ...settings.features, messageTrace: true } } })).status).toBe(200);
  graph.reset();
});

afterAll(async () => {
  if (server) await closeServer(server);
  await graph?.stop();
});

const traceQuestions = () => graph.requests().filter((r) => r.path.toLowerCase().endsWith('/admin/exchange/tracing/messagetraces'));

describe('GET /api/registrations/stuck', () => {
  it('asks message trace (v1.0) a fixed few questions for everyone stuck, and nothing more on reloads', async () => {
    const questionsPerLook = DEFAULT_POLICY.quarantine.autodeskSenders.length * 2;
    for (let load = 0; load < 5; load++) {
      const answer = await api.call(MANAGER, 'GET', '/api/registrations/stuck');
      expect(answer.status).toBe(200);
      expect(answer.body.items).toHaveLength(STUCK_PEOPLE);
      const stuck = answer.body.items.find((i: { member: { email: string } }) => i.member.email === STUCK_USER.email.toLowerCase());
      expect(stuck.trace).toMatchObject({ kind: 'found', messages: [{ status: 'quarantined' }] });
    }
    expect(traceQuestions()).toHaveLength(questionsPerLook);
    expect(new Set(traceQuestions().map((r) => r.path))).toEqual(new Set(['/v1.0/admin/exchange/tracing/messageTraces']));
  });
});
