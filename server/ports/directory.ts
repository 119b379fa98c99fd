/** People in the firm's directory (Microsoft Graph in production; demo users locally). */
export interface DirectoryPerson {
  /** Entra object id: the same id as the member's. */
  id: string;
  email: string;
  displayName: string;
  office?: string;
  department?: string;
  jobTitle?: string;
}

/** The longest type-ahead text sent to the directory; longer input is cut to this. */
export const DIRECTORY_QUERY_MAX = 100;
/** The most people one search returns. */
export const DIRECTORY_SEARCH_MAX = 25;

export interface Directory {
  /** The person with this object id; undefined when the directory has nobody by that id. */
  findById(tenant: string, id: string): Promise<DirectoryPerson | undefined>;
  findByEmail(tenant: string, email: string): Promise<DirectoryPerson | undefined>;
  /** Type-ahead: people whose name, given name, surname or address starts with `query`; at most `limit`. Blank → []. */
  search(tenant: string, query: string, limit: number): Promise<DirectoryPerson[]>;
}

export type DirectoryFailure = 'throttled' | 'unavailable' | 'timeout' | 'forbidden' | 'unauthenticated' | 'failed';

/**
 * Thrown when the directory cannot answer (outage, throttling past the retries, time-out, missing
 * permission). Use cases that only fill fields from the directory carry on without it; routes that need
 * it answer 503 DIRECTORY_UNAVAILABLE.
 */
export class DirectoryUnavailableError extends Error {
  readonly reason: DirectoryFailure;
  /** The directory's HTTP status, when it answered at all. */
  readonly status: number | undefined;
  /** When the directory said to come back (Retry-After), in seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: { reason: DirectoryFailure; status?: number | undefined; retryAfterSeconds?: number | undefined; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DirectoryUnavailableError';
    this.reason = options.reason;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Cleans type-ahead text: no control characters, single spaces, trimmed, at most DIRECTORY_QUERY_MAX characters. */
export function normaliseDirectoryQuery(query: string): string {
  const cleaned = query
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // By code point, so a cut never splits a surrogate pair.
  return Array.from(cleaned).slice(0, DIRECTORY_QUERY_MAX).join('').trim();
}
