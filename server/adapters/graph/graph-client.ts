import type { TokenCredential } from '@azure/identity';
import type { AuthenticationProvider, Context, GraphRequest, Middleware } from '@microsoft/microsoft-graph-client';
import { Client, HTTPMessageHandler, RetryHandler, RetryHandlerOptions, TelemetryHandler } from '@microsoft/microsoft-graph-client';

/**
 * How Credit Desk's server-side Graph adapters (the directory, notifications) build their Graph client and
 * bound each call: an origin-bound authentication handler, bounded retries that honour Retry-After, and a
 * time budget per call.
 */

/** The app's own permissions in Microsoft Graph (granted by an admin), as one scope. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/';
export const GRAPH_VERSION = 'v1.0';

/** Graph's root as given (default: graph.microsoft.com), with a trailing slash; no query or fragment. */
export function graphBaseUrl(baseUrl: string | undefined): string {
  const base = new URL(baseUrl ?? DEFAULT_GRAPH_BASE_URL);
  if (base.search || base.hash) throw new Error('The Graph base URL takes no query or fragment.');
  return base.href.endsWith('/') ? base.href : `${base.href}/`;
}

/**
 * Adds the app's token to requests for the configured Graph origin only. The client's own
 * AuthenticationHandler recognises https Graph hosts only, so it would send no token to a stand-in on
 * http://127.0.0.1; this one sends it exactly where the adapter was pointed, and nowhere else (a
 * `@odata.nextLink` to another host gets none).
 */
class GraphOriginAuthenticationHandler implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly provider: AuthenticationProvider,
    private readonly origin: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const headers = new Headers(context.options?.headers);
    if (new URL(url).origin === this.origin) headers.set('Authorization', `Bearer ${await this.provider.getAccessToken()}`);
    else headers.delete('Authorization');
    context.options = { ...context.options, headers: Object.fromEntries(headers) };
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const value = headers?.get('Retry-After');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(seconds, 0);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max((at - Date.now()) / 1000, 0);
}

export interface GraphClientOptions {
  credential: TokenCredential;
  /** From graphBaseUrl(). */
  baseUrl: string;
  /** Ask for this tenant's token (`getToken(scope, { tenantId })`): a multi-tenant app registration. */
  tenantId?: string | undefined;
  retryDelaySeconds: number;
  maxRetries: number;
  /** The error thrown when the credential gives no token. */
  noToken: () => Error;
}

/** A Graph client: the default chain, with an origin-bound authentication handler and bounded retries. */
export function createGraphClient(options: GraphClientOptions): Client {
  const { credential, tenantId, noToken } = options;
  const provider: AuthenticationProvider = {
    getAccessToken: async () => {
      const token = await credential.getToken(GRAPH_SCOPE, tenantId !== undefined ? { tenantId } : {});
      if (!token) throw noToken();
      return token.token;
    },
  };
  return Client.initWithMiddleware({
    baseUrl: options.baseUrl,
    defaultVersion: GRAPH_VERSION,
    middleware: [
      new GraphOriginAuthenticationHandler(provider, new URL(options.baseUrl).origin),
      new RetryHandler(new RetryHandlerOptions(options.retryDelaySeconds, options.maxRetries)),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
  });
}

/** What every Graph adapter takes: its identity, where Graph is, and how long and how often to try. */
export interface GraphCallOptions {
  credential: TokenCredential;
  /** Graph's root without the version (default https://graph.microsoft.com/) or a stand-in's address. */
  baseUrl?: string | undefined;
  /** Tokens per tenant (a multi-tenant app registration). */
  tokenPerTenant?: boolean | undefined;
  /** One call's whole budget, retries and their waits included. */
  timeoutMs?: number | undefined;
  /** Retries of a 429, 503 or 504 after the first try (at most 10). */
  maxRetries?: number | undefined;
  /** Wait before a retry when Graph sends no Retry-After, in seconds; it grows with each attempt (default 1). */
  retryDelaySeconds?: number | undefined;
}

/**
 * An adapter's way to Graph: the settings with their defaults, one client per token audience (per tenant
 * with a multi-tenant app registration, else one for all), and a time budget per call.
 */
export class GraphCalls {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryDelaySeconds: number;
  private readonly clients = new Map<string, Client>();

  constructor(
    private readonly options: GraphCallOptions,
    defaults: { timeoutMs: number; maxRetries: number; noToken: () => Error },
  ) {
    this.baseUrl = graphBaseUrl(options.baseUrl);
    this.timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    this.maxRetries = Math.min(Math.max(options.maxRetries ?? defaults.maxRetries, 0), 10);
    this.retryDelaySeconds = options.retryDelaySeconds ?? 1;
    this.noToken = defaults.noToken;
  }

  private readonly noToken: () => Error;

  for(tenant: string): Client {
    const key = this.options.tokenPerTenant ? tenant : '';
    let client = this.clients.get(key);
    if (!client) {
      client = createGraphClient({
        credential: this.options.credential,
        baseUrl: this.baseUrl,
        tenantId: this.options.tokenPerTenant ? tenant : undefined,
        retryDelaySeconds: this.retryDelaySeconds,
        maxRetries: this.maxRetries,
        noToken: this.noToken,
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** A time budget for one call (see callBudget). */
  budget(onTimeout: () => Error): CallBudget {
    return callBudget({ timeoutMs: this.timeoutMs, retryDelaySeconds: this.retryDelaySeconds, maxRetries: this.maxRetries, onTimeout });
  }
}

export interface CallBudget {
  /** Puts the budget's abort signal and retry rule on a request. */
  prepare: (request: GraphRequest) => GraphRequest;
  signal: AbortSignal;
  /** Rejects with `onTimeout()` when the budget runs out (and aborts the request); race the call against it. */
  expired: Promise<never>;
  /** Call when done (in a finally): stops the timer and aborts whatever is still running. */
  dispose: () => void;
}

/**
 * One call's time budget, retries and their waits included: an AbortController cancels the request when
 * it runs out, and a retry whose wait would go past it is not made (the 429 or 503 is answered as it is).
 */
export function callBudget(options: { timeoutMs: number; retryDelaySeconds: number; maxRetries: number; onTimeout: () => Error }): CallBudget {
  const deadline = Date.now() + options.timeoutMs;
  const controller = new AbortController();
  const shouldRetry = (_delay: number, attempt: number, _request: RequestInfo, _options: unknown, response: Response) => {
    const wait = retryAfterSeconds(response.headers) ?? options.retryDelaySeconds * 2 ** attempt;
    return !controller.signal.aborted && Date.now() + wait * 1000 < deadline;
  };
  const retry = new RetryHandlerOptions(options.retryDelaySeconds, options.maxRetries, shouldRetry);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(options.onTimeout());
    }, options.timeoutMs);
  });
  return {
    prepare: (request) => request.option('signal', controller.signal).middlewareOptions([retry]),
    signal: controller.signal,
    expired,
    dispose: () => {
      clearTimeout(timer);
      controller.abort();
    },
  };
}
