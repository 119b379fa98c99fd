import { createHash } from 'node:crypto';
import type { ApsAuthClient, ApsTokens } from '../../server/ports/aps-auth.js';
import type { UsageSourceKind } from '../../server/ports/usage-source.js';
import { UsageSourceError } from '../../server/ports/usage-source.js';

/**
 * APS OAuth as the connector sees it, in memory, keeping APS's rules: a code is good once and only with
 * the verifier of its challenge; each refresh answers a new refresh token and the one used stops working;
 * a revoked consent refuses every refresh (invalid_grant).
 */
export class FakeAps implements ApsAuthClient {
  readonly consentAvailable = true;
  readonly clientId = 'fakeApsClient0001';
  /** `firmClient`: the firm's own APS client Autodesk takes for 2-legged connections. */
  constructor(readonly firmClient = { clientId: 'firmClientId0001', clientSecret: 'firm-client-secret-Zq81' }) {}

  private readonly pending = new Map<string, { challenge: string; kind: UsageSourceKind }>();
  private readonly codes = new Map<string, string>();
  readonly liveRefreshTokens = new Set<string>();
  readonly revoked: string[] = [];
  refreshes = 0;
  private issued = 0;
  /** Milliseconds an access token lasts. */
  lifetimeMs = 60 * 60 * 1000;
  now: () => number = () => Date.now();

  authorizeUrl(request: { kind: UsageSourceKind; state: string; codeChallenge: string }): string {
    this.pending.set(request.state, { challenge: request.codeChallenge, kind: request.kind });
    return `https://aps.example/authentication/v2/authorize?${new URLSearchParams({ response_type: 'code', client_id: this.clientId, state: request.state, code_challenge: request.codeChallenge, code_challenge_method: 'S256' })}`;
  }

  /** The admin consents on Autodesk's page: the code Autodesk sends back with the state. */
  consent(state: string): string {
    const started = this.pending.get(state);
    if (!started) throw new Error('No consent was started with this state.');
    const code = `code-${++this.issued}`;
    this.codes.set(code, started.challenge);
    return code;
  }

  private tokens(): ApsTokens {
    const refreshToken = `refresh-${++this.issued}-secret`;
    this.liveRefreshTokens.add(refreshToken);
    return { accessToken: `access-${this.issued}`, expiresAt: this.now() + this.lifetimeMs, refreshToken };
  }

  async exchangeCode(request: { code: string; codeVerifier: string }): Promise<ApsTokens> {
    const challenge = this.codes.get(request.code);
    this.codes.delete(request.code);
    if (!challenge || createHash('sha256').update(request.codeVerifier).digest('base64url') !== challenge) throw new UsageSourceError('disconnected', 'invalid_grant');
    return this.tokens();
  }

  async refresh(refreshToken: string): Promise<ApsTokens> {
    this.refreshes++;
    if (!this.liveRefreshTokens.delete(refreshToken)) throw new UsageSourceError('disconnected', 'The refresh token was used, revoked or has expired (invalid_grant).');
    return this.tokens();
  }

  async clientCredentials(client: { clientId: string; clientSecret: string }): Promise<{ accessToken: string; expiresAt: number }> {
    if (client.clientId !== this.firmClient.clientId || client.clientSecret !== this.firmClient.clientSecret) throw new UsageSourceError('disconnected', 'invalid_client');
    return { accessToken: `app-access-${++this.issued}`, expiresAt: this.now() + this.lifetimeMs };
  }

  async revoke(refreshToken: string): Promise<void> {
    this.liveRefreshTokens.delete(refreshToken);
    this.revoked.push(refreshToken);
  }

  /** The admin withdraws the consent at Autodesk: every refresh token stops working. */
  revokeConsent(): void {
    this.liveRefreshTokens.clear();
  }
}
