import { createHash, randomUUID } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { RouteDef } from '../../../src/contract/index.js';
import { IDEMPOTENCY_KEY } from '../../../src/contract/index.js';
import type { WriteRequest } from '../../app/app-result.js';
import type { Caller } from '../../app/caller.js';
import type { StepResult } from './answers.js';
import { error, next, stop } from './answers.js';

/** What makes two requests the same: method, path and body (its keys in any order). */
export function fingerprintOf(method: string, pathname: string, rawBody: unknown): string {
  return createHash('sha256').update(`${method} ${pathname}\n${stringify(rawBody ?? null)}`).digest('base64url');
}

/**
 * The write's idempotency marker: the caller's Idempotency-Key (checked, and required where the route
 * says so) or a key of its own, with the request's fingerprint, so a repeat replays and another request
 * under the same key is refused.
 */
export function fingerprint(route: RouteDef, key: string | undefined, caller: Caller | undefined, pathname: string, rawBody: unknown): StepResult<WriteRequest> {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) return stop(error('IDEMPOTENCY_KEY_INVALID', 'Idempotency-Key must be 8–64 letters, digits or dashes.'));
  if (route.idempotency === 'required' && key === undefined) return stop(error('IDEMPOTENCY_KEY_REQUIRED', 'This change needs an Idempotency-Key header.'));
  return next({ idempotency: { caller: caller?.id ?? 'anonymous', key: key ?? `auto-${randomUUID()}`, fingerprint: fingerprintOf(route.method, pathname, rawBody) } });
}
