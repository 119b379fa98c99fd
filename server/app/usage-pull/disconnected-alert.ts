import { wordsFor } from '../../../src/core/feed/index.js';
import { disconnectedAlert } from '../../../src/core/usage-pull/index.js';
import type { UsageSourceKind } from '../../ports/usage-source.js';
import { raiseAlert } from '../alerts.js';
import { policyOf } from '../deps.js';
import type { PullDeps } from './pull-deps.js';

/**
 * Tells IT's feed that a source is disconnected, once per connection (see disconnectedAlert): called by
 * every pull that finds it so, so a pull that stopped before it could tell is made good by the next one,
 * and the feed dispatcher delivers it to the channel like any alert. Nothing when the source is connected.
 */
export async function tellDisconnected(deps: PullDeps, tenant: string, kind: UsageSourceKind): Promise<void> {
  const connection = (await deps.usageSources.connections(tenant)).find((c) => c.kind === kind);
  if (!connection?.disconnected) return;
  const words = wordsFor(await policyOf(deps, tenant));
  await raiseAlert(deps, tenant, disconnectedAlert({ kind, connectedAt: connection.connectedAt, disconnectedAt: connection.disconnected.at }, words));
}
