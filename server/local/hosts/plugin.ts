/**
 * Serves the host stand-ins (dev only) next to the tab and the pane, on the same origin: teams-js takes
 * messages only from its own origin besides Microsoft's. `npm start` adds this plugin to the dev server,
 * the e2e project to its preview server; a production build never contains them.
 *
 * - /hosts/teams.html: Teams framing the tab (teams-host-page.ts);
 * - /hosts/outlook.html: Outlook on the web framing the pane (outlook-host-page.ts);
 * - /hosts/office.js: the Office.js stand-in (office-standin.ts), which pane.html and auth.html load where
 *   production loads Office.js from Microsoft's CDN;
 * - /hosts/teams-mobile.js: what Teams mobile's web view injects into the tab (teams-mobile-host.ts).
 *
 * The pages' Content-Security-Policy lets only Teams, Outlook and Microsoft 365 frame them
 * (frame-ancestors); with the stand-ins, which play those hosts on the page's own origin, 'self' joins them.
 */
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Connect, Plugin } from 'vite';

const HERE = import.meta.dirname;

const SCRIPTS: Record<string, string> = {
  'teams.js': 'teams-host-page.ts',
  'outlook.js': 'outlook-host-page.ts',
  'office.js': 'office-standin.ts',
  'teams-mobile.js': 'teams-mobile-host.ts',
};

/** Where the dev server's pane.html and auth.html load the Office.js stand-in from. */
export const OFFICE_STAND_IN_URL = '/hosts/office.js';

const STYLE = `body { margin: 0; font-family: 'Segoe UI', system-ui, sans-serif; display: flex; flex-direction: column; height: 100vh; }
header { display: flex; gap: 12px; align-items: center; padding: 8px 16px; background: #ebebf5; border-bottom: 1px solid #d1d1d1; font-size: 13px; }
header h1 { font-size: 14px; margin: 0; }
body[data-theme='dark'] header, body[data-theme='contrast'] header { background: #1f1f1f; color: #fff; }
main { flex: 1; display: flex; min-height: 0; }
iframe { border: 0; flex: 1; }
iframe.pane { flex: 0 0 320px; border-left: 1px solid #d1d1d1; }
.mail { flex: 1; padding: 16px; color: #616161; }`;

const page = (title: string, header: string, main: string, script: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="hosts.css"></head>
<body><header><h1>${title}</h1>${header}<span id="status"></span></header><main>${main}</main><script src="${script}"></script></body></html>
`;

const PAGES: Record<string, string> = {
  'teams.html': page(
    'Microsoft Teams (stand-in)',
    '<span role="group" aria-label="Teams theme"><button data-theme="default">Light</button> <button data-theme="dark">Dark</button> <button data-theme="contrast">High contrast</button></span>',
    '<iframe id="app" title="Credit Desk tab"></iframe>',
    'teams.js',
  ),
  'outlook.html': page(
    'Outlook on the web (stand-in)',
    '<label>Open message <select id="sample"></select></label>',
    '<div class="mail">The selected message is open; Credit Desk runs in the task pane.</div><iframe id="app" class="pane" title="Credit Desk add-in"></iframe>',
    'outlook.js',
  ),
};

/** The stand-in's browser scripts, bundled on first request (esbuild, as the tests' build tools). */
const bundles = new Map<string, Promise<string>>();
async function bundle(file: string): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({ entryPoints: [path.join(HERE, file)], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

/** Adds 'self' to frame-ancestors of the CSP the server sends with its pages. */
export function framedBySelf(csp: string): string {
  return csp
    .split(';')
    .map((directive) => (/^\s*frame-ancestors\s/.test(directive) && !directive.includes("'self'") ? `${directive.trimEnd()} 'self'` : directive))
    .join(';');
}

function allowSelfFraming(res: ServerResponse): void {
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => setHeader(name, name.toLowerCase() === 'content-security-policy' && typeof value === 'string' ? framedBySelf(value) : value);
}

const send = (res: ServerResponse, type: string, body: string) => res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(body);

const middleware: Connect.NextHandleFunction = (req, res, next) => {
  allowSelfFraming(res);
  const name = /^\/hosts\/([\w.-]+)$/.exec(new URL(req.url ?? '/', 'http://host').pathname)?.[1];
  if (!name) return next();
  if (name === 'hosts.css') return send(res, 'text/css', STYLE);
  const html = PAGES[name];
  if (html) return send(res, 'text/html', html);
  const script = SCRIPTS[name];
  if (!script) return next();
  if (!bundles.has(script)) bundles.set(script, bundle(script));
  bundles
    .get(script)!
    .then((code) => send(res, 'text/javascript', code))
    .catch((error: unknown) => {
      bundles.delete(script);
      res.writeHead(500, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
    });
};

export function hostStandIns(): Plugin {
  return {
    name: 'credit-desk-host-stand-ins',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
    // The dev server's pane and sign-in page load the Office.js stand-in where a build loads Office.js.
    transformIndexHtml: {
      order: 'pre',
      handler: (html, context) => (context.server && /\/(pane|auth)\.html$/.test(context.path) ? html.replace('<!-- office-js:', `<script src="${OFFICE_STAND_IN_URL}"></script>\n    <!-- office-js:`) : html),
    },
  };
}
