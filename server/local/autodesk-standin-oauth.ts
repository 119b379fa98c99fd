/**
 * The Autodesk stand-in's OAuth grants, as APS Authentication v2 keeps them: codes (5 minutes, once, bound
 * to the client, the redirect URI and the PKCE challenge), access tokens (60 minutes), refresh tokens
 * (15 days, single-use: each refresh answers with a new one; the old one is then `invalid_grant`), client
 * credentials for an app Autodesk associated with an admin (2-legged, by arrangement), revocation of one
 * token, and of the admin's whole consent.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DemoUser } from './demo-users.js';

export const CODE_LIFETIME_MS = 5 * 60_000;
export const ACCESS_LIFETIME_MS = 60 * 60_000;
export const REFRESH_LIFETIME_MS = 15 * 86_400_000;

export interface ApsStandInApp {
  clientId: string;
  clientSecret: string;
  /** Registered callback URLs; empty: any http(s) URL on localhost or 127.0.0.1 (dev convenience). */
  redirectUris: string[];
  /**
   * Autodesk associated this client id with an admin (2-legged by arrangement): client credentials reach
   * that admin's usage data, and the client id must not be used in a 3-legged flow.
   */
  twoLegged: boolean;
}

/** An OAuth refusal, answered as APS does: `{"error": "...", "error_description": "..."}`. */
export class ApsOAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

/**
 * Who a token acts for: the admin who consented (3-legged), or the admin the client is associated with
 * (2-legged; any app gets a 2-legged token, but only an associated one reaches usage data).
 */
export interface AccessGrant {
  clientId: string;
  admin: DemoUser;
  scopes: Set<string>;
  threeLegged: boolean;
}

interface Code {
  clientId: string;
  redirectUri: string;
  challenge: string | null;
  scope: string;
  admin: DemoUser;
  expiresAt: number;
}

interface Held extends AccessGrant {
  expiresAt: number;
}

const opaque = () => randomBytes(32).toString('base64url');
const SCOPE = /^[a-z]+:[a-z]+$/;

export function parseScope(scope: string): Set<string> {
  const scopes = scope.split(' ').filter(Boolean);
  const bad = scopes.find((s) => !SCOPE.test(s));
  if (bad) throw new ApsOAuthError(400, 'invalid_scope', `The scope '${bad}' is not valid.`);
  return new Set(scopes);
}

export class ApsStandInGrants {
  private readonly codes = new Map<string, Code>();
  private readonly access = new Map<string, Held>();
  private readonly refresh = new Map<string, Held>();

  constructor(
    private readonly apps: readonly ApsStandInApp[],
    /** The admin a 2-legged app is associated with. */
    private readonly twoLeggedAdmin: DemoUser,
    private readonly now: () => number,
  ) {}

  app(clientId: string | null): ApsStandInApp | undefined {
    return this.apps.find((a) => a.clientId === clientId);
  }

  redirectAllowed(app: ApsStandInApp, uri: string): boolean {
    if (app.redirectUris.length > 0) return app.redirectUris.includes(uri);
    try {
      const url = new URL(uri);
      return (url.protocol === 'http:' || url.protocol === 'https:') && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
    } catch {
      return false;
    }
  }

  issueCode(code: Omit<Code, 'expiresAt'>): string {
    const value = opaque();
    this.codes.set(value, { ...code, expiresAt: this.now() + CODE_LIFETIME_MS });
    return value;
  }

