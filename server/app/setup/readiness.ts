import type { ResponseOf } from '../../../src/contract/index.js';
import { needsAttention } from '../../../src/core/setup/index.js';
import type { TokenRoles } from '../../ports/graph-readiness.js';
import type { AppResult } from '../app-result.js';
import { failure, success } from '../app-result.js';
import type { Caller } from '../caller.js';
import { isItAdmin } from '../caller.js';
import { policyOf } from '../deps.js';
import type { ReadinessCheck, ReadinessDeps } from './readiness-checks.js';
import { READINESS_CHECKS } from './readiness-checks.js';

/**
 * IT's first-run page: every check of READINESS_CHECKS, run side by side. A check that throws is shown as
 * unknown with its words rather than failing the page.
 */
export async function getReadiness(deps: ReadinessDeps, caller: Caller, checks: readonly ReadinessCheck[] = READINESS_CHECKS): Promise<AppResult<ResponseOf<'setupReadiness'>>> {
  if (!isItAdmin(caller)) return failure('FORBIDDEN', 'Only IT can see the setup checks.');
  const policy = await policyOf(deps, caller.tenant);
  let roles: Promise<TokenRoles> | undefined;
  const tokenRoles = () => (roles ??= deps.graphReadiness ? deps.graphReadiness.tokenRoles(caller.tenant) : Promise.resolve({ ok: false, message: 'No Graph identity.' }));
  const items = await Promise.all(
    checks.map((check) =>
      check.run({ deps, caller, policy, tokenRoles }).catch((error: unknown) => ({
        id: check.id,
        title: check.id,
        status: 'unknown' as const,
        detail: `The check could not run: ${error instanceof Error ? error.message : String(error)}`,
        fix: null,
        command: null,
      })),
    ),
  );
  return success({ checkedAt: deps.clock.now().toISOString(), needsAttention: needsAttention(items), items });
}
