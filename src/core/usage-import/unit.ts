import type { Policy } from '../policy/policy.js';
import type { FileProblem, ImportUnit } from './types.js';

/** The unit the policy counts in, as an export's amount column would name it. */
export function policyUnit(policy: Policy): ImportUnit {
  return policy.unitName === 'Flex tokens' ? 'tokens' : 'credits';
}

/**
 * An export in the other unit would be posted as if tokens were credits (or the reverse): refused. A file
 * whose amount column does not say its unit is taken to be in the policy's unit.
 */
export function checkImportUnit(unit: ImportUnit | null, policy: Policy): FileProblem | null {
  if (unit === null || unit === policyUnit(policy)) return null;
  const message =
    unit === 'tokens'
      ? 'This export counts Flex tokens, but Credit Desk counts Cloud Credits. Upload the cloud services usage export instead, or, if the contract has moved to Flex tokens, ask IT to switch Credit Desk to Flex tokens first.'
      : 'This export counts Cloud Credits, but Credit Desk counts Flex tokens. Upload the Flex token usage export instead, or ask IT to switch Credit Desk back to Cloud Credits if the contract still uses them.';
  return { code: 'UNIT_MISMATCH', message };
}
