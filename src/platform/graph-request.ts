/**
 * A small Microsoft Graph transport for the browser (and Node, in tests): a delegated token per call,
 * bounded retries that honour `Retry-After` on 429 and 503, a timeout per request, `@odata.nextLink`
 * paging, and Graph's errors mapped to coded ones in plain words.
 *
 * Not `@microsoft/microsoft-graph-client`: its authentication middleware attaches the token only to https
 * Graph hosts (so the dev server's `/graph` path and the http stand-in would get no token), it parses only
 * https next links, and it sends `$filter` values unencoded.
 */
import { ApiError } from './api-client.js';

export type GraphErrorCode =
  | 'GRAPH_CONSENT_NEEDED'
  | 'GRAPH_UNAUTHENTICATED'
  | 'GRAPH_FORBIDDEN'
  | 'GRAPH_NOT_FOUND'
  | 'GRAPH_BAD_REQUEST'
  | 'GRAPH_THROTTLED'
  | 'GRAPH_UNAVAILABLE'
  | 'GRAPH_TIMEOUT'
  | 'GRAPH_UNREACHABLE'
  | 'GRAPH_BAD_ANSWER';

/** A Graph call that failed, in plain words, with a stable code (and Graph's own code in the details). */
export class GraphError extends ApiError {
  constructor(status: number, code: GraphErrorCode, message: string, details?: { graphCode?: string; graphMessage?: string; retryAfterSeconds?: number }) {
    super(status, code, message, details);
    this.name = 'GraphError';
  }
}

export interface GraphRequestOptions {
  /** Without `/v1.0`: `https://graph.microsoft.com`, `/graph` (dev proxy) or the stand-in's URL. */
  baseUrl: string;
  /** A delegated token for the scopes the caller needs; asked for on every call (MSAL caches it). */
  token: () => Promise<string>;
  fetch?: typeof fetch;
  /** Per attempt. */
  timeoutMs?: number;
  /** Further attempts after a 429 or 503 (or 504). */
  maxRetries?: number;
  /** The longest `Retry-After` worth waiting for in a page someone is looking at; longer ones fail at once. */
  maxWaitMs?: number;
  /** Waits between attempts (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = { timeoutMs: 15_000, maxRetries: 3, maxWaitMs: 10_000 };
const RETRIED = new Set([429, 503, 504]);

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Getting the delegated token failed: the person closed the consent prompt, or the tenant does not allow it. */
export function consentError(error: unknown): GraphError {
  if (error instanceof GraphError) return error;
  const reason = error instanceof Error && error.message ? ` (${error.message})` : '';
  return new GraphError(401, 'GRAPH_CONSENT_NEEDED', `Credit Desk did not get permission to look in your mailbox${reason}. Try again and accept the permission request.`);
}

interface GraphErrorBody {
  error?: { code?: string; message?: string };
}

function statusError(status: number, body: GraphErrorBody | undefined, retryAfter: number | undefined): GraphError {
  const graphCode = body?.error?.code;
  const graphMessage = body?.error?.message;
  const details = { ...(graphCode ? { graphCode } : {}), ...(graphMessage ? { graphMessage } : {}), ...(retryAfter !== undefined ? { retryAfterSeconds: Math.ceil(retryAfter / 1000) } : {}) };
  if (status === 401) return new GraphError(401, 'GRAPH_UNAUTHENTICATED', 'Microsoft 365 did not accept your sign-in for the mailbox. Sign in again, then try once more.', details);
  if (status === 403) {
    return new GraphError(403, 'GRAPH_FORBIDDEN', 'Credit Desk is not allowed to look in your mailbox yet: IT has to allow it first. Ask IT, or search by hand.', details);
  }
  if (status === 404) return new GraphError(404, 'GRAPH_NOT_FOUND', 'Microsoft 365 could not find that message: it may have been moved or deleted meanwhile. Search again.', details);
  if (status === 429) {
    const wait = retryAfter === undefined ? 'a minute' : `${Math.ceil(retryAfter / 1000)} seconds`;
    return new GraphError(429, 'GRAPH_THROTTLED', `Microsoft 365 is busy and asked Credit Desk to slow down. Try again in ${wait}.`, details);
  }
  if (status >= 500) return new GraphError(status, 'GRAPH_UNAVAILABLE', 'Microsoft 365 is not answering properly right now. Try again in a few minutes.', details);
  return new GraphError(status, 'GRAPH_BAD_REQUEST', `Microsoft 365 refused the search${graphMessage ? `: ${graphMessage}` : '.'}`, details);
}

export interface GraphClient {
  /** The URL of a path under `/v1.0` (with its query string already encoded). */
  url(path: string): string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** Every item of a collection, following `@odata.nextLink` up to `maxPages` pages. */
  all<T>(path: string, maxPages?: number): Promise<T[]>;
}

export function createGraphClient(options: GraphRequestOptions): GraphClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const sleep = options.sleep ?? realSleep;
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxRetries = options.maxRetries ?? DEFAULTS.maxRetries;
  const maxWaitMs = options.maxWaitMs ?? DEFAULTS.maxWaitMs;

