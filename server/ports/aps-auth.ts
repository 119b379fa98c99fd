import type { UsageSourceKind } from './usage-source.js';

/** Tokens APS answers a 3-legged code exchange or refresh with. */
export interface ApsTokens {
  accessToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** APS rotates it: each refresh answers a new one and the one used stops working. */
  refreshToken: string;
}

/**
 * What the connector needs of APS OAuth (Autodesk Platform Services, authentication v2). The deployment's
 * APS app (its client id, secret if any, and the callback registered there) is the client's own
 * configuration. Refusals are thrown as UsageSourceError: `disconnected` for invalid_grant or
 * invalid_client (consent revoked, refresh token used or expired, secret wrong), `unavailable` otherwise.
 */
export interface ApsAuthClient {
  /**
   * Whether the deployment has an APS app of its own for an admin's consent (3-legged). Without one only
   * the firm's own client (2-legged) can connect, and the consent calls below are refused.
   */
  readonly consentAvailable: boolean;
  /** The deployment's APS app, recorded with a 3-legged connection. */
  readonly clientId: string;
  /** Autodesk's authorize address for this consent (PKCE S256, the callback registered with the app, the kind's scopes). */
  authorizeUrl(request: { kind: UsageSourceKind; state: string; codeChallenge: string }): string;
  exchangeCode(request: { code: string; codeVerifier: string }): Promise<ApsTokens>;
  refresh(refreshToken: string): Promise<ApsTokens>;
  /** 2-legged: a token for the firm's own APS app (by arrangement with Autodesk). */
  clientCredentials(client: { clientId: string; clientSecret: string }): Promise<{ accessToken: string; expiresAt: number }>;
  /** Revokes a refresh token (3-legged disconnect), so it cannot be used again. */
  revoke(refreshToken: string): Promise<void>;
}
