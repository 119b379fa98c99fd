import type { ApiResponse } from '../http-types.js';
import { BASE_HEADERS, error } from './answers.js';
import { routesAt } from './route.js';

/** The request headers a page on an allowed origin may send (CORS preflight). */
export const CORS_ALLOWED_HEADERS = 'authorization, content-type, idempotency-key';
/** Response headers a page on an allowed origin may read beyond the safelisted ones. */
const CORS_EXPOSED_HEADERS = 'retry-after, www-authenticate, allow, x-request-id';
/** How long a browser may cache a preflight answer (Chromium caps it at 2 hours). */
export const CORS_MAX_AGE_SECONDS = 7200;

/** The CORS headers for an answer to `origin`: only an allowed origin is named; the answer varies by Origin. */
export function corsHeaders(origin: string | undefined, allowed: ReadonlySet<string>): Record<string, string> {
  if (allowed.size === 0) return {};
  if (origin === undefined || !allowed.has(origin)) return { vary: 'origin' };
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS_EXPOSED_HEADERS, vary: 'origin' };
}

/** A CORS preflight: answered for allowed origins only; a plain OPTIONS (no Origin) learns the methods. */
export function preflight(pathname: string, origin: string | undefined, allowed: ReadonlySet<string>, devAllowed: boolean): ApiResponse {
  const candidates = routesAt(pathname, devAllowed);
  if (candidates.length === 0) return error('NOT_FOUND', `No route ${pathname}.`);
  const methods = candidates.map((c) => c.route.method).join(', ');
  if (origin === undefined) return { status: 204, headers: { ...BASE_HEADERS, allow: `${methods}, OPTIONS` }, body: '' };
  if (!allowed.has(origin)) return error('FORBIDDEN', 'Pages from this origin may not call the API.', undefined, allowed.size > 0 ? { vary: 'origin' } : {});
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
