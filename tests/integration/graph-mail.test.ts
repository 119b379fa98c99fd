// @vitest-environment jsdom
/**
 * The tab's Graph mail client (src/mail/graph-mail.ts) against the Graph stand-in over real HTTP, in
 * Node with jsdom's DOMParser (the browser's parser is the one it uses by default). Tokens are the dev
 * identity's, as the tab sends them in dev mode: the stand-in picks the mailbox from their `oid`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/core/policy/policy.js';
import type { MailClientOptions } from '../../src/mail/graph-mail.js';
import { MAIL_SCOPES, connectMailbox, createMailClient } from '../../src/mail/graph-mail.js';
import { GraphError } from '../../src/platform/graph-request.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_USERS } from '../../server/local/demo-users.js';
import { createDevIdentity } from '../../server/local/dev-identity.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import { AUTODESK_SENDER, CLEAN_USER, DIGEST_USER, FOLDER_IDS, IRONPORT_RELEASE_URL, JUNK_USER, messageId } from '../../server/local/graph-standin-data.js';

const SETTINGS = { quarantine: DEFAULT_POLICY.quarantine };
const HOUR = 3_600_000;
/** One clock for the stand-in's seeded mail and the client's 30 days, so a re-seed gives the same answers. */
const NOW = new Date();

let standIn: GraphStandIn;
let dev: Awaited<ReturnType<typeof createDevIdentity>>;

beforeAll(async () => {
  standIn = await startGraphStandIn({ port: 0, now: () => NOW });
  dev = await createDevIdentity();
});
afterAll(async () => {
  await standIn?.stop();
});
beforeEach(() => standIn.reset());

const demo = (user: { id: string }): DemoUser => DEMO_USERS.find((u) => u.id === user.id)!;
/** The token the tab sends in dev mode: the dev identity's own, unchanged. */
const tokenOf = async (user: { id: string }) => (await dev.issue(demo(user).email))!;

function clientFor(user: { id: string }, extra: Partial<MailClientOptions> = {}) {
  const scopesAsked: (readonly string[])[] = [];
  const sleeps: number[] = [];
  const client = createMailClient({
    baseUrl: standIn.url,
    token: async (scopes) => {
      scopesAsked.push(scopes);
      return tokenOf(user);
    },
    sleep: async (ms) => void sleeps.push(ms),
    now: () => NOW,
    ...extra,
  });
  return { client, scopesAsked, sleeps };
}

const graphRequests = () => standIn.requests().filter((r) => r.path.startsWith('/v1.0/'));

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

const within = (iso: string, agoMs: number, slackMs = 60_000) => Math.abs(NOW.getTime() - agoMs - Date.parse(iso)) < slackMs;

describe('graph-mail against the stand-in: the Junk mailbox', () => {
  it('finds the Autodesk email of the last 30 days in Junk Email with one escaped, encoded filter, asking for Mail.ReadWrite only', async () => {
    const { client, scopesAsked } = clientFor(JUNK_USER);
    const found = await client.findInJunk(SETTINGS);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ from: AUTODESK_SENDER, fromName: 'Autodesk', subject: 'Welcome to Autodesk – activate your account' });
    expect(within(found[0]!.receivedDateTime, 48 * HOUR)).toBe(true);
    expect(scopesAsked).toEqual([MAIL_SCOPES]);

    const [request] = graphRequests();
    expect(request).toMatchObject({ method: 'GET', path: '/v1.0/me/mailFolders/junkemail/messages', user: JUNK_USER.id, status: 200 });
    expect(request!.query.$filter).toMatch(
      /^receivedDateTime ge \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ and \(from\/emailAddress\/address eq 'noreply@autodesk\.com' or from\/emailAddress\/address eq 'noreply@signin\.autodesk\.com' or from\/emailAddress\/address eq 'no-reply@autodeskcommunications\.com'\)$/,
    );
    expect(request!.query.$select).toBe('id,subject,from,receivedDateTime');
  });

  it('moves it to the Inbox, after which Junk Email has nothing from Autodesk', async () => {
    const { client } = clientFor(JUNK_USER);
    const [found] = await client.findInJunk(SETTINGS);
    const moved = await client.moveToInbox(found!.id);
    expect(moved.id).not.toBe(found!.id);
    expect(standIn.movedMessages()).toMatchObject([{ userId: JUNK_USER.id, fromId: found!.id, toId: moved.id, destinationFolderId: FOLDER_IDS.inbox }]);
    expect(await client.findInJunk(SETTINGS)).toEqual([]);
    expect(await client.findDigests(SETTINGS)).toEqual([]);
  });

  it('answers a move of a message that is gone with GRAPH_NOT_FOUND', async () => {
    const error = await failure(clientFor(JUNK_USER).client.moveToInbox('AAMkADgone'));
    expect(error.code).toBe('GRAPH_NOT_FOUND');
    expect(error.details).toMatchObject({ graphCode: 'ErrorItemNotFound' });
  });

  it('escapes a quote in a configured sender, and the stand-in still understands the filter', async () => {
    const { client } = clientFor(JUNK_USER);
    const found = await client.findInJunk({ quarantine: { ...DEFAULT_POLICY.quarantine, autodeskSenders: ["o'reilly@autodesk.com", AUTODESK_SENDER] } });
    expect(found).toHaveLength(1);
    const [request] = graphRequests();
    expect(request!.status).toBe(200);
    expect(request!.query.$filter).toContain("eq 'o''reilly@autodesk.com' or");
  });
});

