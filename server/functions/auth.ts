import type { JWTVerifyGetKey } from 'jose';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
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
export type AuthResult = { ok: true; caller: Caller } | AuthFailure;

const Claims = z.object({
  oid: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  tid: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
  name: z.string().max(256).optional(),
  preferred_username: z.string().max(256).optional(),
  email: z.string().max(256).optional(),
  roles: z.array(z.string().max(64)).max(50).optional(),
});

/** Larger than any Entra access token (200 groups at most before the overage claim), below Node's 16 KiB of headers. */
const MAX_TOKEN_LENGTH = 12_000;

export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl));
}

export function localKeys(jwks: { keys: object[] }): JWTVerifyGetKey {
  return createLocalJWKSet(jwks);
}

/**
 * Validates bearer tokens with jose: signature against the issuer's keys (RS256 only), issuer, audience,
 * expiry and not-before, and a tenant allow-list. App roles come from the `roles` claim.
 */
export class TokenVerifier {
  constructor(
    private readonly issuers: { production?: TokenIssuerConfig; dev?: TokenIssuerConfig },
    private readonly allowedTenants: ReadonlySet<string>,
  ) {}

  async verify(authorization: string | undefined, options: { allowDev: boolean }): Promise<AuthResult> {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '');
    if (!match) return { ok: false, reason: 'A bearer token is required.' };
    const token = match[1]!;
    if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'The token is too large.' };
    const candidates = [this.issuers.production, options.allowDev ? this.issuers.dev : undefined].filter((c): c is TokenIssuerConfig => Boolean(c));
    for (const config of candidates) {
      const result = await this.verifyWith(token, config);
      if (result.ok) return result;
    }
    return { ok: false, reason: 'The token is not valid here.' };
  }

  private async verifyWith(token: string, config: TokenIssuerConfig): Promise<AuthResult> {
    try {
      const { payload } = await jwtVerify(token, config.keys, { audience: config.audience, algorithms: ['RS256'], clockTolerance: 60 });
      const claims = Claims.safeParse(payload);
      if (!claims.success) return { ok: false, reason: 'The token lacks the identity claims.' };
      const { oid, tid, name, preferred_username, email, roles } = claims.data;
      if (!this.allowedTenants.has(tid)) return { ok: false, reason: 'This tenant is not allowed.' };
      if (payload.iss !== config.issuer.replace('{tenant}', tid)) return { ok: false, reason: 'Unexpected issuer.' };
      if (!payload.exp) return { ok: false, reason: 'The token has no expiry.' };
      const known = (roles ?? []).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
      const address = (email ?? preferred_username ?? '').toLowerCase();
      return { ok: true, caller: { tenant: tid, id: oid, email: address, displayName: name ?? address, roles: known } };
    } catch (error) {
      if (error instanceof errors.JOSEError) return { ok: false, reason: 'The token is not valid.' };
      throw error;
    }
  }
}
