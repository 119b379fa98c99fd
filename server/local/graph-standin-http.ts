/** The HTTP side of the Graph stand-in: Graph errors, reading the caller from a token, query options, failure windows. */
import type { IncomingMessage } from 'node:http';
import type { StandInUser } from './graph-standin-data.js';
import { QueryError } from './graph-standin-odata.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Window {
  remaining?: number;
  until?: number;
}

export type Caller = { app: true; roles?: string[] } | { app: false; hint: string; user?: StandInUser };

export const FAILURES: Record<number, [code: string, message: string]> = {
  429: ['TooManyRequests', 'Too many requests. Retry after the time given in the Retry-After header.'],
  503: ['serviceNotAvailable', 'The service is temporarily unavailable. Please retry later.'],
  500: ['generalException', 'An internal server error occurred.'],
};

export const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Who the token is for. Not verified: only the payload is read. `scp` means delegated; `idtyp: app` or `roles` or no user claim means the app. */
export function identify(authorization: string | undefined, users: StandInUser[]): Caller {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  const parts = token.split('.');
  let claims: unknown;
  try {
    claims = parts.length === 3 ? JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) : undefined;
  } catch {
    claims = undefined;
  }
  if (!isObject(claims)) throw new GraphError(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed: the payload is not base64url-encoded JSON.');
  const hint = [claims.oid, claims.preferred_username, claims.upn, claims.email].find((c): c is string => typeof c === 'string' && c !== '');
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : undefined;
  const delegated = claims.idtyp !== 'app' && hint !== undefined && (typeof claims.scp === 'string' || roles === undefined);
  if (!delegated) return { app: true, ...(roles ? { roles } : {}) };
  const byId = typeof claims.oid === 'string' ? users.find((u) => u.id.toLowerCase() === (claims.oid as string).toLowerCase()) : undefined;
  const byMail = [claims.preferred_username, claims.upn, claims.email]
    .filter((c): c is string => typeof c === 'string')
    .map((c) => users.find((u) => u.mail.toLowerCase() === c.toLowerCase() || u.userPrincipalName.toLowerCase() === c.toLowerCase()))
    .find(Boolean);
  const user = byId ?? byMail;
  return { app: false, hint, ...(user ? { user } : {}) };
}

/**
 * The Graph SDK (v3) strips only `https://` bases from absolute URLs, so its PageIterator turns an http
 * nextLink into `/v1.0/http:/127.0.0.1:PORT/v1.0/users?…`. Such a path, naming this stand-in, is read as
 * the inner one, so SDK paging works here as it does against graph.microsoft.com.
 */
export function sdkPathFix(segments: string[], host: string): string[] {
  const [, scheme, embeddedHost] = segments;
  return /^https?:$/.test(scheme ?? '') && embeddedHost?.toLowerCase() === host.toLowerCase() ? segments.slice(3) : segments;
}

/** A query option by name, with or without the `$` (Graph v1.0 takes both). */
export function param(query: URLSearchParams, name: string): string | undefined {
  return query.get(`$${name}`) ?? query.get(name) ?? undefined;
}

export function parseQuery<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof QueryError) throw new GraphError(400, 'BadRequest', error.message);
    throw error;
  }
}

export function decodeSkipToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (isObject(parsed) && Number.isInteger(parsed.o) && (parsed.o as number) >= 0) return parsed.o as number;
  } catch {
    // answered below
  }
  throw new GraphError(400, 'BadRequest', 'The $skiptoken is not valid.');
}

export function notFound(path: string): GraphError {
  return new GraphError(404, 'Request_ResourceNotFound', `Resource not found for the segment '${path.split('/').filter(Boolean).pop() ?? '/'}'.`);
}

export function checkWindow(options: object, names: string[]): void {
  for (const name of names) {
    const value = (options as Record<string, unknown>)[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) throw new RangeError(`${name} must be a whole number ≥ 0`);
  }
}

export function windowOf(options: { count?: number; ms?: number }): Window {
  return { ...(options.count !== undefined ? { remaining: options.count } : {}), ...(options.ms !== undefined ? { until: Date.now() + options.ms } : {}) };
}

/** Whether a window still applies: any given limit holds, or none was given (until reset). */
export function holds(w: Window): boolean {
  if (w.remaining === undefined && w.until === undefined) return true;
  return (w.remaining ?? 0) > 0 || (w.until ?? 0) > Date.now();
}

/** Whether this request falls in the window, counting it. */
export function takes(w: Window): boolean {
  if (!holds(w)) return false;
  if (w.remaining !== undefined && w.remaining > 0) w.remaining--;
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new GraphError(413, 'RequestBodyTooLarge', `The body is over ${MAX_BODY_BYTES} bytes.`);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GraphError(400, 'BadRequest', 'Unable to read JSON request payload.');
  }
}
