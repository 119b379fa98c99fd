/**
 * The Entra ID stand-in's grants: authorization codes (PKCE S256, single use, 10 minutes), refresh tokens
 * (a SPA's last 24 hours from sign-in, each use gives a new one with the same end, old ones are not
 * revoked), and the tokens it signs, with the claims Entra's v2.0 tokens carry. Failures are Entra's
 * OAuth errors with AADSTS descriptions (learn.microsoft.com: OAuth 2.0 authorization code flow,
 * refresh tokens, error codes).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CryptoKey, JWK } from 'jose';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { API_SCOPE } from '../functions/auth.js';
import type { DemoUser } from './demo-users.js';

export const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Refresh tokens sent to a redirect URI registered as `spa` expire 24 hours after sign-in. */
export const SPA_REFRESH_LIFETIME_MS = 24 * 60 * 60 * 1000;
const ACCESS_TOKEN_SECONDS = 3600;
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);
/** Microsoft Graph's app id: v2 tokens for Graph carry it, or its URI, as their audience. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** An OAuth error as Entra answers it: HTTP 400 (401 for a client it does not know) and a JSON body. */
export class EntraError extends Error {
  constructor(
    readonly error: string,
    readonly code: number,
    readonly description: string,
    readonly status = 400,
  ) {
    super(`AADSTS${code}: ${description}`);
  }

  body(now: Date) {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = now.toISOString().replace('T', ' ').slice(0, 19) + 'Z';
    return {
      error: this.error,
      error_description: `AADSTS${this.code}: ${this.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [this.code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.code}`,
    };
  }
}

/** The app registration the stand-in knows: one client id (tab, pane and API alike) and its SPA redirect URIs. */
export interface StandInApp {
  clientId: string;
  /** The API's scope prefix, e.g. api://localhost/<client id>: its scopes are `<prefix>/<name>`. */
  apiUri: string;
  redirectUris: readonly string[];
}

/** What a token request asks for: one resource (the API or Graph) and its scopes, plus the OpenID ones. */
export interface ScopeRequest {
  resource: 'api' | 'graph';
  /** As the token response's `scope` names them: full URIs for the API, bare names for Graph. */
  granted: string[];
  /** As the access token's `scp` names them: without the resource. */
  scp: string[];
  openid: boolean;
  offline: boolean;
}

