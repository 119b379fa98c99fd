import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../src/contract/index.js';
import type { Caller } from '../../../../server/app/caller.js';
import { fingerprint, fingerprintOf } from '../../../../server/functions/steps/fingerprint.js';

const caller: Caller = { tenant: 't1', id: 'p1', email: 'p1@x.example', displayName: 'P1', roles: [] };
const codeOf = (result: ReturnType<typeof fingerprint>) => (result.ok ? 'ok' : (JSON.parse(result.response.body) as { error: { code: string } }).error.code);

describe('fingerprint step', () => {
  it('marks a write with the caller, their key and what the request is', () => {
    const result = fingerprint(ROUTES.postUsage, 'key-12345678', caller, '/api/usage', { credits: 1, service: 'x' });
    expect(result.ok && result.value).toEqual({ idempotency: { caller: 'p1', key: 'key-12345678', fingerprint: fingerprintOf('POST', '/api/usage', { service: 'x', credits: 1 }) } });
  });

  it('the same body with its keys in another order is the same request; another body or path is not', () => {
    const a = fingerprintOf('POST', '/api/usage', { a: 1, b: [1, 2] });
    expect(fingerprintOf('POST', '/api/usage', { b: [1, 2], a: 1 })).toBe(a);
    expect(fingerprintOf('POST', '/api/usage', { a: 2, b: [1, 2] })).not.toBe(a);
    expect(fingerprintOf('POST', '/api/holds', { a: 1, b: [1, 2] })).not.toBe(a);
  });

  it('requires a key where the route says so, checks its form, and makes one up where it is optional', () => {
    expect(codeOf(fingerprint(ROUTES.postUsage, undefined, caller, '/api/usage', {}))).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(codeOf(fingerprint(ROUTES.postUsage, 'short', caller, '/api/usage', {}))).toBe('IDEMPOTENCY_KEY_INVALID');
    const made = fingerprint(ROUTES.createRegistration, undefined, caller, '/api/registrations', {});
    expect(made.ok && made.value.idempotency.key).toMatch(/^auto-/);
  });
});
