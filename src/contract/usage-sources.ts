import { z } from 'zod';
import { IsoDay } from './primitives.js';

// Connecting Autodesk's usage APIs (issue 21), IT only. Secrets go in and never come out: no answer
// carries a client secret, a refresh token or an access token.

export const USAGE_SOURCE_KINDS = ['token_flex', 'usage_insights'] as const;
/** Token Flex Usage Data API, or the usage insights Export Usage API (Business Success Plan). */
export const UsageSourceKind = z.enum(USAGE_SOURCE_KINDS);
export type UsageSourceKind = z.infer<typeof UsageSourceKind>;
export const UsageSourcePath = z.strictObject({ kind: UsageSourceKind });
/** An admin's 3-legged consent (the default), or the firm's own APS client by arrangement with Autodesk. */
export const AutodeskAuthMode = z.enum(['three_legged', 'two_legged']);

export const UsageConnection = z.object({
  kind: UsageSourceKind,
  mode: AutodeskAuthMode,
  /** The APS application's client id (public). */
  clientId: z.string(),
  /** Token Flex: the contract the API reported, once a pull has asked. */
  contractNumber: z.string().nullable(),
  connectedAt: z.string(),
  connectedBy: z.string(),
  /** Autodesk refused the credentials (consent revoked): IT connects again. */
  disconnected: z.object({ at: z.string(), reason: z.string() }).nullable(),
});
export type UsageConnection = z.infer<typeof UsageConnection>;

export const UsageConnectionsResponse = z.object({
  connections: z.array(UsageConnection),
  /** Whether this deployment has an APS app for the admin's consent (3-legged). */
  consentAvailable: z.boolean(),
});

export const ConsentStarted = z.object({
  /** Autodesk's page where the admin signs in and consents; it sends the browser back to the API's callback. */
  authorizeUrl: z.url(),
  /** After this the callback is refused: start again. */
  expiresAt: z.string(),
});

/** What Autodesk sends back to the callback: a code, or an error (the admin refused); unknown parameters are ignored. */
export const AutodeskCallbackQuery = z.object({
  state: z.string().min(1).max(300),
  code: z.string().min(1).max(4000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

/** 2-legged: the firm's APS app. The secret is written to Key Vault and never answered. */
export const AutodeskClientBody = z.strictObject({
  clientId: z.string().trim().regex(/^[A-Za-z0-9_-]{8,128}$/, 'an APS client id: 8 to 128 letters, digits, dashes or underscores'),
  clientSecret: z.string().min(8).max(512).regex(/^[\x21-\x7e]+$/, 'no spaces or control characters'),
});

export const DisconnectedResponse = z.object({
  kind: UsageSourceKind,
  /** False when nothing was connected. */
  removed: z.boolean(),
  /** 3-legged: Autodesk revoked the refresh token too (false when Autodesk could not be reached: the secret is deleted anyway). */
  revokedAtAutodesk: z.boolean(),
});

// Usage pulled from Autodesk's usage APIs (issue 21): each connected source's pull status, and IT's
// "Pull now". Never a secret: the connection's credentials stay where the server keeps them.


const Days = z.object({ from: IsoDay, to: IsoDay });

/** Where a running pull is: asking Autodesk, Autodesk making the export, downloading it, checking its rows, posting them. */
export const PULL_STAGES = ['starting', 'requested', 'processing', 'downloading', 'checking', 'posting'] as const;

export const UsageSourceStatus = z.object({
  kind: UsageSourceKind,
  /** `disconnected`: Autodesk refused the credentials; IT connects it again in Settings. */
  connection: z.enum(['connected', 'disconnected', 'not_connected']),
  /** When the last pull that posted its export ended. */
  lastSuccessAt: z.string().nullable(),
  /** Days imported from this source so far, first to last. */
  covered: Days.nullable(),
  /** What the last successful pull asked for and posted. */
  lastPull: z
    .object({
      window: Days,
      rowsPosted: z.number().int(),
      /** Rows already in the ledger (an earlier pull or a manual upload of the same days): not counted again. */
      alreadyImported: z.number().int(),
      /** Self-logged entries the pulled rows settled. */
      settled: z.number().int(),
      /** Rows of people no member matches: not posted; link them on the import, and later pulls post theirs. */
      unmatched: z.object({ people: z.number().int(), rows: z.number().int() }),
      /** The import that posted them; null when Autodesk had no usage in those days. */
      importId: z.string().nullable(),
    })
    .nullable(),
  /** When the schedule pulls next (UTC). */
  nextRunAt: z.string().nullable(),
  running: z
    .object({
      trigger: z.enum(['schedule', 'manual']),
      startedAt: z.string(),
      stage: z.enum(PULL_STAGES),
      window: Days.nullable(),
      /** Times Autodesk was asked whether the export is ready. */
      polls: z.number().int(),
      rowsDone: z.number().int().nullable(),
      rowsTotal: z.number().int().nullable(),
    })
    .nullable(),
  /** The last pull's problem in plain words with its fix; null once a pull succeeds. */
  lastError: z.object({ code: z.string(), message: z.string(), at: z.string() }).nullable(),
});
export type UsageSourceStatus = z.infer<typeof UsageSourceStatus>;

export const UsageSourcesResponse = z.object({ sources: z.array(UsageSourceStatus) });
/** `started` false: a pull of the tenant was already running, and nothing changed. */
export const PullNowResponse = z.object({ started: z.boolean(), source: UsageSourceStatus });
