import { createHash, randomBytes } from 'node:crypto';
import type { ResponseOf, UsageConnection } from '../../../src/contract/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import { isFlexMode } from '../../../src/core/policy/index.js';
import type { Clock } from '../../ports/clock.js';
import type { SecretStore } from '../../ports/secret-store.js';
import type { UsageConnectionRecords } from '../../ports/usage-connections.js';
import type { AutodeskConnection, UsageSourceKind } from '../../ports/usage-source.js';
import { UsageSourceError } from '../../ports/usage-source.js';
import type { AppResult, PageAnswer } from '../app-result.js';
import { failure, success } from '../app-result.js';
import type { Caller } from '../caller.js';
import type { ApsAuthClient } from '../../ports/aps-auth.js';
import { secretName } from './secret-names.js';

/** How long Autodesk's consent page may take before its callback is refused. */
export const CONSENT_LIFETIME_MS = 10 * 60 * 1000;

export interface AutodeskConnectDeps {
  records: UsageConnectionRecords;
  secrets: SecretStore;
  /** The deployment's APS app; absent: neither way of connecting is offered (AUTODESK_NOT_CONFIGURED). */
  aps: ApsAuthClient | undefined;
  clock: Clock;
  /** The usage sources keep access tokens per connection: a connection replaced or removed drops them. */
  sources: { forget(tenant: string, kind: UsageSourceKind): void };
  /** Tenants this deployment serves: a callback whose state names another is refused. */
  servesTenant(tenant: string): boolean;
  /** The unit the tenant counts in (its settings): Autodesk's usage APIs report Flex tokens. */
  unitOf(tenant: string): Promise<Policy['unitName']>;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');
const sha256 = (text: string) => base64url(createHash('sha256').update(text).digest());

const notConfigured = () => failure('AUTODESK_NOT_CONFIGURED', 'No APS app is configured for this deployment: Autodesk cannot be connected yet.');

/**
 * Both usage APIs report Flex tokens: in a tenant counting Cloud Credits every pulled export would be
 * refused (UNIT_MISMATCH), so connecting is refused first, before anything is kept or asked of Autodesk.
 */
async function unitProblem(deps: AutodeskConnectDeps, tenant: string): Promise<AppResult<never> | null> {
  if (isFlexMode({ unitName: await deps.unitOf(tenant) })) return null;
  return failure('AUTODESK_UNIT_MISMATCH', "Autodesk's usage APIs count Flex tokens: switch Credit Desk to Flex tokens in Settings first. Nothing was changed.");
}

/** What went wrong at Autodesk, coded for the caller: refused credentials, or Autodesk unreachable. */
function autodeskFailure(error: unknown, refused: string): AppResult<never> {
  if (error instanceof UsageSourceError && (error.code === 'disconnected' || error.code === 'not_entitled')) return failure('AUTODESK_REFUSED', refused);
  if (error instanceof UsageSourceError) return failure('AUTODESK_UNAVAILABLE', 'Autodesk did not answer properly; nothing was changed. Try again in a few minutes.');
  throw error;
}

const view = (connection: AutodeskConnection): UsageConnection => ({
  kind: connection.kind,
  mode: connection.mode,
  clientId: connection.clientId,
  contractNumber: connection.contractNumber,
  connectedAt: connection.connectedAt,
  connectedBy: connection.connectedBy,
  disconnected: connection.disconnected,
});

export async function listUsageConnections(deps: AutodeskConnectDeps, caller: Caller): Promise<AppResult<ResponseOf<'usageConnections'>>> {
  const connections = await deps.records.list(caller.tenant);
  return success({ connections: connections.map(view), consentAvailable: deps.aps?.consentAvailable === true });
}

/**
 * Starts an admin's consent (3-legged, PKCE): the state names the tenant and a random part, and is kept
 * (hashed, with the code verifier) for CONSENT_LIFETIME_MS; the callback takes it once.
 */
export async function startConsent(deps: AutodeskConnectDeps, caller: Caller, kind: UsageSourceKind): Promise<AppResult<ResponseOf<'connectUsageSource'>>> {
  if (!deps.aps?.consentAvailable) return notConfigured();
  const unit = await unitProblem(deps, caller.tenant);
  if (unit) return unit;
  const state = `${caller.tenant}.${base64url(randomBytes(32))}`;
  const codeVerifier = base64url(randomBytes(48));
  const expiresAt = new Date(deps.clock.now().getTime() + CONSENT_LIFETIME_MS).toISOString();
  await deps.records.startConsent(caller.tenant, { stateHash: sha256(state), kind, callerId: caller.id, callerName: caller.displayName, codeVerifier, expiresAt });
  return success({ authorizeUrl: deps.aps.authorizeUrl({ kind, state, codeChallenge: sha256(codeVerifier) }), expiresAt });
}

const CONSENT_REFUSED = 'This Autodesk consent was already used, has expired or was not started here: start again from Settings.';

/**
 * Autodesk's answer to a consent: the state must name a consent started in a tenant this deployment
 * serves, not taken before and not expired; then the code is exchanged (with the verifier), the refresh
 * token written to the SecretStore, and only then the connection recorded.
 */
export async function finishConsent(deps: AutodeskConnectDeps, query: { state: string; code?: string | undefined; error?: string | undefined }): Promise<AppResult<PageAnswer>> {
  const dot = query.state.lastIndexOf('.');
  const tenant = query.state.slice(0, Math.max(dot, 0));
  if (!tenant || !deps.servesTenant(tenant)) return failure('CONSENT_NOT_VALID', CONSENT_REFUSED);
  const started = await deps.records.takeConsent(tenant, sha256(query.state));
  if (!started || started.expiresAt <= deps.clock.now().toISOString()) return failure('CONSENT_NOT_VALID', CONSENT_REFUSED);
  if (query.error !== undefined || query.code === undefined) return failure('AUTODESK_REFUSED', 'The Autodesk consent was cancelled or refused, so Autodesk is not connected. Start again from Settings.');
  if (!deps.aps?.consentAvailable) return notConfigured();
  let refreshToken: string;
  try {
    ({ refreshToken } = await deps.aps.exchangeCode({ code: query.code, codeVerifier: started.codeVerifier }));
  } catch (error) {
    return autodeskFailure(error, 'Autodesk did not accept this consent, so Autodesk is not connected. Start again from Settings.');
  }
  await deps.secrets.set(secretName(tenant, started.kind, 'refresh-token'), refreshToken);
  await deps.secrets.delete(secretName(tenant, started.kind, 'client-secret'));
  const before = await deps.records.get(tenant, started.kind);
  await deps.records.put(tenant, {
    kind: started.kind,
    mode: 'three_legged',
    clientId: deps.aps.clientId,
    contractNumber: before?.contractNumber ?? null,
    connectedAt: deps.clock.now().toISOString(),
    connectedBy: started.callerName,
    disconnected: null,
  });
  deps.sources.forget(tenant, started.kind);
  return success({ title: 'Autodesk is connected', message: 'Credit Desk can now read usage from Autodesk. You can close this window.' });
}

/**
 * 2-legged: the firm's own APS client, checked with Autodesk first (a wrong secret changes nothing); the
 * secret goes to the SecretStore, the connection (with the public client id) to the table.
 */
export async function putAutodeskClient(
  deps: AutodeskConnectDeps,
  caller: Caller,
  kind: UsageSourceKind,
  client: { clientId: string; clientSecret: string },
): Promise<AppResult<ResponseOf<'putUsageSourceClient'>>> {
  if (!deps.aps) return notConfigured();
  const unit = await unitProblem(deps, caller.tenant);
  if (unit) return unit;
  try {
    await deps.aps.clientCredentials(client);
  } catch (error) {
    return autodeskFailure(error, 'Autodesk did not accept this client ID and secret; nothing was changed.');
  }
  await deps.secrets.set(secretName(caller.tenant, kind, 'client-secret'), client.clientSecret);
  await revokeAndDeleteRefreshToken(deps, caller.tenant, kind);
  const before = await deps.records.get(caller.tenant, kind);
  const connection: AutodeskConnection = {
    kind,
    mode: 'two_legged',
    clientId: client.clientId,
    contractNumber: before?.contractNumber ?? null,
    connectedAt: deps.clock.now().toISOString(),
    connectedBy: caller.displayName,
    disconnected: null,
  };
  await deps.records.put(caller.tenant, connection);
  deps.sources.forget(caller.tenant, kind);
  return success(view(connection));
}

/** Revokes the kept refresh token at Autodesk where it can (true when it did), and deletes it. */
async function revokeAndDeleteRefreshToken(deps: AutodeskConnectDeps, tenant: string, kind: UsageSourceKind): Promise<boolean> {
  const name = secretName(tenant, kind, 'refresh-token');
  const refreshToken = await deps.secrets.get(name);
  let revoked = false;
  if (refreshToken && deps.aps) {
    try {
      await deps.aps.revoke(refreshToken);
      revoked = true;
    } catch (error) {
      // Autodesk unreachable or the token already dead: it is deleted here all the same.
      if (!(error instanceof UsageSourceError)) throw error;
    }
  }
  await deps.secrets.delete(name);
  return revoked;
}

/** Disconnects: the secrets go first (revoked at Autodesk where possible), then the connection. Repeating it changes nothing. */
export async function disconnectUsageSource(deps: AutodeskConnectDeps, caller: Caller, kind: UsageSourceKind): Promise<AppResult<ResponseOf<'disconnectUsageSource'>>> {
  const before = await deps.records.get(caller.tenant, kind);
  const revokedAtAutodesk = await revokeAndDeleteRefreshToken(deps, caller.tenant, kind);
  await deps.secrets.delete(secretName(caller.tenant, kind, 'client-secret'));
  await deps.records.remove(caller.tenant, kind);
  deps.sources.forget(caller.tenant, kind);
  return success({ kind, removed: before !== undefined, revokedAtAutodesk });
}
