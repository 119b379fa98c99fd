import { createHash, randomUUID } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { z } from 'zod';
import type { ApiErrorCode, RouteDef, RouteName } from '../../src/contract/index.js';
import { ERROR_STATUS, IDEMPOTENCY_KEY, ROUTES, compilePath, errorBody } from '../../src/contract/index.js';
import type { AppResult } from '../app/app-result.js';
import type { Caller } from '../app/caller.js';
import { ensureCallerMember } from '../app/me.js';
import { DirectoryUnavailableError } from '../ports/directory.js';
import { StorageUnavailableError } from '../ports/ledger-store.js';
import type { TokenVerifier } from './auth.js';
import type { HandlerDeps } from './handlers.js';
import { HANDLERS } from './handlers.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { isLoopback } from './http-types.js';

export const MAX_BODY_BYTES = 64 * 1024;

export interface PipelineOptions {
  deps: HandlerDeps;
  verifier: TokenVerifier;
  /** Dev routes and dev tokens; only ever honoured for loopback peers. */
  devMode: boolean;
  /** Check every answer against the contract (on in tests). */
  validateResponses?: boolean;
  log?: (message: string, error?: unknown) => void;
}

/** Inputs after validation against the route's schemas: each handler declares their precise types. */
interface ValidatedInput {
  caller: Caller | undefined;
  params: unknown;
  query: unknown;
  body: unknown;
  write: { idempotency: { caller: string; key: string; fingerprint: string } };
}

const compiled = (Object.entries(ROUTES) as [RouteName, RouteDef][]).map(([name, route]) => ({ name, route, match: compilePath(route.path) }));

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

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
 * The one request pipeline, shared by Azure Functions and the local host: route → authenticate →
 * validate → idempotency → use case → coded answer.
 */
export function createPipeline(options: PipelineOptions): (request: ApiRequest) => Promise<ApiResponse> {
  const log = options.log ?? ((message: string, e?: unknown) => console.error(message, e));
  /** Members whose row is known to exist, so a first-call check costs one read per person, not per call. */
  const knownMembers = new Set<string>();

  return async function handle(request: ApiRequest): Promise<ApiResponse> {
    const url = new URL(request.url, 'http://localhost');
    const devAllowed = options.devMode && isLoopback(request.remoteAddress);
    const candidates = compiled.filter((c) => c.match(url.pathname) && (!c.route.devOnly || devAllowed));
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

      let rawBody: unknown;
      if (route.body) {
        const bytes = request.body ?? Buffer.alloc(0);
        if (bytes.length > MAX_BODY_BYTES) return error('PAYLOAD_TOO_LARGE', `The body is over ${MAX_BODY_BYTES / 1024} KiB.`);
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
      const result = await handler(options.deps, { caller, params: params.value, query: query.value ?? {}, body: body.value, write });
      if (!result.ok) return error(result.code, result.message, result.details);
      if (options.validateResponses) {
        const checked = route.response.safeParse(result.body);
        if (!checked.success) throw new Error(`Response of ${name} breaks the contract: ${JSON.stringify(issues(checked.error))}`);
      }
      return respond(result.status, result.body);
    } catch (e) {
      if (e instanceof StorageUnavailableError) {
        return error('STORAGE_UNAVAILABLE', 'Storage is not answering; nothing was changed that was not confirmed. Try again shortly.', undefined, { 'retry-after': '2' });
      }
      if (e instanceof DirectoryUnavailableError) {
        // Only what needs the directory fails; the message says which part of Microsoft 365 and why.
        const retryAfter = String(Math.min(Math.max(Math.ceil(e.retryAfterSeconds ?? 5), 1), 120));
        return error('DIRECTORY_UNAVAILABLE', directoryMessage(e), { reason: e.reason }, { 'retry-after': retryAfter });
      }
      log(`Unexpected error on ${request.method} ${url.pathname}`, e);
      return error('INTERNAL', 'Something went wrong on our side.');
    }
  };
}
