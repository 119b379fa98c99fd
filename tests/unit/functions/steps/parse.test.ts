import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../src/contract/index.js';
import type { ApiRequest } from '../../../../server/functions/http-types.js';
import { MAX_BODY_BYTES, parse } from '../../../../server/functions/steps/parse.js';

const request = (headers: Record<string, string>, body?: string | Buffer): ApiRequest => ({
  method: 'POST',
  url: '/api/usage',
  headers,
  body: body === undefined ? undefined : Buffer.from(body),
  remoteAddress: '127.0.0.1',
});
const json = { 'content-type': 'application/json' };
const codeOf = (result: ReturnType<typeof parse>) => (result.ok ? 'ok' : (JSON.parse(result.response.body) as { error: { code: string } }).error.code);

describe('parse step', () => {
  it('parses a JSON body', () => {
    expect(parse(ROUTES.postUsage, request(json, '{"credits":1}'))).toEqual({ ok: true, value: { rawBody: { credits: 1 }, file: undefined } });
  });

  it('refuses a body that is not JSON, too large, or sent as another type', () => {
    expect(codeOf(parse(ROUTES.postUsage, request(json, '{"credits":')))).toBe('MALFORMED_JSON');
    expect(codeOf(parse(ROUTES.postUsage, request(json, `"${'x'.repeat(MAX_BODY_BYTES)}"`)))).toBe('PAYLOAD_TOO_LARGE');
    expect(codeOf(parse(ROUTES.postUsage, request({ 'content-type': 'text/plain' }, '{}')))).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('reads no body on routes that take none', () => {
    expect(parse(ROUTES.me, request({}, 'not json'))).toEqual({ ok: true, value: { rawBody: undefined, file: undefined } });
  });

  it('hands an upload over as a stream, refusing other types and a declared size past the limit', async () => {
    const parsed = parse(ROUTES.uploadImport, request({ 'content-type': 'text/csv' }, 'a,b\n'));
    if (!parsed.ok || !parsed.value.file) throw new Error('expected a file');
    const chunks: Uint8Array[] = [];
    for await (const chunk of parsed.value.file) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('a,b\n');
    expect(codeOf(parse(ROUTES.uploadImport, request({ 'content-type': 'image/png' }, 'x')))).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(codeOf(parse(ROUTES.uploadImport, request({ 'content-type': 'text/csv', 'content-length': String(300 * 1024 * 1024) }, 'x')))).toBe('PAYLOAD_TOO_LARGE');
  });
});
