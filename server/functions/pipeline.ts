import { createHash, randomUUID } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { z } from 'zod';
import type { ApiErrorCode, RouteDef, RouteName } from '../../src/contract/index.js';
import { ERROR_STATUS, IDEMPOTENCY_KEY, ROUTES, compilePath, errorBody } from '../../src/contract/index.js';
import type { Bucket, RateLimitPolicy } from '../../src/core/index.js';
import { DEFAULT_RATE_LIMIT, fullAt, take } from '../../src/core/index.js';
import type { AppResult } from '../app/app-result.js';
import type { Caller } from '../app/caller.js';
import { policyOf } from '../app/deps.js';
import { ensureCallerMember } from '../app/me.js';
import { UploadTooLargeError } from '../app/upload-errors.js';
import { DirectoryUnavailableError } from '../ports/directory.js';
import { InvalidCursorError, StorageUnavailableError } from '../ports/ledger-store.js';
import type { TokenVerifier } from './auth.js';
import type { HandlerDeps } from './handlers.js';
import { HANDLERS } from './handlers.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { isLoopback, isLoopbackHost } from './http-types.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** How long the rate limit read from a tenant's settings is trusted before it is read again. */
export const RATE_LIMIT_SETTINGS_TTL_MS = 30_000;
/** At most this many people's buckets are kept per process; idle (full) ones go first. */
export const MAX_RATE_LIMIT_BUCKETS = 50_000;

/** The request headers a page on an allowed origin may send (CORS preflight). */
export const CORS_ALLOWED_HEADERS = 'authorization, content-type, idempotency-key';
/** Response headers a page on an allowed origin may read beyond the safelisted ones. */
const CORS_EXPOSED_HEADERS = 'retry-after, www-authenticate, allow, x-request-id';
/** How long a browser may cache a preflight answer (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 7200;

export interface PipelineOptions {
  deps: HandlerDeps;
  verifier: TokenVerifier;
  /** Dev routes and dev tokens; only ever honoured for loopback peers. Every request then needs a loopback `Host`. */
  devMode: boolean;
  /** Check every answer against the contract (on in tests). */
  validateResponses?: boolean;
  /**
   * Origins whose pages may call the API cross-origin (exactly as browsers send `Origin`); none: no CORS
   * headers at all and every preflight is refused.
   */
  allowedOrigins?: readonly string[];
  /**
   * One limit for every tenant, on changes and on reads, instead of each tenant's `rateLimit` and
   * `readRateLimit` settings: only for harnesses whose simulated people post faster than people do (the
   * load bench, tests of other things).
   */
  fixedRateLimit?: RateLimitPolicy;
  log?: (message: string, error?: unknown) => void;
}

/** Inputs after validation against the route's schemas: each handler declares their precise types. */
interface ValidatedInput {
  caller: Caller | undefined;
  params: unknown;
  query: unknown;
  body: unknown;
  write: { idempotency: { caller: string; key: string; fingerprint: string } };
  file: AsyncIterable<Uint8Array> | undefined;
}


/** The upload as it arrives, cut off with UploadTooLargeError past `maxBytes` (a chunked body declares no length). */
async function* limited(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.byteLength;
    if (seen > maxBytes) throw new UploadTooLargeError(maxBytes);
    yield chunk;
  }
}

/** True when the route at this method and path takes its body as a stream: the hosts then do not buffer it. */
export function takesUpload(method: string, pathname: string): boolean {
  return compiled.some((c) => c.route.upload !== undefined && c.route.method === method && c.match(pathname) !== undefined);
}

const compiled = (Object.entries(ROUTES) as [RouteName, RouteDef][]).map(([name, route]) => ({ name, route, match: compilePath(route.path) }));

/** Every API answer is JSON for a script: never cached, never sniffed, never rendered or framed, no referrer. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

/** Methods that change something: the ones the per-person limit on changes counts (reads have their own). */
const isChange = (method: string): boolean => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';

function respond(status: number, body: unknown, extra: Record<string, string> = {}): ApiResponse {
  return { status, headers: { ...BASE_HEADERS, ...extra }, body: JSON.stringify(body) };
}

function error(code: ApiErrorCode, message: string, details?: unknown, extra?: Record<string, string>): ApiResponse {
  return respond(ERROR_STATUS[code], errorBody(code, message, details), extra);
}

function issues(zodError: z.ZodError) {
  return zodError.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

function validate(schema: z.ZodType | undefined, value: unknown, what: string): { ok: true; value: unknown } | { ok: false; response: ApiResponse } {
  if (!schema) return { ok: true, value: undefined };
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, response: error('VALIDATION_FAILED', `The ${what} is not valid.`, { issues: issues(parsed.error) }) };
}

