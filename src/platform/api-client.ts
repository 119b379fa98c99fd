import type { RoutePath, RouteName } from '../contract/paths.js';
import { ROUTE_PATHS, buildPath } from '../contract/paths.js';
import type { BodyOf, ParamsOf, QueryOf, ResponseOf } from '../contract/routes.js';
import type { AuthProvider } from './auth.js';
import { saveBlob } from './save-file.js';

/** An answer the API refused, with its stable code (`POOL_INSUFFICIENT`, …), details, and the id support finds it by. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
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

/** Routes whose body is a file (`upload` in the route table), and routes that answer with one (`produces`). */
export type UploadRouteName = { [N in RouteName]: (typeof ROUTE_PATHS)[N] extends { upload: object } ? N : never }[RouteName];
export type FileRouteName = { [N in RouteName]: (typeof ROUTE_PATHS)[N] extends { produces: 'text/csv' } ? N : never }[RouteName];

export interface UploadProgress {
  /** Bytes sent so far, and of how many. */
  loaded: number;
  total: number;
}

type ParamsInput<N extends RouteName> = ParamsOf<N> extends undefined ? { params?: undefined } : { params: ParamsOf<N> };

export type UploadInput<N extends UploadRouteName> = ParamsInput<N> & {
  query: QueryOf<N>;
  /** Sent as it is, as the request body (a `File` from a picker or a drop). */
  file: Blob;
  /** As the bytes go out (XMLHttpRequest's upload progress: fetch has none). */
  onProgress?: (progress: UploadProgress) => void;
  /** Every byte is sent; the answer comes once the server has read the file. */
  onSent?: () => void;
  signal?: AbortSignal;
};

export type DownloadInput<N extends FileRouteName> = ParamsInput<N> &
  (QueryOf<N> extends undefined ? { query?: undefined } : { query?: QueryOf<N> }) & {
    /** The name the browser saves the file under. */
    fileName: string;
    signal?: AbortSignal;
  };

export interface ApiClient {
  <N extends RouteName>(name: N, input: Input<N>): Promise<ResponseOf<N>>;
  /** Sends a file as the raw body of an upload route, with progress; answers as the other calls do. */
  upload<N extends UploadRouteName>(name: N, input: UploadInput<N>): Promise<ResponseOf<N>>;
  /** Fetches a file route's answer with the caller's token and hands it to the browser as a download. */
  download<N extends FileRouteName>(name: N, input: DownloadInput<N>): Promise<void>;
}

export const newIdempotencyKey = (): string => crypto.randomUUID();

const NETWORK_MESSAGE = 'Credit Desk could not be reached. Check your connection and try again.';

/** The URL of a route with its path parameters and query filled in. */
function urlOf(baseUrl: string, route: RoutePath, params: Record<string, string> | undefined, input: object | undefined): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input ?? {})) {
    if (typeof value === 'number') query.set(key, String(value));
    else if (typeof value === 'string' && value !== '') query.set(key, value);
  }
  return `${baseUrl}${buildPath(route.path, params ?? {})}${query.size ? `?${query}` : ''}`;
}

/** The header the API names each answer by (in its log too), for support. */
const REQUEST_ID = 'x-request-id';

/** The coded error of a refused answer, from its JSON body where it has one. */
function errorOf(status: number, text: string, requestId: string | null): ApiError {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  return new ApiError(status, error?.code ?? `HTTP_${status}`, error?.message ?? `The API answered ${status}.`, error?.details, requestId ?? undefined);
}

const abortError = () => new DOMException('The upload was cancelled.', 'AbortError');

/** The one typed client of the API, built from the shared route table. */
export function createApiClient(auth: AuthProvider, baseUrl: string): ApiClient {
  const authorization = async (route: RoutePath): Promise<Record<string, string>> => (route.access === 'anyone' ? {} : { authorization: `Bearer ${await auth.getToken()}` });

  async function call<N extends RouteName>(name: N, input: Input<N>): Promise<ResponseOf<N>> {
    const route: RoutePath = ROUTE_PATHS[name];
    const url = urlOf(baseUrl, route, input.params, input.query);
    const headers: Record<string, string> = { accept: route.produces ?? 'application/json', ...(await authorization(route)) };
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
      throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE);
    }
    const text = await response.text();
    if (!response.ok) throw errorOf(response.status, text, response.headers.get(REQUEST_ID));
    // A file route answers with the file's text, not JSON.
    if (route.produces) return text as ResponseOf<N>;
    return (text ? JSON.parse(text) : undefined) as ResponseOf<N>;
  }

  async function upload<N extends UploadRouteName>(name: N, input: UploadInput<N>): Promise<ResponseOf<N>> {
    const route: RoutePath = ROUTE_PATHS[name];
    const allowed = route.upload?.contentTypes ?? [];
    // The browser's type where the route takes it (Windows calls a .csv application/vnd.ms-excel), else CSV:
    // the server reads the bytes to decide what the file really is.
    const contentType = allowed.includes(input.file.type) ? input.file.type : (allowed[0] ?? 'text/csv');
    const headers = { accept: 'application/json', 'content-type': contentType, ...(await authorization(route)) };
    if (input.signal?.aborted) throw abortError();
    return new Promise<ResponseOf<N>>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(route.method, urlOf(baseUrl, route, input.params, input.query));
      for (const [header, value] of Object.entries(headers)) xhr.setRequestHeader(header, value);
      const total = input.file.size;
      xhr.upload.onprogress = (event) => input.onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : total });
      xhr.upload.onload = () => {
        input.onProgress?.({ loaded: total, total });
        input.onSent?.();
      };
      const onAbort = () => xhr.abort();
      input.signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => input.signal?.removeEventListener('abort', onAbort);
      xhr.onload = () => {
        done();
        const text = xhr.responseText;
        if (xhr.status < 200 || xhr.status >= 300) return reject(errorOf(xhr.status, text, xhr.getResponseHeader(REQUEST_ID)));
        try {
          resolve((text ? JSON.parse(text) : undefined) as ResponseOf<N>);
        } catch {
          reject(new ApiError(xhr.status, 'MALFORMED_ANSWER', 'Credit Desk answered with something that is not JSON.'));
        }
      };
      xhr.onerror = () => {
        done();
        reject(new ApiError(0, 'NETWORK', NETWORK_MESSAGE));
      };
      xhr.onabort = () => {
        done();
        reject(abortError());
      };
      xhr.send(input.file);
    });
  }

  async function download<N extends FileRouteName>(name: N, input: DownloadInput<N>): Promise<void> {
    const route: RoutePath = ROUTE_PATHS[name];
    const headers = { accept: route.produces ?? '*/*', ...(await authorization(route)) };
    let response: Response;
    try {
      response = await fetch(urlOf(baseUrl, route, input.params, input.query), { method: route.method, headers, ...(input.signal ? { signal: input.signal } : {}) });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiError(0, 'NETWORK', NETWORK_MESSAGE);
    }
    if (!response.ok) throw errorOf(response.status, await response.text(), response.headers.get(REQUEST_ID));
    saveBlob(input.fileName, await response.blob());
  }

  return Object.assign(call, { upload, download });
}
