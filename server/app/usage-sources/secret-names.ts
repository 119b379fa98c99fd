import { createHash } from 'node:crypto';
import type { UsageSourceKind } from '../../ports/usage-source.js';

/** What the SecretStore keeps per tenant and kind of source. */
export type SecretPurpose = 'refresh-token' | 'client-secret';

/** The tenant as a name part: Entra tenant ids (GUIDs) as they are; anything else by a hash, since Key Vault takes only letters, digits and dashes. */
function tenantPart(tenant: string): string {
  return /^[A-Za-z0-9-]{1,64}$/.test(tenant) ? tenant.toLowerCase() : `h${createHash('sha256').update(tenant).digest('hex').slice(0, 40)}`;
}

/**
 * A Key Vault secret name (letters, digits and dashes, at most 127), one per tenant, kind and purpose:
 * `autodesk-{tenant}-token-flex-refresh-token`.
 */
export function secretName(tenant: string, kind: UsageSourceKind, purpose: SecretPurpose): string {
  return `autodesk-${tenantPart(tenant)}-${kind.replace('_', '-')}-${purpose}`;
}
