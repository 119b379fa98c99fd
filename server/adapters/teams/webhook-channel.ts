/**
 * Posts a card to the Teams Workflows webhook (DESIGN 4.5). Never throws: the dispatcher gets a value saying
 * whether the card landed and, if not, whether trying again later can help. The target is vetted first
 * (webhook-target.ts) and the request goes to the vetted address itself, so a name that resolves elsewhere
 * by the time of the connection changes nothing. Redirects are not followed. Error texts are fixed words
 * and the status: never the URL (a Workflows URL carries its signature), never what the server answered.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { finished } from 'node:stream/promises';
import type { WebhookPayload } from './cards.js';
import type { ResolvedAddress, Resolver, VettedTarget, WebhookTargetPolicy } from './webhook-target.js';
import { PRODUCTION_TARGETS, systemResolver, vetWebhookTarget } from './webhook-target.js';

export type WebhookResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retryable: boolean; retryAfterMs?: number };

/** What the client keeps of an answer: its status and Retry-After, never its body. */
export interface WebhookAnswer {
  status: number;
  retryAfter: string | null;
}
export type WebhookSender = (target: VettedTarget, body: string, signal: AbortSignal) => Promise<WebhookAnswer>;

export interface PostOptions {
  /** Give up after this long, counting the whole exchange (default 10 s). */
  timeoutMs?: number;
  /** Where posts may go; the production rules unless the composition (dev mode) or a test says otherwise. */
  targets?: WebhookTargetPolicy;
  /** Finds a host's addresses; the system resolver by default (tests inject one: no real DNS). */
  resolve?: Resolver;
  /** Sends the request to the vetted address; `sendPinned` by default (tests wrap it). */
  send?: WebhookSender;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** A Retry-After longer than this is read as this (a bad header must not silence the channel for days). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export async function postToWebhook(url: string, payload: WebhookPayload, options: PostOptions = {}): Promise<WebhookResult> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let answer: WebhookAnswer;
  try {
    const vetting = await untilAborted(vetWebhookTarget(url, options.targets ?? PRODUCTION_TARGETS, options.resolve ?? systemResolver), signal);
    if (!vetting.ok) return { ok: false, status: null, error: vetting.error, retryable: vetting.retryable };
    answer = await (options.send ?? sendPinned)(vetting.target, JSON.stringify(payload), signal);
  } catch (error) {
    return { ok: false, status: null, error: signal.aborted ? `The Teams webhook did not answer within ${formatSeconds(timeoutMs)}` : networkError(error), retryable: true };
  }

  const status = answer.status;
  if (status >= 200 && status < 300) return { ok: true, status };
  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(answer.retryAfter, Date.now());
  return { ok: false, status, error: refusalText(status), retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/**
 * POSTs over node:http(s), connecting only to the vetted addresses (the host name still goes into Host
 * and TLS SNI, and the certificate is checked against it). node:http never follows a redirect.
 */
export const sendPinned: WebhookSender = (target, body, signal) =>
  new Promise<WebhookAnswer>((resolve, reject) => {
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = request(
      target.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        agent: false,
        lookup: pinnedLookup(target.addresses),
        signal,
      },
      (response) => {
        const retryAfter = response.headers['retry-after'] ?? null;
        // The body is drained unread, so the exchange ends cleanly and nothing of it can be shown.
        finished(response.resume()).then(() => resolve({ status: response.statusCode ?? 0, retryAfter }), reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });

/** A lookup that answers with the vetted addresses (all of them when asked for all: happy eyeballs). */
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

function refusalText(status: number): string {
  if (status === 429) return 'The Teams webhook is throttling posts (429)';
  if (status === 408 || status >= 500) return `The Teams webhook is unavailable (${status})`;
  if (status >= 300 && status < 400) return `The Teams webhook answered with a redirect (${status}), which Credit Desk does not follow: check the webhook URL in settings`;
  if (status === 400 || status === 413 || status === 422) return `The Teams webhook refused the card (${status}): it does not accept the card as sent`;
  if (status >= 400) return `The Teams webhook refused the card (${status}): check the webhook URL in settings`;
  return `The Teams webhook answered ${status} instead of taking the card: check the webhook URL in settings`;
}

/** Fixed words by error code: a network error's own message may name internal hosts or addresses. */
function networkError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ECONNREFUSED') return 'Could not reach the Teams webhook: the connection was refused';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'Could not reach the Teams webhook: the connection was dropped';
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'Could not reach the Teams webhook: its address did not answer';
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'Could not reach the Teams webhook: its certificate was not accepted';
  return 'Could not reach the Teams webhook';
}

/** The promise, or the signal's reason once it aborts (a DNS lookup cannot be cancelled, only abandoned). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('The webhook exchange ran out of time', { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Retry-After as delay-seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+$/.test(value)) ms = Number(value) * 1000;
  else {
    // An HTTP date names its day and month; a bare "-5" is not one (though Date.parse would take it).
    const date = /[a-z]/i.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - nowMs);
  }
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
