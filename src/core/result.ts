/** Expected failures are values with a stable code; unexpected ones throw. */
export type ErrorCode =
  | 'NOT_REGISTERED'
  | 'POOL_INSUFFICIENT'
  | 'HOLD_LIMIT_REACHED'
  | 'INVALID_TRANSITION'
  | 'NOT_FOUND'
  | 'ALREADY_REVERSED'
  | 'NOT_REVERSIBLE'
  | 'BALANCE_INSUFFICIENT'
  | 'VALIDATION_FAILED';

export interface DomainError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: Record<string, unknown>): Result<never> {
  return { ok: false, error: details ? { code, message, details } : { code, message } };
}
