import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../../server/adapters/memory/memory-secret-store.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableUsageConnections } from '../../../server/adapters/table-storage/table-usage-connections.js';
import type { Policy } from '../../../src/core/policy/index.js';
import type { Caller } from '../../../server/app/caller.js';
import { RENEW_BEFORE_MS } from '../../../server/app/usage-sources/access-tokens.js';
import type { AccessTokenGetter } from '../../../server/app/usage-sources/access-tokens.js';
import type { AutodeskConnectDeps } from '../../../server/app/usage-sources/connect.js';
import { CONSENT_LIFETIME_MS, disconnectUsageSource, finishConsent, listUsageConnections, putAutodeskClient, startConsent } from '../../../server/app/usage-sources/connect.js';
import { ConnectedUsageSources } from '../../../server/app/usage-sources/connected-sources.js';
import { secretName } from '../../../server/app/usage-sources/secret-names.js';
import type { UsageSource } from '../../../server/ports/usage-source.js';
import { FakeAps } from '../../support/fake-aps.js';

const TENANT = '7d3f2a10-0c1e-4b8a-9f4e-3c2d1b0a9e8f';
const OTHER_TENANT = '11111111-2222-4333-8444-555555555555';
const it_ = (tenant = TENANT): Caller => ({ tenant, id: 'it-1', email: 'it@contoso.example', displayName: 'Ida IT', roles: ['ITAdmin'] });

/** A source that hands out what its token getter gives: what the Token Flex or usage insights adapter would send to Autodesk. */
type TokenSource = UsageSource & { token: AccessTokenGetter };

function harness(options: { secrets?: MemorySecretStore; table?: MemoryTableAdapter; aps?: FakeAps; unit?: Policy['unitName'] } = {}) {
  let now = Date.parse('2026-11-02T08:00:00Z');
  const clock = { now: () => new Date(now) };
  const aps = options.aps ?? new FakeAps();
  aps.now = () => now;
  const table = options.table ?? new MemoryTableAdapter();
  const records = new TableUsageConnections(table);
  const secrets = options.secrets ?? new MemorySecretStore();
  const sources = new ConnectedUsageSources({
    records,
    secrets,
    aps,
    clock,
    build: (kind, _connection, token) => ({ kind, token, exportUsage: () => Promise.reject(new Error('not in this test')) }) as TokenSource,
  });
  const deps: AutodeskConnectDeps = { records, secrets, aps, clock, sources, servesTenant: (t) => t === TENANT || t === OTHER_TENANT, unitOf: async () => options.unit ?? 'Flex tokens' };
  const advance = (ms: number) => {
    now += ms;
  };
  const source = async (tenant = TENANT) => (await sources.source(tenant, 'token_flex')) as TokenSource | undefined;
  /** IT consents for the tenant: the state Autodesk echoes and the code it sends back. */
  const consent = async (caller = it_()) => {
    const started = await startConsent(deps, caller, 'token_flex');
    if (!started.ok) throw new Error(started.message);
    const state = new URL(started.value.authorizeUrl).searchParams.get('state')!;
    return { state, code: aps.consent(state) };
  };
  return { deps, aps, table, records, secrets, sources, advance, source, consent };
}

async function connected(h: ReturnType<typeof harness>) {
  const answer = await finishConsent(h.deps, await h.consent());
  expect(answer.ok).toBe(true);
  const source = await h.source();
  if (!source) throw new Error('not connected');
  return source;
}

/** A SecretStore that records each write and can fail the next one (the host dying before the write lands). */
class WatchedSecrets extends MemorySecretStore {
  readonly writes: string[] = [];
  failNextSet = false;
  staleReads = 0;
  private stale: string | undefined;

  override async set(name: string, value: string): Promise<void> {
    if (this.failNextSet) {
      this.failNextSet = false;
      throw new Error('host died');
    }
    this.writes.push(value);
    await super.set(name, value);
  }

  /** The next read answers what was stored before (another instance reads before this one's write). */
  readStaleOnce(value: string) {
    this.stale = value;
  }

  override async get(name: string): Promise<string | undefined> {
    if (this.stale !== undefined) {
      const value = this.stale;
      this.stale = undefined;
      this.staleReads++;
      return value;
    }
    return super.get(name);
  }
}

