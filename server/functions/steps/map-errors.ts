import { UploadTooLargeError } from '../../app/upload-errors.js';
import { DirectoryUnavailableError } from '../../ports/directory.js';
import { InvalidCursorError, StorageUnavailableError } from '../../ports/ledger-store.js';
import type { ApiResponse } from '../http-types.js';
import { error } from './answers.js';

/** A directory failure in plain words: an outage, throttling, or a permission IT has to grant. */
function directoryMessage(e: DirectoryUnavailableError): string {
  switch (e.reason) {
    case 'forbidden':
      return 'The Microsoft 365 directory refused the look-up: the app needs the User.Read.All application permission (ask IT to grant admin consent).';
    case 'unauthenticated':
      return 'Credit Desk could not sign in to the Microsoft 365 directory (check the app registration and its secret or managed identity).';
    case 'throttled':
      return 'The Microsoft 365 directory is busy (throttled). Try again in a moment; the ledger is not affected.';
    default:
      return 'The Microsoft 365 directory is not answering. Try again shortly; the ledger is not affected.';
  }
}

/** The coded answer to what a step or a use case threw; anything unexpected is logged and answered 500 INTERNAL. */
export function mapError(e: unknown, log: () => void): ApiResponse {
  if (e instanceof StorageUnavailableError) {
    return error('STORAGE_UNAVAILABLE', 'Storage is not answering; nothing was changed that was not confirmed. Try again shortly.', undefined, { 'retry-after': '2' });
  }
  if (e instanceof UploadTooLargeError) return error('PAYLOAD_TOO_LARGE', e.message, { maxBytes: e.maxBytes });
  if (e instanceof InvalidCursorError) return error('VALIDATION_FAILED', e.message, [{ path: 'cursor', message: e.message }]);
  if (e instanceof DirectoryUnavailableError) {
    // Only what needs the directory fails; the message says which part of Microsoft 365 and why.
    const retryAfter = String(Math.min(Math.max(Math.ceil(e.retryAfterSeconds ?? 5), 1), 120));
    return error('DIRECTORY_UNAVAILABLE', directoryMessage(e), { reason: e.reason }, { 'retry-after': retryAfter });
  }
  log();
  return error('INTERNAL', 'Something went wrong on our side.');
}
