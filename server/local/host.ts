import http from 'node:http';
import { errorBody } from '../../src/contract/index.js';
import type { ApiRequest, ApiResponse } from '../functions/http-types.js';
import { Readable } from 'node:stream';
import { pipeline as pipeStreams } from 'node:stream/promises';
import { MAX_BODY_BYTES } from '../functions/steps/parse.js';
import { takesUpload } from '../functions/steps/route.js';
import { listenOn } from './listen.js';

/** After answering a request whose body was too large, how long the client gets to read the answer before the connection is cut. */
const LINGER_MS = 2_000;

/**
 * The local stand-in for the Azure Functions host: a node:http server that hands every request to the
 * same pipeline the Azure registration uses.
 *
 * A body over MAX_BODY_BYTES is not read to its end: the host stops reading at the limit (or at once when
 * Content-Length says so), lets the pipeline answer (413 PAYLOAD_TOO_LARGE on a route that takes a body),
 * answers with `Connection: close`, and cuts the connection instead of draining what is left.
 */
export async function startLocalHost(options: { pipeline: (request: ApiRequest) => Promise<ApiResponse>; port: number; host?: string }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let handed = false;

    const hand = (tooLarge: boolean) => {
      if (handed) return;
      handed = true;
      if (tooLarge) {
        // Stop reading: what the client still sends stays in the socket until we close it.
        req.removeListener('data', onData);
        req.pause();
      }
      const request: ApiRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
        body: chunks.length ? Buffer.concat(chunks) : undefined,
        remoteAddress: req.socket.remoteAddress,
        ...(tooLarge ? { bodyTooLarge: true } : {}),
      };
      chunks.length = 0;
      options.pipeline(request).then(
        (response) => send(response, tooLarge),
        (error: unknown) => {
          console.error('Pipeline failed', error);
          send({ status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } }) }, tooLarge);
        },
      );
    };

    const send = (response: ApiResponse, closeAfter: boolean) => {
      if (res.destroyed) return;
      if (response.stream) {
        res.writeHead(response.status, response.headers);
        pipeStreams(Readable.from(response.stream), res).catch((error: unknown) => {
          console.error('A file answer broke off', error);
          res.destroy();
        });
        return;
      }
      if (!closeAfter) {
        res.writeHead(response.status, response.headers);
        res.end(response.body);
        return;
      }
      // Node would otherwise drain the rest of the body to keep the connection alive: close it instead,
      // after a moment for the client to read the answer (cutting at once can reset it before it does).
      res.shouldKeepAlive = false;
      res.writeHead(response.status, { ...response.headers, connection: 'close' });
      res.end(response.body, () => {
        req.socket.end();
        setTimeout(() => req.socket.destroy(), LINGER_MS).unref();
      });
    };

    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) hand(true);
      else chunks.push(chunk);
    }

    if (takesUpload(req.method ?? 'GET', URL.parse(req.url ?? '/', 'http://localhost')?.pathname ?? '')) {
      // A file: the use case reads it as it arrives. If it answers before reading it all (refused), the
      // rest is not drained: the connection closes after the answer.
      handed = true;
      const request: ApiRequest = {
        method: req.method ?? 'POST',
        url: req.url ?? '/',
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
        body: undefined,
        stream: req,
        remoteAddress: req.socket.remoteAddress,
      };
      options.pipeline(request).then(
        (response) => send(response, !req.readableEnded),
        (error: unknown) => {
          console.error('Pipeline failed', error);
          send({ status: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } }) }, !req.readableEnded);
        },
      );
      return;
    }

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
      hand(true);
      return;
    }
    req.on('data', onData);
    req.on('end', () => hand(false));
  });
  server.keepAliveTimeout = 30_000;
  // Node refuses some requests before any handler sees them (headers over 16 KiB, a broken request line):
  // answer those with a coded error too, as every other refusal is.
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'HEADERS_TOO_LARGE', 'The request line and headers are over 16 KiB.'] : [400, 'MALFORMED_REQUEST', 'The request is not valid HTTP.'];
    const body = JSON.stringify(errorBody(code as 'HEADERS_TOO_LARGE' | 'MALFORMED_REQUEST', message));
    // An answer to HEAD has no body, or the client reads the body as the next answer.
    const head = error.rawPacket?.toString('latin1', 0, 5) === 'HEAD ';
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\nx-content-type-options: nosniff\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${head ? '' : body}`);
  });
  await listenOn(server, options.port, options.host);
  return server;
}
