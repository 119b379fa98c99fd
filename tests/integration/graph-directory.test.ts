import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GraphDirectoryOptions } from '../../server/adapters/graph/graph-directory.js';
import { GraphDirectoryAdapter, odataString } from '../../server/adapters/graph/graph-directory.js';
import { graphDirectoryFromEnv, localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import { DEMO_DOMAIN, DEMO_TENANT, DEMO_USERS } from '../../server/local/demo-users.js';
import type { GraphStandIn, StandInUser } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import { seedUsers } from '../../server/local/graph-standin-data.js';
import { DirectoryUnavailableError } from '../../server/ports/directory.js';

/**
 * The Graph directory adapter against the Graph stand-in over real HTTP: what it asks Graph (recorded by
 * the stand-in), what it makes of the answers, and how it behaves when Graph throttles, fails or is slow.
 */

const AVERY = DEMO_USERS.find((u) => u.displayName === 'Avery Chen')!;
/** Someone whose address has an apostrophe and a plus: both must reach Graph as they are. */
const DARCY: StandInUser = {
  id: '00000000-0000-4000-8000-000000000077',
  displayName: "Dara D'Arcy",
  givenName: 'Dara',
  surname: "D'Arcy",
  mail: `dara.d'arcy+cad@${DEMO_DOMAIN}`,
  userPrincipalName: `dara.darcy@${DEMO_DOMAIN}`,
  officeLocation: 'Denver',
  department: 'Architecture',
  jobTitle: 'Architect',
};

let graph: GraphStandIn;

const adapter = (options: Partial<GraphDirectoryOptions> = {}) =>
  new GraphDirectoryAdapter({ baseUrl: graph.url, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), cooldownMs: 0, ...options });
const userRequests = () => graph.requests().filter((r) => r.path.startsWith('/v1.0/users'));

/** Runs `work` and says how long it took, in milliseconds. */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function failure(work: Promise<unknown>): Promise<DirectoryUnavailableError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DirectoryUnavailableError);
  return error as DirectoryUnavailableError;
}

beforeAll(async () => {
  graph = await startGraphStandIn({ users: [...seedUsers(), DARCY] });
});

afterAll(async () => {
  await graph?.stop();
});

beforeEach(() => graph.reset());

