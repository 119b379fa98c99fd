import { z } from 'zod';
import { IsoDay } from './primitives.js';

// Usage pulled from Autodesk's usage APIs (issue 21): each connected source's pull status, and IT's
// "Pull now". Never a secret: the connection's credentials stay where the server keeps them.

export const USAGE_SOURCE_KINDS = ['token_flex', 'usage_insights'] as const;
export const UsageSourceKind = z.enum(USAGE_SOURCE_KINDS);
export type UsageSourceKind = z.infer<typeof UsageSourceKind>;
export const UsageSourcePath = z.strictObject({ kind: UsageSourceKind });

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
