import { Client, HTTPMessageHandler, PageIterator, RetryHandler, RetryHandlerOptions, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/local/demo-users.js';
import { AUTODESK_SENDER, CLEAN_USER, DIGEST_USER, EXTRA_PEOPLE, FOLDER_IDS, IRONPORT_SENDER, JUNK_USER, STUCK_USER, seedUsers } from '../../server/local/graph-standin-data.js';
import { startGraphStandIn, type GraphStandIn } from '../../server/local/graph-standin.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString().replace('.000Z', 'Z');

/** An unsigned JWT: the stand-in only reads the payload. */
const jwt = (claims: Record<string, unknown>) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
const APP = jwt({ idtyp: 'app', roles: ['User.Read.All', 'ExchangeMessageTrace.Read.All', 'TeamsActivity.Send', 'Mail.Send'] });
const as = (user: { id: string }) => jwt({ oid: user.id, scp: 'Mail.ReadWrite User.Read' });

let standIn: GraphStandIn;

const get = async (path: string, token: string | null = APP, headers: Record<string, string> = {}) => {
  const res = await fetch(path.startsWith('http') ? path : `${standIn.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return { status: res.status, headers: res.headers, body: res.status === 204 || res.status === 202 ? null : await res.json() };
};
const post = async (path: string, body: unknown, token: string | null = APP) => {
  const res = await fetch(`${standIn.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
};
const q = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;
const users = (params: Record<string, string>, headers: Record<string, string> = {}) => get(`/v1.0/users${q(params)}`, APP, headers);
const names = (body: any): string[] => body.value.map((u: any) => u.displayName);

/** A Graph SDK client wired for the stand-in: bearer token, the SDK's own RetryHandler, then fetch (see the last describe for why not Client.init). */
const sdk = (token: string, retry = new RetryHandlerOptions()) => {
  let next: Middleware | undefined;
  const bearer: Middleware = {
    execute: async (context: Context) => {
      context.options = { ...context.options, headers: { ...(context.options?.headers as Record<string, string>), Authorization: `Bearer ${token}` } };
      await next!.execute(context);
    },
    setNext: (middleware) => (next = middleware),
  };
  const retryHandler = new RetryHandler(retry);
  bearer.setNext!(retryHandler);
  retryHandler.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ baseUrl: `${standIn.url}/`, middleware: bearer });
};

beforeAll(async () => {
  standIn = await startGraphStandIn({ port: 0, now: () => NOW });
});
afterAll(async () => {
  await standIn.stop();
});
beforeEach(() => standIn.reset());

describe('Graph stand-in: auth and routing', () => {
  it('listens on loopback without a version in its URL', () => {
    expect(standIn.url).toBe(`http://127.0.0.1:${standIn.port}`);
    expect(standIn.port).toBeGreaterThan(0);
  });

  it('answers 401 InvalidAuthenticationToken without a bearer token or with a malformed one', async () => {
    for (const token of [null, 'not-a-jwt', 'a.%%%.c']) {
      const { status, body } = await get('/v1.0/users', token);
      expect(status).toBe(401);
      expect(body.error.code).toBe('InvalidAuthenticationToken');
      expect(typeof body.error.message).toBe('string');
    }
    expect((await get('/beta/users', null)).status).toBe(401);
    expect(standIn.requests().map((r) => r.status)).toEqual([401, 401, 401, 401]);
  });

  it("answers Graph's 400 for an unknown path or version, and 405 for a wrong method on a known one", async () => {
    const missing = await get('/v1.0/groups');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'BadRequest', message: "Resource not found for the segment 'groups'." });
    expect((await get('/beta/admin/exchange/tracing/nope')).body.error.message).toBe("Resource not found for the segment 'nope'.");
    const version = await get('/v2.0/users');
    expect(version.status).toBe(400);
    expect(version.body.error).toMatchObject({ code: 'BadRequest', message: 'Invalid version.' });
    const wrong = await post('/v1.0/users', {});
    expect(wrong.status).toBe(405);
    expect(wrong.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  });

  it('gives /me to a delegated token and refuses it for the app (400) and unknown users (404)', async () => {
    const me = await get('/v1.0/me', as(JUNK_USER));
    expect(me.body).toMatchObject({ id: JUNK_USER.id, mail: JUNK_USER.email, displayName: JUNK_USER.displayName });
    const byMail = await get('/v1.0/me', jwt({ preferred_username: DIGEST_USER.email.toUpperCase() }));
    expect(byMail.body.id).toBe(DIGEST_USER.id);
    const app = await get('/v1.0/me/messages', APP);
    expect(app.status).toBe(400);
    expect(app.body.error.message).toMatch(/delegated/);
    expect((await get('/v1.0/me/messages', jwt({ roles: ['Mail.Read'], oid: JUNK_USER.id }))).status).toBe(400);
    expect((await get('/v1.0/me/messages', jwt({ oid: 'ffffffff-0000-4000-8000-000000000000', scp: 'Mail.ReadWrite' }))).status).toBe(404);
    expect(standIn.requests().map((r) => [r.user, r.app])).toEqual([
      [JUNK_USER.id, undefined],
      [DIGEST_USER.id, undefined],
      [undefined, true],
      [undefined, true],
      ['ffffffff-0000-4000-8000-000000000000', undefined],
    ]);
  });
});