describe('Graph directory: look-ups', () => {
  it('finds a person by id with office, department and job title, asking only for the fields it uses', async () => {
    const person = await adapter().findById(DEMO_TENANT, AVERY.id);
    expect(person).toEqual({
      id: AVERY.id,
      email: AVERY.email,
      displayName: 'Avery Chen',
      office: 'Boston',
      department: 'Architecture',
      jobTitle: 'Project Architect',
    });
    const [request] = userRequests();
    expect(request).toMatchObject({ method: 'GET', path: `/v1.0/users/${AVERY.id}`, app: true, status: 200 });
    expect(request!.query.$select!.split(',').sort()).toEqual(['department', 'displayName', 'id', 'jobTitle', 'mail', 'officeLocation', 'userPrincipalName']);
  });

  it('answers undefined for an unknown id (a 404 is not an outage) and keeps working', async () => {
    const directory = adapter({ cooldownMs: 60_000 });
    expect(await directory.findById(DEMO_TENANT, '00000000-0000-4000-8000-000000009999')).toBeUndefined();
    expect(await directory.findById(DEMO_TENANT, '..')).toBeUndefined();
    expect(await directory.findById(DEMO_TENANT, AVERY.id)).toMatchObject({ displayName: 'Avery Chen' });
    // The dot segment never went out as a path.
    expect(userRequests().map((r) => r.path)).toEqual(['/v1.0/users/00000000-0000-4000-8000-000000009999', `/v1.0/users/${AVERY.id}`]);
  });

  it('finds a person by email, with an apostrophe and a plus in the address, ignoring case', async () => {
    const person = await adapter().findByEmail(DEMO_TENANT, `  DARA.D'ARCY+CAD@${DEMO_DOMAIN.toUpperCase()} `);
    expect(person).toMatchObject({ id: DARCY.id, email: DARCY.mail, displayName: "Dara D'Arcy", office: 'Denver' });
    const [request] = userRequests();
    // The quote is doubled inside the OData literal, and the plus arrived as a plus (not a space).
    expect(request!.query.$filter).toBe(`mail eq 'dara.d''arcy+cad@${DEMO_DOMAIN}'`);
    expect(request!.query.$top).toBe('1');
    expect(await adapter().findByEmail(DEMO_TENANT, `nobody@${DEMO_DOMAIN}`)).toBeUndefined();
  });

  it('searches by the start of the name, given name, surname or address, with escaping', async () => {
    const found = await adapter().search(DEMO_TENANT, "o'b", 10);
    expect(found.map((p) => p.displayName).sort()).toEqual(["Aoife O'Brien", "Declan O'Brien"]);
    expect(found.find((p) => p.displayName === "Aoife O'Brien")).toMatchObject({ office: 'Boston', department: 'Architecture', jobTitle: 'Interior Designer' });
    const [request] = userRequests();
    expect(request!.query.$filter).toBe("startswith(displayName,'o''b') or startswith(mail,'o''b') or startswith(givenName,'o''b') or startswith(surname,'o''b')");
    expect(request!.query.$top).toBe('10');

    const byFirst = await adapter().search(DEMO_TENANT, 'Avery', 10);
    expect(byFirst.map((p) => p.displayName).sort()).toEqual(['Avery Brooks', 'Avery Chen']);
    const byAddress = await adapter().search(DEMO_TENANT, 'priya.r', 10);
    expect(byAddress.map((p) => p.email)).toEqual([`priya.raman@${DEMO_DOMAIN}`]);
  });

  it('treats filter syntax and URL characters in the query as text', async () => {
    const directory = adapter();
    expect(await directory.search(DEMO_TENANT, "x') or startswith(displayName,'", 10)).toEqual([]);
    expect(await directory.search(DEMO_TENANT, 'a&$top=999#frag', 10)).toEqual([]);
    const [injection, ampersand] = userRequests();
    expect(injection!.status).toBe(200);
    expect(injection!.query.$filter).toContain("startswith(displayName,'x'') or startswith(displayName,''')");
    // One $filter and the adapter's own $top: the '&' and '#' stayed inside the literal.
    expect(ampersand!.query.$top).toBe('10');
    expect(ampersand!.query.$filter).toContain("startswith(displayName,'a&$top=999#frag')");
  });

  it('sends nothing for a blank query, and cuts a long one to 100 characters', async () => {
    const directory = adapter();
    expect(await directory.search(DEMO_TENANT, '   \n\t ', 10)).toEqual([]);
    expect(await directory.search(DEMO_TENANT, 'Avery', 0)).toEqual([]);
    expect(userRequests()).toEqual([]);
    await directory.search(DEMO_TENANT, `${'a'.repeat(150)}`, 10);
    const [request] = userRequests();
    expect(request!.query.$filter).toContain(`startswith(displayName,'${'a'.repeat(100)}')`);
    expect(request!.query.$filter).not.toContain('a'.repeat(101));
  });

  it('returns at most `limit` people, capped at 25', async () => {
    const three = await adapter().search(DEMO_TENANT, 'a', 3);
    expect(three).toHaveLength(3);
    expect(userRequests()[0]!.query.$top).toBe('3');
    await adapter().search(DEMO_TENANT, 'a', 500);
    expect(userRequests()[1]!.query.$top).toBe('25');
  });

  it('follows @odata.nextLink until it has enough people, with the token on every page', async () => {
    const whole = await adapter().search(DEMO_TENANT, 'a', 5);
    graph.reset();
    const paged = await adapter({ pageSize: 2 }).search(DEMO_TENANT, 'a', 5);
    expect(paged.map((p) => p.id)).toEqual(whole.map((p) => p.id));
    expect(paged).toHaveLength(5);
    const requests = userRequests();
    expect(requests).toHaveLength(3);
    expect(requests.every((r) => r.app === true && r.status === 200)).toBe(true);
    expect(requests[0]!.query.$skiptoken).toBeUndefined();
    expect(requests[1]!.query.$skiptoken).toBeDefined();
    expect(requests[2]!.query.$filter).toBe(requests[0]!.query.$filter);
  });
});