describe('the 3-legged token getter', () => {
  it('stores the rotated refresh token before the access token is handed out, and keeps the access token until near its expiry', async () => {
    const secrets = new WatchedSecrets();
    const h = harness({ secrets });
    const source = await connected(h);
    const name = secretName(TENANT, 'token_flex', 'refresh-token');
    const first = await secrets.get(name);

    // The write of the rotated token is held open: the access token must not come out meanwhile.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const writing = new Promise<void>((resolve) => (entered = resolve));
    const setBefore = secrets.set.bind(secrets);
    secrets.set = async (n, v) => {
      entered();
      await gate;
      await setBefore(n, v);
    };
    let handedOut = false;
    const pending = source.token().then((t) => {
      handedOut = true;
      return t;
    });
    await writing;
    // Every callback already queued runs before setImmediate's: a token handed out without waiting shows here.
    await new Promise((resolve) => setImmediate(resolve));
    expect(handedOut).toBe(false);
    release();
    const token = await pending;
    const rotated = await secrets.get(name);
    expect(rotated).not.toBe(first);
    expect(h.aps.liveRefreshTokens.has(rotated!)).toBe(true);
    expect(h.aps.liveRefreshTokens.has(first!)).toBe(false);

    // Served from memory until RENEW_BEFORE_MS before it runs out, then refreshed (and rotated) again.
    expect(await source.token()).toBe(token);
    expect(h.aps.refreshes).toBe(1);
    h.advance(60 * 60 * 1000 - RENEW_BEFORE_MS + 1);
    expect(await (await h.source())!.token()).not.toBe(token);
    expect(h.aps.refreshes).toBe(2);
  });

  it('gets a new access token when asked to after Autodesk answered 401 to the one held', async () => {
    const h = harness();
    const source = await connected(h);
    const held = await source.token();
    expect(await source.token()).toBe(held);
    const fresh = await source.token({ refresh: true });
    expect(fresh).not.toBe(held);
    expect(h.aps.refreshes).toBe(2);
  });

  it('calls that arrive together share one refresh (a second would spend the rotated token)', async () => {
    const h = harness();
    const source = await connected(h);
    const tokens = await Promise.all([source.token(), source.token(), source.token()]);
    expect(new Set(tokens).size).toBe(1);
    expect(h.aps.refreshes).toBe(1);
  });

  it('does not use the access token when the rotated refresh token could not be stored; a crash there costs the connection, which IT is shown', async () => {
    const secrets = new WatchedSecrets();
    const h = harness({ secrets });
    const source = await connected(h);
    secrets.failNextSet = true;
    await expect(source.token()).rejects.toThrow('host died');
    // APS has rotated the token; the store still holds the spent one. The next refresh is refused…
    await expect(source.token()).rejects.toMatchObject({ code: 'disconnected' });
    // …and the connection says so, with when and why; no source is handed out until IT connects again.
    const [connection] = await h.sources.connections(TENANT);
    expect(connection!.disconnected).toMatchObject({ at: '2026-11-02T08:00:00.000Z' });
    expect(connection!.disconnected!.reason).toMatch(/refresh token/);
    expect(await h.source()).toBeUndefined();
  });

  it('takes the newer stored token when another instance refreshed first, instead of calling the connection disconnected', async () => {
    const secrets = new WatchedSecrets();
    const h = harness({ secrets });
    const name = secretName(TENANT, 'token_flex', 'refresh-token');
    const mine = await connected(h);
    const original = (await secrets.get(name))!;
    // Another instance refreshes with the same token and stores the rotated one.
    const other = harness({ secrets, table: h.table, aps: h.aps });
    await (await other.source())!.token();
    // This instance read the old token before that write landed.
    secrets.readStaleOnce(original);
    await expect(mine.token()).resolves.toMatch(/^access-/);
    expect(secrets.staleReads).toBe(1);
    expect((await h.sources.connections(TENANT))[0]!.disconnected).toBeNull();
  });

  it('marks the connection disconnected when the admin revoked the consent at Autodesk', async () => {
    const h = harness();
    const source = await connected(h);
    h.aps.revokeConsent();
    await expect(source.token()).rejects.toMatchObject({ code: 'disconnected' });
    const listed = await listUsageConnections(h.deps, it_());
    expect(listed.ok && listed.value.connections[0]!.disconnected?.reason).toMatch(/invalid_grant/);
    // Connecting again clears it.
    await connected(h);
    expect((await h.sources.connections(TENANT))[0]!.disconnected).toBeNull();
  });
});

