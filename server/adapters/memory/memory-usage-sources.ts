import type { AutodeskConnection, UsageSource, UsageSourceKind, UsageSources } from '../../ports/usage-source.js';

/**
 * Connections kept in memory, each with the source to pull it through: none until one is connected. The
 * composition's default until Autodesk can be connected for real, and the tests' stand-in for connecting.
 */
export class MemoryUsageSources implements UsageSources {
  private readonly byTenant = new Map<string, Map<UsageSourceKind, { connection: AutodeskConnection; source: UsageSource }>>();

  connect(tenant: string, connection: AutodeskConnection, source: UsageSource): void {
    const kinds = this.byTenant.get(tenant) ?? new Map<UsageSourceKind, { connection: AutodeskConnection; source: UsageSource }>();
    kinds.set(connection.kind, { connection, source });
    this.byTenant.set(tenant, kinds);
  }

  async connections(tenant: string): Promise<AutodeskConnection[]> {
    return [...(this.byTenant.get(tenant)?.values() ?? [])].map((c) => c.connection);
  }

  async source(tenant: string, kind: UsageSourceKind): Promise<UsageSource | undefined> {
    const found = this.byTenant.get(tenant)?.get(kind);
    return found && !found.connection.disconnected ? found.source : undefined;
  }

  async markDisconnected(tenant: string, kind: UsageSourceKind, reason: string): Promise<void> {
    const found = this.byTenant.get(tenant)?.get(kind);
    if (found) found.connection = { ...found.connection, disconnected: { at: new Date().toISOString(), reason } };
  }
}
