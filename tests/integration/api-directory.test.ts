import type http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphDirectoryAdapter } from '../../server/adapters/graph/graph-directory.js';
import { localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import { composeServer } from '../../server/compose.js';
import { freePort } from '../../server/local/azurite.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_DOMAIN, DEMO_TENANT, DIRECTORY_ONLY } from '../../server/local/demo-users.js';
import { createDevIdentity } from '../../server/local/dev-identity.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import { startLocalHost } from '../../server/local/host.js';
import type { LocalStack } from '../../server/local/stack.js';
import { EMPLOYEES, IT, MANAGER, TestApi, freshTableName, sharedAzurite } from '../support/api.js';
import { closeServer } from '../../server/local/listen.js';

/**
 * GET /api/directory/search and the directory's part in the ledger routes, over HTTP, with the real
 * Graph adapter pointed at the Graph stand-in (the local stack itself runs the in-memory demo directory).
 */

let graph: GraphStandIn;
let server: http.Server;
let api: TestApi;
let store: Awaited<ReturnType<typeof composeServer>>['store'];

const [avery, blake, casey] = EMPLOYEES as [DemoUser, DemoUser, DemoUser];
const UMA = DIRECTORY_ONLY[0]!;
const VICTOR = DIRECTORY_ONLY[1]!;

beforeAll(async () => {
  graph = await startGraphStandIn();
  const tableName = freshTableName();
  const dev = await createDevIdentity();
  const directory = new GraphDirectoryAdapter({ baseUrl: graph.url, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), timeoutMs: 3000, cooldownMs: 500 });
  const composed = await composeServer(
    { storageConnectionString: sharedAzurite().connectionString, tableName, devMode: true, auth: undefined, tabUrl: 'http://localhost:5173/' },
    { dev: { identity: dev, issuer: dev.issuer, tenant: DEMO_TENANT }, directory },
  );
  store = composed.store;
  const port = await freePort();
  server = await startLocalHost({ pipeline: composed.pipeline, port });
  // TestApi needs only the address and the dev identity of a stack.
  api = new TestApi({ apiUrl: `http://127.0.0.1:${port}`, dev } as unknown as LocalStack, tableName);
});

afterAll(async () => {
  if (server) await closeServer(server);
  await graph?.stop();
});

beforeEach(() => graph.reset());

const search = (query: string, user: DemoUser = MANAGER) => api.call(user, 'GET', `/api/directory/search?${query}`);