function isAllowed(route: RouteDef, caller: Caller | undefined): boolean {
  if (route.access === 'anyone') return true;
  if (!caller) return false;
  if (route.access === 'signed-in') return true;
  return route.access.roles.some((r) => caller.roles.includes(r));
}

/** A directory failure in plain words: an outage, throttling, or a permission IT has to grant. */
function directoryMessage(e: DirectoryUnavailableError): string {
  switch (e.reason) {
    case 'forbidden':
      return 'The Microsoft 365 directory refused the look-up: the app needs the User.Read.All application permission (ask IT to grant admin consent).';
    case 'unauthenticated':
      return 'Credit Desk could not sign in to the Microsoft 365 directory (check the app registration and its secret or managed identity).';
    case 'throttled':
      return 'The Microsoft 365 directory is busy (throttled). Try again in a moment; the ledger is not affected.';
    default:
      return 'The Microsoft 365 directory is not answering. Try again shortly; the ledger is not affected.';
  }
}

/**
 * A per-person limit (on changes, or on reads): one token bucket per (tenant, person), kept in this process's memory.
 * In Azure every Functions instance keeps its own buckets and limits on its own, so with n instances a
 * person could get up to n times the limit in the worst case; the limit is there against runaway scripts
 * and retry storms, not as an exact quota. Each tenant's limit comes from its settings, read again at most
 * every RATE_LIMIT_SETTINGS_TTL_MS (and at once after a settings change through this process).
 */
class PersonRateLimiter {
  private readonly buckets = new Map<string, { bucket: Bucket; fullAt: number }>();
  private readonly limits = new Map<string, { policy: RateLimitPolicy; readAt: number } | Promise<RateLimitPolicy>>();
  private lastSweep = 0;

  constructor(
    private readonly limitOf: (tenant: string) => Promise<RateLimitPolicy>,
    private readonly fixed: RateLimitPolicy | undefined,
  ) {}

  async policy(tenant: string, now: number): Promise<RateLimitPolicy> {
    if (this.fixed) return this.fixed;
    const cached = this.limits.get(tenant);
    if (cached instanceof Promise) return cached;
    if (cached && now - cached.readAt >= 0 && now - cached.readAt < RATE_LIMIT_SETTINGS_TTL_MS) return cached.policy;
    // One read per tenant at a time; a failed read keeps the last limit known (or the default's) for a while.
    const reading = this.limitOf(tenant).then(
      (policy) => policy,
      () => cached?.policy ?? DEFAULT_RATE_LIMIT,
    );
    this.limits.set(tenant, reading);
    const policy = await reading;
    if (this.limits.get(tenant) === reading) {
      if (this.limits.size > 10_000) this.limits.clear();
      this.limits.set(tenant, { policy, readAt: now });
    }
    return policy;
  }

  /** Settings were changed here: the next request reads them again. */
  forget(tenant: string): void {
    this.limits.delete(tenant);
  }

  async take(tenant: string, person: string, now: number): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number; policy: RateLimitPolicy }> {
    const policy = await this.policy(tenant, now);
    const key = `${tenant}|${person}`;
    const held = this.buckets.get(key);
    const result = take(held?.bucket, now, policy);
    // Delete and set again: the map's order is then least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, { bucket: result.bucket, fullAt: fullAt(result.bucket, policy) });
    this.sweep(now);
    return result.allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: result.retryAfterSeconds, policy };
  }

  /** Bounded memory: full buckets are dropped once a minute, and the least recently used past the cap. */
  private sweep(now: number): void {
    if (now - this.lastSweep >= 60_000 || now < this.lastSweep || this.buckets.size > MAX_RATE_LIMIT_BUCKETS) {
      this.lastSweep = now;
      for (const [key, entry] of this.buckets) if (entry.fullAt <= now) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= MAX_RATE_LIMIT_BUCKETS) break;
      this.buckets.delete(key);
    }
  }

  /** For tests and diagnostics. */
  get size(): number {
    return this.buckets.size;
  }
}

/** The CORS headers for an answer to `origin`: only an allowed origin is named; the answer varies by Origin. */
function corsHeaders(origin: string | undefined, allowed: ReadonlySet<string>): Record<string, string> {
  if (allowed.size === 0) return {};
  if (origin === undefined || !allowed.has(origin)) return { vary: 'origin' };
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS_EXPOSED_HEADERS, vary: 'origin' };
}

/**
 * The one request pipeline, shared by Azure Functions and the local host: route → authenticate →
 * validate → idempotency → use case → coded answer.
 */
