import { readFileSync } from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { ICONS_DIR, RIBBON_ICON_URL_PATH, RIBBON_ICONS } from './manifest/icons.js';

const here = import.meta.dirname;
const apiTarget = process.env.CREDIT_DESK_API ?? 'http://127.0.0.1:7071';

/** Office.js is served only from Microsoft's CDN (Office requires it); VITE_OFFICE_JS_URL may point elsewhere. */
const OFFICE_JS_URL = process.env.VITE_OFFICE_JS_URL ?? 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

/**
 * Production builds of the Outlook pane, and of the sign-in page Outlook's dialog opens, load Office.js before
 * the app. The dev server and the tests leave it out (the e2e build sets VITE_OFFICE_JS_URL to empty): the pane
 * then runs on sample messages, and nothing is fetched from the internet.
 */
function officeJsInBuild(): Plugin {
  return {
    name: 'credit-desk-office-js',
    apply: 'build',
    transformIndexHtml: {
      order: 'pre',
      handler: (html, context) => (OFFICE_JS_URL && /\/(pane|auth)\.html$/.test(context.path) ? html.replace('<!-- office-js:', `<script src="${OFFICE_JS_URL}"></script>\n    <!-- office-js:`) : html),
    },
  };
}

/** Outlook's ribbon button takes its icons by URL, not from the app package: the web build publishes them. */
function ribbonIconsInBuild(): Plugin {
  return {
    name: 'credit-desk-ribbon-icons',
    apply: 'build',
    generateBundle() {
      for (const icon of RIBBON_ICONS) {
        this.emitFile({ type: 'asset', fileName: `${RIBBON_ICON_URL_PATH}/${icon.file}`, source: readFileSync(path.join(ICONS_DIR, icon.file)) });
      }
    },
  };
}

/**
 * The pages' security headers come from one place, src/public/staticwebapp.config.json (what the Static
 * Web App sends in production). `vite preview` serves the built pages with all of them. The dev server
 * cannot take the production Content-Security-Policy (Vite's dev client and React Refresh run inline
 * scripts and reach the server over a WebSocket), so it sends the same headers with only the CSP
 * directives that do not touch scripts or connections: frame-ancestors (Teams, Outlook and Microsoft 365
 * only), base-uri, form-action and object-src. HSTS means nothing on plain http://127.0.0.1 and is left out.
 */
const PAGE_HEADERS: Record<string, string> = (
  JSON.parse(readFileSync(path.join(here, 'src', 'public', 'staticwebapp.config.json'), 'utf8')) as { globalHeaders: Record<string, string> }
).globalHeaders;

function pageHeaders(mode: 'dev' | 'preview'): Record<string, string> {
  const headers = Object.fromEntries(Object.entries(PAGE_HEADERS).filter(([name]) => name.toLowerCase() !== 'strict-transport-security'));
  if (mode === 'preview') return headers;
  const csp = headers['Content-Security-Policy'] ?? '';
  const kept = csp
    .split(';')
    .map((d) => d.trim())
    .filter((d) => /^(frame-ancestors|base-uri|form-action|object-src)\s/.test(d));
  return { ...headers, 'Content-Security-Policy': kept.join('; ') };
}

const SHARED_AZURITE = path.join(here, 'tests', 'support', 'shared-azurite.ts');
/** Bundles the Functions package (esbuild): a build, not a unit test. */
const PACKAGE_BUILD_TEST = 'tests/unit/deploy/infra.test.ts';

/**
 * `npm test` runs these in one `vitest run`, on the same two workers: each project gets only the environment
 * and setup it needs (jsdom and Testing Library for the screens; one Azurite per worker for the tests that
 * store). `vitest run --project ui` runs one of them.
 */
const TEST_PROJECTS: { name: string; include: string[]; exclude?: string[]; environment?: string; setupFiles?: string[]; globalSetup?: string[] }[] = [
  { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: [PACKAGE_BUILD_TEST] },
  { name: 'ui', include: ['tests/ui/**/*.test.ts', 'tests/ui/**/*.test.tsx'], environment: 'jsdom', setupFiles: [path.join(here, 'tests', 'ui', 'setup.ts')] },
  { name: 'integration', include: ['tests/integration/**/*.test.ts', 'tests/security/**/*.test.ts', 'tests/faults/**/*.test.ts', PACKAGE_BUILD_TEST], globalSetup: [SHARED_AZURITE] },
  { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], globalSetup: [SHARED_AZURITE, path.join(here, 'tests', 'e2e', 'shared-web.ts')] },
];

/** The Teams tab and the Outlook pane are pages of one Vite build rooted at src/. */
export default defineConfig({
  root: path.join(here, 'src'),
  plugins: [react(), officeJsInBuild(), ribbonIconsInBuild()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy: { '/api': apiTarget }, headers: pageHeaders('dev') },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy: { '/api': apiTarget }, headers: pageHeaders('preview') },
  build: {
    outDir: path.join(here, 'dist', 'web'),
    emptyOutDir: true,
    rollupOptions: { input: { tab: path.join(here, 'src', 'index.html'), pane: path.join(here, 'src', 'pane.html'), blank: path.join(here, 'src', 'blank.html'), auth: path.join(here, 'src', 'auth.html') } },
  },
  test: {
    dir: here,
    pool: 'forks',
    // Three on two cores: much of a file's time is spent waiting on Chromium and Azurite, which run in processes of their own.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // `expect.poll` waits for what a person would wait for; Vitest's default gives up after 1 s, which a busy
    // machine can take to answer one request (the same 30 s as Testing Library's waits in tests/ui/setup.ts).
    expect: { poll: { timeout: 30_000, interval: 50 } },
    reporters: ['default', path.join(here, 'tests', 'support', 'summary-reporter.ts')],
    projects: TEST_PROJECTS.map(({ name, include, exclude = [], ...rest }) => ({
      extends: true as const,
      test: { name, dir: here, include, exclude: ['**/node_modules/**', ...exclude], ...rest },
    })),
  },
});
