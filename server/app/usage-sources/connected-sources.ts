import type { Clock } from '../../ports/clock.js';
import type { SecretStore } from '../../ports/secret-store.js';
import type { UsageConnectionRecords } from '../../ports/usage-connections.js';
import type { AccessTokenGetter, AutodeskConnection, UsageSource, UsageSourceFactory, UsageSourceKind, UsageSources } from '../../ports/usage-source.js';
import { threeLeggedTokens, twoLeggedTokens } from './access-tokens.js';
import type { ApsAuthClient } from '../../ports/aps-auth.js';


export interface ConnectedSourcesDeps {
  records: UsageConnectionRecords;
  secrets: SecretStore;
  aps: ApsAuthClient;
  clock: Clock;
  build: UsageSourceFactory;
}

/**
 * The tenant's connected sources: the connection from the table, its credentials from the SecretStore.
 * A source's token getter is kept while its connection stays the same, so its access token serves
 * pull after pull until it nears its expiry.
 */
export class ConnectedUsageSources implements UsageSources {
  private readonly getters = new Map<string, { connectedAt: string; get: AccessTokenGetter }>();

  constructor(private readonly deps: ConnectedSourcesDeps) {}

  connections(tenant: string): Promise<AutodeskConnection[]> {
    return this.deps.records.list(tenant);
  }

  async source(tenant: string, kind: UsageSourceKind): Promise<UsageSource | undefined> {
    const connection = await this.deps.records.get(tenant, kind);
    if (!connection || connection.disconnected) return undefined;
    return this.deps.build(kind, connection, this.tokenGetter(tenant, connection), (contractNumber) => this.recordContractNumber(tenant, kind, contractNumber));
  }

  async markDisconnected(tenant: string, kind: UsageSourceKind, reason: string): Promise<void> {
    this.getters.delete(`${tenant}|${kind}`);
    const connection = await this.deps.records.get(tenant, kind);
    if (!connection || connection.disconnected) return;
    await this.deps.records.put(tenant, { ...connection, disconnected: { at: this.deps.clock.now().toISOString(), reason } });
  }

  /** Token Flex: the contract number the API reported, shown to IT with the connection. */
  async recordContractNumber(tenant: string, kind: UsageSourceKind, contractNumber: string): Promise<void> {
    const connection = await this.deps.records.get(tenant, kind);
    if (!connection || connection.contractNumber === contractNumber) return;
    await this.deps.records.put(tenant, { ...connection, contractNumber });
  }

  /** A connection replaced or removed: its cached access token goes with it. */
  forget(tenant: string, kind: UsageSourceKind): void {
    this.getters.delete(`${tenant}|${kind}`);
  }

  private tokenGetter(tenant: string, connection: AutodeskConnection): AccessTokenGetter {
    const key = `${tenant}|${connection.kind}`;
    const kept = this.getters.get(key);
    if (kept?.connectedAt === connection.connectedAt) return kept.get;
    const deps = { ...this.deps, onRefused: (reason: string) => this.markDisconnected(tenant, connection.kind, reason) };
    const get = connection.mode === 'three_legged' ? threeLeggedTokens(deps, tenant, connection) : twoLeggedTokens(deps, tenant, connection);
    this.getters.set(key, { connectedAt: connection.connectedAt, get });
    return get;
  }
}
