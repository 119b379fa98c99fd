/**
 * A local stand-in for IT's Teams Workflows webhook (DESIGN 4.5): takes the cards Credit Desk posts, keeps
 * them in memory and shows them on a page as Teams would. It can be told to refuse posts for a while, so
 * retries and parking can be watched. Loopback only.
 *
 * Routes: POST /webhook (the webhook URL), GET / (the page), GET /received, GET /state,
 * POST /control/fail {count?, ms?, status?, retryAfterSeconds?}, POST /control/reset.
 *
 * Run alone: `tsx server/local/feed-receiver.ts [--port N]` (or CREDIT_DESK_FEED_PORT).
 */
import { portArgument, runIfMain } from './cli.js';
import { closeServer, listenOn } from './listen.js';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { RECEIVER_PAGE_CSS, RECEIVER_PAGE_HTML, RECEIVER_PAGE_SCRIPT } from './feed-receiver-page.js';

export const MAX_BODY_BYTES = 1024 * 1024;
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** A payload as the receiver accepted it (the shape `validateWebhookPayload` checks). */
export interface ReceivedPayload {
  type: 'message';
  attachments: { contentType: string; contentUrl?: string | null; content: Record<string, unknown> }[];
  creditDesk?: { eventIds?: string[]; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ReceivedCard {
  /** 1, 2, 3… in arrival order (restarts after a reset). */
  seq: number;
  receivedAt: string;
  eventIds: string[];
  payload: ReceivedPayload;
}

export interface FailOptions {
  /** Refuse the next `count` posts. */
  count?: number;
  /** Refuse posts for this many milliseconds. */
  ms?: number;
  /** The status to answer with (default 503). */
  status?: number;
  /** Send a Retry-After header with this many seconds on each refusal. */
  retryAfterSeconds?: number;
}

export interface FeedReceiver {
  /** The webhook URL to put in Credit Desk's settings. */
  url: string;
  /** The page showing the received cards. */
  pageUrl: string;
  port: number;
  /** Accepted posts, oldest first. */
  received(): ReceivedCard[];
  /** Posts refused on purpose (failFor) since the last reset. */
  refusals(): number;
  /**
   * Refuse posts (storing nothing) while any given limit holds: the next `count` posts, and/or for `ms`.
   * With neither, refuse until reset().
   */
  failFor(options?: FailOptions): void;
  /** Forget the cards and refusals and stop failing. */
  reset(): void;
  stop(): Promise<void>;
}

export interface FeedReceiverOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Called with a line for each post, accepted or refused. */
  log?: (line: string) => void;
}

interface Failure {
  remaining?: number;
  until?: number;
  status: number;
  retryAfterSeconds?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startFeedReceiver(options: FeedReceiverOptions = {}): Promise<FeedReceiver> {
  const log = options.log ?? (() => {});
  let cards: ReceivedCard[] = [];
  let refused = 0;
  let seq = 0;
  let failure: Failure | null = null;
  let cardsScript: Buffer | undefined;

  /** The failure to refuse this post with (counting the refusal), or null to take it. */
  const refuseNow = (): Failure | null => {
    if (!failure || !holds(failure)) {
      failure = null;
      return null;
    }
    if (failure.remaining !== undefined && failure.remaining > 0) failure.remaining--;
    refused++;
    return failure;
  };

  const failFor = (fail: FailOptions = {}) => {
    const status = fail.status ?? 503;
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError('status must be an HTTP error status (400–599)');
    for (const [name, value] of [['count', fail.count], ['ms', fail.ms], ['retryAfterSeconds', fail.retryAfterSeconds]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new RangeError(`${name} must be a whole number ≥ 0`);
    }
    failure = {
      status,
      ...(fail.count !== undefined ? { remaining: fail.count } : {}),
      ...(fail.ms !== undefined ? { until: Date.now() + fail.ms } : {}),
      ...(fail.retryAfterSeconds !== undefined ? { retryAfterSeconds: fail.retryAfterSeconds } : {}),
    };
  };

  const reset = () => {
    cards = [];
    refused = 0;
    seq = 0;
    failure = null;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    const method = req.method ?? 'GET';
    const allow = (...methods: string[]) => {
      if (!methods.includes(method)) throw new HttpError(405, `${path} takes ${methods.join(' or ')}`);
    };
    switch (path) {
      case '/webhook': {
        allow('POST');
        const body = await readBody(req);
        const refusal = refuseNow();
        if (refusal) {
          log(`Refused a post on purpose (${refusal.status}).`);
          const headers: Record<string, string> = refusal.retryAfterSeconds !== undefined ? { 'retry-after': String(refusal.retryAfterSeconds) } : {};
          return send(res, refusal.status, { error: `Failing on purpose (${refusal.status}): the receiver was told to refuse posts.` }, headers);
        }
        const parsed = parseJson(body);
        const problem = validateWebhookPayload(parsed);
        if (problem) throw new HttpError(400, problem);
        const payload = parsed as ReceivedPayload;
        const card: ReceivedCard = { seq: ++seq, receivedAt: new Date().toISOString(), eventIds: eventIdsOf(payload), payload };
        cards.push(card);
        log(`Card #${card.seq}: ${card.eventIds.length ? card.eventIds.join(', ') : '(no event ids)'}`);
        res.writeHead(202).end();
        return;
      }
      case '/received':
        allow('GET');
        return send(res, 200, cards);
      case '/state':
        allow('GET');
        return send(res, 200, { received: cards.length, refusals: refused, failing: failure !== null && holds(failure), failStatus: failure?.status ?? null });
      case '/control/fail': {
        allow('POST');
        const body = parseJson(await readBody(req)) ?? {};
        const { count, ms, status, retryAfterSeconds } = isObject(body) ? body : {};
        if (!isObject(body) || ![count, ms, status, retryAfterSeconds].every((v) => v === undefined || typeof v === 'number')) {
          throw new HttpError(400, 'Send {"count"?, "ms"?, "status"?, "retryAfterSeconds"?} with numbers');
        }
        try {
          failFor({ count, ms, status, retryAfterSeconds } as FailOptions);
        } catch (error) {
          throw new HttpError(400, error instanceof Error ? error.message : String(error));
        }
        return send(res, 200, { failing: true });
      }
      case '/control/reset':
        allow('POST');
        reset();
        return send(res, 200, { reset: true });
      case '/':
        allow('GET');
        return sendText(res, 'text/html; charset=utf-8', RECEIVER_PAGE_HTML);
      case '/page.js':
        allow('GET');
        return sendText(res, 'text/javascript; charset=utf-8', RECEIVER_PAGE_SCRIPT);
      case '/page.css':
        allow('GET');
        return sendText(res, 'text/css; charset=utf-8', RECEIVER_PAGE_CSS);
      case '/adaptivecards.min.js':
        allow('GET');
        cardsScript ??= await readFile(createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js'));
        return sendText(res, 'text/javascript; charset=utf-8', cardsScript);
      default:
        throw new HttpError(404, `No route ${path}`);
    }
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof HttpError) return send(res, error.status, { error: error.message });
      send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  const port = await listenOn(server, options.port ?? 0);
  const base = `http://127.0.0.1:${port}`;

  return {
    url: `${base}/webhook`,
    pageUrl: `${base}/`,
    port,
    received: () => cards.map((c) => ({ ...c, eventIds: [...c.eventIds] })),
    refusals: () => refused,
    failFor,
    reset,
    stop: () => closeServer(server),
  };
}

/** Why the body is not a payload Workflows would post, or null when it is one. */
export function validateWebhookPayload(body: unknown): string | null {
  if (!isObject(body)) return 'The body must be a JSON object';
  if (body.type !== 'message') return 'The payload must have "type": "message"';
  if (!Array.isArray(body.attachments) || body.attachments.length === 0) return 'The payload must have a non-empty "attachments" array';
  for (const [i, attachment] of body.attachments.entries()) {
    if (!isObject(attachment)) return `attachments[${i}] must be an object`;
    if (attachment.contentType !== CARD_CONTENT_TYPE) return `attachments[${i}].contentType must be "${CARD_CONTENT_TYPE}"`;
    const content = attachment.content;
    if (!isObject(content) || content.type !== 'AdaptiveCard') return `attachments[${i}].content must be an Adaptive Card ("type": "AdaptiveCard")`;
    if (typeof content.version !== 'string') return `attachments[${i}].content.version must be a string such as "1.5"`;
    if (content.body !== undefined && !Array.isArray(content.body)) return `attachments[${i}].content.body must be an array`;
  }
  if (body.creditDesk !== undefined) {
    const ids = isObject(body.creditDesk) ? body.creditDesk.eventIds : undefined;
    if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) return 'creditDesk.eventIds must be an array of strings';
  }
  return null;
}

/** Whether a failure still applies: any given limit holds, or none was given (until reset). */
function holds(failure: Failure): boolean {
  if (failure.remaining === undefined && failure.until === undefined) return true;
  return (failure.remaining ?? 0) > 0 || (failure.until ?? 0) > Date.now();
}

function eventIdsOf(payload: ReceivedPayload): string[] {
  return [...(payload.creditDesk?.eventIds ?? [])];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses the body, or answers 400 (an empty body is null). */
function parseJson(body: string): unknown {
  if (body === '') return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new HttpError(400, 'The body is not valid JSON');
  }
}

/** The whole body as text; past MAX_BODY_BYTES it is drained unread and answered 413. */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new HttpError(413, `The body is over ${MAX_BODY_BYTES} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}

/** A dev tool, but a page all the same: never sniffed, never framed, no referrer. */
const DEV_PAGE_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { ...headers, ...DEV_PAGE_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" })
    .end(JSON.stringify(body));
}

function sendText(res: ServerResponse, contentType: string, body: string | Buffer): void {
  res
    .writeHead(200, {
      'content-type': contentType,
      'cache-control': 'no-store',
      ...DEV_PAGE_HEADERS,
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
    })
    .end(body);
}


async function main(): Promise<{ stop(): Promise<void> }> {
  const port = portArgument('CREDIT_DESK_FEED_PORT', 0);
  const receiver = await startFeedReceiver({ port, log: (line) => console.log(line) });
  console.log(`Teams channel stand-in is running (loopback only).
  Webhook URL   ${receiver.url}
  Page          ${receiver.pageUrl}
  Make it fail  curl -s -X POST ${receiver.pageUrl}control/fail -H 'content-type: application/json' -d '{"count":3}'
Ctrl-C stops it.`);
  return receiver;
}

runIfMain(import.meta.url, main);
