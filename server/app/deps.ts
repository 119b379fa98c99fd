import type { Policy } from '../../src/core/policy/index.js';
import type { Clock } from '../ports/clock.js';
import type { Directory } from '../ports/directory.js';
import type { LedgerStore } from '../ports/ledger-store.js';
import type { Notifier } from '../ports/notifier.js';
import type { WebhookTargets } from '../ports/webhook-targets.js';

/** What the use cases depend on: ports only, never adapters. */
export interface AppDeps {
  store: LedgerStore;
  directory: Directory;
  clock: Clock;
  defaultPolicy: Policy;
  /** Best-effort notifications (account created, request arrived, usage an import did not confirm); none when absent. */
  notifier?: Notifier | undefined;
  /** The webhook hosts IT may save; the composition always sets it (absent in unit harnesses: the contract's shape check only). */
  webhookTargets?: WebhookTargets | undefined;
}

export async function policyOf(deps: AppDeps, tenant: string): Promise<Policy> {
  return (await deps.store.getSettings(tenant)) ?? deps.defaultPolicy;
}
