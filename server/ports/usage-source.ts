/**
 * Where usage comes from besides a person's upload: Autodesk's usage APIs (issue 21). Each API is one
 * `UsageSource`; what it hands back is a file in one of the export shapes the importer already knows
 * (`src/core/usage-import/export-shapes.ts`), so a pulled day and an uploaded day have the same row
 * identity and are never counted twice.
 */

/** Token Flex Usage Data API (enterprise Token Flex contracts) or the usage insights Export Usage API. */
export type UsageSourceKind = 'token_flex' | 'usage_insights';

/** Days, both ends included, as ISO dates (YYYY-MM-DD). */
export interface DayWindow {
  from: string;
  to: string;
}

/** A downloaded export, streamed: never held whole in memory. */
export interface UsageExport {
  /** The name the import gets, e.g. `autodesk-token-flex-2026-11-01-to-2026-11-30.csv`. */
  fileName: string;
  body: AsyncIterable<Uint8Array>;
  window: DayWindow;
}

/** Where a pull is, for the progress shown to IT. */
export interface PullProgress {
  stage: 'requested' | 'processing' | 'downloading';
  /** Status polls so far. */
  polls: number;
}

export interface UsageSource {
  readonly kind: UsageSourceKind;
  /**
   * Requests an export of the window, polls it with back-off (honouring Retry-After) until Autodesk has
   * made it, and downloads it. Throws `UsageSourceError` for everything Autodesk or the network refuses.
   */
  exportUsage(window: DayWindow, options?: { signal?: AbortSignal; onProgress?: (progress: PullProgress) => void }): Promise<UsageExport>;
}

export type UsageSourceErrorCode =
  /** The consent was revoked or the refresh token no longer works: IT connects Autodesk again. */
  | 'disconnected'
  /** Autodesk refuses the API to this account (no Business Success Plan, not a Token Flex contract). */
  | 'not_entitled'
  /** Autodesk unreachable, 5xx, or too slow. */
  | 'unavailable'
  /** 429 that outlasted the back-off; `retryAfterSeconds` says when to come back. */
  | 'throttled'
  /** Autodesk reported the export job failed. */
  | 'export_failed'
  /** The download link ran out before (or while) the file was read. */
  | 'export_expired'
  /** Token Flex: no contract found for the connected account. */
  | 'no_contract';

export class UsageSourceError extends Error {
  constructor(
    readonly code: UsageSourceErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'UsageSourceError';
  }
}

/** How the firm connected Autodesk: an admin's 3-legged consent (the default) or a 2-legged client by arrangement. */
export type AutodeskAuthMode = 'three_legged' | 'two_legged';

/** What is known about a tenant's connection, without any secret. */
export interface AutodeskConnection {
  kind: UsageSourceKind;
  mode: AutodeskAuthMode;
  /** APS application's client id (public). */
  clientId: string;
  /** Token Flex: the contract the API reported. */
  contractNumber: string | null;
  connectedAt: string;
  connectedBy: string;
  /** Set when Autodesk refused the credentials (revoked consent): the source is not used until IT reconnects. */
  disconnected: { at: string; reason: string } | null;
}

/** The tenant's connected sources, built with their credentials (implemented where secrets live). */
export interface UsageSources {
  /** Connections of the tenant (at most one per kind). */
  connections(tenant: string): Promise<AutodeskConnection[]>;
  /** A source ready to pull, or undefined when that kind is not connected (or disconnected). */
  source(tenant: string, kind: UsageSourceKind): Promise<UsageSource | undefined>;
  /** Records that Autodesk refused the credentials, so IT sees "Autodesk disconnected" with the fix. */
  markDisconnected(tenant: string, kind: UsageSourceKind, reason: string): Promise<void>;
}

/**
 * What a UsageSource calls before each request to Autodesk: a bearer token that is good for a while yet;
 * `refresh: true` (after Autodesk answered 401 to the one held) gets a new one instead of the one held.
 */
export type AccessTokenGetter = (options?: { refresh?: boolean }) => Promise<string>;

/**
 * Builds the API's UsageSource around a token getter (Token Flex or usage insights: the adapters of
 * server/adapters/autodesk/); `recordContract` keeps the Token Flex contract a pull discovered.
 */
export type UsageSourceFactory = (kind: UsageSourceKind, connection: AutodeskConnection, accessToken: AccessTokenGetter, recordContract: (contractNumber: string) => Promise<void>) => UsageSource;
