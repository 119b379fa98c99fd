import { GraphError } from '@microsoft/microsoft-graph-client';
import type { GraphReadiness, ProbeResult, ProbedFeature, TokenRoles } from '../../ports/graph-readiness.js';
import type { GraphCallOptions } from './graph-client.js';
import { GRAPH_SCOPE, GraphCalls } from './graph-client.js';

const HOUR_MS = 3_600_000;

/** Graph's words for a refusal, from its error body `{ error: { code, message } }`. */
const refusal = (error: GraphError) => `${error.code ? `${error.code}: ` : ''}${error.message}`;

/**
 * The first-run page's questions to Graph, with the backend's own identity. A probe reads one row of the
 * feature's own API, so it needs exactly the feature's permission: a 401 or 403 means that permission (or,
 * for message trace, the tenant's message trace service principal) is missing. The token's `roles` are read
 * without verifying it: it is the backend's own token, fresh from its credential, and only its claims are wanted.
 */
export class GraphReadinessAdapter implements GraphReadiness {
  private readonly graph: GraphCalls;

  constructor(
    private readonly options: GraphCallOptions & { now?: () => Date },
  ) {
    this.graph = new GraphCalls(options, { timeoutMs: 8_000, maxRetries: 1, noToken: () => new Error('No token for Microsoft Graph.') });
  }

  async probe(tenant: string, feature: ProbedFeature): Promise<ProbeResult> {
    const budget = this.graph.budget(() => new Error(`Graph did not answer within ${this.graph.timeoutMs / 1000} s.`));
    try {
      const client = this.graph.for(tenant);
      const request =
        feature === 'directory'
          ? client.api('/users').select(['id']).top(1)
          : client.api('/admin/exchange/tracing/messageTraces').filter(encodeURIComponent(this.lastHour()).replace(/'/g, '%27')).top(1);
      await Promise.race([budget.prepare(request).get(), budget.expired]);
      return { result: 'granted' };
    } catch (error) {
      if (error instanceof GraphError && (error.statusCode === 401 || error.statusCode === 403)) return { result: 'refused', status: error.statusCode, message: refusal(error) };
      return { result: 'failed', message: error instanceof GraphError && error.statusCode > 0 ? `Graph answered ${error.statusCode} (${refusal(error)})` : error instanceof Error ? error.message : String(error) };
    } finally {
      budget.dispose();
    }
  }

  async tokenRoles(tenant: string): Promise<TokenRoles> {
    try {
      const token = await this.options.credential.getToken(GRAPH_SCOPE, this.options.tokenPerTenant ? { tenantId: tenant } : {});
      if (!token) return { ok: false, message: 'The credential gave no token.' };
      const payload = token.token.split('.')[1] ?? '';
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { roles?: unknown };
      return { ok: true, roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [] };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  private lastHour(): string {
    const now = (this.options.now ?? (() => new Date()))();
    return `receivedDateTime ge ${new Date(now.getTime() - HOUR_MS).toISOString()} and receivedDateTime le ${now.toISOString()}`;
  }
}
