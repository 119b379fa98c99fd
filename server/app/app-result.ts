import type { ApiErrorCode } from '../../src/contract/index.js';
import type { DomainError } from '../../src/core/result.js';
import type { CommandOutcome } from '../ports/ledger-store.js';

/** A file a use case answers with (a report), streamed to the caller. */
export interface FileAnswer {
  contentType: 'text/csv';
  fileName: string;
  stream: AsyncIterable<Uint8Array>;
}

/** A small page for a browser window (Autodesk's callback), in words: the HTTP layer renders it. */
export interface PageAnswer {
  title: string;
  message: string;
}

/** What a use case answers: its output, or a coded refusal. How either is sent (a status) is the HTTP layer's business. */
export type AppResult<T = unknown> = { ok: true; value: T } | { ok: false; code: ApiErrorCode; message: string; details?: unknown };

export const success = <T>(value: T): AppResult<T> => ({ ok: true, value });

export function failure(code: ApiErrorCode, message: string, details?: unknown): AppResult<never> {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
}

export const fromDomainError = (error: DomainError): AppResult<never> => failure(error.code, error.message, error.details);

export function fromOutcome<T>(outcome: CommandOutcome<T>): AppResult<T> {
  switch (outcome.kind) {
    case 'committed':
      return success(outcome.answer);
    case 'refused':
      return fromDomainError(outcome.error);
    case 'idempotency_conflict':
      return failure('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different request.');
    case 'claim_conflict':
      return failure('ALREADY_REVERSED', 'This transfer has already been reversed.', { claim: outcome.claim });
  }
}

/** The idempotency marker of a write request, prepared by the HTTP layer. */
export interface WriteRequest {
  idempotency: { caller: string; key: string; fingerprint: string };
}