describe('GET /api/directory/search', () => {
  it('finds people by the start of a name, with office, department, job title and membership', async () => {
    await api.call(avery, 'GET', '/api/me');
    expect((await api.call(avery, 'POST', '/api/registrations', { body: {} })).status).toBe(201);

    const answer = await search(`q=${encodeURIComponent('avery')}`);
    expect(answer.status).toBe(200);
    expect(answer.body.items).toEqual([
      { id: '00000000-0000-4000-8000-000000000044', displayName: 'Avery Brooks', email: `avery.brooks@${DEMO_DOMAIN}`, office: 'Seattle', department: 'Landscape', jobTitle: 'Landscape Architect', member: null },
      { id: avery.id, displayName: 'Avery Chen', email: avery.email, office: 'Boston', department: 'Architecture', jobTitle: 'Project Architect', member: { registrationState: 'requested' } },
    ]);
    // The picker's text reached Graph as an escaped OData literal.
    const apostrophe = await search(`q=${encodeURIComponent("O'Br")}&limit=1`, IT);
    expect(apostrophe.status).toBe(200);
    expect(apostrophe.body.items).toHaveLength(1);
    expect(apostrophe.body.items[0].displayName).toMatch(/O'Brien$/);
    const sent = graph.requests().filter((r) => r.path === '/v1.0/users').at(-1)!;
    expect(sent.query.$filter).toContain("startswith(surname,'O''Br')");
    expect(sent.query.$top).toBe('1');
  });

  it('checks the query: 1–100 characters, limit 1–25; employees may not search', async () => {
    expect((await search('q=')).status).toBe(400);
    expect((await search('q=%20%20')).status).toBe(400);
    expect((await search(`q=${'a'.repeat(101)}`)).status).toBe(400);
    expect((await search('q=a&limit=26')).status).toBe(400);
    expect((await search('q=a&limit=0')).status).toBe(400);
    expect((await search('q=a&top=5')).status).toBe(400);
    expect((await search('q=a&limit=25')).status).toBe(200);
    const employee = await search('q=a', blake);
    expect(employee.status).toBe(403);
    expect(employee.body.error.code).toBe('FORBIDDEN');
  });

  it('answers 503 DIRECTORY_UNAVAILABLE with Retry-After when Graph is down, and the ledger keeps working', async () => {
    graph.failFor({ status: 503, retryAfterSeconds: 0 });
    const down = await search('q=avery');
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('DIRECTORY_UNAVAILABLE');
    expect(down.body.error.message).toMatch(/directory is not answering/);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    // First sight of someone new: made from the token's name and address.
    const me = await api.call(casey, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.member).toMatchObject({ id: casey.id, email: casey.email, office: null });
    expect((await api.call(casey, 'POST', '/api/registrations', { body: {} })).status).toBe(201);
    expect((await api.call(casey, 'GET', '/api/pool')).status).toBe(200);
    // Raising a request for someone Credit Desk has never seen needs the directory: it says so, nothing is written.
    const raise = await api.call(MANAGER, 'POST', '/api/registrations', { body: { email: VICTOR.email } });
    expect(raise.status).toBe(503);
    expect(raise.body.error.code).toBe('DIRECTORY_UNAVAILABLE');
    expect(await store.findMemberIdByEmail(DEMO_TENANT, VICTOR.email)).toBeUndefined();

    // Graph is back: once the adapter's short cool-down is over, the picker answers again.
    graph.reset();
    let back = await search('q=avery');
    for (let i = 0; i < 20 && back.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      back = await search('q=avery');
    }
    expect(back.status).toBe(200);
  });

  it('fills department and job title on first sight and when a manager raises a request', async () => {
    await api.call(blake, 'GET', '/api/me');
    expect((await store.getMember(DEMO_TENANT, blake.id))?.member).toMatchObject({ office: 'Boston', department: 'Architecture', jobTitle: 'Architectural Designer' });

    const raised = await api.call(MANAGER, 'POST', '/api/registrations', { body: { email: UMA.email } });
    expect(raised.status).toBe(201);
    expect(raised.body.member.member).toMatchObject({ id: UMA.id, displayName: 'Uma Newhire', office: 'Seattle' });
    expect((await store.getMember(DEMO_TENANT, UMA.id))?.member).toMatchObject({ department: 'Architecture', jobTitle: 'Graduate Architect', registration: { state: 'requested' } });
    const found = await search('q=uma');
    expect(found.body.items).toMatchObject([{ id: UMA.id, member: { registrationState: 'requested' } }]);
  });
});

describe('GET /api/members/lookup', () => {
  const lookup = (email: string, user: DemoUser = MANAGER) => api.call(user, 'GET', `/api/members/lookup?email=${encodeURIComponent(email)}`);

  it('gives the member record and the directory entry of a member, by any capitalisation of the address', async () => {
    await api.call(blake, 'GET', '/api/me');
    const answer = await lookup(blake.email.toUpperCase());
    expect(answer.status).toBe(200);
    expect(answer.body.email).toBe(blake.email);
    expect(answer.body.member.member).toMatchObject({ id: blake.id, email: blake.email, displayName: blake.displayName });
    expect(answer.body.member.registration.state).toBe('not_requested');
    expect(answer.body.directory).toEqual({ status: 'found', person: expect.objectContaining({ id: blake.id, email: blake.email, office: blake.office }) });
  });

  it('finds someone only the directory knows, and says when nobody has the address', async () => {
    const known = await lookup(VICTOR.email);
    expect(known.status).toBe(200);
    expect(known.body.member).toBeNull();
    expect(known.body.directory.status).toBe('found');
    expect(known.body.directory.person.displayName).toBe(VICTOR.displayName);

    const nobody = await lookup(`no.such.person@${DEMO_DOMAIN}`);
    expect(nobody.status).toBe(200);
    expect(nobody.body).toEqual({ email: `no.such.person@${DEMO_DOMAIN}`, member: null, directory: { status: 'not_found', person: null } });
  });

  it('still shows the member record when the directory is down', async () => {
    await api.call(casey, 'GET', '/api/me');
    graph.failFor({ status: 503, retryAfterSeconds: 0 });
    const answer = await lookup(casey.email, IT);
    expect(answer.status).toBe(200);
    expect(answer.body.member.member.id).toBe(casey.id);
    expect(answer.body.directory).toEqual({ status: 'unavailable', person: null });
  });

  it('refuses a bad address and employees', async () => {
    expect((await lookup('not-an-address')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await api.call(MANAGER, 'GET', '/api/members/lookup')).status).toBe(400);
    expect((await lookup(avery.email, avery)).status).toBe(403);
  });
});