describe('graph-mail against the stand-in: the digest mailbox', () => {
  it('finds the IronPort digest that lists the Autodesk email, with which message, when and its release link', async () => {
    const { client } = clientFor(DIGEST_USER);
    const found = await client.findDigests(SETTINGS);
    expect(found).toHaveLength(1);
    const [held] = found;
    expect(held).toMatchObject({ heldFrom: AUTODESK_SENDER, heldSubject: 'Verify your Autodesk account', releaseUrl: `${IRONPORT_RELEASE_URL}?mid=880102` });
    expect(within(held!.receivedDateTime, 24 * HOUR)).toBe(true);
    expect(within(held!.heldAt!, 1.3 * 24 * HOUR)).toBe(true);
    expect(held!.digestId).toBe(messageId(6));

    // One light listing, then only the digests' bodies: the newer one lists Autodesk, the older only a webinar.
    const requests = graphRequests();
    expect(requests[0]).toMatchObject({ path: '/v1.0/me/messages', query: { $select: 'id,subject,from,receivedDateTime' } });
    expect(requests[0]!.query.$filter).toMatch(/^receivedDateTime ge \S+Z$/);
    expect(requests.slice(1).map((r) => r.path).sort()).toEqual([`/v1.0/me/messages/${messageId(6)}`, `/v1.0/me/messages/${messageId(7)}`].sort());
    expect(requests.slice(1).every((r) => r.query.$select === 'body')).toBe(true);
    expect(await client.findInJunk(SETTINGS)).toEqual([]);
  });

  it('follows @odata.nextLink page by page to the same answer', async () => {
    const whole = await clientFor(DIGEST_USER).client.findDigests(SETTINGS);
    standIn.reset();
    const paged = await clientFor(DIGEST_USER, { pageSize: 1 }).client.findDigests(SETTINGS);
    expect(paged).toEqual(whole);
    const listings = graphRequests().filter((r) => r.path === '/v1.0/me/messages');
    expect(listings.length).toBeGreaterThan(3);
    expect(listings.slice(1).every((r) => typeof r.query.$skiptoken === 'string')).toBe(true);
  });

  it('finds nothing when the settings name another digest sender', async () => {
    const { client } = clientFor(DIGEST_USER);
    expect(await client.findDigests({ quarantine: { ...DEFAULT_POLICY.quarantine, digestSender: 'quarantine-digest@' } })).toEqual([]);
  });
});

describe('graph-mail against the stand-in: the clean mailbox', () => {
  it('finds nothing anywhere', async () => {
    const { client } = clientFor(CLEAN_USER);
    expect(await client.findDigests(SETTINGS)).toEqual([]);
    expect(await client.findInJunk(SETTINGS)).toEqual([]);
    expect(graphRequests().every((r) => r.status === 200 && r.user === CLEAN_USER.id)).toBe(true);
  });
});

describe('graph-mail against the stand-in: throttling, outages, slowness', () => {
  it('waits out a 429 with Retry-After and then answers', async () => {
    standIn.failFor({ status: 429, count: 1, retryAfterSeconds: 2 });
    const { client, sleeps } = clientFor(JUNK_USER);
    expect(await client.findInJunk(SETTINGS)).toHaveLength(1);
    expect(sleeps).toEqual([2000]);
    expect(graphRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('gives up after a bounded number of 503s with a coded error', async () => {
    standIn.failFor({ status: 503, count: 10 });
    const { client, sleeps } = clientFor(DIGEST_USER);
    const error = await failure(client.findDigests(SETTINGS));
    expect(error.code).toBe('GRAPH_UNAVAILABLE');
    expect(sleeps).toEqual([500, 1000, 2000]);
    expect(graphRequests()).toHaveLength(4);
  });

  it('does not wait through a Retry-After longer than the page can', async () => {
    standIn.failFor({ status: 429, count: 1, retryAfterSeconds: 120 });
    const error = await failure(clientFor(JUNK_USER).client.findInJunk(SETTINGS));
    expect(error.code).toBe('GRAPH_THROTTLED');
    expect(error.details).toMatchObject({ retryAfterSeconds: 120 });
    expect(graphRequests()).toHaveLength(1);
  });

  it('times out a request the stand-in answers too slowly', async () => {
    standIn.slowFor({ delayMs: 1500, count: 1 });
    const error = await failure(clientFor(CLEAN_USER, { timeoutMs: 200 }).client.findInJunk(SETTINGS));
    expect(error.code).toBe('GRAPH_TIMEOUT');
  });

  it('asks for the permission once before searching, and reports a refused one', async () => {
    const asked: (readonly string[])[] = [];
    const client = await connectMailbox({ baseUrl: standIn.url, token: async (scopes) => (asked.push(scopes), tokenOf(CLEAN_USER)) });
    expect(asked).toEqual([MAIL_SCOPES]);
    expect(await client.findInJunk(SETTINGS)).toEqual([]);
    const refused = await failure(connectMailbox({ baseUrl: standIn.url, token: async () => Promise.reject(new Error('consent_required')) }));
    expect(refused.code).toBe('GRAPH_CONSENT_NEEDED');
  });
});
