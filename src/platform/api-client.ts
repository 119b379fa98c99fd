import type { RoutePath, RouteName } from '../contract/paths.js';
import { ROUTE_PATHS, buildPath } from '../contract/paths.js';
import type { BodyOf, ParamsOf, QueryOf, ResponseOf } from '../contract/routes.js';
import type { AuthProvider } from './auth.js';

/** An answer the API refused, with its stable code (`POOL_INSUFFICIENT`, …) and details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Worth trying again as it is: the network or storage hiccuped. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

type Input<N extends RouteName> = (ParamsOf<N> extends undefined ? { params?: undefined } : { params: ParamsOf<N> }) &
  (QueryOf<N> extends undefined ? { query?: undefined } : { query?: QueryOf<N> }) &
  (BodyOf<N> extends undefined ? { body?: undefined } : { body: BodyOf<N> }) & {
    /** One per user action, so a double-clicked submit creates one record. */
    idempotencyKey?: string;
    signal?: AbortSignal;
  };

export type ApiClient = <N extends RouteName>(name: N, input: Input<N>) => Promise<ResponseOf<N>>;

export const newIdempotencyKey = (): string => crypto.randomUUID();

/** The one typed client of the API, built from the shared route table. */
export function createApiClient(auth: AuthProvider, baseUrl: string): ApiClient {
  return async function call<N extends RouteName>(name: N, input: Input<N>): Promise<ResponseOf<N>> {
    const route: RoutePath = ROUTE_PATHS[name];
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries((input.query ?? {}))) {
      if (typeof value === 'number') query.set(key, String(value));
      else if (typeof value === 'string' && value !== '') query.set(key, value);
    }
    const url = `${baseUrl}${buildPath(route.path, (input.params ?? {}))}${query.size ? `?${query}` : ''}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (route.access !== 'anyone') headers.authorization = `Bearer ${await auth.getToken()}`;
    if (input.body !== undefined) headers['content-type'] = 'application/json';
    if (route.idempotency !== 'none') headers['idempotency-key'] = input.idempotencyKey ?? newIdempotencyKey();
    let response: Response;
    try {
      response = await fetch(url, {
        method: route.method,
        headers,
        ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK', 'Credit Desk could not be reached. Check your connection and try again.');
    }
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `The API answered ${response.status}.`, error?.details);
    }
    return json as ResponseOf<N>;
  };
}
