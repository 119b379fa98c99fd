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

/** Graph clients by token audience: one per tenant with a multi-tenant app registration, else one for all. */
export class GraphClients {
  private readonly clients = new Map<string, Client>();

  constructor(private readonly options: Omit<GraphClientOptions, 'tenantId'> & { tokenPerTenant?: boolean | undefined }) {}

  for(tenant: string): Client {
    const key = this.options.tokenPerTenant ? tenant : '';
    let client = this.clients.get(key);
    if (!client) {
      client = createGraphClient({ ...this.options, tenantId: this.options.tokenPerTenant ? tenant : undefined });
      this.clients.set(key, client);
    }
    return client;
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
