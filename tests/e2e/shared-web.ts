/**
 * Vitest global setup of the e2e project: one Vite dev server for the tab and the pane, shared by every e2e
 * file, instead of one per file (each optimised the dependencies and transformed the app again, seconds to
 * tens of seconds on 2 cores). Each file still has a stack of its own: its browser contexts name their API
 * (and Graph stand-in) in request headers, and the server forwards `/api` and `/graph` there.
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
    configureServer(server) {
      server.middlewares.use('/api', forwardTo(API_TARGET_HEADER, '/api'));
      server.middlewares.use('/graph', forwardTo(GRAPH_TARGET_HEADER, ''));
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { createServer } = await import('vite');
  const port = await freePort();
  const web = await createServer({
    configFile: path.join(ROOT, 'vite.config.ts'),
    cacheDir: path.join(ROOT, 'node_modules', '.vite-e2e'),
    logLevel: 'warn',
    plugins: [backendRouter()],
    // Pre-bundle every browser dependency a page may import up front: a dependency found later (a lazy page)
    // re-optimises, and without a reload (hmr is off below) the page would end up with two copies of React.
    optimizeDeps: {
      include: [
        'react',
        'react/jsx-runtime',
        'react/jsx-dev-runtime',
        'react-dom',
        'react-dom/client',
        '@fluentui/react-components',
        '@fluentui/react-icons',
        '@fluentui/react-charts',
        '@microsoft/teams-js',
        '@azure/msal-browser',
        'zod',
      ],
    },
    clearScreen: false,
    // The pages are transformed while the first files start their stacks.
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null, warmup: { clientFiles: ['./index.html', './pane.html', './tab/main.tsx', './addin/main.tsx'] } },
  });
  await web.listen();
  project.provide('e2eWebUrl', `http://127.0.0.1:${port}`);
  return () => web.close();
}
