/**
 * The quarantine helper's search, apart from React: both looks (IronPort digests and Junk Email) run side
 * by side, each reports when it ends, and one failing does not hide what the other found.
 */
import type { Settings } from '../contract/schemas.js';
import type { DigestFinding, JunkFinding, MailboxHelper } from './graph-mail.js';

export type Part<T> = { status: 'searching' } | { status: 'done'; items: T[] } | { status: 'failed'; error: unknown };

export interface SearchResults {
  digests: Part<DigestFinding>;
  junk: Part<JunkFinding>;
}

export type SearchPhase =
  | { phase: 'idle' }
  /** Getting the mailbox permission (the first time, Microsoft 365 asks the person) and loading the client. */
  | { phase: 'starting' }
  | { phase: 'searching'; results: SearchResults }
  /** The search could not start at all (no permission, no connection). */
  | { phase: 'failed'; error: unknown }
  | { phase: 'done'; results: SearchResults };

export const STARTED: SearchResults = { digests: { status: 'searching' }, junk: { status: 'searching' } };

/** What the finished search amounts to, for the page to choose what to say. */
export type Verdict = 'found' | 'nothing' | 'failed';

export function verdictOf(results: SearchResults): Verdict {
  const parts = [results.digests, results.junk];
  if (parts.some((p) => p.status === 'done' && p.items.length > 0)) return 'found';
  if (parts.every((p) => p.status === 'done')) return 'nothing';
  return 'failed';
}

/** The first failure of a finished search, to show with a retry. */
export function failureOf(results: SearchResults): unknown {
  for (const part of [results.digests, results.junk]) if (part.status === 'failed') return part.error;
  return undefined;
}

/** Runs both looks; `onChange` gets the results after each one ends; resolves with the final results. */
export async function searchMailbox(client: MailboxHelper, settings: Pick<Settings, 'quarantine'>, onChange: (results: SearchResults) => void): Promise<SearchResults> {
  let results: SearchResults = STARTED;
  const settle = <K extends keyof SearchResults>(key: K, part: SearchResults[K]) => {
    results = { ...results, [key]: part };
    onChange(results);
  };
  await Promise.all([
    client.findDigests(settings).then(
      (items) => settle('digests', { status: 'done', items }),
      (error: unknown) => settle('digests', { status: 'failed', error }),
    ),
    client.findInJunk(settings).then(
      (items) => settle('junk', { status: 'done', items }),
      (error: unknown) => settle('junk', { status: 'failed', error }),
    ),
  ]);
  return results;
}