describe('Graph stand-in: directory', () => {
  it('seeds every demo user with the same id, mail and office, plus people who never used the app', () => {
    const seeded = seedUsers();
    for (const demo of DEMO_USERS) {
      expect(seeded.find((u) => u.id === demo.id)).toMatchObject({ mail: demo.email, displayName: demo.displayName, officeLocation: demo.office, department: expect.any(String), jobTitle: expect.any(String) });
    }
    const extra = seeded.filter((u) => !DEMO_USERS.some((d) => d.id === u.id || d.email === u.mail));
    expect(extra.length).toBeGreaterThanOrEqual(10);
    expect(new Set(seeded.map((u) => u.id)).size).toBe(seeded.length);
    expect(EXTRA_PEOPLE.some((p) => p.surname === "O'Brien")).toBe(true);
  });

  it('gets a user by id or by mail, with Graph default fields (department only when selected)', async () => {
    const avery = DEMO_USERS[0]!;
    const byId = await get(`/v1.0/users/${avery.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ '@odata.context': `${standIn.url}/v1.0/$metadata#users/$entity`, id: avery.id, displayName: 'Avery Chen', mail: avery.email, userPrincipalName: avery.email, officeLocation: 'Boston', jobTitle: 'Project Architect' });
    expect(byId.body).not.toHaveProperty('department');
    const byMail = await get(`/v1.0/users/${encodeURIComponent(avery.email.toUpperCase())}`);
    expect(byMail.body.id).toBe(avery.id);
    const selected = await get(`/v1.0/users/${avery.id}${q({ $select: 'displayName,officeLocation,department,jobTitle' })}`);
    expect(Object.keys(selected.body).sort()).toEqual(['@odata.context', 'department', 'displayName', 'id', 'jobTitle', 'officeLocation']);
    expect(selected.body.department).toBe('Architecture');
  });

  it('answers 404 for an unknown user and 400 for an unknown $select property', async () => {
    const missing = await get('/v1.0/users/nobody@contoso.example');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
    const badSelect = await get(`/v1.0/users/${DEMO_USERS[0]!.id}${q({ $select: 'displayName,shoeSize' })}`);
    expect(badSelect.status).toBe(400);
    expect(badSelect.body.error.message).toMatch(/shoeSize/);
  });

  it('filters by mail eq (any case) and startswith on displayName, mail, givenName and surname, joined by or', async () => {
    expect(names((await users({ $filter: "mail eq 'AVERY.CHEN@contoso.example'" })).body)).toEqual(['Avery Chen']);
    expect(names((await users({ $filter: "startswith(displayName,'avery')" })).body)).toEqual(['Avery Brooks', 'Avery Chen']);
    expect(names((await users({ $filter: "startswith(mail,'kai.')" })).body)).toEqual(['Kai Johansson']);
    expect(names((await users({ $filter: "startswith(givenName,'Uma') or startswith(surname,'Duarte')" })).body)).toEqual(['Ines Duarte', 'Morgan Duarte', 'Uma Newhire']);
    expect(names((await users({ $filter: "startswith(surname,'O''Brien')" })).body)).toEqual(["Aoife O'Brien", "Declan O'Brien"]);
    expect(names((await users({ $filter: "startswith(displayName,'Aoife O''B') or mail eq 'victor.lee@contoso.example'" })).body)).toEqual(["Aoife O'Brien", 'Victor Lee']);
    expect(names((await users({ $filter: "mail eq 'nobody@contoso.example'" })).body)).toEqual([]);
  });

  it('answers 400 BadRequest for malformed filters', async () => {
    for (const filter of ["startswith(surname,'O'Brien')", "mail eq 'x", "mail eq 'x' or", "(mail eq 'x'", "shoeSize eq '42'", 'mail eq x', "contains(mail,'x')", "mail eq 'x' mail", '']) {
      const { status, body } = await users({ $filter: filter });
      expect({ filter, status, code: body.error?.code }).toEqual({ filter, status: 400, code: 'BadRequest' });
    }
  });

  it('searches with $search only with ConsistencyLevel: eventual, as Graph does', async () => {
    const without = await users({ $search: '"displayName:avery"' });
    expect(without.status).toBe(400);
    expect(without.body.error.message).toMatch(/ConsistencyLevel/);
    const eventual = { ConsistencyLevel: 'eventual' };
    expect(names((await users({ $search: '"displayName:avery" OR "mail:uma"' }, eventual)).body)).toEqual(['Avery Brooks', 'Avery Chen', 'Uma Newhire']);
    expect(names((await users({ $search: '"displayName:brien"' }, eventual)).body)).toEqual(["Aoife O'Brien", "Declan O'Brien"]);
    const counted = await users({ $search: '"mail:avery"', $count: 'true' }, eventual);
    expect(counted.body['@odata.count']).toBe(2);
    expect((await users({ $search: 'avery' }, eventual)).status).toBe(400);
  });

  it('pages with absolute @odata.nextLink URLs carrying a $skiptoken, 100 by default', async () => {
    const total = seedUsers().length;
    const seen: string[] = [];
    let link: string | undefined = `/v1.0/users${q({ $top: '10', $select: 'displayName' })}`;
    let pages = 0;
    while (link) {
      const { status, body } = await get(link);
      expect(status).toBe(200);
      expect(body.value.length).toBeLessThanOrEqual(10);
      seen.push(...names(body));
      link = body['@odata.nextLink'];
      if (link) {
        expect(link.startsWith(`${standIn.url}/v1.0/users?`)).toBe(true);
        expect(new URL(link).searchParams.get('$skiptoken')).toBeTruthy();
        expect(new URL(link).searchParams.get('$select')).toBe('displayName');
      }
      pages++;
    }
    expect(pages).toBe(Math.ceil(total / 10));
    expect(new Set(seen).size).toBe(total);
    const all = await users({});
    expect(all.body.value).toHaveLength(total);
    expect(all.body['@odata.nextLink']).toBeUndefined();
    expect((await users({ $top: '1000' })).status).toBe(400);
    expect((await users({ $skiptoken: 'garbage' })).status).toBe(400);
  });

  it('refuses an app token whose roles lack a directory permission (403 naming User.Read.All)', async () => {
    const res = await get('/v1.0/users', jwt({ idtyp: 'app', roles: ['Mail.Send'] }));
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: expect.stringContaining('User.Read.All') });
  });
});

