/**
 * What the first-run page asks of Microsoft Graph, as cheaply as Graph allows and with no permission beyond
 * the features' own: a one-row read of a feature's own API, and the application permissions the backend's
 * own Graph token carries (its `roles` claim: no call at all). Never throws.
 */
export type ProbeResult = { result: 'granted' } | { result: 'refused'; status: 401 | 403; message: string } | { result: 'failed'; message: string };

/** The features with a read-only call to try. */
export type ProbedFeature = 'directory' | 'messageTrace';

export type TokenRoles = { ok: true; roles: string[] } | { ok: false; message: string };

export interface GraphReadiness {
  /** One row of the feature's own API (`/users?$top=1`, message trace of the last hour with `$top=1`). */
  probe(tenant: string, feature: ProbedFeature): Promise<ProbeResult>;
  /** The application permissions in the backend's Graph token, read from the token it already uses. */
  tokenRoles(tenant: string): Promise<TokenRoles>;
}
