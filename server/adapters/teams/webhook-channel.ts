/**
 * Posts a card to the Teams Workflows webhook (DESIGN 4.5). Never throws: the dispatcher gets a value saying
 * whether the card landed and, if not, whether trying again later can help. Error texts never include the
 * URL (a Workflows URL carries its signature).
 */
import type { WebhookPayload } from './cards.js';

export type WebhookResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retryable: boolean; retryAfterMs?: number };

export interface PostOptions {
  /** Give up after this long, counting the whole exchange (default 10 s). */
  timeoutMs?: number;
  /** For tests; the global fetch otherwise. */
  fetch?: typeof fetch;
}

export const WEBHOOK_TIMEOUT_MS = 10_000;
/** A Retry-After longer than this is read as this (a bad header must not silence the channel for days). */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;
/** How much of a refusal's body goes into the error text. */
const BODY_EXCERPT_CHARS = 200;

export async function postToWebhook(url: string, payload: WebhookPayload, options: PostOptions = {}): Promise<WebhookResult> {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  if (!isHttpUrl(url)) {
    return { ok: false, status: null, error: 'The Teams webhook URL is not a valid http(s) URL: check the webhook URL in settings', retryable: false };
  }
  const doFetch = options.fetch ?? fetch;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal,
    });
  } catch (error) {
    return { ok: false, status: null, error: networkError(error, timeoutMs), retryable: true };
  }

  const status = response.status;
  // Read (or drop) the body so the connection is released; a refusal's body says why.
  const text = await response.text().catch(() => '');
  if (status >= 200 && status < 300) return { ok: true, status };

  const retryable = status === 408 || status === 429 || status >= 500;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  return {
    ok: false,
    status,
    error: refusalText(status, redact(excerpt(text), url)),
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

function refusalText(status: number, body: string): string {
  const said = body ? ` (the webhook said: ${body})` : '';
  if (status === 429) return `The Teams webhook is throttling posts (429)${said}`;
  if (status === 408 || status >= 500) return `The Teams webhook is unavailable (${status})${said}`;
  if (status === 400 || status === 413 || status === 422) return `The Teams webhook refused the card (${status}): it does not accept the card as sent${said}`;
  if (status >= 400) return `The Teams webhook refused the card (${status}): check the webhook URL in settings${said}`;
  return `The Teams webhook answered ${status} instead of taking the card: check the webhook URL in settings${said}`;
}

function networkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `The Teams webhook did not answer within ${formatSeconds(timeoutMs)}`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
  return `Could not reach the Teams webhook: ${cause}`;
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

/** Takes the URL's query values (a Workflows URL's signature among them) out of text a server sent back. */
function redact(text: string, url: string): string {
  let out = text;
  for (const value of new URL(url).searchParams.values()) {
    if (value.length >= 6) out = out.replaceAll(value, '…');
  }
  return out;
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** The reason in a refusal's body: a JSON error's message ({"error": "…"} or {"error": {"message": "…"}}), else the text. */
function excerpt(text: string): string {
  const flat = (jsonErrorMessage(text) ?? text).replace(/\s+/g, ' ').trim();
  return flat.length > BODY_EXCERPT_CHARS ? `${flat.slice(0, BODY_EXCERPT_CHARS)}…` : flat;
}

function jsonErrorMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown } | null;
    const error = body?.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
    return typeof body?.message === 'string' ? body.message : undefined;
  } catch {
    return undefined;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
