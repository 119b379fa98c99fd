/**
 * Vitest global setup of the e2e project: the tab and the pane built once (a few seconds) and served by one
 * `vite preview` server that every e2e file shares, with the production pages' headers, Content-Security-
 * Policy included. A dev server per file optimised the dependencies and transformed the app again for each,
 * and every page load then fetched hundreds of unbundled modules: the same e2e files took 2.6 times as long.
 * Each file still has a stack of its own: its browser contexts name their API (and Graph stand-in) in request
 * headers, and the server forwards `/api` and `/graph` there. The server also serves the host stand-ins
 * (server/local/hosts: Teams and Outlook framing the tab and the pane, Office.js, Teams mobile). One Entra ID
 * stand-in (server/local/entra-standin.ts) is the authority the build names: Teams' sign-in window and Office's
 * dialog sign in through it, and each file's stack takes its tokens (`e2eEntra`).
 */
import { request } from 'node:http';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../server/local/azurite.js';
import type { EntraStandInTrust } from '../../server/local/entra-standin.js';
import { pageSettingsFor, startEntraStandIn } from '../../server/local/entra-standin.js';
import { selfSignedCertificate } from '../../server/local/self-signed-cert.js';
import { OFFICE_STAND_IN_URL, hostStandIns } from '../../server/local/hosts/plugin.js';

/** Where a browser context's `/api/...` requests go: the origin of the file's own local stack. */
export const API_TARGET_HEADER = 'x-e2e-api';
/** Where its `/graph/...` requests go, without the `/graph` prefix: the file's Graph stand-in. */
export const GRAPH_TARGET_HEADER = 'x-e2e-graph';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eWebUrl: string;
    /** The same pages over https (a certificate made for the run): Teams opens its sign-in window only on an https address. */
    e2eHttpsWebUrl: string;
    /** The Entra ID stand-in the build signs in with; its redirect URI is the https pages' auth.html. */
    e2eEntra: E2EEntra;
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/** Forwards a request to the origin its header names; a request without one is answered 502 with the reason. */
function forwardTo(header: string, stripPrefix: string): Connect.NextHandleFunction {
  return (req, res) => {
    const target = req.headers[header];
    if (typeof target !== 'string') {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`No ${header} header: this e2e page was not opened through tests/e2e/support.ts.`);
      return;
    }
    const url = new URL(target);
    // Over https the browser speaks HTTP/2: its pseudo-headers (:method, :path…) stay behind, as do HTTP/1.1's connection headers on the way back.
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== API_TARGET_HEADER && name !== GRAPH_TARGET_HEADER && !name.startsWith(':')));
    headers.host = url.host;
    // Connect strips the mount path from req.url; the API keeps its /api prefix, the Graph stand-in takes none.
    const forwarded = request({ hostname: url.hostname, port: url.port, method: req.method, path: `${stripPrefix}${req.url ?? '/'}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name))));
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

/** The run's Entra ID stand-in, as the workers see it: the app's settings, and what their stacks trust. */
export interface E2EEntra {
  /** https://localhost:<port> */
  url: string;
  authority: string;
  clientId: string;
  apiScope: string;
  trust: EntraStandInTrust;
}

/**
 * Adds the authority's origin to the pages' connect-src and frame-src, as a deployment whose authority is not
 * login.microsoftonline.com would: MSAL fetches its discovery document and tokens there, and renews in a frame.
 */
export function withAuthority(csp: string, origin: string): string {
  return csp
    .split(';')
    .map((directive) => (/^\s*(connect-src|frame-src)\s/.test(directive) ? `${directive.trimEnd()} ${origin}` : directive))
    .join(';');
}

function authorityAllowed(origin: string): Plugin {
  const allow = (res: ServerResponse) => {
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name, value) => setHeader(name, name.toLowerCase() === 'content-security-policy' && typeof value === 'string' ? withAuthority(value, origin) : value);
  };
  return {
    name: 'credit-desk-e2e-authority',
    configurePreviewServer(server) {
      server.middlewares.use((_req, res, next) => {
        allow(res);
        next();
      });
    },
  };
}

/**
 * The build's settings: the Entra ID stand-in's client id, authority and API scope, so the tab and the pane
 * take MSAL's paths where a host is found (a plain browser, and any page opened with `?as=`, still signs in
 * with the dev identity); Office.js is the stand-in the host stand-ins serve (server/local/hosts), where
 * production loads Microsoft's CDN copy.
 */
const buildEnv = (entra: Record<string, string>): Record<string, string> => ({ VITE_OFFICE_JS_URL: OFFICE_STAND_IN_URL, ...entra });

/** The production build with the e2e settings, into the test cache. */
async function buildPages(outDir: string, env: Record<string, string>): Promise<void> {
  const { build } = await import('vite');
  const before = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = path.join(ROOT, 'node_modules', '.vite-e2e', 'web');
  // The https pages' address is the stand-in's redirect URI, so its port is chosen first.
  const securePort = await freePort();
  const entra = await startEntraStandIn({ redirectUris: [`https://127.0.0.1:${securePort}/auth.html`] });
  try {
    await buildPages(outDir, buildEnv(pageSettingsFor(entra)));
    const { preview } = await import('vite');
    const serve = async (port: number, https?: { key: string; cert: string }) => {
      const plugins = [backendRouter(), hostStandIns(), authorityAllowed(entra.url)];
      const server = await preview({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', plugins, build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true, ...(https ? { https } : {}) } });
      return { server, url: `${https ? 'https' : 'http'}://127.0.0.1:${port}` };
    };
    const web = await serve(await freePort());
    // A certificate for this run only (teams-js opens its sign-in window only at an https address).
    const { key, cert } = selfSignedCertificate(['127.0.0.1'], 1);
    const secure = await serve(securePort, { key, cert });
    project.provide('e2eWebUrl', web.url);
    project.provide('e2eHttpsWebUrl', secure.url);
    project.provide('e2eEntra', { url: entra.url, authority: entra.authority, clientId: entra.clientId, apiScope: entra.apiScope, trust: entra.trust });
    return async () => {
      await web.server.close();
      await secure.server.close();
      await entra.stop();
    };
  } catch (error) {
    await entra.stop();
    throw error;
  }
}
