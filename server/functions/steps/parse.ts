import type { RouteDef } from '../../../src/contract/index.js';
import { UploadTooLargeError } from '../../app/upload-errors.js';
import type { ApiRequest } from '../http-types.js';
import type { StepResult } from './answers.js';
import { error, next, stop } from './answers.js';

export const MAX_BODY_BYTES = 64 * 1024;

/** What the request carries before validation: the JSON body as parsed, and for upload routes the file as it arrives. */
export interface Parsed {
  rawBody: unknown;
  file: AsyncIterable<Uint8Array> | undefined;
}

/** The upload as it arrives, cut off with UploadTooLargeError past `maxBytes` (a chunked body declares no length). */
async function* limited(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.byteLength;
    if (seen > maxBytes) throw new UploadTooLargeError(maxBytes);
    yield chunk;
  }
}

/** The body read as the route takes it: a file (by type and size, streamed) or JSON (at most MAX_BODY_BYTES). */
export function parse(route: RouteDef, request: ApiRequest): StepResult<Parsed> {
  let file: AsyncIterable<Uint8Array> | undefined;
  if (route.upload) {
    const { maxBytes, contentTypes } = route.upload;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!contentTypes.includes(type)) return stop(error('UNSUPPORTED_MEDIA_TYPE', `Send the file as it is, with Content-Type ${contentTypes.join(', ')}.`, { allowed: contentTypes }));
    if (Number(request.headers['content-length'] ?? 0) > maxBytes) return stop(error('PAYLOAD_TOO_LARGE', `The file is over ${Math.round(maxBytes / 1024 / 1024)} MB.`, { maxBytes }));
    file = limited(request.stream ?? (async function* () { if (request.body) yield request.body; })(), maxBytes);
  }

  let rawBody: unknown;
  if (route.body) {
    const bytes = request.body ?? Buffer.alloc(0);
    if (request.bodyTooLarge || bytes.length > MAX_BODY_BYTES) return stop(error('PAYLOAD_TOO_LARGE', `The body is over ${MAX_BODY_BYTES / 1024} KiB.`));
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return stop(error('UNSUPPORTED_MEDIA_TYPE', 'Send JSON with Content-Type: application/json.'));
    try {
      rawBody = JSON.parse(bytes.toString('utf8'));
    } catch {
      return stop(error('MALFORMED_JSON', 'The body is not valid JSON.'));
    }
  }
  return next({ rawBody, file });
}