  /** The calling app from HTTP Basic or the body's client_id and client_secret (both at once: refused, as APS does). */
  authenticate(authorization: string | undefined, form: URLSearchParams): ApsStandInApp {
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    const inBody = form.has('client_secret');
    if (basic && inBody) throw new ApsOAuthError(400, 'invalid_request', 'Client authentication was passed both in the header and in the body.');
    let id: string | null;
    let secret: string | null;
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      [id, secret] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    } else {
      [id, secret] = [form.get('client_id'), form.get('client_secret')];
    }
    const app = this.app(id);
    if (!app || secret === null || !sameText(secret, app.clientSecret)) throw new ApsOAuthError(401, 'invalid_client', 'The client_id or client_secret is not valid.');
    return app;
  }

  /** POST /authentication/v2/token for an authenticated app. */
  token(app: ApsStandInApp, form: URLSearchParams): Record<string, unknown> {
    const grantType = form.get('grant_type');
    if (grantType === 'authorization_code') return this.redeemCode(app, form);
    if (grantType === 'refresh_token') return this.redeemRefresh(app, form);
    if (grantType === 'client_credentials') return this.clientCredentials(app, form);
    throw new ApsOAuthError(400, 'unsupported_grant_type', `The grant type '${grantType ?? ''}' is not supported.`);
  }

  private redeemCode(app: ApsStandInApp, form: URLSearchParams): Record<string, unknown> {
    const value = form.get('code') ?? '';
    const code = this.codes.get(value);
    this.codes.delete(value);
    if (!code || code.expiresAt <= this.now() || code.clientId !== app.clientId) throw new ApsOAuthError(400, 'invalid_grant', 'The authorization code is invalid or expired.');
    if (form.get('redirect_uri') !== code.redirectUri) throw new ApsOAuthError(400, 'invalid_grant', 'The redirect_uri does not match the one of the authorization request.');
    if (code.challenge !== null) {
      const verifier = form.get('code_verifier') ?? '';
      if (!verifier || createHash('sha256').update(verifier).digest('base64url') !== code.challenge) throw new ApsOAuthError(400, 'invalid_grant', 'PKCE verification failed.');
    }
    return this.issue({ clientId: app.clientId, admin: code.admin, scopes: parseScope(code.scope), threeLegged: true }, true);
  }

  private redeemRefresh(app: ApsStandInApp, form: URLSearchParams): Record<string, unknown> {
    const value = form.get('refresh_token') ?? '';
    const held = this.refresh.get(value);
    // Single use: the token is spent whether or not this answer reaches the caller.
    this.refresh.delete(value);
    if (!held || held.expiresAt <= this.now() || held.clientId !== app.clientId) throw new ApsOAuthError(400, 'invalid_grant', 'The refresh token is invalid or expired.');
    const asked = form.get('scope');
    const scopes = asked ? parseScope(asked) : held.scopes;
    for (const s of scopes) if (!held.scopes.has(s)) throw new ApsOAuthError(400, 'invalid_scope', `The scope '${s}' was not granted.`);
    return this.issue({ clientId: app.clientId, admin: held.admin, scopes, threeLegged: true }, true);
  }

  private clientCredentials(app: ApsStandInApp, form: URLSearchParams): Record<string, unknown> {
    return this.issue({ clientId: app.clientId, admin: this.twoLeggedAdmin, scopes: parseScope(form.get('scope') ?? ''), threeLegged: false }, false);
  }

  private issue(grant: AccessGrant, withRefresh: boolean): Record<string, unknown> {
    const accessToken = opaque();
    this.access.set(accessToken, { ...grant, expiresAt: this.now() + ACCESS_LIFETIME_MS });
    const body: Record<string, unknown> = { access_token: accessToken, token_type: 'Bearer', expires_in: ACCESS_LIFETIME_MS / 1000 - 1 };
    if (withRefresh) {
      const refreshToken = opaque();
      this.refresh.set(refreshToken, { ...grant, expiresAt: this.now() + REFRESH_LIFETIME_MS });
      body.refresh_token = refreshToken;
    }
    return body;
  }

  /** The grant behind a bearer token, if it is live. */
  grantOf(accessToken: string): AccessGrant | undefined {
    const held = this.access.get(accessToken);
    return held && held.expiresAt > this.now() ? held : undefined;
  }

  /** POST /authentication/v2/revoke: an app gives up one of its own tokens. */
  revokeToken(app: ApsStandInApp, token: string): void {
    for (const map of [this.access, this.refresh]) if (map.get(token)?.clientId === app.clientId) map.delete(token);
  }

  /** The admin removed the app from their Autodesk profile: every 3-legged token of it dies. */
  revokeConsent(clientId?: string): void {
    for (const map of [this.access, this.refresh]) {
      for (const [token, held] of map) if (held.threeLegged && (clientId === undefined || held.clientId === clientId)) map.delete(token);
    }
  }
}

function sameText(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}
