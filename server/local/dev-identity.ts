import type { JWK } from 'jose';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { TokenIssuerConfig } from '../functions/auth.js';
import { API_SCOPE, localKeys } from '../functions/auth.js';
import type { DevIdentity } from '../functions/use-cases.js';
import type { Directory, DirectoryPerson } from '../ports/directory.js';
import { normaliseDirectoryQuery } from '../ports/directory.js';
import type { DemoUser } from './demo-users.js';
import { DEMO_TENANT, DEMO_USERS, DIRECTORY_ONLY } from './demo-users.js';

export const DEV_ISSUER = 'https://dev-issuer.credit-desk.invalid/{tenant}/v2.0';
export const DEV_AUDIENCE = 'api://credit-desk-dev';
const TOKEN_HOURS = 8;

/**
 * A local issuer for demo users: its own RSA key, made at start-up and never written anywhere. The API
 * trusts it only in dev mode and only for loopback callers.
 */
export async function createDevIdentity(users: DemoUser[] = DEMO_USERS): Promise<DevIdentity & { issuer: TokenIssuerConfig; sign(user: DemoUser, overrides?: Record<string, unknown>): Promise<string> }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'dev-1', alg: 'RS256', use: 'sig' };
  // Overrides win over every claim, the registered ones (iss, aud, iat, exp) included, so tests can sign bad tokens.
  const sign = (user: DemoUser, overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      oid: user.id,
      tid: DEMO_TENANT,
      name: user.displayName,
      preferred_username: user.email,
      roles: user.roles,
      // A person's delegated token, as Entra issues to the tab: the API requires the scope, and the Graph
      // stand-in reads `scp` to tell delegated tokens from app-only ones.
      scp: API_SCOPE,
      idtyp: 'user',
      iss: DEV_ISSUER.replace('{tenant}', typeof overrides.tid === 'string' ? overrides.tid : DEMO_TENANT),
      aud: DEV_AUDIENCE,
      iat: now,
      exp: now + TOKEN_HOURS * 3600,
      ...overrides,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'dev-1' })
      .sign(privateKey);
  };
  return {
    issuer: { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, keys: localKeys({ keys: [jwk] }) },
    users: () => users.map(({ id, email, displayName, office, roles }) => ({ id, email, displayName, office, roles })),
    async issue(email) {
      const user = users.find((u) => u.email === email.toLowerCase());
      return user ? sign(user) : undefined;
    },
    sign,
  };
}

const asPerson = ({ id, email, displayName, office }: DemoUser): DirectoryPerson => ({ id, email, displayName, office });

/**
 * The directory of the demo firm in memory, for tests and a stack without the Graph stand-in. It answers
 * like Graph's type-ahead filter: the start of the display name, given name, surname or address, ignoring case.
 */
export class DemoDirectoryAdapter implements Directory {
  constructor(private readonly people: DemoUser[] = [...DEMO_USERS, ...DIRECTORY_ONLY]) {}

  async findById(_tenant: string, id: string): Promise<DirectoryPerson | undefined> {
    const found = this.people.find((p) => p.id === id);
    return found ? asPerson(found) : undefined;
  }

  async findByEmail(_tenant: string, email: string): Promise<DirectoryPerson | undefined> {
    const found = this.people.find((p) => p.email === email.toLowerCase());
    return found ? asPerson(found) : undefined;
  }

  async search(_tenant: string, query: string, limit: number): Promise<DirectoryPerson[]> {
    const q = normaliseDirectoryQuery(query).toLowerCase();
    if (!q) return [];
    const words = (p: DemoUser) => p.displayName.toLowerCase().split(' ');
    return this.people
      .filter((p) => [p.displayName.toLowerCase(), p.email, words(p)[0] ?? '', words(p).at(-1) ?? ''].some((field) => field.startsWith(q)))
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .slice(0, Math.max(limit, 0))
      .map(asPerson);
  }
}
