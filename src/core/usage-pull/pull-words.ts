/**
 * What IT reads about a usage source's pulls (issue 21): each problem in plain words with its fix, never
 * a code. The codes are Autodesk's refusals (the UsageSource port's) and the pull's own.
 */
export type UsageSourceKindName = 'token_flex' | 'usage_insights';

export type PullProblemCode =
  | 'disconnected'
  | 'not_entitled'
  | 'unavailable'
  | 'throttled'
  | 'export_failed'
  | 'export_expired'
  | 'no_contract'
  /** The source is not connected (or was disconnected before this pull). */
  | 'not_connected'
  /** Another import of the tenant was posting: one posts at a time. */
  | 'slot_busy'
  /** The importer could not read the file Autodesk handed back. */
  | 'export_unreadable'
  /** The ledger refused the pulled rows part-way. */
  | 'posting_failed'
  /** The host stopped mid-pull (its lease ran out). */
  | 'interrupted'
  /** Anything else (storage down, a bug): in the logs. */
  | 'internal';

export const SOURCE_NAME: Record<UsageSourceKindName, string> = {
  token_flex: 'Autodesk Token Flex usage',
  usage_insights: 'Autodesk usage insights',
};

/** The problem and what to do about it, in one or two sentences. `detail`: the importer's or ledger's own words, where they help. */
export function pullProblemWords(code: PullProblemCode, kind: UsageSourceKindName, extra: { retryAfterSeconds?: number | undefined; detail?: string | undefined } = {}): string {
  const name = SOURCE_NAME[kind];
  const later = 'Nothing was posted; the next scheduled pull tries again, or IT can pull now later.';
  switch (code) {
    case 'disconnected':
      return 'Autodesk disconnected: Autodesk no longer accepts the consent Credit Desk was given (revoked, or unused for too long). IT connects Autodesk again in Settings.';
    case 'not_entitled':
      return `Autodesk refuses ${name} to the connected account: this API comes with ${kind === 'token_flex' ? 'an enterprise Token Flex contract' : "Autodesk's Business Success Plan"}. IT checks the plan in Autodesk Account, or connects the other usage API in Settings.`;
    case 'unavailable':
      return `Autodesk did not answer in time (down or too slow). ${later}`;
    case 'throttled': {
      const minutes = extra.retryAfterSeconds ? Math.max(1, Math.ceil(extra.retryAfterSeconds / 60)) : undefined;
      return `Autodesk asked Credit Desk to slow down${minutes ? ` for about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}` : ''}. ${later}`;
    }
    case 'export_failed':
      return `Autodesk could not make the usage export. ${later}`;
    case 'export_expired':
      return `Autodesk's download link ran out before the whole export was read. ${later}`;
    case 'no_contract':
      return 'Autodesk found no Token Flex contract for the connected account. IT checks in Autodesk Account that this account is on the contract, then connects it again in Settings.';
    case 'not_connected':
      return `${name} is not connected: IT connects it in Settings.`;
    case 'slot_busy':
      return 'A usage import was posting, and one posts at a time. Nothing was asked of Autodesk; the next scheduled pull tries again, or IT can pull now once the import is done.';
    case 'export_unreadable':
      return `Credit Desk could not read the export Autodesk sent${extra.detail ? `: ${extra.detail}` : '.'} Nothing was posted; if the next pull says the same, tell the Credit Desk maintainers.`;
    case 'posting_failed':
      return `Posting the pulled usage stopped${extra.detail ? `: ${extra.detail}` : '.'} Open the import below to see where; the next pull posts what is missing, and nothing is counted twice.`;
    case 'interrupted':
      return 'The last pull stopped before it finished (the server restarted). The next pull asks for those days again; nothing is counted twice.';
    case 'internal':
      return `Something went wrong on Credit Desk's side while pulling. ${later} If it keeps happening, IT looks at the Function App's logs.`;
  }
}

/** Who posts pulled usage, in the ledger and the audit trail (a timer or IT's "Pull now" starts it). */
export const PULL_ACTOR = 'system:usage-pull';