  const url = (path: string) => `${base}/v1.0${path.startsWith('/') ? path : `/${path}`}`;

  /**
   * Next links point at whatever host Graph (or the stand-in) thinks it is; follow only the part under
   * `/v1.0/`, on our own base, so the token never goes anywhere else and the dev proxy is kept.
   */
  const rebase = (next: string): string => {
    const parsed = new URL(next, 'http://graph.invalid');
    const at = parsed.pathname.indexOf('/v1.0/');
    if (at < 0) throw new GraphError(502, 'GRAPH_BAD_ANSWER', 'Microsoft 365 answered with a next page Credit Desk cannot follow.');
    return `${base}${parsed.pathname.slice(at)}${parsed.search}`;
  };

  async function attempt(method: 'GET' | 'POST', target: string, body: unknown): Promise<Response> {
    let token: string;
    try {
      token = await options.token();
    } catch (error) {
      throw consentError(error);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await doFetch(target, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          // Bodies as HTML: the IronPort digest's release links are in it.
          prefer: 'outlook.body-content-type="html"',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) throw new GraphError(0, 'GRAPH_TIMEOUT', `Microsoft 365 did not answer within ${Math.round(timeoutMs / 1000)} seconds. Try again in a moment.`);
      throw new GraphError(0, 'GRAPH_UNREACHABLE', `Microsoft 365 could not be reached${error instanceof Error && error.message ? ` (${error.message})` : ''}. Check your connection and try again.`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function send<T>(method: 'GET' | 'POST', target: string, body?: unknown): Promise<T> {
    for (let retry = 0; ; retry++) {
      const response = await attempt(method, target, body);
      const text = await response.text().catch(() => '');
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      if (response.ok) {
        if (json === undefined && text) throw new GraphError(502, 'GRAPH_BAD_ANSWER', 'Microsoft 365 answered with something that is not JSON.');
        return json as T;
      }
      const wait = retryAfterMs(response.headers.get('retry-after'));
      if (RETRIED.has(response.status) && retry < maxRetries) {
        // No Retry-After: back off 0.5 s, 1 s, 2 s. One longer than the page can wait: give up now, say how long.
        const delay = wait ?? 500 * 2 ** retry;
        if (delay <= maxWaitMs) {
          await sleep(delay);
          continue;
        }
      }
      throw statusError(response.status, json as GraphErrorBody | undefined, wait);
    }
  }

  return {
    url,
    get: <T>(path: string) => send<T>('GET', url(path)),
    post: <T>(path: string, body: unknown) => send<T>('POST', url(path), body),
    async all<T>(path: string, maxPages = 10): Promise<T[]> {
      const items: T[] = [];
      let target: string | undefined = url(path);
      for (let page = 0; target && page < maxPages; page++) {
        const answer: { value?: T[]; '@odata.nextLink'?: string } = await send('GET', target);
        if (!Array.isArray(answer?.value)) throw new GraphError(502, 'GRAPH_BAD_ANSWER', 'Microsoft 365 answered without the list Credit Desk asked for.');
        items.push(...answer.value);
        const next = answer['@odata.nextLink'];
        target = next ? rebase(next) : undefined;
      }
      return items;
    },
  };
}
