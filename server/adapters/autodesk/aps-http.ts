/**
 * Requests to Autodesk's usage APIs, as both connectors make them: a bearer token from the caller, a time
 * limit per request, 5xx and network failures retried a few times, 429 waited out (Retry-After) within a
 * bound, and every refusal turned into the port's coded `UsageSourceError`.
 */
import type { UsageSourceErrorCode } from '../../ports/usage-source.js';
import { UsageSourceError } from '../../ports/usage-source.js';
import type { BackoffPolicy, Scheduler } from './backoff.js';
import { DEFAULT_BACKOFF, backoffDelay, realScheduler, retryAfterMs, throttleWait } from './backoff.js';

export const APS_BASE_URL = 'https://developer.api.autodesk.com';

/**
 * An access token for the API. The getter keeps it fresh (3-legged: from the stored refresh token, which
 * rotates; 2-legged: client credentials); `refresh: true` after a 401 asks for a new one instead of a
 * cached one. It throws `UsageSourceError('disconnected')` when Autodesk no longer accepts the grant.
 */
export type AccessTokenGetter = (options?: { refresh?: boolean }) => Promise<string>;

export interface ApsApiOptions {
  accessToken: AccessTokenGetter;
  /** Autodesk's API host (the default), or the stand-in's address. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Waits between polls and retries (tests: one that records and returns at once). */
  scheduler?: Scheduler;
  backoff?: Partial<BackoffPolicy>;
  /** How long one request may take until its answer's headers (JSON answers: until read whole). */
  requestTimeoutMs?: number;
  /** Milliseconds since the epoch, for a Retry-After given as a date. */
  now?: () => number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** One pull's conversation with Autodesk: its signal, and the throttling it has waited out so far. */
export class ApsSession {
  readonly policy: BackoffPolicy;
  private readonly fetch: typeof fetch;
  private readonly scheduler: Scheduler;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private throttledMs = 0;

  constructor(
    private readonly options: ApsApiOptions,
    private readonly signal?: AbortSignal,
  ) {
    this.policy = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.fetch = options.fetch ?? globalThis.fetch;
    this.scheduler = options.scheduler ?? realScheduler;
    this.baseUrl = (options.baseUrl ?? APS_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  sleep(ms: number): Promise<void> {
    return this.scheduler.sleep(ms, this.signal);
  }

  /** A JSON call to the API (path under the base URL), with the token; 401 once retried with a fresh token. */
  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let refreshed = false;
    for (;;) {
      const token = await this.options.accessToken(refreshed ? { refresh: true } : undefined);
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const init: RequestInit = { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) };
      const answer = await this.send(`${this.baseUrl}${path}`, init, async (response) => ({ response, text: await response.text() }));
      if (answer.response.status === 401 && !refreshed) {
        refreshed = true;
        continue;
      }
      if (answer.response.ok) return parseJson<T>(answer.text, path);
      throw refusal(answer.response.status, answer.text, apiRefusals);
    }
  }

  /**
   * Downloads a pre-signed link (no token: the link is the credential), streamed. A refused link (403, 404,
   * 410) has run out: 'export_expired'; so has one whose body breaks off before the end.
   */
  async download(url: string): Promise<AsyncIterable<Uint8Array>> {
    const { response } = await this.send(url, { method: 'GET' }, async (r) => ({ response: r }));
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw refusal(response.status, text, downloadRefusals);
    }
    if (!response.body) throw new UsageSourceError('export_expired', 'Autodesk sent the export without a body.');
    return readGuarded(response.body, this.signal);
  }

