import type { Client, GraphRequest } from '@microsoft/microsoft-graph-client';
import { GraphError } from '@microsoft/microsoft-graph-client';
import type { User } from '@microsoft/microsoft-graph-types';
import type { Directory, DirectoryFailure, DirectoryPerson } from '../../ports/directory.js';
import { DIRECTORY_SEARCH_MAX, DirectoryUnavailableError, normaliseDirectoryQuery } from '../../ports/directory.js';
import type { GraphCallOptions } from './graph-client.js';
import { GRAPH_VERSION, GraphCalls, retryAfterSeconds } from './graph-client.js';

export { DEFAULT_GRAPH_BASE_URL, GRAPH_SCOPE } from './graph-client.js';

/** The user properties a directory person is made of; Graph returns only these. */
export const USER_FIELDS = ['id', 'displayName', 'mail', 'userPrincipalName', 'officeLocation', 'department', 'jobTitle'] as const;
type GraphUser = Pick<User, (typeof USER_FIELDS)[number]>;
interface GraphPage {
  value?: GraphUser[];
  '@odata.nextLink'?: string;
}

/** ClientSecretCredential or ManagedIdentityCredential in Azure, a static token for a local stand-in; a look-up's budget 8 s, 3 retries by default. */
export interface GraphDirectoryOptions extends GraphCallOptions {
  /**
   * After the directory failed, later look-ups fail at once for this long (or for its Retry-After when
   * longer) instead of each waiting out the time-out: first sight and requests then go ahead without it.
   */
  cooldownMs?: number;
  /** Pages of a list followed at most (default 5). */
  maxPages?: number;
  /** `$top` of a list request, when smaller than the number wanted (default: all in one page). */
  pageSize?: number;
}

/** A string for an OData literal inside single quotes: a quote is written twice. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A query value for the URL. The Graph client puts query values in as they are, so they are encoded
 * here: `&`, `#`, `+` and `%` in what someone typed must not change the query.
 */
