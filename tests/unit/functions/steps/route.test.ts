import { describe, expect, it } from 'vitest';
import { route, routesAt, takesUpload } from '../../../../server/functions/steps/route.js';

describe('route step', () => {
  it('names the route of a method and path', () => {
    const routed = route('POST', '/api/usage', false);
    expect(routed.ok && routed.value.name).toBe('postUsage');
  });

  it('answers 404 for no route at the path and 405 with Allow for another method', () => {
    const missing = route('GET', '/api/nothing-here', false);
    expect(!missing.ok && missing.response.status).toBe(404);
    const wrongMethod = route('DELETE', '/api/usage', false);
    expect(!wrongMethod.ok && wrongMethod.response).toMatchObject({ status: 405, headers: { allow: 'POST, GET' } });
  });

  it('finds dev routes only where dev routes are allowed', () => {
    expect(route('GET', '/api/dev/users', false).ok).toBe(false);
    expect(route('GET', '/api/dev/users', true).ok).toBe(true);
    expect(routesAt('/api/dev/users', false)).toEqual([]);
  });

  it('knows which routes take their body as a stream', () => {
    expect(takesUpload('POST', '/api/usage/imports')).toBe(true);
    expect(takesUpload('POST', '/api/usage')).toBe(false);
  });
});
