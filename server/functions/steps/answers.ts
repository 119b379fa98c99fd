import type { ApiErrorCode } from '../../../src/contract/index.js';
import { ERROR_STATUS, errorBody } from '../../../src/contract/index.js';
import type { ApiResponse } from '../http-types.js';

/** Every API answer is JSON for a script: never cached, never sniffed, never rendered or framed, no referrer. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

/** What a step gives the next one, or the answer that ends the request there. */
export type StepResult<T> = { ok: true; value: T } | { ok: false; response: ApiResponse };

export const next = <T>(value: T): StepResult<T> => ({ ok: true, value });
export const stop = (response: ApiResponse): StepResult<never> => ({ ok: false, response });

export function respond(status: number, body: unknown, extra: Record<string, string> = {}): ApiResponse {
  return { status, headers: { ...BASE_HEADERS, ...extra }, body: JSON.stringify(body) };
}

/** A coded error: its status comes from the contract's one table of error statuses. */
export function error(code: ApiErrorCode, message: string, details?: unknown, extra?: Record<string, string>): ApiResponse {
  return respond(ERROR_STATUS[code], errorBody(code, message, details), extra);
}
