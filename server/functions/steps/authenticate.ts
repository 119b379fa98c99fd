import type { RouteDef } from '../../../src/contract/index.js';
import type { Caller } from '../../app/caller.js';
import type { TokenVerifier } from '../auth.js';
import type { StepResult } from './answers.js';
import { error, next, stop } from './answers.js';

function isAllowed(route: RouteDef, caller: Caller | undefined): boolean {
  if (route.access === 'anyone') return true;
  if (!caller) return false;
  if (route.access === 'signed-in') return true;
  return route.access.roles.some((r) => caller.roles.includes(r));
}

/** Who calls: 401 for a token that does not verify, 403 for a role the route does not admit; routes open to anyone read no token. */
export async function authenticate(route: RouteDef, authorization: string | undefined, verifier: TokenVerifier, devAllowed: boolean): Promise<StepResult<Caller | undefined>> {
  const auth = route.access === 'anyone' ? undefined : await verifier.verify(authorization, { allowDev: devAllowed });
  if (auth && !auth.ok) return stop(error('UNAUTHENTICATED', auth.reason, undefined, { 'www-authenticate': 'Bearer' }));
  const caller = auth?.ok ? auth.caller : undefined;
  if (!isAllowed(route, caller)) return stop(error('FORBIDDEN', 'Your role does not allow this.'));
  return next(caller);
}
