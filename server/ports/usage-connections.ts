import type { AutodeskConnection, UsageSourceKind } from './usage-source.js';

/**
 * A 3-legged consent IT started and Autodesk has not answered yet: kept server-side for a few minutes,
 * looked up by a hash of the `state` sent to Autodesk, and taken once.
 */
export interface ConsentStart {
  /** SHA-256 of the state (base64url): the state itself is not kept. */
  stateHash: string;
  kind: UsageSourceKind;
  /** Who started it: the connection is recorded as theirs. */
  callerId: string;
  callerName: string;
  /** PKCE code verifier: only useful with the code Autodesk sends back to this API, and dropped once taken. */
  codeVerifier: string;
  /** ISO time after which the callback is refused. */
  expiresAt: string;
}

/** The tenant's Autodesk connections (no secret in them) and consents under way, in the ledger's table. */
export interface UsageConnectionRecords {
  list(tenant: string): Promise<AutodeskConnection[]>;
  get(tenant: string, kind: UsageSourceKind): Promise<AutodeskConnection | undefined>;
  /** Writes the tenant's connection of that kind, replacing the one before. */
  put(tenant: string, connection: AutodeskConnection): Promise<void>;
  remove(tenant: string, kind: UsageSourceKind): Promise<void>;
  startConsent(tenant: string, start: ConsentStart): Promise<void>;
  /** The consent started under this state hash, taken for good: a second take (or a race) gets undefined. */
  takeConsent(tenant: string, stateHash: string): Promise<ConsentStart | undefined>;
}
