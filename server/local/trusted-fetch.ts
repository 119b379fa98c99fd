import { request } from 'node:https';

export interface TrustedFetchInit {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: string | URLSearchParams;
  signal?: AbortSignal | null;
}

/**
 * fetch over https that trusts one certificate (PEM) besides nothing else: how the local stack reaches the
 * Entra ID stand-in, whose certificate is made at start. Node's own fetch cannot be given a CA per call.
 */
export function fetchTrusting(ca: string): (url: string | URL, init?: TrustedFetchInit) => Promise<Response> {
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers.entries()) : { ...init.headers };
      const body = init.body instanceof URLSearchParams ? init.body.toString() : init.body;
      if (init.body instanceof URLSearchParams) headers['content-type'] ??= 'application/x-www-form-urlencoded';
      const sent = request(new URL(url), { method: init.method ?? 'GET', headers, ca, ...(init.signal ? { signal: init.signal } : {}) }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('error', reject);
        answer.on('end', () => {
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(answer.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) answerHeaders.append(name, one);
          }
          const status = answer.statusCode ?? 502;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: answerHeaders }));
        });
      });
      sent.on('error', reject);
      sent.end(body);
    });
}
