/**
 * Vitest global setup of the e2e project: the tab and the pane built once (a few seconds) and served by one
 * `vite preview` server that every e2e file shares, with the production pages' headers, Content-Security-
 * Policy included. A dev server per file optimised the dependencies and transformed the app again for each,
 * and every page load then fetched hundreds of unbundled modules: the same e2e files took 2.6 times as long.
 * Each file still has a stack of its own: its browser contexts name their API (and Graph stand-in) in request
 * headers, and the server forwards `/api` and `/graph` there.
 */
import { request } from 'node:http';
import path from 'node:path';
import type { Connect, Plugin } from 'vite';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../server/local/azurite.js';

/** Where a browser context's `/api/...` requests go: the origin of the file's own local stack. */
export const API_TARGET_HEADER = 'x-e2e-api';
/** Where its `/graph/...` requests go, without the `/graph` prefix: the file's Graph stand-in. */
export const GRAPH_TARGET_HEADER = 'x-e2e-graph';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eWebUrl: string;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Forwards a request to the origin its header names; a request without one is answered 502 with the reason. */
function forwardTo(header: string, stripPrefix: string): Connect.NextHandleFunction {
  return (req, res) => {
    const target = req.headers[header];
    if (typeof target !== 'string') {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`No ${header} header: this e2e page was not opened through tests/e2e/support.ts.`);
      return;
    }
    const url = new URL(target);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== API_TARGET_HEADER && name !== GRAPH_TARGET_HEADER));
    headers.host = url.host;
    // Connect strips the mount path from req.url; the API keeps its /api prefix, the Graph stand-in takes none.
    const forwarded = request({ hostname: url.hostname, port: url.port, method: req.method, path: `${stripPrefix}${req.url ?? '/'}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    // The browser went away (a page closed mid-request): so does the request to the stack.
    res.on('close', () => {
      if (!res.writableFinished) forwarded.destroy();
    });
    forwarded.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`The e2e backend at ${target} did not answer: ${error.message}`);
    });
    req.pipe(forwarded);
  };
}

function backendRouter(): Plugin {
  return {
    name: 'credit-desk-e2e-backends',
    configurePreviewServer(server) {
      server.middlewares.use('/api', forwardTo(API_TARGET_HEADER, '/api'));
      server.middlewares.use('/graph', forwardTo(GRAPH_TARGET_HEADER, ''));
    },
  };
}

/** The production build, into the test cache; without Office.js, which comes only from Microsoft's CDN (the pane then runs on sample messages). */
async function buildPages(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const officeJs = process.env.VITE_OFFICE_JS_URL;
  process.env.VITE_OFFICE_JS_URL = '';
  try {
    await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (officeJs === undefined) delete process.env.VITE_OFFICE_JS_URL;
    else process.env.VITE_OFFICE_JS_URL = officeJs;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = path.join(ROOT, 'node_modules', '.vite-e2e', 'web');
  await buildPages(outDir);
  const { preview } = await import('vite');
  const port = await freePort();
  const web = await preview({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', plugins: [backendRouter()], build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true } });
  project.provide('e2eWebUrl', `http://127.0.0.1:${port}`);
  return () => web.close();
}