const queryValue = (value: string) => encodeURIComponent(value).replace(/'/g, '%27');

const pick = (field: keyof DirectoryPerson, value: string | null | undefined) => (value?.trim() ? { [field]: value.trim() } : {});

/** A Graph user as a directory person; undefined for entries without any address (no use to Credit Desk). */
export function personOf(user: GraphUser): DirectoryPerson | undefined {
  const email = (user.mail?.trim() || user.userPrincipalName?.trim() || '').toLowerCase();
  if (!user.id || !email) return undefined;
  return {
    id: user.id,
    email,
    displayName: user.displayName?.trim() || email,
    ...pick('office', user.officeLocation),
    ...pick('department', user.department),
    ...pick('jobTitle', user.jobTitle),
  };
}

/** Errors of getting a token (from @azure/identity, or ours when it gives none), by name: the client wraps them. */
const AUTH_ERRORS = new Set(['AuthenticationError', 'AuthenticationRequiredError', 'CredentialUnavailableError', 'AggregateAuthenticationError', 'DirectoryUnavailableError']);
/** Failures that last a while: later look-ups fail at once for the cool-down. A refused query ('failed') does not. */
const LASTING: ReadonlySet<DirectoryFailure> = new Set(['throttled', 'unavailable', 'timeout', 'unauthenticated', 'forbidden']);

/** Every way a Graph call fails, as the port's error; a DirectoryUnavailableError passes through. */
function unavailable(error: unknown, what: string, timedOut: boolean): DirectoryUnavailableError {
  if (error instanceof DirectoryUnavailableError) return error;
  const fail = (reason: DirectoryFailure, message: string, status?: number, retryAfter?: number) =>
    new DirectoryUnavailableError(`The directory could not ${what}: ${message}`, { reason, status, retryAfterSeconds: retryAfter, cause: error });
  if (timedOut) return fail('timeout', 'it did not answer in time.');
  if (error instanceof GraphError) {
    const status = error.statusCode;
    const retryAfter = retryAfterSeconds(error.headers);
    if (status === 429) return fail('throttled', `Graph is throttling (429) and kept doing so over the retries.`, status, retryAfter);
    if (status === 401) return fail('unauthenticated', 'Graph did not accept the app\'s token (401).', status);
    if (status === 403) return fail('forbidden', 'Graph refused (403): the app needs the User.Read.All application permission with admin consent.', status);
    if (status >= 500) return fail('unavailable', `Graph answered ${status}${error.code ? ` (${error.code})` : ''}.`, status, retryAfter);
    if (status > 0) return fail('failed', `Graph answered ${status}${error.code ? ` (${error.code})` : ''}: ${error.message}`, status);
    if (error.code && AUTH_ERRORS.has(error.code)) return fail('unauthenticated', `no token for Graph (${error.code}: ${error.message}).`);
    if (error.code === 'AbortError' || error.code === 'TimeoutError') return fail('timeout', 'it did not answer in time.');
    return fail('unavailable', `Graph could not be reached (${error.code ?? 'network error'}: ${error.message}).`);
  }
  if (error instanceof Error && AUTH_ERRORS.has(error.name)) return fail('unauthenticated', `no token for Graph (${error.name}: ${error.message}).`);
  return fail('unavailable', error instanceof Error ? error.message : String(error));
}

/** The directory in Microsoft Graph v1.0, with the app's own identity (User.Read.All). */
export class GraphDirectoryAdapter implements Directory {
  private readonly versionRoot: string;
  private readonly cooldownMs: number;
  private readonly maxPages: number;
  /** Per tenant, set after a failure: until then, that tenant's look-ups fail at once with it. */
  private readonly tripped = new Map<string, { until: number; error: DirectoryUnavailableError }>();

  private readonly graph: GraphCalls;

  constructor(private readonly options: GraphDirectoryOptions) {
    this.graph = new GraphCalls(options, { timeoutMs: 8_000, maxRetries: 3, noToken: () => new DirectoryUnavailableError('No token for Microsoft Graph.', { reason: 'unauthenticated' }) });
    this.versionRoot = `${this.graph.baseUrl}${GRAPH_VERSION}/`;
    this.cooldownMs = options.cooldownMs ?? 15_000;
    this.maxPages = options.maxPages ?? 5;
  }

  async findById(tenant: string, id: string): Promise<DirectoryPerson | undefined> {
    const trimmed = id.trim();
    // A dot segment would change the path (`/users/..`); Graph ids are GUIDs or UPNs.
    if (!trimmed || trimmed === '.' || trimmed === '..' || trimmed.length > 256) return undefined;
    return this.call(tenant, 'look the person up by id', async (client, prepare) => {
      try {
        const user = (await prepare(client.api(`/users/${encodeURIComponent(trimmed)}`)).select([...USER_FIELDS]).get()) as GraphUser;
        return personOf(user);
      } catch (error) {
        // Nobody by that id (or a malformed one): not an outage.
        if (error instanceof GraphError && (error.statusCode === 404 || error.statusCode === 400)) return undefined;
        throw error;
      }
    });
  }

  async findByEmail(tenant: string, email: string): Promise<DirectoryPerson | undefined> {
    const address = email.trim().toLowerCase();
    if (!address || address.length > 320) return undefined;
    const users = await this.call(tenant, 'look the person up by email', (client, prepare) =>
      this.list(client, prepare, `mail eq ${odataString(address)}`, 1),
    );
    return users.map(personOf).find((p) => p !== undefined);
  }

  async search(tenant: string, query: string, limit: number): Promise<DirectoryPerson[]> {
    const q = normaliseDirectoryQuery(query);
    const top = Math.min(Math.max(Math.trunc(limit), 0), DIRECTORY_SEARCH_MAX);
    if (!q || top === 0) return [];
    const literal = odataString(q);
    const filter = ['displayName', 'mail', 'givenName', 'surname'].map((field) => `startswith(${field},${literal})`).join(' or ');
    const users = await this.call(tenant, 'search', (client, prepare) => this.list(client, prepare, filter, top));
    const seen = new Set<string>();
    const people: DirectoryPerson[] = [];
    for (const person of users.map(personOf)) {
      if (!person || seen.has(person.id)) continue;
      seen.add(person.id);
      people.push(person);
    }
    return people.slice(0, top);
  }

  /** `/users?$filter=…`, following `@odata.nextLink` until `max` users or `maxPages` pages. */
  private async list(client: Client, prepare: (r: GraphRequest) => GraphRequest, filter: string, max: number): Promise<GraphUser[]> {
    const users: GraphUser[] = [];
    const top = Math.min(max, this.options.pageSize ?? max);
    let request = prepare(client.api('/users')).filter(queryValue(filter)).select([...USER_FIELDS]).top(top);
    for (let page = 1; ; page++) {
      const answer = (await request.get()) as GraphPage;
      users.push(...(answer.value ?? []));
      const next = answer['@odata.nextLink'];
      if (!next || users.length >= max || page >= this.maxPages) break;
      request = prepare(client.api(this.relativeToVersion(next)));
    }
    return users.slice(0, max);
  }

  /** A next-page link as a path under the version root; a link anywhere else is refused (it would get no token anyway). */
  private relativeToVersion(link: string): string {
    if (!link.startsWith(this.versionRoot)) {
      throw new DirectoryUnavailableError(`The directory sent a next-page link outside ${this.versionRoot}.`, { reason: 'failed' });
    }
    return `/${link.slice(this.versionRoot.length)}`;
  }


  /**
   * One look-up within the time budget: an AbortController cancels the request when it runs out, and a
   * retry whose wait would go past it is not made (the 429 or 503 is answered as it is). A failure
   * becomes DirectoryUnavailableError and trips the cool-down.
   */
  private async call<T>(tenant: string, what: string, run: (client: Client, prepare: (r: GraphRequest) => GraphRequest) => Promise<T>): Promise<T> {
    const now = Date.now();
    const tripped = this.tripped.get(tenant);
    if (tripped && now < tripped.until) throw tripped.error;
    const budget = this.graph.budget(() => new DirectoryUnavailableError(`The directory could not ${what}: it did not answer within ${this.graph.timeoutMs / 1000} s.`, { reason: 'timeout' }));
    try {
      const result = await Promise.race([run(this.graph.for(tenant), budget.prepare), budget.expired]);
      this.tripped.delete(tenant);
      return result;
    } catch (error) {
      const mapped = unavailable(error, what, budget.signal.aborted);
      const waitMs = Math.max(this.cooldownMs, (mapped.retryAfterSeconds ?? 0) * 1000);
      if (waitMs > 0 && LASTING.has(mapped.reason)) this.tripped.set(tenant, { until: Date.now() + waitMs, error: mapped });
      throw mapped;
    } finally {
      budget.dispose();
    }
  }
}
