import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteName } from '../../src/contract/index.js';
import { ROUTES } from '../../src/contract/index.js';
import type { TestApi } from '../support/api.js';
import { TEST_RATE_LIMIT, startTestApi } from '../support/api.js';
import type { AuthzFixtures } from '../security/authz-matrix.js';
import { ALLOW_ALL, AUTHZ_ROLES, authzAps, EXPECTED, FORBIDDEN, IT_ONLY_SETTINGS, REQUESTS, findForbidden, matrixGaps, prepareAuthzFixtures, runAuthzMatrix } from '../security/authz-matrix.js';
import { IT, MANAGER } from '../support/api.js';

/**
 * The route × role matrix: the table and the requests live in tests/security/authz-matrix.ts (the chaos
 * script runs it too). Every route in ROUTES needs a row there: a new route fails this file until it gets one.
 */
let api: TestApi;
let fixtures: AuthzFixtures;

beforeAll(async () => {
  api = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, aps: authzAps() });
  fixtures = await prepareAuthzFixtures(api);
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('route × role matrix', () => {
  it('has a row and a request for every route in ROUTES, and none for routes that are gone', () => {
    const routes = Object.keys(ROUTES).sort();
    const { missing, gone } = matrixGaps();
    expect(missing, `routes without a row in the role table: ${missing.join(', ')}`).toEqual([]);
    expect(gone).toEqual([]);
    expect(Object.keys(EXPECTED).sort()).toEqual(routes);
    expect(Object.keys(REQUESTS).sort()).toEqual(routes);
  });

  it('agrees with the route table: "anyone" routes allow everybody, role routes deny employees', () => {
    for (const [name, route] of Object.entries(ROUTES)) {
      const expected = EXPECTED[name];
      expect(expected, `no row for ${name}`).toBeDefined();
      if (route.access === 'anyone') expect(expected, name).toEqual(ALLOW_ALL);
      else expect(expected!.anonymous, name).toBe('deny');
      if (typeof route.access === 'object') {
        expect([expected!.employee, expected!.other], name).toEqual(['deny', 'deny']);
        expect(expected!.it === 'allow', name).toBe(route.access.roles.includes('ITAdmin'));
      }
    }
  });

  it("has something to find: IT's settings, the second employee's events and the lots' prices are there for those who may see them", async () => {
    const employeeMayNot = FORBIDDEN.employee(fixtures);
    expect(IT_ONLY_SETTINGS.sort()).toEqual(['feedDigest', 'notifications', 'rateLimit', 'readRateLimit', 'teamsWebhookUrl', 'timeZone']);
    const settings = findForbidden((await api.call(IT, 'GET', '/api/settings')).body, employeeMayNot);
    expect(settings).toEqual(expect.arrayContaining(['$.teamsWebhookUrl is there', '$.notifications is there']));
    const feed = findForbidden((await api.call(MANAGER, 'GET', '/api/feed')).body, employeeMayNot);
    expect(feed).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`message shows "${fixtures.second.displayName}"`))]));
    const pool = findForbidden((await api.call(MANAGER, 'GET', '/api/pool')).body, employeeMayNot);
    expect(pool).toEqual(expect.arrayContaining(['$.lots[0].price is there', '$.lots[0].currency is there']));
  });

  for (const name of Object.keys(ROUTES) as RouteName[]) {
    it(`${ROUTES[name].method} ${ROUTES[name].path} (${name})`, async () => {
      const result = await runAuthzMatrix(api, fixtures, { routes: [name] });
      expect(result.failures.map((f) => `${f.reason}: ${f.label}`)).toEqual([]);
      expect(result.authz_field_leaks).toBe(0);
      expect(result.authz_cases).toBe(AUTHZ_ROLES.length);
      expect(Object.keys(result.seen[name] ?? {})).toEqual([...AUTHZ_ROLES]);
    });
  }

  it('leaves the ledger consistent', async () => {
    const check = await api.ledgerCheck();
    expect(check).toEqual({ ok: true, violations: [] });
  });
});
