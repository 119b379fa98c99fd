import { describe, expect, it } from 'vitest';
import { GraphError } from '../../../server/local/graph-standin-http.js';
import type { Route } from '../../../server/local/graph-standin-routes.js';
import { matchRoute } from '../../../server/local/graph-standin-routes.js';

const routes: Route<string>[] = [
  { versions: ['v1.0', 'beta'], pattern: ['users', '*'], methods: { GET: 'user' } },
  { versions: ['v1.0'], pattern: ['admin', 'onlyInV1'], methods: { GET: 'v1' } },
  { versions: ['beta'], pattern: ['admin', 'onlyInBeta'], methods: { GET: 'beta' } },
];

const graphError = (version: string, segments: string[]) => {
  try {
    matchRoute(routes, version, segments);
  } catch (error) {
    if (error instanceof GraphError) return { status: error.status, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('matched');
};

describe('Graph stand-in routing by version', () => {
  it('serves a route on the versions Microsoft serves it on, with its parameters, literals in any case', () => {
    expect(matchRoute(routes, 'v1.0', ['users', 'ana@x.example']).params).toEqual(['ana@x.example']);
    expect(matchRoute(routes, 'beta', ['Users', 'x']).route.methods.GET).toBe('user');
    expect(matchRoute(routes, 'v1.0', ['admin', 'onlyinv1']).route.methods.GET).toBe('v1');
    expect(matchRoute(routes, 'beta', ['admin', 'onlyInBeta']).route.methods.GET).toBe('beta');
  });

  it("answers a route asked on the other version as Graph does: 400 naming the segment it does not know", () => {
    expect(graphError('beta', ['admin', 'onlyInV1'])).toEqual({ status: 400, code: 'BadRequest', message: "Resource not found for the segment 'onlyInV1'." });
    expect(graphError('v1.0', ['admin', 'onlyInBeta'])).toEqual({ status: 400, code: 'BadRequest', message: "Resource not found for the segment 'onlyInBeta'." });
    expect(graphError('v1.0', ['groups', 'x'])).toMatchObject({ status: 400, message: "Resource not found for the segment 'groups'." });
    expect(graphError('v1.0', ['users', 'x', 'photo'])).toMatchObject({ status: 400, message: "Resource not found for the segment 'photo'." });
  });

  it('answers an unknown version with 400 Invalid version', () => {
    expect(graphError('v2.0', ['users', 'x'])).toEqual({ status: 400, code: 'BadRequest', message: 'Invalid version.' });
  });
});