describe('Graph stand-in: mailboxes', () => {
  const junkQuery = (since: string) => `/v1.0/me/mailFolders/junkemail/messages${q({ $filter: `receivedDateTime ge ${since} and from/emailAddress/address eq '${AUTODESK_SENDER}'`, $select: 'subject,from,receivedDateTime,parentFolderId', $top: '25' })}`;

  it('JUNK_USER: the Autodesk welcome email is in Junk (2 days old); older and unrelated junk is filtered out', async () => {
    const { status, body } = await get(junkQuery(daysAgo(30)), as(JUNK_USER));
    expect(status).toBe(200);
    expect(body.value).toHaveLength(1);
    expect(body.value[0]).toMatchObject({
      subject: 'Welcome to Autodesk – activate your account',
      from: { emailAddress: { address: AUTODESK_SENDER } },
      receivedDateTime: new Date(NOW.getTime() - 2 * 86_400_000).toISOString(),
      parentFolderId: FOLDER_IDS.junkemail,
    });
    expect(body.value[0]).not.toHaveProperty('body');
    const allJunk = await get('/v1.0/me/mailFolders/JunkEmail/messages', as(JUNK_USER));
    expect(allJunk.body.value.length).toBeGreaterThanOrEqual(3);
    const received = allJunk.body.value.map((m: any) => m.receivedDateTime);
    expect(received).toEqual([...received].sort().reverse());
    expect(allJunk.body.value.every((m: any) => m.parentFolderId === FOLDER_IDS.junkemail)).toBe(true);
  });

  it('DIGEST_USER: an IronPort digest in the Inbox lists three held messages with release links, one from Autodesk', async () => {
    const filter = `receivedDateTime ge ${daysAgo(30)} and from/emailAddress/address eq '${IRONPORT_SENDER}'`;
    const { body } = await get(`/v1.0/me/messages${q({ $filter: filter })}`, as(DIGEST_USER));
    expect(body.value.map((m: any) => m.subject)).toEqual(['Spam Quarantine Notification', 'Spam Quarantine Notification']);
    const digest = body.value[0];
    expect(digest).toMatchObject({ parentFolderId: FOLDER_IDS.inbox, body: { contentType: 'html' }, from: { emailAddress: { name: expect.any(String), address: IRONPORT_SENDER } } });
    expect(digest.receivedDateTime).toBe(new Date(NOW.getTime() - 86_400_000).toISOString());
    expect(digest.webLink).toMatch(/^https:\/\/outlook\.office365\.com\//);
    expect(digest.bodyPreview).toMatch(/held in the Spam Quarantine/);
    const html: string = digest.body.content;
    expect(html.match(/<tr><td>/g)).toHaveLength(3);
    const links = [...html.matchAll(/href="(https:\/\/ironport\.contoso\.example\/quarantine\/release\?mid=\d+)">Release</g)].map((m) => m[1]);
    expect(links).toHaveLength(3);
    const autodeskRow = html.split('\n').find((line) => line.includes(AUTODESK_SENDER))!;
    expect(autodeskRow).toContain('Verify your Autodesk account');
    expect(autodeskRow).toMatch(/release\?mid=\d+/);
    const searched = await get(`/v1.0/me/messages${q({ $search: '"Spam Quarantine Notification"' })}`, as(DIGEST_USER));
    expect(searched.body.value).toHaveLength(2);
  });

  it('CLEAN_USER: nothing from Autodesk anywhere, by filter or by search', async () => {
    expect((await get(junkQuery(daysAgo(30)), as(CLEAN_USER))).body.value).toEqual([]);
    expect((await get(`/v1.0/me/messages${q({ $search: '"autodesk"' })}`, as(CLEAN_USER))).body.value).toEqual([]);
    const all = await get(`/v1.0/me/messages${q({ $top: '100' })}`, as(CLEAN_USER));
    expect(all.body.value.length).toBeGreaterThan(0);
    expect(JSON.stringify(all.body).toLowerCase()).not.toContain('autodesk');
    // The same search finds it for the others, so the empty answer above means something.
    expect((await get(`/v1.0/me/messages${q({ $search: '"autodesk"' })}`, as(JUNK_USER))).body.value.length).toBeGreaterThan(0);
  });

  it('pages messages 10 at a time by default, and refuses $filter together with $search', async () => {
    const first = await get('/v1.0/me/mailFolders/inbox/messages?$top=1', as(DIGEST_USER));
    expect(first.body.value).toHaveLength(1);
    const second = await get(first.body['@odata.nextLink'], as(DIGEST_USER));
    expect(second.body.value).toHaveLength(1);
    expect(second.body.value[0].id).not.toBe(first.body.value[0].id);
    const both = await get(`/v1.0/me/messages${q({ $search: '"x"', $filter: `receivedDateTime ge ${daysAgo(1)}` })}`, as(DIGEST_USER));
    expect(both.status).toBe(400);
  });

  it('moves a message to the Inbox: 201 with a new id and folder; the old id is gone', async () => {
    const junk = await get(junkQuery(daysAgo(30)), as(JUNK_USER));
    const oldId: string = junk.body.value[0].id;
    const moved = await post(`/v1.0/me/messages/${oldId}/move`, { destinationId: 'inbox' }, as(JUNK_USER));
    expect(moved.status).toBe(201);
    expect(moved.body).toMatchObject({ subject: 'Welcome to Autodesk – activate your account', parentFolderId: FOLDER_IDS.inbox });
    expect(moved.body.id).not.toBe(oldId);
    expect((await get(`/v1.0/me/messages/${oldId}`, as(JUNK_USER))).status).toBe(404);
    expect((await get(`/v1.0/me/messages/${moved.body.id}`, as(JUNK_USER))).body.parentFolderId).toBe(FOLDER_IDS.inbox);
    expect((await get(junkQuery(daysAgo(30)), as(JUNK_USER))).body.value).toEqual([]);
    expect(standIn.movedMessages()).toEqual([{ userId: JUNK_USER.id, fromId: oldId, toId: moved.body.id, destinationFolderId: FOLDER_IDS.inbox, at: expect.any(String) }]);
    // Back by folder id; reset restores the seeded mailbox.
    expect((await post(`/v1.0/me/messages/${moved.body.id}/move`, { destinationId: FOLDER_IDS.junkemail }, as(JUNK_USER))).body.parentFolderId).toBe(FOLDER_IDS.junkemail);
    standIn.reset();
    expect((await get(junkQuery(daysAgo(30)), as(JUNK_USER))).body.value[0].id).toBe(oldId);
  });

  it('reads the clock once: dates are relative to the injected now, and reset() restores the same ids and dates', async () => {
    let tick = Date.parse('2026-06-01T00:00:00Z');
    const ticking = await startGraphStandIn({ now: () => new Date((tick += 60_000)) });
    try {
      const read = async () => (await (await fetch(`${ticking.url}/v1.0/me/mailFolders/junkemail/messages`, { headers: { authorization: `Bearer ${as(JUNK_USER)}` } })).json()).value;
      const before = await read();
      expect(before.find((m: any) => m.from.emailAddress.address === AUTODESK_SENDER && m.subject.startsWith('Welcome')).receivedDateTime).toBe('2026-05-30T00:01:00.000Z');
      ticking.reset();
      expect(await read()).toEqual(before);
    } finally {
      await ticking.stop();
    }
  });

  it('answers 404 ErrorItemNotFound when moving an unknown or someone else\'s message', async () => {
    const junk = await get(junkQuery(daysAgo(30)), as(JUNK_USER));
    for (const id of ['AAMkADnope', junk.body.value[0].id]) {
      const res = await post(`/v1.0/me/messages/${id}/move`, { destinationId: 'inbox' }, as(CLEAN_USER));
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('ErrorItemNotFound');
    }
    expect((await post(`/v1.0/me/messages/${junk.body.value[0].id}/move`, {}, as(JUNK_USER))).status).toBe(400);
    expect(standIn.movedMessages()).toEqual([]);
  });
});

describe('Graph stand-in: message trace and notifications', () => {
  const traces = (filter: string, token = APP, version = 'beta') => get(`/${version}/admin/exchange/tracing/messageTraces${q({ $filter: filter })}`, token);

  it('finds the stuck person\'s quarantined Autodesk email in the last 10 days (app token, v1.0 and beta)', async () => {
    const filter = `receivedDateTime ge ${daysAgo(10)} and receivedDateTime le ${daysAgo(0)} and (status eq 'quarantined' or status eq 'filteredAsSpam') and senderAddress eq '${AUTODESK_SENDER}'`;
    for (const version of ['beta', 'v1.0']) {
      const { status, body } = await traces(filter, APP, version);
      expect(status).toBe(200);
      const byRecipient = Object.fromEntries(body.value.map((t: any) => [t.recipientAddress, t.status]));
      expect(byRecipient).toEqual({ [STUCK_USER.email]: 'quarantined', [JUNK_USER.email]: 'filteredAsSpam' });
      expect(Object.keys(body.value[0]).sort()).toEqual(['fromIP', 'id', 'receivedDateTime', 'recipientAddress', 'senderAddress', 'size', 'status', 'subject']);
    }
    const one = await traces(`recipientAddress eq '${STUCK_USER.email.toUpperCase()}' and status eq 'quarantined'`);
    expect(one.body.value).toHaveLength(1);
    expect(one.body.value[0].senderAddress).toBe(AUTODESK_SENDER);
    expect(Date.parse(one.body.value[0].receivedDateTime)).toBeGreaterThan(Date.parse(daysAgo(10)));
    const all = await traces(`receivedDateTime ge ${daysAgo(30)}`);
    expect(all.body.value.some((t: any) => t.status === 'delivered')).toBe(true);
    expect(all.body.value.length).toBeGreaterThan(byStatus(all.body.value, 'quarantined'));
  });

  it('answers 401 naming the missing service principal of Microsoft\'s message trace app, where the tenant has not provisioned it', async () => {
    const unprovisioned = await startGraphStandIn({ now: () => NOW, messageTraceServicePrincipal: false });
    try {
      const res = await fetch(`${unprovisioned.url}/v1.0/admin/exchange/tracing/messageTraces`, { headers: { authorization: `Bearer ${APP}` } });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toMatchObject({ code: 'Unauthorized', message: expect.stringContaining('service principal for App ID 8bd644d1-64a1-4d4b-ae52-2e0cbf64e373 was not found') });
      expect((await fetch(`${unprovisioned.url}/v1.0/users`, { headers: { authorization: `Bearer ${APP}` } })).status).toBe(200);
    } finally {
      await unprovisioned.stop();
    }
  });

  it('refuses a delegated token, or an app without the permission, with 403 naming ExchangeMessageTrace.Read.All', async () => {
    for (const token of [as(DEMO_USERS.find((u) => u.roles.includes('ITAdmin'))!), jwt({ idtyp: 'app', roles: ['User.Read.All'] })]) {
      const { status, body } = await traces("status eq 'quarantined'", token);
      expect(status).toBe(403);
      expect(body.error).toMatchObject({ code: 'Authorization_RequestDenied', message: expect.stringContaining('ExchangeMessageTrace.Read.All') });
    }
    expect((await traces("status eq 'quarantined' and (recipientAddress eq 'x'")).status).toBe(400);
  });

  it('records activity notifications (204) and mail (202), validating the bodies', async () => {
    const target = JUNK_USER.id;
    const activity = { topic: { source: 'text', value: 'Credit Desk', webUrl: 'https://teams.microsoft.com/l/entity/x' }, activityType: 'accountCreated', previewText: { content: 'Your Autodesk account exists' }, templateParameters: [{ name: 'name', value: 'Quinn' }] };
    expect((await post(`/v1.0/users/${target}/teamwork/sendActivityNotification`, activity)).status).toBe(204);
    expect((await post(`/v1.0/users/${target}/teamwork/sendActivityNotification`, { ...activity, previewText: 'nope' })).status).toBe(400);
    expect((await post(`/v1.0/users/${target}/teamwork/sendActivityNotification`, activity, as(JUNK_USER))).status).toBe(403);
    expect((await post('/v1.0/users/nobody@contoso.example/teamwork/sendActivityNotification', activity)).status).toBe(404);
    const mail = { message: { subject: 'Your Autodesk account', body: { contentType: 'text', content: 'Look in Junk.' }, toRecipients: [{ emailAddress: { address: JUNK_USER.email } }] } };
    expect((await post(`/v1.0/users/${DEMO_USERS.at(-1)!.id}/sendMail`, mail)).status).toBe(202);
    expect((await post(`/v1.0/users/${DEMO_USERS.at(-1)!.id}/sendMail`, { message: { ...mail.message, toRecipients: [] } })).status).toBe(400);
    const sent = await (await fetch(`${standIn.url}/_control/sent`)).json();
    expect(sent.map((s: any) => [s.kind, s.userId])).toEqual([
      ['activityNotification', target],
      ['mail', DEMO_USERS.at(-1)!.id],
    ]);
    expect(sent[0].body).toEqual(activity);
    expect(standIn.sent()).toEqual(sent);
  });
});

const byStatus = (rows: any[], status: string) => rows.filter((r) => r.status === status).length;

describe('Graph stand-in: failures and slowness', () => {
  it('fails the next requests with 429, Retry-After and Graph\'s error body, then recovers', async () => {
    standIn.failFor({ status: 429, count: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const { status, headers, body } = await get('/v1.0/users?$top=1');
      expect(status).toBe(429);
      expect(headers.get('retry-after')).toBe('3');
      expect(body.error).toMatchObject({ code: 'TooManyRequests', message: expect.any(String) });
    }
    expect((await fetch(`${standIn.url}/_control/requests`)).status).toBe(200);
    expect((await get('/v1.0/users?$top=1')).status).toBe(200);
  });

  it('fails with 503 and 500 for a time window, through the HTTP control route too; control routes never fail', async () => {
    const control = await fetch(`${standIn.url}/_control/fail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 503, ms: 300 }) });
    expect(control.status).toBe(200);
    const failed = await get('/v1.0/users?$top=1');
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBeNull();
    expect((await fetch(`${standIn.url}/_control/requests`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await get('/v1.0/users?$top=1')).status).toBe(200);
    standIn.failFor({ status: 500 });
    expect((await get('/v1.0/users?$top=1')).status).toBe(500);
    expect((await get('/v1.0/users?$top=1')).status).toBe(500);
    expect((await fetch(`${standIn.url}/_control/reset`, { method: 'POST' })).status).toBe(200);
    expect((await get('/v1.0/users?$top=1')).status).toBe(200);
    expect(() => standIn.failFor({ status: 404 as never })).toThrow(RangeError);
    const bad = await fetch(`${standIn.url}/_control/fail`, { method: 'POST', body: JSON.stringify({ status: 418 }) });
    expect(bad.status).toBe(400);
  });

  it('answers slowly when told to, so clients can time out', async () => {
    standIn.slowFor({ delayMs: 400, count: 2 });
    const started = Date.now();
    expect((await get('/v1.0/users?$top=1')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    await expect(fetch(`${standIn.url}/v1.0/users?$top=1`, { headers: { authorization: `Bearer ${APP}` }, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    // The abandoned request wakes up later and must not use up a failure meant for the next caller.
    standIn.failFor({ status: 429, count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await get('/v1.0/users?$top=1')).status).toBe(429);
    expect(standIn.requests().map((r) => r.status)).toEqual([200, 499, 429]);
    const after = Date.now();
    expect((await get('/v1.0/users?$top=1')).status).toBe(200);
    // The two slow answers are used up: a third would have waited 400 ms.
    expect(Date.now() - after).toBeLessThan(400);
    const control = await fetch(`${standIn.url}/_control/slow`, { method: 'POST', body: JSON.stringify({ delayMs: 250, count: 1 }) });
    expect(control.status).toBe(200);
    const t = Date.now();
    await get('/v1.0/users?$top=1');
    expect(Date.now() - t).toBeGreaterThanOrEqual(230);
  });

  it('lists the requests it saw over HTTP', async () => {
    await get(`/v1.0/users${q({ $filter: "mail eq 'a'" })}`);
    const seen = await (await fetch(`${standIn.url}/_control/requests`)).json();
    expect(seen).toEqual([{ method: 'GET', path: '/v1.0/users', query: { $filter: "mail eq 'a'" }, app: true, status: 200 }]);
  });
});

describe('Graph stand-in with @microsoft/microsoft-graph-client', () => {
  it('filters, selects and tops through the SDK', async () => {
    const res = await sdk(APP).api('/users').filter("startswith(surname,'O''Brien')").select(['displayName', 'mail']).top(5).get();
    expect(res.value.map((u: any) => u.displayName)).toEqual(["Aoife O'Brien", "Declan O'Brien"]);
    const searched = await sdk(APP).api('/users').header('ConsistencyLevel', 'eventual').search('"displayName:avery"').get();
    expect(searched.value).toHaveLength(2);
    const me = await sdk(as(JUNK_USER)).api('/me/mailFolders/junkemail/messages').filter(`receivedDateTime ge ${daysAgo(30)} and from/emailAddress/address eq '${AUTODESK_SENDER}'`).get();
    expect(me.value[0].subject).toMatch(/Welcome to Autodesk/);
  });

  it('follows @odata.nextLink with PageIterator', async () => {
    const client = sdk(APP);
    const first = await client.api('/users').select('displayName').top(7).get();
    const seen: string[] = [];
    await new PageIterator(client, first, (user: any) => {
      seen.push(user.displayName);
      return true;
    }).iterate();
    expect(seen).toHaveLength(seedUsers().length);
    expect(new Set(seen).size).toBe(seen.length);
    const paths = standIn.requests().map((r) => [r.path, r.status]);
    expect(paths).toHaveLength(Math.ceil(seedUsers().length / 7));
    expect(paths.every(([path, status]) => path === '/v1.0/users' && status === 200)).toBe(true);
  });

  it('the SDK\'s RetryHandler retries 429 with Retry-After and then succeeds; the stand-in saw the retries', async () => {
    standIn.failFor({ status: 429, count: 2, retryAfterSeconds: 1 });
    const started = Date.now();
    const res = await sdk(APP).api(`/users/${JUNK_USER.id}`).get();
    expect(res.id).toBe(JUNK_USER.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(standIn.requests().map((r) => [r.status, r.retryAttempt])).toEqual([
      [429, undefined],
      [429, 1],
      [200, 2],
    ]);
  });

  it('the SDK retries 503 too, and gives up with the Graph error after its retries', async () => {
    standIn.failFor({ status: 503, count: 1, retryAfterSeconds: 0 });
    expect((await sdk(APP).api('/users').top(1).get()).value).toHaveLength(1);
    expect(standIn.requests().map((r) => r.status)).toEqual([503, 200]);
    standIn.reset();
    standIn.failFor({ status: 503, retryAfterSeconds: 0 });
    await expect(sdk(APP, new RetryHandlerOptions(0, 2)).api('/users').get()).rejects.toMatchObject({ statusCode: 503, code: 'serviceNotAvailable' });
    expect(standIn.requests()).toHaveLength(3);
  });

  it('Client.init sends no token to an http:// base URL (the SDK only authenticates https hosts), so the stand-in answers 401', async () => {
    const client = Client.init({ authProvider: (done) => done(null, APP), baseUrl: `${standIn.url}/` });
    await expect(client.api('/users').top(1).get()).rejects.toMatchObject({ statusCode: 401, code: 'InvalidAuthenticationToken' });
  });
});
