import type { Clock } from '../../ports/clock.js';
import type { SecretStore } from '../../ports/secret-store.js';
import type { AutodeskConnection } from '../../ports/usage-source.js';
import { UsageSourceError } from '../../ports/usage-source.js';
import type { ApsAuthClient } from '../../ports/aps-auth.js';
import { secretName } from './secret-names.js';

/**
 * What a UsageSource calls before each request to Autodesk: a bearer token that is good for a while yet;
 * `refresh: true` (after Autodesk answered 401 to the one held) gets a new one instead of the one held.
 */
export type AccessTokenGetter = (options?: { refresh?: boolean }) => Promise<string>;

/** A token is renewed this long before it runs out, so no request leaves with one about to expire. */
export const RENEW_BEFORE_MS = 5 * 60 * 1000;

export interface AccessTokenDeps {
  secrets: SecretStore;
  aps: ApsAuthClient;
  clock: Clock;
  /** Autodesk refused the credentials for good: the connection is marked disconnected with the reason. */
  onRefused: (reason: string) => Promise<void>;
}

/** One token at a time per getter: the calls that arrive while it is fetched share it. */
function cached(fetch: () => Promise<{ accessToken: string; expiresAt: number }>, clock: Clock): AccessTokenGetter {
  let token: { accessToken: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return (options) => {
    if (options?.refresh) token = undefined;
    if (token && token.expiresAt - RENEW_BEFORE_MS > clock.now().getTime()) return Promise.resolve(token.accessToken);
    pending ??= fetch()
      .then((fresh) => {
        token = fresh;
        return fresh.accessToken;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

const refused = (error: unknown) => error instanceof UsageSourceError && error.code === 'disconnected';

async function reportRefusal(deps: AccessTokenDeps, error: unknown): Promise<never> {
  if (refused(error)) await deps.onRefused((error as UsageSourceError).message);
  throw error;
}

/**
 * 3-legged: the stored refresh token buys an access token, and APS answers a new refresh token with it
 * (the one used stops working). The new one is written to the SecretStore **before** the access token is
 * used, so a pull that crashes afterwards never leaves only a spent token behind. A crash between APS's
 * answer and that write loses the new token: the next refresh with the old one is refused (invalid_grant),
 * the connection is marked disconnected and IT connects again; nothing is pulled or posted meanwhile.
 *
 * Another instance may have refreshed first (both read the same token): APS refuses the one we hold as
 * used, but the store then has a newer one, which is tried before the connection is called disconnected.
 */
export function threeLeggedTokens(deps: AccessTokenDeps, tenant: string, connection: AutodeskConnection): AccessTokenGetter {
  const name = secretName(tenant, connection.kind, 'refresh-token');
  const refreshWith = async (refreshToken: string) => {
    const tokens = await deps.aps.refresh(refreshToken);
    await deps.secrets.set(name, tokens.refreshToken);
    return tokens;
  };
  return cached(async () => {
    const held = await deps.secrets.get(name);
    if (!held) return reportRefusal(deps, new UsageSourceError('disconnected', 'No Autodesk refresh token is kept for this connection.'));
    try {
      return await refreshWith(held);
    } catch (error) {
      if (!refused(error)) throw error;
      const newer = await deps.secrets.get(name);
      if (newer && newer !== held) return refreshWith(newer).catch((again: unknown) => reportRefusal(deps, again));
      return reportRefusal(deps, error);
    }
  }, deps.clock);
}

/** 2-legged: the firm's APS app's client id (in the connection) and secret (in the SecretStore). */
export function twoLeggedTokens(deps: AccessTokenDeps, tenant: string, connection: AutodeskConnection): AccessTokenGetter {
  return cached(async () => {
    const clientSecret = await deps.secrets.get(secretName(tenant, connection.kind, 'client-secret'));
    if (!clientSecret) return reportRefusal(deps, new UsageSourceError('disconnected', 'No Autodesk client secret is kept for this connection.'));
    return deps.aps.clientCredentials({ clientId: connection.clientId, clientSecret }).catch((error: unknown) => reportRefusal(deps, error));
  }, deps.clock);
}
