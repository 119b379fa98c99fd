/**
 * Autodesk Platform Services OAuth (Authentication API v2) for Credit Desk's server, a confidential client:
 *
 *   GET  /authentication/v2/authorize   the admin's consent page (3-legged), with state and PKCE (S256)
 *   POST /authentication/v2/token       authorization_code (+ code_verifier), refresh_token, client_credentials;
 *                                       the client authenticates with HTTP Basic (id:secret), never also in the body
 *   POST /authentication/v2/revoke      gives a token up
 *
 * Codes live 5 minutes, access tokens 60, refresh tokens 15 days and are single-use: each refresh answers
 * with a new one, which the caller must store before using the access token (the old one is dead).
 * `invalid_grant` (revoked consent, a refresh token used or expired) and 401 (`invalid_client`) mean the
 * connection is gone: `UsageSourceError('disconnected')`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UsageSourceError } from '../../ports/usage-source.js';
import { APS_BASE_URL } from './aps-http.js';

/** What the usage APIs need: GET calls `data:read`, creating an export `data:write`. */
export const USAGE_SCOPES = ['data:read', 'data:write'] as const;

export interface ApsAuthOptions {
  clientId: string;
  /** The APS app's secret (Traditional Web App or Server-to-Server). */
  clientSecret: string;
  baseUrl?: string;
  fetch?: typeof fetch;
}

export interface ApsToken {
  accessToken: string;
  /** Seconds the access token lives (Autodesk: about 3600). */
  expiresIn: number;
}

/** A 3-legged grant: the access token and the refresh token that replaces the one used (store it). */
export interface ApsUserToken extends ApsToken {
  refreshToken: string;
}

/** A consent request to send the admin to, and what to keep (server-side) until the redirect comes back. */
export interface ConsentRequest {
  url: string;
  /** Compare with the `state` the redirect brings back before exchanging its code. */
  state: string;
  /** Send with the code exchange (PKCE). */
  codeVerifier: string;
}

/** A PKCE pair (RFC 7636, S256): 43 characters of verifier, its SHA-256 as the challenge, both base64url. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export class ApsAuth {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApsAuthOptions) {
    this.baseUrl = (options.baseUrl ?? APS_BASE_URL).replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get clientId(): string {
    return this.options.clientId;
  }

  /** The admin's consent page, with a fresh state and PKCE pair. */
  consentRequest(redirectUri: string, scopes: readonly string[] = USAGE_SCOPES): ConsentRequest {
    const state = randomBytes(24).toString('base64url');
    const { verifier, challenge } = pkcePair();
    return { url: this.authorizeUrl(redirectUri, state, challenge, scopes), state, codeVerifier: verifier };
  }

  /** The consent page for a state and PKCE challenge the caller keeps; `prompt=login` so the admin picks the account. */
  authorizeUrl(redirectUri: string, state: string, codeChallenge: string, scopes: readonly string[] = USAGE_SCOPES): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.options.clientId,
      redirect_uri: redirectUri,
      scope: scopes.join(' '),
      state,
      code_challenge: codeChallenge,
      code_challenge_method: 'S256',
      prompt: 'login',
    });
    return `${this.baseUrl}/authentication/v2/authorize?${query}`;
  }

  /** Exchanges the code the consent redirect brought (its `state` already checked by the caller). */
  async exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<ApsUserToken> {
    return userToken(await this.token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: codeVerifier }));
  }

  /** A new access token for the stored refresh token, and the refresh token that replaces it (store it first). */
  async refresh(refreshToken: string, scopes: readonly string[] = USAGE_SCOPES): Promise<ApsUserToken> {
    return userToken(await this.token({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: scopes.join(' ') }));
  }

  /** A 2-legged token (the client id associated with an admin by Autodesk, by arrangement). */
  async clientCredentials(scopes: readonly string[] = USAGE_SCOPES): Promise<ApsToken> {
    const body = await this.token({ grant_type: 'client_credentials', scope: scopes.join(' ') });
    return { accessToken: stringField(body, 'access_token'), expiresIn: numberField(body, 'expires_in') };
  }

  /** Gives a token up (disconnecting: the refresh token). Autodesk answers 200 with no body. */
  async revoke(token: string, hint: 'access_token' | 'refresh_token'): Promise<void> {
    await this.post('/authentication/v2/revoke', { token, token_type_hint: hint });
  }

  private async token(form: Record<string, string>): Promise<Record<string, unknown>> {
    const text = await this.post('/authentication/v2/token', form);
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new UsageSourceError('unavailable', 'Autodesk answered the token request with something that is not JSON.');
    }
  }

  private async post(path: string, form: Record<string, string>): Promise<string> {
    const basic = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString('base64');
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(30_000),
      });
      text = await response.text();
    } catch (error) {
      throw new UsageSourceError('unavailable', `Autodesk sign-in could not be reached (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (response.ok) return text;
    throw authRefusal(response, text);
  }
}

/** Autodesk's OAuth error body: `{"error": "invalid_grant", "error_description": "…"}`. */
function authRefusal(response: Response, text: string): Error {
  let error = '';
  let description = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') error = body.error;
    if (typeof body.error_description === 'string') description = body.error_description;
  } catch {
    // Not JSON (a gateway's page): the status says enough.
  }
  const said = `${error || `HTTP ${response.status}`}${description ? `: ${description}` : ''}`;
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    return new UsageSourceError('throttled', `Autodesk sign-in is throttling requests (${said}).`, Number.isFinite(seconds) && seconds > 0 ? seconds : undefined);
  }
  if (response.status >= 500) return new UsageSourceError('unavailable', `Autodesk sign-in is unavailable (${said}).`);
  if (error === 'invalid_grant' || error === 'invalid_client' || response.status === 401) {
    return new UsageSourceError('disconnected', `Autodesk no longer accepts the connection (${said}).`);
  }
  if (error === 'unauthorized_client' || response.status === 403) return new UsageSourceError('not_entitled', `Autodesk refuses this grant to the app (${said}).`);
  return new Error(`Autodesk refused the token request (${said}).`);
}

function userToken(body: Record<string, unknown>): ApsUserToken {
  return { accessToken: stringField(body, 'access_token'), expiresIn: numberField(body, 'expires_in'), refreshToken: stringField(body, 'refresh_token') };
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '') throw new UsageSourceError('unavailable', `Autodesk's token answer has no ${name}.`);
  return value;
}

function numberField(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new UsageSourceError('unavailable', `Autodesk's token answer has no ${name}.`);
  return value;
}
