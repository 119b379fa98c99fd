import { randomUUID } from 'node:crypto';
import type { RateLimitPolicy } from '../../src/core/policy/index.js';
import { policyOf } from '../app/deps.js';
import { ensureCallerMember } from '../app/me.js';
import type { TokenVerifier } from './auth.js';
import type { ApiRequest, ApiResponse } from './http-types.js';
import { isLoopback, isLoopbackHost } from './http-types.js';
import { error } from './steps/answers.js';
import { authenticate } from './steps/authenticate.js';
import { corsHeaders, preflight } from './steps/cors.js';
import { fingerprint } from './steps/fingerprint.js';
import { mapError } from './steps/map-errors.js';
import { parse } from './steps/parse.js';
import { provisioner } from './steps/provision.js';
import { RateLimits } from './steps/rate-limit.js';
import { route } from './steps/route.js';
import { run } from './steps/run.js';
import { validate } from './steps/validate.js';
import type { UseCaseDeps } from './use-cases.js';

export interface PipelineOptions {
  deps: UseCaseDeps;
  verifier: TokenVerifier;
  /** Dev routes and dev tokens; only ever honoured for loopback peers. Every request then needs a loopback `Host`. */
  devMode: boolean;
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

/**
 * The one request pipeline, shared by Azure Functions and the local host: route → authenticate →
 * rate-limit → parse → validate → fingerprint → provision → run the use case; what any step throws is
 * mapped to a coded answer. Each step is in steps/ and answers the request itself when it refuses it.
 */
export function createPipeline(options: PipelineOptions): (request: ApiRequest) => Promise<ApiResponse> {
  const { deps } = options;
  const log = options.log ?? ((message: string, e?: unknown) => console.error(message, e));
  const allowedOrigins: ReadonlySet<string> = new Set(options.allowedOrigins ?? []);
  const limits = new RateLimits((tenant) => policyOf(deps, tenant), options.fixedRateLimit);
  const provision = provisioner((caller) => ensureCallerMember(deps, caller));

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
    const devAllowed = options.devMode && isLoopback(request.remoteAddress);
    if (request.method === 'OPTIONS') return preflight(url.pathname, origin, allowedOrigins, devAllowed);
    // Every answer names itself, and an unexpected error is logged under that name: IT quotes it to support.
    const requestId = randomUUID();
    const response = await answer(request, url, devAllowed, requestId);
    return { ...response, headers: { ...response.headers, ...corsHeaders(origin, allowedOrigins), 'x-request-id': requestId } };
  };

  async function answer(request: ApiRequest, url: URL, devAllowed: boolean, requestId: string): Promise<ApiResponse> {
    const routed = route(request.method, url.pathname, devAllowed);
    if (!routed.ok) return routed.response;
    const { name, route: def } = routed.value;
    try {
      const caller = await authenticate(def, request.headers.authorization, options.verifier, devAllowed);
      if (!caller.ok) return caller.response;
      const limited = await limits.limit(def.method, caller.value, deps.clock.now().getTime());
      if (!limited.ok) return limited.response;
      const parsed = parse(def, request);
      if (!parsed.ok) return parsed.response;
      const input = validate(def, url, parsed.value.rawBody);
      if (!input.ok) return input.response;
      const write = fingerprint(def, request.headers['idempotency-key'], caller.value, url.pathname, parsed.value.rawBody);
      if (!write.ok) return write.response;
      await provision(caller.value);
      const response = await run(name, def, deps, caller.value, { ...input.value, write: write.value, file: parsed.value.file }, request.headers.accept);
      // New settings may carry new limits: this process reads them again at once.
      if (name === 'putSettings' && caller.value && response.status < 300) limits.forget(caller.value.tenant);
      return response;
    } catch (e) {
      return mapError(e, () => log(`Unexpected error on ${request.method} ${url.pathname} (request ${requestId})`, e));
    }
  }
}
