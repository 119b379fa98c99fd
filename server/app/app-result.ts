import type { ApiErrorCode } from '../../src/contract/index.js';
import type { DomainError } from '../../src/core/index.js';
import type { CommandOutcome } from '../ports/ledger-store.js';

/** A file a use case answers with (a report), streamed to the caller. */
export interface FileAnswer {
  contentType: 'text/csv';
  fileName: string;
  stream: AsyncIterable<Uint8Array>;
}

export type AppResult = { ok: true; status: number; body: unknown; file?: FileAnswer } | { ok: false; code: ApiErrorCode; message: string; details?: unknown };

export const success = (status: number, body: unknown): AppResult => ({ ok: true, status, body });
export const fileSuccess = (file: FileAnswer): AppResult => ({ ok: true, status: 200, body: null, file });

export function failure(code: ApiErrorCode, message: string, details?: unknown): AppResult {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
}

export const fromDomainError = (error: DomainError): AppResult => failure(error.code, error.message, error.details);

export function fromOutcome(outcome: CommandOutcome): AppResult {
  switch (outcome.kind) {
    case 'committed':
      return success(outcome.status, outcome.body);
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
