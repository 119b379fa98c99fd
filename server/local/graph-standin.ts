/**
 * A local stand-in for Microsoft Graph (DESIGN 4.4): answers exactly the Graph requests Credit Desk makes,
 * with Graph's shapes (`@microsoft/microsoft-graph-types`), `@odata.nextLink` paging and Graph's error
 * body `{ error: { code, message } }`. It can be told to fail (429 / 503 / 500, with Retry-After) or to
 * answer slowly. Loopback only; it does not verify tokens (it only reads their claims).
 *
 * Graph routes, each on the versions Microsoft serves it (all of these: /v1.0 and /beta); an unknown
 * version or path answers Graph's 400 (graph-standin-routes.ts):
 *   GET  /users, /users/{id|mail}, /me
 *   GET  /me/messages, /me/messages/{id}, /me/mailFolders/{folder}/messages     (delegated)
 *   POST /me/messages/{id}/move                                                 (delegated)
 *   GET  /admin/exchange/tracing/messageTraces                                  (app only)
 *   POST /users/{id}/teamwork/sendActivityNotification, /users/{id}/sendMail     (app)
 * Control routes (never fail): POST /_control/fail {status, count?, ms?, retryAfterSeconds?},
 *   POST /_control/slow {delayMs, count?, ms?}, POST /_control/reset, GET /_control/requests,
 *   GET /_control/sent, GET /_control/moved.
 *
 * Run alone: `tsx server/local/graph-standin.ts [--port N]` (default 7073, or CREDIT_DESK_GRAPH_PORT).
 */
import { MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID } from '../ports/message-trace.js';
import { portArgument, runIfMain } from './cli.js';
import { closeServer, listenOn } from './listen.js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { MessageTraceRow, StandInMail, StandInUser } from './graph-standin-data.js';
import { CLEAN_USER, DIGEST_USER, FOLDER_IDS, JUNK_USER, STUCK_USER, messageId, seedMailboxes, seedMessageTraces, seedUsers } from './graph-standin-data.js';
import type { Caller, Window } from './graph-standin-http.js';
import { FAILURES, GraphError, JSON_TYPE, checkWindow, decodeSkipToken, headerText, holds, identify, isObject, notFound, param, parseQuery, readJson, safeDecode, sdkPathFix, sleep, takes, windowOf } from './graph-standin-http.js';
import { matches, parseFilter, parseSearch, prefixMatch } from './graph-standin-odata.js';
import type { Route } from './graph-standin-routes.js';
import { GRAPH_VERSIONS, matchRoute } from './graph-standin-routes.js';
import {
  DIRECTORY_READ,
  MESSAGE_FIELDS,
  MESSAGE_SCHEMA,
  TRACE_SCHEMA,
  USER_DEFAULT,
  USER_FIELDS,
  USER_SCHEMA,
  USER_SEARCH,
  activityProblem,
  folderOf,
  mailProblem,
  messageField,
  optional,
  project,
  searchMessage,
  selected,
  toMessage,
  toUser,
} from './graph-standin-shapes.js';

export type { StandInUser } from './graph-standin-data.js';
export { MAX_BODY_BYTES } from './graph-standin-http.js';

export interface GraphStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The directory (default: seedUsers()). */
  users?: StandInUser[];
  /** The clock seeded dates are relative to (read once, at start: reset() restores exactly the seeded state). */
  now?: () => Date;
  /** Called with one line per Graph request. */
  log?: (line: string) => void;
  /**
   * Whether the tenant has the service principal of Microsoft's message trace app (default true). Without it
   * message trace answers 401 with Graph's words, as it does before an admin provisions it.
   */
  messageTraceServicePrincipal?: boolean;
}

export interface FailOptions {
  /** Fail the next `count` Graph requests. */
  count?: number;
  /** Fail Graph requests for this many milliseconds. With neither count nor ms: until reset(). */
  ms?: number;
  status: 429 | 503 | 500;
  /** Send `Retry-After: <seconds>` with each failure. */
  retryAfterSeconds?: number;
}

export interface SlowOptions {
  /** Delay the next `count` Graph requests. */
  count?: number;
  /** Delay Graph requests for this many milliseconds. With neither count nor ms: until reset(). */
  ms?: number;
  delayMs: number;
}