describe('the consent callback', () => {
  it('connects once: the same state again is refused and changes nothing', async () => {
    const h = harness();
    const { state, code } = await h.consent();
    const first = await finishConsent(h.deps, { state, code });
    expect(first).toMatchObject({ ok: true, value: { title: 'Autodesk is connected' } });
    const connection = (await h.sources.connections(TENANT))[0]!;
    expect(connection).toMatchObject({ kind: 'token_flex', mode: 'three_legged', clientId: h.aps.clientId, connectedBy: 'Ida IT', disconnected: null });
    const stored = await h.secrets.get(secretName(TENANT, 'token_flex', 'refresh-token'));
    expect(await finishConsent(h.deps, { state, code })).toMatchObject({ ok: false, code: 'CONSENT_NOT_VALID' });
    expect(await h.secrets.get(secretName(TENANT, 'token_flex', 'refresh-token'))).toBe(stored);
    expect(await h.sources.connections(TENANT)).toEqual([connection]);
  });

  it('refuses a forged state, a state naming a tenant not served here, and an expired one', async () => {
    const h = harness();
    const { state, code } = await h.consent();
    const random = state.slice(state.lastIndexOf('.') + 1);
    for (const forged of [`${TENANT}.${random.slice(0, -2)}xx`, `${OTHER_TENANT}.${random}`, `ffffffff-0000-4000-8000-000000000000.${random}`, random]) {
      expect(await finishConsent(h.deps, { state: forged, code })).toMatchObject({ ok: false, code: 'CONSENT_NOT_VALID' });
    }
    expect(await h.sources.connections(TENANT)).toEqual([]);
    expect(await h.sources.connections(OTHER_TENANT)).toEqual([]);

    const late = await h.consent();
    h.advance(CONSENT_LIFETIME_MS);
    expect(await finishConsent(h.deps, late)).toMatchObject({ ok: false, code: 'CONSENT_NOT_VALID' });
    expect(h.secrets.values()).toEqual([]);
  });

  it("connects the tenant that started the consent, not another tenant's", async () => {
    const h = harness();
    await finishConsent(h.deps, await h.consent(it_(OTHER_TENANT)));
    expect(await h.sources.connections(TENANT)).toEqual([]);
    expect(await h.sources.connections(OTHER_TENANT)).toHaveLength(1);
  });

  it('refuses a code that does not go with the verifier kept for the state (a code from another consent)', async () => {
    const h = harness();
    const mine = await h.consent();
    const theirs = await h.consent();
    expect(await finishConsent(h.deps, { state: mine.state, code: theirs.code })).toMatchObject({ ok: false, code: 'AUTODESK_REFUSED' });
    expect(h.secrets.values()).toEqual([]);
  });

  it('answers a consent the admin refused at Autodesk, and the state is spent', async () => {
    const h = harness();
    const { state } = await h.consent();
    expect(await finishConsent(h.deps, { state, error: 'access_denied' })).toMatchObject({ ok: false, code: 'AUTODESK_REFUSED' });
    expect(await finishConsent(h.deps, { state, code: 'x' })).toMatchObject({ ok: false, code: 'CONSENT_NOT_VALID' });
  });
});

describe('the unit Autodesk counts in', () => {
  it('refuses to connect a tenant counting Cloud Credits, in words, before anything is kept or asked of Autodesk', async () => {
    const h = harness({ unit: 'Cloud Credits' });
    const consent = await startConsent(h.deps, it_(), 'token_flex');
    const client = await putAutodeskClient(h.deps, it_(), 'usage_insights', h.aps.firmClient);
    for (const answer of [consent, client]) {
      expect(answer).toMatchObject({ ok: false, code: 'AUTODESK_UNIT_MISMATCH' });
      if (!answer.ok) expect(answer.message).toContain("Autodesk's usage APIs count Flex tokens: switch Credit Desk to Flex tokens in Settings first");
    }
    expect(h.secrets.values()).toEqual([]);
    expect(await h.sources.connections(TENANT)).toEqual([]);
    // No consent under way was kept either: the tenant's partition is empty.
    expect((await h.table.query(TENANT, { prefix: '' }, { limit: 10 })).rows).toEqual([]);
  });
});

describe('2-legged clients and disconnecting', () => {
  it('checks the client with Autodesk before keeping anything, and never answers the secret', async () => {
    const h = harness();
    const wrong = await putAutodeskClient(h.deps, it_(), 'usage_insights', { clientId: h.aps.firmClient.clientId, clientSecret: 'not-the-secret' });
    expect(wrong).toMatchObject({ ok: false, code: 'AUTODESK_REFUSED' });
    expect(h.secrets.values()).toEqual([]);
    expect(await h.sources.connections(TENANT)).toEqual([]);

    const right = await putAutodeskClient(h.deps, it_(), 'usage_insights', h.aps.firmClient);
    expect(right.ok).toBe(true);
    expect(JSON.stringify(right)).not.toContain(h.aps.firmClient.clientSecret);
    const source = (await h.sources.source(TENANT, 'usage_insights')) as TokenSource;
    expect(await source.token()).toMatch(/^app-access-/);
  });

  it('revokes the refresh token at Autodesk and deletes the secrets; again, it changes nothing', async () => {
    const h = harness();
    await connected(h);
    const refresh = (await h.secrets.get(secretName(TENANT, 'token_flex', 'refresh-token')))!;
    expect(await disconnectUsageSource(h.deps, it_(), 'token_flex')).toEqual({ ok: true, value: { kind: 'token_flex', removed: true, revokedAtAutodesk: true } });
    expect(h.aps.revoked).toEqual([refresh]);
    expect(h.secrets.values()).toEqual([]);
    expect(await h.source()).toBeUndefined();
    expect(await disconnectUsageSource(h.deps, it_(), 'token_flex')).toEqual({ ok: true, value: { kind: 'token_flex', removed: false, revokedAtAutodesk: false } });
  });
});

describe('secret names', () => {
  it('are Key Vault names, one per tenant, kind and purpose', () => {
    const names = [TENANT, OTHER_TENANT, 'contoso.onmicrosoft.com', 'x'.repeat(300)].flatMap((tenant) =>
      (['token_flex', 'usage_insights'] as const).flatMap((kind) => (['refresh-token', 'client-secret'] as const).map((purpose) => secretName(tenant, kind, purpose))),
    );
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9-]{1,127}$/);
    expect(new Set(names).size).toBe(names.length);
  });
});
