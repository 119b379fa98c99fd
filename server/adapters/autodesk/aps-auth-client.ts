import type { ApsAuthClient, ApsTokens } from '../../ports/aps-auth.js';
import { UsageSourceError } from '../../ports/usage-source.js';
import { ApsAuth } from './aps-auth.js';

export interface ApsEndpoint {
  /** Autodesk's API host, or the stand-in's on the local stack. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

export interface ApsAppConfig extends ApsEndpoint {
  /** The deployment's APS app (Traditional Web App): its client id and secret. */
  clientId: string;
  clientSecret: string;
  /** The callback registered with the app: the API's `/api/usage/sources/autodesk/callback`. */
  callbackUrl: string;
}

const expiry = (expiresIn: number) => Date.now() + expiresIn * 1000;

/** 2-legged: a token for the firm's own APS app (by arrangement with Autodesk). */
async function firmClientToken(client: { clientId: string; clientSecret: string }, endpoint: ApsEndpoint) {
  const token = await new ApsAuth({ ...client, ...endpoint }).clientCredentials();
  return { accessToken: token.accessToken, expiresAt: expiry(token.expiresIn) };
}

/** The connector's view of APS OAuth over the real client: the deployment's app for 3-legged, the firm's own for 2-legged. */
export function apsAuthClient(config: ApsAppConfig): ApsAuthClient {
  const endpoint: ApsEndpoint = { ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}), ...(config.fetch ? { fetch: config.fetch } : {}) };
  const app = new ApsAuth({ clientId: config.clientId, clientSecret: config.clientSecret, ...endpoint });
  const userTokens = (token: { accessToken: string; expiresIn: number; refreshToken: string }): ApsTokens => ({
    accessToken: token.accessToken,
    expiresAt: expiry(token.expiresIn),
    refreshToken: token.refreshToken,
  });
  return {
    consentAvailable: true,
    clientId: config.clientId,
    authorizeUrl: ({ state, codeChallenge }) => app.authorizeUrl(config.callbackUrl, state, codeChallenge),
    exchangeCode: async ({ code, codeVerifier }) => userTokens(await app.exchangeCode(code, config.callbackUrl, codeVerifier)),
    refresh: async (refreshToken) => userTokens(await app.refresh(refreshToken)),
    clientCredentials: (client) => firmClientToken(client, endpoint),
    revoke: (refreshToken) => app.revoke(refreshToken, 'refresh_token'),
  };
}

/**
 * A deployment without an APS app of its own: the firm's own client (2-legged) still connects; no consent
 * can be started, and a refresh token kept from an app since removed is refused as disconnected (IT is
 * then told to connect again).
 */
export function apsClientCredentialsOnly(endpoint: ApsEndpoint = {}): ApsAuthClient {
  const noApp = (): never => {
    throw new UsageSourceError('disconnected', "This deployment has no APS app for an admin's consent.");
  };
  return {
    consentAvailable: false,
    clientId: '',
    authorizeUrl: noApp,
    exchangeCode: async () => noApp(),
    refresh: async () => noApp(),
    clientCredentials: (client) => firmClientToken(client, endpoint),
    revoke: async () => noApp(),
  };
}