export interface RecordedRequest {
  method: string;
  /** The path without the query, e.g. `/v1.0/users`. */
  path: string;
  /** Decoded query parameters, e.g. `{ $filter: "mail eq 'x'" }`. */
  query: Record<string, string>;
  /** The signed-in user's id (or the token's user claim when unknown) for delegated tokens. */
  user?: string;
  /** True for an application (app-only) token. */
  app?: boolean;
  /** The Retry-Attempt header the Graph SDK's RetryHandler sends on retries. */
  retryAttempt?: number;
  status: number;
}

export interface MovedMessage {
  userId: string;
  fromId: string;
  toId: string;
  destinationFolderId: string;
  at: string;
}

export interface SentItem {
  kind: 'activityNotification' | 'mail';
  userId: string;
  body: unknown;
  at: string;
}

export interface GraphStandIn {
  /** e.g. `http://127.0.0.1:7073` (no `/v1.0`). */
  url: string;
  port: number;
  failFor(options: FailOptions): void;
  slowFor(options: SlowOptions): void;
  /** Stop failing and slowing, forget requests, sent items and moves, and restore the seeded mailboxes (same ids and dates). */
  reset(): void;
  requests(): RecordedRequest[];
  movedMessages(): MovedMessage[];
  sent(): SentItem[];
  stop(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
}
interface Ctx {
  req: IncomingMessage;
  /** The request path (after sdkPathFix), e.g. `/v1.0/users`. */
  path: string;
  version: string;
  query: URLSearchParams;
  params: string[];
  caller: Caller;
}
type Handler = (ctx: Ctx) => Reply | Promise<Reply>;
const BOTH = GRAPH_VERSIONS;

export async function startGraphStandIn(options: GraphStandInOptions = {}): Promise<GraphStandIn> {
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const users = (options.users ?? seedUsers()).map((u) => ({ ...u }));
  let mailboxes = new Map<string, StandInMail[]>();
  let traces: MessageTraceRow[] = [];
  let nextMessage = 0;
  let recorded: RecordedRequest[] = [];
  let moved: MovedMessage[] = [];
  let sentItems: SentItem[] = [];
  let failure: (Window & { status: number; retryAfterSeconds?: number }) | null = null;
  let slow: (Window & { delayMs: number }) | null = null;
  let base = '';

  const seededAt = now();
  const seed = () => {
    mailboxes = seedMailboxes(seededAt);
    traces = seedMessageTraces(seededAt);
    nextMessage = 10_000;
  };
  seed();

  const reset = () => {
    seed();
    recorded = [];
    moved = [];
    sentItems = [];
    failure = null;
    slow = null;
  };

  const failFor = (fail: FailOptions) => {
    if (![429, 503, 500].includes(fail.status)) throw new RangeError('status must be 429, 503 or 500');
    checkWindow(fail, ['count', 'ms', 'retryAfterSeconds']);
    failure = { status: fail.status, ...windowOf(fail), ...(fail.retryAfterSeconds !== undefined ? { retryAfterSeconds: fail.retryAfterSeconds } : {}) };
  };
  const slowFor = (options: SlowOptions) => {
    checkWindow(options, ['count', 'ms', 'delayMs']);
    if (options.delayMs === undefined) throw new RangeError('delayMs is required');
    slow = { delayMs: options.delayMs, ...windowOf(options) };
  };

  const userBy = (key: string) => {
    const lower = key.toLowerCase();
    return users.find((u) => u.id.toLowerCase() === lower || u.mail.toLowerCase() === lower || u.userPrincipalName.toLowerCase() === lower);
  };
  const context = (version: string, fragment: string) => `${base}/${version}/$metadata#${fragment}`;

  /** The signed-in user of a /me route (400 for the app, 404 when unknown). */
  const me = (ctx: Ctx): StandInUser => {
    if (ctx.caller.app) throw new GraphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    if (!ctx.caller.user) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${ctx.caller.hint}' does not exist or one of its queried reference-property objects are not present.`);
    return ctx.caller.user;
  };
  const mailboxOf = (user: StandInUser) => {
    let box = mailboxes.get(user.id);
    if (!box) mailboxes.set(user.id, (box = []));
    return box;
  };

  const page = (ctx: Ctx, items: unknown[], defaultTop: number, maxTop: number, extra: Record<string, unknown> = {}): Record<string, unknown> => {
    const topText = param(ctx.query, 'top');
    const top = topText === undefined ? defaultTop : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > maxTop) throw new GraphError(400, 'Request_BadRequest', `Invalid page size specified: '${topText}'. Must be between 1 and ${maxTop} inclusive.`);
    const offset = decodeSkipToken(param(ctx.query, 'skiptoken'));
    const value = items.slice(offset, offset + top);
    const result: Record<string, unknown> = { ...extra, value };
    if (offset + top < items.length) {
      const next = new URLSearchParams(ctx.query);
      next.delete('skiptoken');
      next.set('$skiptoken', Buffer.from(JSON.stringify({ o: offset + top })).toString('base64url'));
      result['@odata.nextLink'] = `${base}${ctx.path}?${[...next].map(([k, v]) => `${encodeURIComponent(k).replace('%24', '$')}=${encodeURIComponent(v)}`).join('&')}`;
    }
    return result;
  };

