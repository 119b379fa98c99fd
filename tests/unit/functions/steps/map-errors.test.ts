import { describe, expect, it } from 'vitest';
import { UploadTooLargeError } from '../../../../server/app/upload-errors.js';
import { mapError } from '../../../../server/functions/steps/map-errors.js';
import { DirectoryUnavailableError } from '../../../../server/ports/directory.js';
import { InvalidCursorError, StorageUnavailableError } from '../../../../server/ports/ledger-store.js';

const answered = (e: unknown) => {
  let logged = 0;
  const response = mapError(e, () => logged++);
  return { status: response.status, code: (JSON.parse(response.body) as { error: { code: string } }).error.code, retryAfter: response.headers['retry-after'], logged };
};

describe('map-errors step', () => {
  it('codes what the ports and use cases throw, without logging it', () => {
    expect(answered(new StorageUnavailableError('down'))).toEqual({ status: 503, code: 'STORAGE_UNAVAILABLE', retryAfter: '2', logged: 0 });
    expect(answered(new UploadTooLargeError(10))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', logged: 0 });
    expect(answered(new InvalidCursorError())).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', logged: 0 });
    expect(answered(new DirectoryUnavailableError('busy', { reason: 'throttled', retryAfterSeconds: 500 }))).toMatchObject({ status: 503, code: 'DIRECTORY_UNAVAILABLE', retryAfter: '120', logged: 0 });
  });

  it('logs anything else and answers 500 INTERNAL', () => {
    expect(answered(new Error('a bug'))).toEqual({ status: 500, code: 'INTERNAL', retryAfter: undefined, logged: 1 });
  });
});
