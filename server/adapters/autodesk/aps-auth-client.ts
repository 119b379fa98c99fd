import type { ApsAuthClient, ApsTokens } from '../../ports/aps-auth.js';
import { ApsAuth } from './aps-auth.js';

export interface ApsAppConfig {
  /** The deployment's APS app (Traditional Web App): its client id and secret. */
  clientId: string;
  clientSecret: string;
  /** The callback registered with the app: the API's `/api/usage/sources/autodesk/callback`. */
  callbackUrl: string;
  /** Autodesk's API host, or the stand-in's on the local stack. */
  baseUrl?: string;
  fetch?: typeof fetch;
}

/** The connector's view of APS OAuth over the real client: the deployment's app for 3-legged, the firm's own for 2-legged. */
export function apsAuthClient(config: ApsAppConfig): ApsAuthClient {
  const endpoint = { ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}), ...(config.fetch ? { fetch: config.fetch } : {}) };
  const app = new ApsAuth({ clientId: config.clientId, clientSecret: config.clientSecret, ...endpoint });
  const expiry = (expiresIn: number) => Date.now() + expiresIn * 1000;
  const userTokens = (token: { accessToken: string; expiresIn: number; refreshToken: string }): ApsTokens => ({
    accessToken: token.accessToken,
    expiresAt: expiry(token.expiresIn),
    refreshToken: token.refreshToken,
  });
  return {
    clientId: config.clientId,
    authorizeUrl: ({ state, codeChallenge }) => app.authorizeUrl(config.callbackUrl, state, codeChallenge),
    exchangeCode: async ({ code, codeVerifier }) => userTokens(await app.exchangeCode(code, config.callbackUrl, codeVerifier)),
    refresh: async (refreshToken) => userTokens(await app.refresh(refreshToken)),
    clientCredentials: async (client) => {
      const token = await new ApsAuth({ ...client, ...endpoint }).clientCredentials();
      return { accessToken: token.accessToken, expiresAt: expiry(token.expiresIn) };
    },
    revoke: (refreshToken) => app.revoke(refreshToken, 'refresh_token'),
  };
}