describe('Graph directory: throttling, outages and time-outs', () => {
  it('honours Retry-After on 429 and succeeds on a retry', async () => {
    graph.failFor({ status: 429, count: 2, retryAfterSeconds: 1 });
    const { value, ms } = await timed(() => adapter().findById(DEMO_TENANT, AVERY.id));
    expect(value).toMatchObject({ displayName: 'Avery Chen' });
    const requests = userRequests();
    expect(requests.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(requests.map((r) => r.retryAttempt)).toEqual([undefined, 1, 2]);
    // Waited the second Graph asked for, each time.
    expect(ms).toBeGreaterThanOrEqual(1900);
  });

  it('gives up after the bounded retries of a 503 with DirectoryUnavailableError', async () => {
    graph.failFor({ status: 503, retryAfterSeconds: 0 });
    const error = await failure(adapter({ maxRetries: 3 }).search(DEMO_TENANT, 'avery', 5));
    expect(error).toMatchObject({ reason: 'unavailable', status: 503 });
    expect(userRequests()).toHaveLength(4);
    expect(userRequests().every((r) => r.status === 503)).toBe(true);
  });

  it('does not wait out a Retry-After longer than its time budget', async () => {
    graph.failFor({ status: 429, retryAfterSeconds: 30 });
    const { value: error, ms } = await timed(() => failure(adapter({ timeoutMs: 2000 }).findByEmail(DEMO_TENANT, AVERY.email)));
    expect(error).toMatchObject({ reason: 'throttled', status: 429, retryAfterSeconds: 30 });
    expect(userRequests()).toHaveLength(1);
    // Waiting the Retry-After out would take 30 s: well under that, however busy the machine.
    expect(ms).toBeLessThan(15_000);
  });

  it('times out a slow answer', async () => {
    graph.slowFor({ count: 1, delayMs: 3000 });
    const { value: error, ms } = await timed(() => failure(adapter({ timeoutMs: 400 }).findById(DEMO_TENANT, AVERY.id)));
    expect(error.reason).toBe('timeout');
    expect(ms).toBeGreaterThanOrEqual(350);
    // The answer would take 3 s: the adapter gave up before it.
    expect(ms).toBeLessThan(3000);
  });

  it('after a failure, fails at once for the cool-down instead of making every caller wait', async () => {
    const directory = adapter({ cooldownMs: 1000, maxRetries: 0 });
    graph.failFor({ status: 503, count: 1 });
    expect((await failure(directory.findById(DEMO_TENANT, AVERY.id))).reason).toBe('unavailable');
    const again = await failure(directory.findById(DEMO_TENANT, AVERY.id));
    expect(again.reason).toBe('unavailable');
    // At once: no second request reached Graph (a budget in milliseconds would depend on the machine).
    expect(userRequests()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await directory.findById(DEMO_TENANT, AVERY.id)).toMatchObject({ displayName: 'Avery Chen' });
  });

  it('says which permission is missing when Graph refuses the app', async () => {
    const withoutUserRead = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ idtyp: 'app', tid: DEMO_TENANT, roles: ['Mail.Send'] })).toString('base64url')}.`;
    const error = await failure(adapter({ credential: staticTokenCredential(withoutUserRead) }).search(DEMO_TENANT, 'avery', 5));
    expect(error).toMatchObject({ reason: 'forbidden', status: 403 });
    expect(error.message).toContain('User.Read.All');
  });

  it('maps a credential that cannot give a token, and a Graph that cannot be reached', async () => {
    const noToken = adapter({ credential: { getToken: async () => Promise.reject(Object.assign(new Error('no secret'), { name: 'CredentialUnavailableError' })) } });
    expect((await failure(noToken.findById(DEMO_TENANT, AVERY.id))).reason).toBe('unauthenticated');
    expect(userRequests()).toEqual([]);
    const nowhere = new GraphDirectoryAdapter({ baseUrl: 'http://127.0.0.1:9/', credential: staticTokenCredential('x.y.z'), cooldownMs: 0 });
    expect((await failure(nowhere.findById(DEMO_TENANT, AVERY.id))).reason).toBe('unavailable');
  });
});

describe('Graph directory: configuration', () => {
  it('builds from the environment, and keeps static tokens and plain http to this machine', () => {
    expect(graphDirectoryFromEnv({})).toBeUndefined();
    expect(graphDirectoryFromEnv({ CREDIT_DESK_GRAPH_BASE_URL: graph.url, CREDIT_DESK_GRAPH_STATIC_TOKEN: 'local' })).toBeInstanceOf(GraphDirectoryAdapter);
    expect(graphDirectoryFromEnv({ CREDIT_DESK_GRAPH_TENANT_ID: DEMO_TENANT, CREDIT_DESK_GRAPH_CLIENT_ID: 'app', CREDIT_DESK_GRAPH_CLIENT_SECRET: 's' })).toBeInstanceOf(GraphDirectoryAdapter);
    expect(graphDirectoryFromEnv({ CREDIT_DESK_GRAPH_MANAGED_IDENTITY: '1' })).toBeInstanceOf(GraphDirectoryAdapter);
    expect(() => graphDirectoryFromEnv({ CREDIT_DESK_GRAPH_STATIC_TOKEN: 'local' })).toThrow(/only for a Graph stand-in/);
    expect(() => graphDirectoryFromEnv({ CREDIT_DESK_GRAPH_BASE_URL: 'http://graph.example/', CREDIT_DESK_GRAPH_MANAGED_IDENTITY: '1' })).toThrow(/must be https/);
  });

  it('writes OData string literals with doubled quotes', () => {
    expect(odataString("O'Brien")).toBe("'O''Brien'");
    expect(odataString("''")).toBe("''''''");
  });
});