export function createPipeline(options: PipelineOptions): (request: ApiRequest) => Promise<ApiResponse> {
  const log = options.log ?? ((message: string, e?: unknown) => console.error(message, e));
  /** Members whose row is known to exist, so a first-call check costs one read per person, not per call (member rows are never deleted: this cannot go stale). */
  const knownMembers = new Set<string>();
  const allowedOrigins: ReadonlySet<string> = new Set(options.allowedOrigins ?? []);
  const limiter = new PersonRateLimiter(async (tenant) => (await policyOf(options.deps, tenant)).rateLimit, options.fixedRateLimit);
  const readLimiter = new PersonRateLimiter(async (tenant) => (await policyOf(options.deps, tenant)).readRateLimit, options.fixedRateLimit);

  return async function handle(request: ApiRequest): Promise<ApiResponse> {
    // Dev mode trusts loopback callers with dev tokens: a page whose name DNS-rebound to 127.0.0.1 is a
    // loopback caller too, but its requests carry its own name in Host. Refused before anything else.
    if (options.devMode && !isLoopbackHost(request.headers.host)) {
      return error('HOST_NOT_ALLOWED', 'The dev API answers only requests for localhost, 127.0.0.1 or [::1] (the Host header).');
    }
    // A request target no URL parser takes (`//[`, `//x:99999/…`) names no route of ours.
    const url = URL.parse(request.url, 'http://localhost');
    if (!url) return error('NOT_FOUND', 'No such route.');
    const origin = request.headers.origin;
    if (request.method === 'OPTIONS') return preflight(url, origin, request);
    // Every answer names itself, and an unexpected error is logged under that name: IT quotes it to support.
    const requestId = randomUUID();
    const response = await answer(request, url, requestId);
    return { ...response, headers: { ...response.headers, ...corsHeaders(origin, allowedOrigins), 'x-request-id': requestId } };
  };

  function candidatesFor(url: URL, request: ApiRequest) {
    const devAllowed = options.devMode && isLoopback(request.remoteAddress);
    return { devAllowed, candidates: compiled.filter((c) => c.match(url.pathname) && (!c.route.devOnly || devAllowed)) };
  }

  /** A CORS preflight: answered for allowed origins only; a plain OPTIONS (no Origin) learns the methods. */
  function preflight(url: URL, origin: string | undefined, request: ApiRequest): ApiResponse {
    const { candidates } = candidatesFor(url, request);
    if (candidates.length === 0) return error('NOT_FOUND', `No route ${url.pathname}.`);
    const methods = candidates.map((c) => c.route.method).join(', ');
    if (origin === undefined) return { status: 204, headers: { ...BASE_HEADERS, allow: `${methods}, OPTIONS` }, body: '' };
    if (!allowedOrigins.has(origin)) return error('FORBIDDEN', 'Pages from this origin may not call the API.', undefined, allowedOrigins.size > 0 ? { vary: 'origin' } : {});
    return {
      status: 204,
      headers: {
        ...BASE_HEADERS,
        'access-control-allow-origin': origin,
        'access-control-allow-methods': methods,
        'access-control-allow-headers': CORS_ALLOWED_HEADERS,
        'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
        vary: 'origin, access-control-request-method, access-control-request-headers',
      },
      body: '',
    };
  }

  async function answer(request: ApiRequest, url: URL, requestId: string): Promise<ApiResponse> {
    const { devAllowed, candidates } = candidatesFor(url, request);
    if (candidates.length === 0) return error('NOT_FOUND', `No route ${url.pathname}.`);
    const entry = candidates.find((c) => c.route.method === request.method);
    if (!entry) {
      return error('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${url.pathname}.`, undefined, { allow: candidates.map((c) => c.route.method).join(', ') });
    }
    const { name, route } = entry;

    try {
      const auth = route.access === 'anyone' ? undefined : await options.verifier.verify(request.headers.authorization, { allowDev: devAllowed });
      if (auth && !auth.ok) return error('UNAUTHENTICATED', auth.reason, undefined, { 'www-authenticate': 'Bearer' });
      const caller = auth?.ok ? auth.caller : undefined;
      if (!isAllowed(route, caller)) return error('FORBIDDEN', 'Your role does not allow this.');

      // Per person, before anything is read or written: a refused request costs no storage call. Changes
      // and reads have a bucket each, so reading never uses up a person's changes or the other way round.
      if (caller) {
        const change = isChange(route.method);
        const limited = await (change ? limiter : readLimiter).take(caller.tenant, caller.id, options.deps.clock.now().getTime());
        if (!limited.allowed) {
          const { perMinute, burst } = limited.policy;
          const what = change ? 'changes' : 'reads';
          return error(
            'RATE_LIMITED',
            `Too many ${what} in a short time (at most ${perMinute} a minute, ${burst} at once). Try again in ${limited.retryAfterSeconds} s; nothing was changed.`,
            { retryAfterSeconds: limited.retryAfterSeconds, perMinute, burst, limit: what },
            { 'retry-after': String(limited.retryAfterSeconds) },
          );
        }
      }

      let file: AsyncIterable<Uint8Array> | undefined;
      if (route.upload) {
        const { maxBytes, contentTypes } = route.upload;
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (!contentTypes.includes(type)) return error('UNSUPPORTED_MEDIA_TYPE', `Send the file as it is, with Content-Type ${contentTypes.join(', ')}.`, { allowed: contentTypes });
        if (Number(request.headers['content-length'] ?? 0) > maxBytes) return error('PAYLOAD_TOO_LARGE', `The file is over ${Math.round(maxBytes / 1024 / 1024)} MB.`, { maxBytes });
        file = limited(request.stream ?? (async function* () { if (request.body) yield request.body; })(), maxBytes);
      }

      let rawBody: unknown;
      if (route.body) {
        const bytes = request.body ?? Buffer.alloc(0);
        if (request.bodyTooLarge || bytes.length > MAX_BODY_BYTES) return error('PAYLOAD_TOO_LARGE', `The body is over ${MAX_BODY_BYTES / 1024} KiB.`);
        if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return error('UNSUPPORTED_MEDIA_TYPE', 'Send JSON with Content-Type: application/json.');
        try {
          rawBody = JSON.parse(bytes.toString('utf8'));
        } catch {
          return error('MALFORMED_JSON', 'The body is not valid JSON.');
        }
      }

      const params = validate(route.params, compilePath(route.path)(url.pathname), 'path');
      if (!params.ok) return params.response;
      const query = validate(route.query, Object.fromEntries(url.searchParams), 'query');
      if (!query.ok) return query.response;
      if (!route.query && [...url.searchParams.keys()].length > 0) return error('VALIDATION_FAILED', 'This route takes no query parameters.');
      const body = validate(route.body, rawBody, 'body');
      if (!body.ok) return body.response;

      const key = request.headers['idempotency-key'];
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return error('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8–64 letters, digits or dashes.');
      if (route.idempotency === 'required' && key === undefined) return error('IDEMPOTENCY_KEY_REQUIRED', 'This change needs an Idempotency-Key header.');
      const fingerprint = createHash('sha256').update(`${route.method} ${url.pathname}\n${stringify(rawBody ?? null)}`).digest('base64url');
      const write = { idempotency: { caller: caller?.id ?? 'anonymous', key: key ?? `auto-${randomUUID()}`, fingerprint } };

      if (caller && !knownMembers.has(`${caller.tenant}|${caller.id}`)) {
        await ensureCallerMember(options.deps, caller);
        if (knownMembers.size > 100_000) knownMembers.clear();
        knownMembers.add(`${caller.tenant}|${caller.id}`);
      }
      // The route's schemas validated the inputs above, so the handler gets the types it declares.
      const handler: (deps: HandlerDeps, input: ValidatedInput) => Promise<AppResult> = HANDLERS[name] as never;
      const result = await handler(options.deps, { caller, params: params.value, query: query.value ?? {}, body: body.value, write, file });
      if (!result.ok) return error(result.code, result.message, result.details);
      if (result.file) {
        const { contentType, fileName, stream } = result.file;
        return {
          status: result.status,
          headers: { ...BASE_HEADERS, 'content-type': `${contentType}; charset=utf-8`, 'content-disposition': `attachment; filename="${fileName.replace(/[^\w. -]/g, '_')}"` },
          body: '',
          stream,
        };
      }
      if (name === 'putSettings' && caller) {
        limiter.forget(caller.tenant);
        readLimiter.forget(caller.tenant);
      }
      if (options.validateResponses) {
        const checked = route.response.safeParse(result.body);
        if (!checked.success) throw new Error(`Response of ${name} breaks the contract: ${JSON.stringify(issues(checked.error))}`);
      }
      return respond(result.status, result.body);
    } catch (e) {
      if (e instanceof StorageUnavailableError) {
        return error('STORAGE_UNAVAILABLE', 'Storage is not answering; nothing was changed that was not confirmed. Try again shortly.', undefined, { 'retry-after': '2' });
      }
      if (e instanceof UploadTooLargeError) return error('PAYLOAD_TOO_LARGE', e.message, { maxBytes: e.maxBytes });
      if (e instanceof InvalidCursorError) return error('VALIDATION_FAILED', e.message, [{ path: 'cursor', message: e.message }]);
      if (e instanceof DirectoryUnavailableError) {
        // Only what needs the directory fails; the message says which part of Microsoft 365 and why.
        const retryAfter = String(Math.min(Math.max(Math.ceil(e.retryAfterSeconds ?? 5), 1), 120));
        return error('DIRECTORY_UNAVAILABLE', directoryMessage(e), { reason: e.reason }, { 'retry-after': retryAfter });
      }
      log(`Unexpected error on ${request.method} ${url.pathname} (request ${requestId})`, e);
      return error('INTERNAL', 'Something went wrong on our side.');
    }
  }
}