  /**
   * Sends with a time limit (covering `read` too), retrying network failures, time-outs and 5xx with back-off
   * and waiting out 429s; gives back the first other answer.
   */
  private async send<R extends { response: Response }>(url: string, init: RequestInit, read: (response: Response) => Promise<R>): Promise<R> {
    let transient = 0;
    let throttles = 0;
    for (;;) {
      let answer: R;
      try {
        answer = await this.timed((signal) => this.fetch(url, { ...init, signal }).then(read));
      } catch (error) {
        if (this.signal?.aborted) throw this.signal.reason;
        if (error instanceof UsageSourceError) throw error;
        if (transient >= this.policy.maxTransientRetries) throw new UsageSourceError('unavailable', `Autodesk could not be reached (${describe(error)}).`);
        await this.sleep(backoffDelay(this.policy, transient++));
        continue;
      }
      const { status } = answer.response;
      if (status === 429) {
        const wait = throttleWait(this.policy, throttles++, retryAfterMs(answer.response.headers.get('retry-after'), this.now()));
        if (this.throttledMs + wait > this.policy.maxThrottleWaitMs) {
          throw new UsageSourceError('throttled', 'Autodesk kept answering "too many requests".', Math.ceil(wait / 1000));
        }
        this.throttledMs += wait;
        await this.sleep(wait);
        continue;
      }
      if (status >= 500) {
        if (transient >= this.policy.maxTransientRetries) throw new UsageSourceError('unavailable', `Autodesk answered ${status}, ${this.policy.maxTransientRetries + 1} times in a row.`);
        await this.sleep(backoffDelay(this.policy, transient++));
        continue;
      }
      return answer;
    }
  }

  /**
   * Runs `run` with a signal that aborts with the pull's own signal, or when `run` takes longer than the
   * time limit; once `run` is done the limit no longer applies (a download's body may take longer).
   */
  private async timed<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const limit = new AbortController();
    const timer = setTimeout(() => limit.abort(new DOMException(`No answer within ${this.timeoutMs} ms.`, 'TimeoutError')), this.timeoutMs);
    try {
      return await run(this.signal ? AbortSignal.any([this.signal, limit.signal]) : limit.signal);
    } finally {
      clearTimeout(timer);
    }
  }
}

type Refusals = Partial<Record<number, UsageSourceErrorCode>>;

/** What the API's refusals mean (Token Flex and usage insights document 401, 403 and 500). */
const apiRefusals: Refusals = { 401: 'disconnected', 403: 'not_entitled', 404: 'export_failed', 410: 'export_failed' };
/** A pre-signed link refuses with 403 once it has run out (S3: "Request has expired"), 404 or 410 once the file is gone. */
const downloadRefusals: Refusals = { 401: 'export_expired', 403: 'export_expired', 404: 'export_expired', 410: 'export_expired' };

const MESSAGES: Record<UsageSourceErrorCode, string> = {
  disconnected: 'Autodesk no longer accepts the connection (the consent was revoked or the token expired).',
  not_entitled: 'Autodesk refuses this API to the connected account.',
  unavailable: 'Autodesk is unavailable.',
  throttled: 'Autodesk is throttling requests.',
  export_failed: 'Autodesk no longer knows the export.',
  export_expired: 'The export’s download link has run out.',
  no_contract: 'No Token Flex contract found.',
};

/** A coded error for a refusal; a refusal the port has no word for (400: our request is wrong) is a plain Error. */
function refusal(status: number, text: string, codes: Refusals): Error {
  const code = codes[status];
  const detail = text.trim().slice(0, 300);
  if (code) return new UsageSourceError(code, `${MESSAGES[code]} (HTTP ${status}${detail ? `: ${detail}` : ''})`);
  return new Error(`Autodesk refused the request with HTTP ${status}: ${detail}`);
}

function parseJson<T>(text: string, path: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new UsageSourceError('unavailable', `Autodesk answered ${path} with something that is not JSON.`);
  }
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** The body's chunks; a body that breaks off is an export that could not be read whole. A reader that stops early cancels the rest. */
async function* readGuarded(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield value;
    }
    finished = true;
  } catch (error) {
    finished = true;
    if (signal?.aborted) throw signal.reason;
    throw new UsageSourceError('export_expired', `The download broke off before the whole export was read (${describe(error)}).`);
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
