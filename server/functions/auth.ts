import type { FetchImplementation, JWTVerifyGetKey } from 'jose';
import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import type { Role } from '../../src/contract/index.js';
import { ROLES } from '../../src/contract/index.js';
import type { Caller } from '../app/caller.js';

export interface TokenIssuerConfig {
  /** Issuer template; `{tenant}` is replaced by the token's tenant (Entra v2: https://login.microsoftonline.com/{tenant}/v2.0). */
  issuer: string;
  audience: string;
  keys: JWTVerifyGetKey;
}

export type AuthFailure = { ok: false; reason: string };
/** A failure of a token whose signature, audience and lifetime held: its reason is worth telling the caller. */
type ClaimsFailure = AuthFailure & { signed: true };

/**
 * The delegated scope the app registration exposes (README, "Finish the app registration"). Entra puts a
 * delegated token's scopes in `scp` (space-separated); an app-only token (client credentials) has no `scp`,
 * its permissions in `roles`, and `idtyp: app` when that optional claim is on.
 */
export const API_SCOPE = 'access_as_user';
export type AuthResult = { ok: true; caller: Caller } | AuthFailure;

const Claims = z.object({
  oid: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  tid: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  name: z.string().max(256).optional(),
  preferred_username: z.string().max(256).optional(),
  email: z.string().max(256).optional(),
  roles: z.array(z.string().max(64)).max(50).optional(),
  scp: z.string().max(2048).optional(),
  idtyp: z.string().max(16).optional(),
});

/** Larger than any Entra access token (200 groups at most before the overage claim), below Node's 16 KiB of headers. */
const MAX_TOKEN_LENGTH = 12_000;

/** The issuer's signing keys from its JWKS URL; `fetchKeys` only where it needs other trust (the local Entra ID stand-in's certificate). */
export function remoteKeys(jwksUrl: string, fetchKeys?: FetchImplementation): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), fetchKeys ? { [customFetch]: fetchKeys } : {});
}

export function localKeys(jwks: { keys: object[] }): JWTVerifyGetKey {
  return createLocalJWKSet(jwks);
}

/**
 * Validates bearer tokens with jose: signature against the issuer's keys (RS256 only), issuer, audience,
 * expiry and not-before, and a tenant allow-list. Only delegated tokens of a person are taken (`scp` with
 * API_SCOPE, not `idtyp: app`): an app-only token carries the app's own roles, not a person's. App roles
 * come from the `roles` claim.
 */
export class TokenVerifier {
  constructor(
    /** `dev`: the dev identity's issuer and, on the local stack, the Entra ID stand-in's; honoured only with `allowDev`. */
    private readonly issuers: { production?: TokenIssuerConfig; dev?: TokenIssuerConfig | readonly TokenIssuerConfig[] },
    private readonly allowedTenants: ReadonlySet<string>,
  ) {}

  async verify(authorization: string | undefined, options: { allowDev: boolean }): Promise<AuthResult> {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'A bearer token is required.' };
    const token = match[1]!;
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'The token is too large.' };
    const candidates = [this.issuers.production, ...(options.allowDev ? [this.issuers.dev ?? []].flat() : [])].filter((c): c is TokenIssuerConfig => Boolean(c));
    let signedFailure: ClaimsFailure | undefined;
    for (const config of candidates) {
      const result = await this.verifyWith(token, config);
      if (result.ok) return result;
      if ('signed' in result) signedFailure ??= result;
    }
    return signedFailure ? { ok: false, reason: signedFailure.reason } : { ok: false, reason: 'The token is not valid here.' };
  }

  private async verifyWith(token: string, config: TokenIssuerConfig): Promise<AuthResult | ClaimsFailure> {
    try {
      const { payload } = await jwtVerify(token, config.keys, { audience: config.audience, algorithms: ['RS256'], clockTolerance: 60 });
      const refuse = (reason: string): ClaimsFailure => ({ ok: false, reason, signed: true });
      const claims = Claims.safeParse(payload);
      if (!claims.success) return refuse('The token lacks the identity claims.');
      const { oid, tid, name, preferred_username, email, roles, scp, idtyp } = claims.data;
      if (!this.allowedTenants.has(tid)) return refuse('This tenant is not allowed.');
      if (payload.iss !== config.issuer.replace('{tenant}', tid)) return refuse('Unexpected issuer.');
      if (!payload.exp) return refuse('The token has no expiry.');
      if (idtyp === 'app' || scp === undefined) return refuse(`An app-only token is not accepted: Credit Desk takes a person's delegated token (scope ${API_SCOPE}).`);
      if (!scp.split(' ').includes(API_SCOPE)) return refuse(`The token was not issued for the ${API_SCOPE} scope.`);
      const known = (roles ?? []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
      const address = (email ?? preferred_username ?? '').toLowerCase();
      return { ok: true, caller: { tenant: tid, id: oid, email: address, displayName: name ?? address, roles: known } };
    } catch (error) {
      if (error instanceof errors.JOSEError) return { ok: false, reason: 'The token is not valid.' };
      throw error;
    }
  }
}
