import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../src/contract/index.js';
import { validate } from '../../../../server/functions/steps/validate.js';

const url = (path: string) => new URL(path, 'http://localhost');
const details = (result: ReturnType<typeof validate>) => (result.ok ? undefined : (JSON.parse(result.response.body) as { error: { code: string; details?: unknown } }).error);

describe('validate step', () => {
  it('gives the path parameters, query and body as the route schemas parse them', () => {
    const result = validate(ROUTES.purchaseEvent, url('/api/purchases/p-1/events'), { type: 'approved' });
    expect(result.ok && result.value).toMatchObject({ params: { id: 'p-1' }, body: { type: 'approved' } });
    const listed = validate(ROUTES.listUsage, url('/api/usage?limit=5'), undefined);
    expect(listed.ok && listed.value.query).toMatchObject({ limit: 5 });
  });

  it('answers 400 VALIDATION_FAILED naming the field', () => {
    expect(details(validate(ROUTES.postUsage, url('/api/usage'), { service: 'simulation', credits: 'ten', date: '2026-03-02' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [{ path: 'credits' }] },
    });
    expect(details(validate(ROUTES.listUsage, url('/api/usage?limit=lots'), undefined))).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ path: 'limit' }] } });
  });

  it('refuses a query on a route that takes none', () => {
    expect(details(validate(ROUTES.me, url('/api/me?x=1'), undefined))).toMatchObject({ code: 'VALIDATION_FAILED', message: 'This route takes no query parameters.' });
  });
});