  const requireApp = (ctx: Ctx, permissions: string[], what: string) => {
    const { caller } = ctx;
    const granted = caller.app && (caller.roles === undefined || caller.roles.some((r) => permissions.includes(r)));
    if (!granted) {
      throw new GraphError(403, 'Authorization_RequestDenied', `Insufficient privileges to complete the operation. ${what} needs the application permission ${permissions[0]}${caller.app ? ', which is not granted to this app' : ' (app-only): a delegated token cannot call it'}.`);
    }
  };
  const requireDirectoryRead = (ctx: Ctx) => {
    if (ctx.caller.app && ctx.caller.roles !== undefined && !ctx.caller.roles.some((r) => DIRECTORY_READ.includes(r))) {
      throw new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation. Reading users needs the application permission User.Read.All.');
    }
  };
  const targetUser = (ctx: Ctx) => {
    const user = userBy(ctx.params[0]!);
    if (!user) throw new GraphError(404, 'Request_ResourceNotFound', `Resource '${ctx.params[0]}' does not exist or one of its queried reference-property objects are not present.`);
    return user;
  };

  const listUsers: Handler = (ctx) => {
    requireDirectoryRead(ctx);
    const eventual = String(ctx.req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
    const search = param(ctx.query, 'search');
    const count = param(ctx.query, 'count');
    if ((search !== undefined || count === 'true') && !eventual) {
      throw new GraphError(400, 'Request_UnsupportedQuery', `Request with ${search !== undefined ? '$search' : '$count'} query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'`);
    }
    let found = [...users].sort((a, b) => a.displayName.localeCompare(b.displayName));
    const filter = parseQuery(() => optional(param(ctx.query, 'filter'), (f) => parseFilter(f, USER_SCHEMA)));
    if (filter) found = found.filter((u) => matches(filter, (field) => u[field as keyof StandInUser]));
    const groups = parseQuery(() => optional(search, (s) => parseSearch(s, USER_SEARCH, { requireProperty: true })));
    if (groups) found = found.filter((u) => groups.some((terms) => terms.every((t) => prefixMatch(u[t.property as keyof StandInUser], t.value))));
    const fields = selected(ctx.query, USER_FIELDS, USER_DEFAULT, 'user');
    const select = param(ctx.query, 'select');
    return {
      status: 200,
      body: page(ctx, found.map((u) => project(toUser(u), fields)), 100, 999, {
        '@odata.context': context(ctx.version, `users${select ? `(${fields.filter((f) => f !== 'id').join(',')})` : ''}`),
        ...(count === 'true' ? { '@odata.count': found.length } : {}),
      }),
    };
  };

  const getUser: Handler = (ctx) => {
    requireDirectoryRead(ctx);
    return { status: 200, body: { '@odata.context': context(ctx.version, 'users/$entity'), ...project(toUser(targetUser(ctx)), selected(ctx.query, USER_FIELDS, USER_DEFAULT, 'user')) } };
  };

  const getMe: Handler = (ctx) => ({ status: 200, body: { '@odata.context': context(ctx.version, 'users/$entity'), ...project(toUser(me(ctx)), selected(ctx.query, USER_FIELDS, USER_DEFAULT, 'user')) } });

  const listMessages =
    (folderParam: boolean): Handler =>
    (ctx) => {
      const user = me(ctx);
      const folder = folderParam ? folderOf(ctx.params[0]!) : undefined;
      if (folderParam && !folder) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      let found = mailboxOf(user).filter((m) => !folder || m.folder === folder);
      const search = param(ctx.query, 'search');
      const filterText = param(ctx.query, 'filter');
      if (search !== undefined && filterText !== undefined) throw new GraphError(400, 'ErrorInvalidUrlQuery', "The query parameter '$filter' is not supported with '$search'.");
      const filter = parseQuery(() => optional(filterText, (f) => parseFilter(f, MESSAGE_SCHEMA)));
      if (filter) found = found.filter((m) => matches(filter, (field) => messageField(m, field)));
      const groups = parseQuery(() => optional(search, (s) => parseSearch(s, ['from', 'subject', 'body'], { allowBare: true })));
      if (groups) found = found.filter((m) => groups.some((terms) => terms.every((t) => searchMessage(m, t.property, t.value))));
      found = [...found].sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime));
      const fields = selected(ctx.query, MESSAGE_FIELDS, MESSAGE_FIELDS, 'message');
      const where = folderParam ? `users('${user.id}')/mailFolders('${ctx.params[0]}')/messages` : `users('${user.id}')/messages`;
      return {
        status: 200,
        body: page(ctx, found.map((m) => project(toMessage(m, user), ['@odata.etag', ...fields])), 10, 1000, {
          '@odata.context': context(ctx.version, where),
          ...(param(ctx.query, 'count') === 'true' ? { '@odata.count': found.length } : {}),
        }),
      };
    };

  const findMessage = (ctx: Ctx) => {
    const user = me(ctx);
    const message = mailboxOf(user).find((m) => m.id === ctx.params[0]);
    if (!message) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return { user, message };
  };

  const getMessage: Handler = (ctx) => {
    const { user, message } = findMessage(ctx);
    const fields = selected(ctx.query, MESSAGE_FIELDS, MESSAGE_FIELDS, 'message');
    return { status: 200, body: { '@odata.context': context(ctx.version, `users('${user.id}')/messages/$entity`), ...project(toMessage(message, user), ['@odata.etag', ...fields]) } };
  };

  const moveMessage: Handler = async (ctx) => {
    const body = await readJson(ctx.req);
    const { user, message } = findMessage(ctx);
    const destinationId = isObject(body) ? body.destinationId : undefined;
    if (typeof destinationId !== 'string' || !destinationId) throw new GraphError(400, 'ErrorInvalidParameter', "The body must be { \"destinationId\": \"inbox\" | \"junkemail\" | a folder id }.");
    const folder = folderOf(destinationId);
    if (!folder) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    const box = mailboxOf(user);
    const movedMail: StandInMail = { ...message, id: messageId(++nextMessage), folder };
    box.splice(box.indexOf(message), 1, movedMail);
    moved.push({ userId: user.id, fromId: message.id, toId: movedMail.id, destinationFolderId: FOLDER_IDS[folder], at: new Date().toISOString() });
    return { status: 201, body: { '@odata.context': context(ctx.version, `users('${user.id}')/messages/$entity`), ...toMessage(movedMail, user) } };
  };

  const messageTraces: Handler = (ctx) => {
    if (options.messageTraceServicePrincipal === false) {
      throw new GraphError(401, 'Unauthorized', `Service principal-less Authentication failed: the service principal for App ID ${MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID} was not found. Please create a service principal for this app in your tenant. Provisioning may take several hours to complete.`);
    }
    requireApp(ctx, ['ExchangeMessageTrace.Read.All'], 'Exchange message trace');
    let found = traces;
    const filter = parseQuery(() => optional(param(ctx.query, 'filter'), (f) => parseFilter(f, TRACE_SCHEMA)));
    if (filter) found = found.filter((t) => matches(filter, (field) => String(t[field as keyof MessageTraceRow])));
    found = [...found].sort((a, b) => b.receivedDateTime.localeCompare(a.receivedDateTime));
    // Pages of 1000 by default, $top up to 5000 (List messageTraces).
    return { status: 200, body: page(ctx, found, 1000, 5000, { '@odata.context': context(ctx.version, 'admin/exchange/tracing/messageTraces') }) };
  };

  const sendActivity: Handler = async (ctx) => {
    requireApp(ctx, ['TeamsActivity.Send'], 'sendActivityNotification');
    const user = targetUser(ctx);
    const body = await readJson(ctx.req);
    const problem = activityProblem(body);
    if (problem) throw new GraphError(400, 'BadRequest', problem);
    sentItems.push({ kind: 'activityNotification', userId: user.id, body, at: new Date().toISOString() });
    return { status: 204 };
  };

  const sendMail: Handler = async (ctx) => {
    requireApp(ctx, ['Mail.Send'], 'sendMail');
    const user = targetUser(ctx);
    const body = await readJson(ctx.req);
    const problem = mailProblem(body);
    if (problem) throw new GraphError(400, 'ErrorInvalidParameter', problem);
    sentItems.push({ kind: 'mail', userId: user.id, body, at: new Date().toISOString() });
    return { status: 202 };
  };

  // Every route Credit Desk calls is documented on both v1.0 and beta (message trace: beta since 2025, v1.0 since January 2026).
  const routes: Route<Handler>[] = [
    { versions: BOTH, pattern: ['users'], methods: { GET: listUsers } },
    { versions: BOTH, pattern: ['users', '*'], methods: { GET: getUser } },
    { versions: BOTH, pattern: ['users', '*', 'teamwork', 'sendActivityNotification'], methods: { POST: sendActivity } },
    { versions: BOTH, pattern: ['users', '*', 'sendMail'], methods: { POST: sendMail } },
    { versions: BOTH, pattern: ['me'], methods: { GET: getMe } },
    { versions: BOTH, pattern: ['me', 'messages'], methods: { GET: listMessages(false) } },
    { versions: BOTH, pattern: ['me', 'messages', '*'], methods: { GET: getMessage } },
    { versions: BOTH, pattern: ['me', 'messages', '*', 'move'], methods: { POST: moveMessage } },
    { versions: BOTH, pattern: ['me', 'mailFolders', '*', 'messages'], methods: { GET: listMessages(true) } },
    { versions: BOTH, pattern: ['admin', 'exchange', 'tracing', 'messageTraces'], methods: { GET: messageTraces } },
  ];

  /** Slow → who is calling (401) → told to fail → the route. A client that left while delayed counts for nothing. */
  const graph = async (req: IncomingMessage, url: URL, record: RecordedRequest, gone: () => boolean): Promise<Reply> => {
    if (slow && takes(slow)) {
      await sleep(slow.delayMs);
      if (gone()) throw new GraphError(499, 'ClientClosedRequest', 'The client went away while the answer was delayed.');
    } else {
      slow = slow && holds(slow) ? slow : null;
    }
    const [version, ...rest] = sdkPathFix(url.pathname.split('/').filter(Boolean).map(safeDecode), url.host);
    const path = `/${[version, ...rest].map((s) => encodeURIComponent(s ?? '')).join('/')}`;
    record.path = path;
    if (!(GRAPH_VERSIONS as readonly string[]).includes(version ?? '')) throw new GraphError(400, 'BadRequest', 'Invalid version.');
    const caller = identify(req.headers.authorization, users);
    if (caller.app) record.app = true;
    else record.user = caller.user?.id ?? caller.hint;
    if (failure && takes(failure)) {
      const [code, message] = FAILURES[failure.status] ?? ['generalException', 'Failing on purpose.'];
      throw new GraphError(failure.status, code, message, failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {});
    }
    failure = failure && holds(failure) ? failure : null;
    const { route, params } = matchRoute(routes, version!, rest);
    const handler = route.methods[req.method ?? 'GET'];
    if (!handler) throw new GraphError(405, 'BadRequest', `Specified HTTP method is not allowed for the request uri (${Object.keys(route.methods).join(', ')} only).`);
    return handler({ req, path, version: version!, query: url.searchParams, params, caller });
  };

  const control = async (req: IncomingMessage, path: string): Promise<Reply> => {
    const method = req.method ?? 'GET';
    const want = (m: string) => {
      if (method !== m) throw new GraphError(405, 'BadRequest', `${path} takes ${m}`);
    };
    switch (path) {
      case '/_control/fail':
      case '/_control/slow': {
        want('POST');
        const body = await readJson(req);
        if (!isObject(body) || !Object.values(body).every((v) => typeof v === 'number')) throw new GraphError(400, 'BadRequest', 'Send a JSON object of numbers.');
        try {
          if (path === '/_control/fail') failFor(body as unknown as FailOptions);
          else slowFor(body as unknown as SlowOptions);
        } catch (error) {
          throw new GraphError(400, 'BadRequest', error instanceof Error ? error.message : String(error));
        }
        return { status: 200, body: { ok: true } };
      }
      case '/_control/reset':
        want('POST');
        reset();
        return { status: 200, body: { ok: true } };
      case '/_control/requests':
        want('GET');
        return { status: 200, body: recorded };
      case '/_control/sent':
        want('GET');
        return { status: 200, body: sentItems };
      case '/_control/moved':
        want('GET');
        return { status: 200, body: moved };
      default:
        throw notFound(path);
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const requestId = randomUUID();
    const clientRequestId = headerText(req.headers['client-request-id']) ?? requestId;
    const isControl = url.pathname.startsWith('/_control/');
    const record: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0 };
    const attempt = Number(headerText(req.headers['retry-attempt']));
    if (Number.isInteger(attempt) && attempt > 0) record.retryAttempt = attempt;
    if (!isControl) recorded.push(record);
    let gone = false;
    res.once('close', () => (gone = !res.writableFinished));

    (isControl ? control(req, url.pathname) : graph(req, url, record, () => gone))
      .catch((error: unknown): Reply & { headers?: Record<string, string> } => {
        const e = error instanceof GraphError ? error : new GraphError(500, 'generalException', error instanceof Error ? error.message : String(error));
        return { status: e.status, body: { error: { code: e.code, message: e.message, innerError: { date: new Date().toISOString(), 'request-id': requestId, 'client-request-id': clientRequestId } } }, headers: e.headers };
      })
      .then((reply: Reply & { headers?: Record<string, string> }) => {
        record.status = reply.status;
        if (!isControl) log(`${record.method} ${url.pathname}${url.search} → ${reply.status}`);
        if (gone || res.destroyed) return;
        const headers = {
          ...reply.headers,
          'request-id': requestId,
          'client-request-id': clientRequestId,
          'cache-control': 'no-store',
          // A dev tool, but it answers browsers too (the tab reaches it through the dev server's /graph proxy).
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
        };
        if (reply.body === undefined) res.writeHead(reply.status, headers).end();
        else res.writeHead(reply.status, { ...headers, 'content-type': JSON_TYPE }).end(JSON.stringify(reply.body));
      })
      .catch(() => res.destroy());
  });
  const port = await listenOn(server, options.port ?? 0);
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    port,
    failFor,
    slowFor,
    reset,
    requests: () => recorded.map((r) => ({ ...r, query: { ...r.query } })),
    movedMessages: () => moved.map((m) => ({ ...m })),
    sent: () => sentItems.map((s) => ({ ...s })),
    stop: () => closeServer(server),
  };
}


async function main(): Promise<{ stop(): Promise<void> }> {
  const port = portArgument('CREDIT_DESK_GRAPH_PORT', 7073);
  const standIn = await startGraphStandIn({ port, log: (line) => console.log(line) });
  const who = (label: string, u: { displayName: string; email: string; id: string }) => `  ${label.padEnd(12)}${u.displayName} <${u.email}> ${u.id}`;
  console.log(`Microsoft Graph stand-in is running (loopback only): ${standIn.url}
  Graph base    ${standIn.url}/v1.0  (and /beta)
${who('Junk', JUNK_USER)}
${who('Digest', DIGEST_USER)}
${who('Clean', CLEAN_USER)}
${who('Stuck', STUCK_USER)}
  Throttle      curl -s -X POST ${standIn.url}/_control/fail -H 'content-type: application/json' -d '{"status":429,"count":2,"retryAfterSeconds":1}'
Ctrl-C stops it.`);
  return standIn;
}

runIfMain(import.meta.url, main);
