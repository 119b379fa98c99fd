import { z } from 'zod';

/** Every coded error the API answers with, and its HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  MALFORMED_REQUEST: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  RANGE_TOO_LONG: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  HOST_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INVALID_TRANSITION: 409,
  CONSENT_NOT_VALID: 410,
  AUTODESK_UNIT_MISMATCH: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  ALREADY_REVERSED: 409,
  IMPORT_NOT_READY: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  POOL_INSUFFICIENT: 422,
  HOLD_LIMIT_REACHED: 422,
  NOT_REGISTERED: 422,
  BALANCE_INSUFFICIENT: 422,
  NOT_REVERSIBLE: 422,
  IMPORT_FILE_REFUSED: 422,
  AUTODESK_REFUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  STORAGE_UNAVAILABLE: 503,
  DIRECTORY_UNAVAILABLE: 503,
  AUTODESK_UNAVAILABLE: 503,
  AUTODESK_NOT_CONFIGURED: 503,
} as const;
export type ApiErrorCode = keyof typeof ERROR_STATUS;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export function errorBody(code: ApiErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
