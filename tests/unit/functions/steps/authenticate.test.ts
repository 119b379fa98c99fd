import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../src/contract/index.js';
import { TokenVerifier } from '../../../../server/functions/auth.js';
import { authenticate } from '../../../../server/functions/steps/authenticate.js';
import type { DemoUser } from '../../../../server/local/demo-users.js';
import { DEMO_TENANT, DEMO_USERS } from '../../../../server/local/demo-users.js';
import { createDevIdentity } from '../../../../server/local/dev-identity.js';

let dev: Awaited<ReturnType<typeof createDevIdentity>>;
let verifier: TokenVerifier;
const employee = DEMO_USERS.find((u) => u.roles.length === 0) as DemoUser;
const itAdmin = DEMO_USERS.find((u) => u.roles.includes('ITAdmin')) as DemoUser;

beforeAll(async () => {
  dev = await createDevIdentity();
  verifier = new TokenVerifier({ dev: dev.issuer }, new Set([DEMO_TENANT]));
});

describe('authenticate step', () => {
  it('reads no token on routes open to anyone', async () => {
    expect(await authenticate(ROUTES.healthz, 'Bearer not-a-token', verifier, true)).toEqual({ ok: true, value: undefined });
  });

  it('gives the caller a verified token names', async () => {
    const result = await authenticate(ROUTES.me, `Bearer ${await dev.sign(employee)}`, verifier, true);
    expect(result.ok && result.value).toMatchObject({ id: employee.id, tenant: DEMO_TENANT });
  });

  it('answers 401 with WWW-Authenticate for a missing or bad token', async () => {
    for (const authorization of [undefined, 'Bearer nope']) {
      const result = await authenticate(ROUTES.me, authorization, verifier, true);
      expect(!result.ok && result.response).toMatchObject({ status: 401, headers: { 'www-authenticate': 'Bearer' } });
    }
  });

  it('answers 403 for a role the route does not admit', async () => {
    const refused = await authenticate(ROUTES.getSettings, `Bearer ${await dev.sign(employee)}`, verifier, true);
    expect(!refused.ok && refused.response.status).toBe(403);
    expect((await authenticate(ROUTES.getSettings, `Bearer ${await dev.sign(itAdmin)}`, verifier, true)).ok).toBe(true);
  });
});