export function parseScopes(scope: string | null | undefined, app: StandInApp): ScopeRequest {
  const words = (scope ?? '').split(' ').filter(Boolean);
  if (words.length === 0) throw new EntraError('invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const resources = new Set<'api' | 'graph'>();
  const granted: string[] = [];
  const scp: string[] = [];
  for (const word of words) {
    if (OIDC_SCOPES.has(word)) continue;
    if (word.startsWith('api://')) {
      const slash = word.lastIndexOf('/');
      if (word.slice(0, slash) !== app.apiUri) throw new EntraError('invalid_resource', 500011, `The resource principal named ${word.slice(0, slash)} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
      if (word.slice(slash + 1) !== API_SCOPE) throw new EntraError('invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${word} is not valid.`);
      resources.add('api');
      granted.push(word);
      scp.push(API_SCOPE);
    } else {
      const name = word.startsWith(`${GRAPH_RESOURCE}/`) ? word.slice(GRAPH_RESOURCE.length + 1) : word;
      resources.add('graph');
      granted.push(name);
      scp.push(name);
    }
  }
  if (resources.size > 1) throw new EntraError('invalid_request', 28000, 'Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ' + words.join(' ') + ' is not valid.');
  // Signing in with the OpenID scopes alone gives a token for Graph's User.Read, as Entra does.
  const resource = [...resources][0] ?? 'graph';
  if (granted.length === 0) {
    granted.push('User.Read');
    scp.push('User.Read');
  }
  return { resource, granted, scp, openid: words.includes('openid'), offline: words.includes('offline_access') };
}

/** Whose tokens these are: the tenant, and its issuer (`https://<host>/<tenant id>/v2.0`, as Entra's v2.0 tokens name theirs). */
export interface Authority {
  tenant: string;
  issuer: string;
}

interface IssuedCode {
  user: DemoUser;
  redirectUri: string;
  challenge: string;
  scope: string;
  nonce: string | undefined;
  issuedAt: number;
  used: boolean;
}

interface IssuedRefresh {
  user: DemoUser;
  expiresAt: number;
}

export interface TokenSet {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  id_token?: string;
  client_info?: string;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');
const challengeOf = (verifier: string) => base64url(createHash('sha256').update(verifier, 'ascii').digest());

/** Holds what the stand-in issued, in memory, and signs its tokens with a key made at start. */
export class StandInGrants {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, IssuedRefresh>();

  private constructor(
    private readonly app: StandInApp,
    private readonly authority: () => Authority,
    private readonly key: { privateKey: CryptoKey; kid: string },
    readonly jwks: { keys: JWK[] },
    private readonly now: () => number,
  ) {}

  static async create(app: StandInApp, authority: () => Authority, now: () => number = Date.now): Promise<StandInGrants> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const kid = base64url(randomBytes(12));
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
    return new StandInGrants(app, authority, { privateKey, kid }, { keys: [jwk] }, now);
  }

  issueCode(grant: Omit<IssuedCode, 'issuedAt' | 'used'>): string {
    const code = base64url(randomBytes(32));
    this.codes.set(code, { ...grant, issuedAt: this.now(), used: false });
    return code;
  }

  /** The authorization_code grant: the code once, within its lifetime, with the verifier of its challenge. */
  async redeemCode(params: URLSearchParams): Promise<TokenSet> {
    const code = params.get('code');
    if (!code) throw new EntraError('invalid_request', 900144, "The request body must contain the following parameter: 'code'.");
    const issued = this.codes.get(code);
    if (!issued) throw new EntraError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    if (issued.used) throw new EntraError('invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
    if (this.now() - issued.issuedAt > CODE_LIFETIME_MS) throw new EntraError('invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
    if (params.get('redirect_uri') !== issued.redirectUri) throw new EntraError('invalid_grant', 500112, `The reply address '${params.get('redirect_uri') ?? ''}' does not match the reply address '${issued.redirectUri}' provided when requesting Authorization code.`);
    const verifier = params.get('code_verifier');
    if (!verifier) throw new EntraError('invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.');
    // A code is spent by its first redemption, even one that fails the verifier (a guess does not get a second try).
    issued.used = true;
    if (challengeOf(verifier) !== issued.challenge) throw new EntraError('invalid_grant', 50148, 'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.');
    const scopes = parseScopes(params.get('scope') ?? issued.scope, this.app);
    return this.tokens(issued.user, scopes, issued.nonce, this.now() + SPA_REFRESH_LIFETIME_MS);
  }

  /** The refresh_token grant: any resource the app may ask for; the new refresh token ends when the first did. */
  async redeemRefresh(params: URLSearchParams): Promise<TokenSet> {
    const token = params.get('refresh_token');
    if (!token) throw new EntraError('invalid_request', 900144, "The request body must contain the following parameter: 'refresh_token'.");
    const issued = this.refreshTokens.get(token);
    if (!issued) throw new EntraError('invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    if (this.now() >= issued.expiresAt) {
      throw new EntraError('invalid_grant', 700084, 'The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page.');
    }
    return this.tokens(issued.user, parseScopes(params.get('scope'), this.app), undefined, issued.expiresAt);
  }

  private async tokens(user: DemoUser, scopes: ScopeRequest, nonce: string | undefined, refreshEnds: number): Promise<TokenSet> {
    const nowSeconds = Math.floor(this.now() / 1000);
    const { tenant: tid, issuer } = this.authority();
    const person = { name: user.displayName, preferred_username: user.email, oid: user.id, tid, sub: this.subjectOf(user) };
    const common = { iss: issuer, iat: nowSeconds, nbf: nowSeconds, exp: nowSeconds + ACCESS_TOKEN_SECONDS, ver: '2.0', uti: base64url(randomBytes(16)) };
    const access = await this.sign({
      ...common,
      ...person,
      aud: scopes.resource === 'api' ? this.app.clientId : GRAPH_RESOURCE,
      azp: this.app.clientId,
      azpacr: '0',
      scp: scopes.scp.join(' '),
      ...(scopes.resource === 'api' ? { roles: user.roles } : {}),
    });
    const set: TokenSet = { token_type: 'Bearer', scope: scopes.granted.join(' '), expires_in: ACCESS_TOKEN_SECONDS, ext_expires_in: ACCESS_TOKEN_SECONDS, access_token: access };
    if (scopes.openid) {
      set.id_token = await this.sign({ ...common, ...person, aud: this.app.clientId, ...(nonce ? { nonce } : {}), roles: user.roles });
      set.client_info = base64url(Buffer.from(JSON.stringify({ uid: user.id, utid: tid })));
    }
    if (scopes.offline) {
      const refresh = base64url(randomBytes(48));
      this.refreshTokens.set(refresh, { user, expiresAt: refreshEnds });
      set.refresh_token = refresh;
      set.refresh_token_expires_in = Math.max(0, Math.floor((refreshEnds - this.now()) / 1000));
    }
    return set;
  }

  /** Entra's `sub` is pairwise: the same person has another subject in another app. */
  private subjectOf(user: DemoUser): string {
    return base64url(createHash('sha256').update(`${this.app.clientId}:${user.id}`).digest()).slice(0, 43);
  }

  sign(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.key.kid }).sign(this.key.privateKey);
  }
}
