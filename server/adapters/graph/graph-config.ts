import type { AccessToken, TokenCredential } from '@azure/identity';
import { ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import type { GraphCallOptions } from './graph-client.js';
import { DEFAULT_GRAPH_BASE_URL, GraphDirectoryAdapter } from './graph-directory.js';

/** A credential that always gives the same token: for a local Graph stand-in and tests, never for Graph itself. */
export function staticTokenCredential(token: string, lifetimeMs = 3_600_000): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + lifetimeMs, tokenType: 'Bearer' }),
  };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The application permissions a local app token carries by default. */
export const LOCAL_APP_ROLES: readonly string[] = ['User.Read.All', 'ExchangeMessageTrace.Read.All', 'TeamsActivity.Send', 'Mail.Send'];

/**
 * An unsigned app-only token (`alg: none`) with the claims a Graph stand-in may read: tenant, app and the
 * roles (default LOCAL_APP_ROLES). A local stand-in reads it without verifying; Microsoft Graph would refuse it.
 */
export function localGraphToken(tenant: string, appId = '00000000-0000-4000-8000-00000000c0de', roles: readonly string[] = LOCAL_APP_ROLES): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${tenant}/`, tid: tenant, appid: appId, idtyp: 'app', roles: [...roles], iat: now, nbf: now, exp: now + 3600 };
  return `${base64url({ typ: 'JWT', alg: 'none' })}.${base64url(claims)}.`;
}

const isLoopbackHttp = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);

/** How the backend reaches Graph: its credential and address, shared by the directory, message trace and notifications. */
export type GraphAccess = GraphCallOptions;

/**
 * Graph access from the environment, or undefined when none is configured:
 * - `CREDIT_DESK_GRAPH_BASE_URL`: Graph's root without the version (default https://graph.microsoft.com/);
 * - a client secret: `CREDIT_DESK_GRAPH_TENANT_ID`, `CREDIT_DESK_GRAPH_CLIENT_ID`, `CREDIT_DESK_GRAPH_CLIENT_SECRET`;
 * - or a managed identity: `CREDIT_DESK_GRAPH_MANAGED_IDENTITY=1` (and `CREDIT_DESK_GRAPH_CLIENT_ID` for a user-assigned one);
 * - or, for a stand-in on this machine only, `CREDIT_DESK_GRAPH_STATIC_TOKEN` (any JWT the stand-in accepts, or `local`);
 * - `CREDIT_DESK_GRAPH_MULTI_TENANT=1`: tokens per tenant (a multi-tenant app registration with a client secret);
 * - `CREDIT_DESK_GRAPH_TIMEOUT_MS`: one look-up's budget (default 8000).
 */
export function graphAccessFromEnv(env: NodeJS.ProcessEnv = process.env): GraphAccess | undefined {
  const baseUrl = env.CREDIT_DESK_GRAPH_BASE_URL?.trim() || DEFAULT_GRAPH_BASE_URL;
  const tenantId = env.CREDIT_DESK_GRAPH_TENANT_ID?.trim();
  const clientId = env.CREDIT_DESK_GRAPH_CLIENT_ID?.trim();
  const secret = env.CREDIT_DESK_GRAPH_CLIENT_SECRET;
  const multiTenant = env.CREDIT_DESK_GRAPH_MULTI_TENANT === '1';
  const timeout = Number(env.CREDIT_DESK_GRAPH_TIMEOUT_MS);
  const common = { baseUrl, tokenPerTenant: false, ...(Number.isFinite(timeout) && timeout > 0 ? { timeoutMs: timeout } : {}) };

  if (!baseUrl.startsWith('https://') && !isLoopbackHttp(baseUrl)) {
    throw new Error('CREDIT_DESK_GRAPH_BASE_URL must be https:// (plain http only for a stand-in on this machine).');
  }
  if (env.CREDIT_DESK_GRAPH_STATIC_TOKEN) {
    if (!isLoopbackHttp(baseUrl)) throw new Error('CREDIT_DESK_GRAPH_STATIC_TOKEN is only for a Graph stand-in on http://127.0.0.1.');
    const token = env.CREDIT_DESK_GRAPH_STATIC_TOKEN === 'local' ? localGraphToken(tenantId ?? 'local') : env.CREDIT_DESK_GRAPH_STATIC_TOKEN;
    return { ...common, credential: staticTokenCredential(token) };
  }
  if (tenantId && clientId && secret) {
    const credential = new ClientSecretCredential(tenantId, clientId, secret, multiTenant ? { additionallyAllowedTenants: ['*'] } : {});
    return { ...common, credential, tokenPerTenant: multiTenant };
  }
  if (env.CREDIT_DESK_GRAPH_MANAGED_IDENTITY === '1') {
    const credential = clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
    return { ...common, credential };
  }
  return undefined;
}

/** The Graph directory from the environment (see graphAccessFromEnv), or undefined when none is configured. */
export function graphDirectoryFromEnv(env: NodeJS.ProcessEnv = process.env): GraphDirectoryAdapter | undefined {
  const access = graphAccessFromEnv(env);
  return access ? new GraphDirectoryAdapter(access) : undefined;
}
