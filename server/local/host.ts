import http from 'node:http';
import type { ApiRequest, ApiResponse } from '../functions/http-types.js';
import { MAX_BODY_BYTES } from '../functions/pipeline.js';
import { listenOn } from './listen.js';

/**
 * The local stand-in for the Azure Functions host: a node:http server that hands every request to the
 * same pipeline the Azure registration uses.
 */
export async function startLocalHost(options: { pipeline: (request: ApiRequest) => Promise<ApiResponse>; port: number; host?: string }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep reading (so the client sees our answer) but stop storing past the limit.
      if (size > MAX_BODY_BYTES + 1) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const request: ApiRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
        body: tooLarge ? Buffer.alloc(MAX_BODY_BYTES + 1) : chunks.length ? Buffer.concat(chunks) : undefined,
        remoteAddress: req.socket.remoteAddress,
      };
      options.pipeline(request).then(
        (response) => {
          res.writeHead(response.status, response.headers);
          res.end(response.body);
        },
        (error: unknown) => {
          console.error('Pipeline failed', error);
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } }));
        },
      );
    });
  });
  server.keepAliveTimeout = 30_000;
  await listenOn(server, options.port, options.host);
  return server;
}
