/**
 * The bench's `tab` part: the production bundle's first load in headless Chromium.
 *
 * Builds the web pages (`vite build` with vite.config.ts: the tab and the blank reference page), serves them
 * with `vite preview` on a free loopback port with /api proxied to a local stack holding the demo data, then:
 *
 * - tab_initial_js_gzip_kb: the JavaScript the employee landing page (/?as=<employee>) has loaded by the time
 *   its own balance is on screen, each file gzipped (level 9) as it would travel, summed;
 * - tab_balance_visible_ms: navigation start to `[data-testid=own-balance]` in a painted frame, median of 5
 *   loads, each in a new browser context with the cache disabled;
 * - blank_page_visible_ms: the same for /blank.html (React + FluentProvider + one Card) until its card shows;
 * - ratio_tab_vs_blank: the two medians' ratio;
 * - tab_teams_initial_js_gzip_kb: what the same landing page loads in Teams before the balance shows: the
 *   files the browser load fetched, plus what a start in a host fetches on top, taken from the build's
 *   module graph: the chunks the tab's static code imports dynamically that hold teams-js (host detection,
 *   src/platform/host.ts) and MSAL (sign-in, src/platform/auth.ts), with their static imports;
 * - pane_initial_js_gzip_kb: the Outlook pane's entry with its static imports, the MSAL chunks and the view it
 *   shows first, which it loads once it knows what the message is (src/addin/MessagePane.tsx): of the views
 *   for the kinds of message (and the one employees get), the largest. Office.js, served by Microsoft's CDN
 *   before the app, is not counted; nothing else loads at the pane's start in Outlook (the dev bar and the
 *   sample messages load only on the local stack, the error bars and dialogs after a failure or on a click,
 *   the tabs between several people an email names after the view shows, with a placeholder until then).
 *
 * One unmeasured load of each page comes first (the API host and Azurite start cold). Tab and blank loads
 * alternate so that a noisy moment on the machine hits both.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import { freePort } from '../../server/local/azurite.js';
import { seedDemoData } from '../../server/local/seed.js';
import { startStack } from '../../server/local/stack.js';
import { log, round } from './support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CONFIG_FILE = path.join(ROOT, 'vite.config.ts');
/** A registered employee with history in the demo data, past their own credits. */
const EMPLOYEE = 'avery.chen@contoso.example';
/** Its own table, so the `http` and `me` parts' data on the same Azurite do not meet the demo seed. */
const TABLE = 'creditdesktab';
const LOADS = 5;
const CHROMIUM_PATH = process.env.CREDIT_DESK_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  name: string;
  code: string;
  imports: string[];
  dynamicImports: string[];
  modules: Record<string, { code: string | null; renderedLength: number }>;
}

/** What the pane shows first, one view per kind of message, and employees' notice (src/addin/MessagePane.tsx, PaneRoot.tsx). */
const PANE_START_VIEWS = ['src/addin/registration/RegistrationView.tsx', 'src/addin/quote/QuoteView.tsx', 'src/addin/queues/QueuesView.tsx', 'src/addin/NotForEmployees.tsx'];

/** A host's start: teams-js to detect it, MSAL to sign in. */
const HOST_START_PACKAGES = { teams: '/node_modules/@microsoft/teams-js/', msal: '/node_modules/@azure/msal-browser/' } as const;

interface BuildFigures {
  seconds: number;
  /** Chunk files and their gzipped sizes, for adding up what a page fetches. */
  gzip_kb_by_file: Record<string, number>;
  /** What a start in Teams fetches on top of the tab's static chunks (teams-js and MSAL chunks), and the pane's whole start. */
  teams_start_chunks: string[];
  pane_start_chunks: string[];
  /** The pane's first view that adds the most to its start (counted in pane_start_chunks). */
  pane_start_view: string;
  /** The chunks the tab entry imports statically (what the build says the landing page needs). */
  tab_static_chunks: { file: string; kb: number; gzip_kb: number }[];
  tab_static_gzip_kb: number;
  /** Largest contributors to those chunks, by package (node_modules) or source folder, gzipped one by one. */
  tab_static_top_sources: SourceSize[];
  /** The same for the pane's start (pane_start_chunks). */
  pane_start_top_sources: SourceSize[];
  blank_static_gzip_kb: number;
}

interface SourceSize {
  source: string;
  kb: number;
  gzip_kb: number;
}

/** Kilobytes of 1,000 bytes, as vite build prints them. */
const kb = (bytes: number) => round(bytes / 1000, 1);
const gzipKb = (code: string | Buffer) => kb(gzipSync(code, { level: 9 }).length);

/** node_modules/@scope/name/… → @scope/name; src/tab/my-credits/… → src/tab/my-credits. */
function sourceOf(id: string): string {
  const clean = id.replace(/\?.*$/, '').replace(/\\/g, '/');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = clean.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const relative = path.relative(ROOT, clean).split('/');
  return relative.slice(0, Math.min(3, relative.length - 1)).join('/') || clean;
}

/** The largest contributors to these chunks, by package or source folder: rendered size and each module gzipped alone. */
function topSources(chunks: ChunkLike[]): SourceSize[] {
  const bySource = new Map<string, { raw: number; gzip: number }>();
  for (const chunk of chunks) {
    for (const [id, module] of Object.entries(chunk.modules)) {
      if (!module.code) continue;
      const key = sourceOf(id);
      const sum = bySource.get(key) ?? { raw: 0, gzip: 0 };
      sum.raw += module.renderedLength;
      sum.gzip += gzipSync(module.code, { level: 9 }).length;
      bySource.set(key, sum);
    }
  }
  return [...bySource.entries()]
    .map(([source, s]) => ({ source, kb: kb(s.raw), gzip_kb: kb(s.gzip) }))
    .sort((a, b) => b.gzip_kb - a.gzip_kb)
    .slice(0, 12);
}

function staticClosure(chunks: Map<string, ChunkLike>, entry: ChunkLike): ChunkLike[] {
  const seen = new Map<string, ChunkLike>();
  const visit = (chunk: ChunkLike) => {
    if (seen.has(chunk.fileName)) return;
    seen.set(chunk.fileName, chunk);
    for (const file of chunk.imports) {
      const next = chunks.get(file);
      if (next) visit(next);
    }
  };
  visit(entry);
  return [...seen.values()];
}

/**
 * A page's static chunks plus, for each package a host start needs, the chunks its static code imports
 * dynamically that hold that package, with their own static imports.
 */
function hostStartChunks(chunks: Map<string, ChunkLike>, staticChunks: ChunkLike[], packages: (keyof typeof HOST_START_PACKAGES)[]): ChunkLike[] {
  const found = new Map(staticChunks.map((c) => [c.fileName, c]));
  const holds = (chunk: ChunkLike, pkg: string) => Object.keys(chunk.modules).some((id) => id.replace(/\\/g, '/').includes(pkg));
  for (const chunk of staticChunks) {
    for (const file of chunk.dynamicImports) {
      const target = chunks.get(file);
      // The package may sit in the imported chunk or in one it imports (a wrapper module's chunk).
      const closure = target ? staticClosure(chunks, target) : [];
      if (packages.some((p) => closure.some((c) => holds(c, HOST_START_PACKAGES[p])))) for (const c of closure) found.set(c.fileName, c);
    }
  }
  return [...found.values()];
}

const holdsModule = (chunk: ChunkLike, file: string) => Object.keys(chunk.modules).some((id) => id.replace(/\\/g, '/').endsWith(`/${file}`));

/**
 * The pane's start with the first view that adds the most to it: each view's chunk (imported dynamically by
 * the start's chunks, or already among them) with its static imports.
 */
function withLargestView(chunks: Map<string, ChunkLike>, start: ChunkLike[], gzipByFile: Record<string, number>): { chunks: ChunkLike[]; view: string } {
  const have = new Set(start.map((c) => c.fileName));
  let largest = { added: [] as ChunkLike[], kb: -1, view: '' };
  for (const view of PANE_START_VIEWS) {
    const loaded = start.some((c) => holdsModule(c, view));
    const target = loaded ? undefined : start.flatMap((c) => c.dynamicImports).map((file) => chunks.get(file)).find((c) => c && holdsModule(c, view));
    if (!loaded && !target) throw new Error(`The pane's start neither holds nor imports ${view}.`);
    const added = target ? staticClosure(chunks, target).filter((c) => !have.has(c.fileName)) : [];
    const kb = added.reduce((sum, c) => sum + (gzipByFile[c.fileName] ?? 0), 0);
    if (kb > largest.kb) largest = { added, kb, view };
  }
  return { chunks: [...start, ...largest.added], view: largest.view };
}

async function buildPages(): Promise<BuildFigures> {
  const { build } = await import('vite');
  const started = performance.now();
  const output = await build({ configFile: CONFIG_FILE, logLevel: 'warn', build: { reportCompressedSize: false } });
  const seconds = round((performance.now() - started) / 1000, 1);
  const outputs = Array.isArray(output) ? output : 'output' in output ? [output] : [];
  const chunks = new Map<string, ChunkLike>();
  for (const o of outputs) for (const item of o.output) if (item.type === 'chunk') chunks.set(item.fileName, item);
  const entry = (name: string) => [...chunks.values()].find((c) => c.isEntry && c.name === name);
  const tab = entry('tab');
  const blank = entry('blank');
  const pane = entry('pane');
  if (!tab || !blank || !pane) throw new Error('The build lacks the tab, pane or blank entry chunk.');

  const tabChunks = staticClosure(chunks, tab);
  const gzipByFile = Object.fromEntries([...chunks.values()].map((c) => [c.fileName, gzipKb(c.code)]));
  const paneStart = withLargestView(chunks, hostStartChunks(chunks, staticClosure(chunks, pane), ['msal']), gzipByFile);
  return {
    seconds,
    gzip_kb_by_file: gzipByFile,
    teams_start_chunks: hostStartChunks(chunks, tabChunks, ['teams', 'msal']).map((c) => c.fileName),
    pane_start_chunks: paneStart.chunks.map((c) => c.fileName),
    pane_start_view: paneStart.view,
    tab_static_chunks: tabChunks.map((c) => ({ file: c.fileName, kb: kb(c.code.length), gzip_kb: gzipKb(c.code) })).sort((a, b) => b.gzip_kb - a.gzip_kb),
    tab_static_gzip_kb: kb(tabChunks.reduce((sum, c) => sum + gzipSync(c.code, { level: 9 }).length, 0)),
    tab_static_top_sources: topSources(tabChunks),
    pane_start_top_sources: topSources(paneStart.chunks),
    blank_static_gzip_kb: kb(staticClosure(chunks, blank).reduce((sum, c) => sum + gzipSync(c.code, { level: 9 }).length, 0)),
  };
}

interface Load {
  visible_ms: number;
  /** When the last script (before the element showed) had arrived, and the last API answer. */
  js_done_ms: number;
  api_done_ms: number | null;
  js_files: number;
  js_gzip_kb: number;
  js_raw_kb: number;
  /** The script files (paths on the site) that had arrived by then. */
  js_paths: string[];
  api_calls: number;
}

/** One fresh load: new context, cache off; JS bodies by URL, and the in-page time of the first frame showing `selector`. */
async function measureLoad(browser: Browser, url: string, selector: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  try {
    const page: Page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const bodies = new Map<string, Promise<Buffer | undefined>>();
    page.on('response', (response) => {
      const type = response.request().resourceType();
      const contentType = response.headers()['content-type'] ?? '';
      if (type === 'script' || contentType.includes('javascript')) bodies.set(response.url(), response.body().catch(() => undefined));
    });
    // Marks the first animation frame in which the element is rendered (laid out, not hidden, with text):
    // the frame that paints it. Checked every frame from the start of the document. (A string, not a
    // function: tsx would wrap a function's inner helpers in __name(), which the page does not have.)
    await page.addInitScript(`(() => {
      const selector = ${JSON.stringify(selector)};
      const tick = () => {
        const element = document.querySelector(selector);
        if (element && element.textContent.trim() && element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) {
          const box = element.getBoundingClientRect();
          if (box.width > 0 && box.height > 0) {
            window.__visibleAt = performance.now();
            return;
          }
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })();`);
    await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { __visibleAt?: number }).__visibleAt !== undefined, undefined, { timeout: 60_000, polling: 50 });
    const { visibleAt, resources } = await page.evaluate(() => {
      const at = (window as unknown as { __visibleAt: number }).__visibleAt;
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return { visibleAt: at, resources: entries.map((e) => ({ name: e.name, end: e.responseEnd, type: e.initiatorType })) };
    });
    // The JS that had arrived by the frame that showed the element (lazy chunks fetched later do not count).
    const before = new Set(resources.filter((r) => r.end <= visibleAt).map((r) => r.name));
    let gzip = 0;
    let raw = 0;
    let files = 0;
    const paths: string[] = [];
    for (const [name, body] of bodies) {
      if (!before.has(name)) continue;
      const buffer = await body;
      if (!buffer) continue;
      files++;
      paths.push(new URL(name).pathname);
      raw += buffer.length;
      gzip += gzipSync(buffer, { level: 9 }).length;
    }
    const api = resources.filter((r) => r.end <= visibleAt && new URL(r.name).pathname.startsWith('/api/'));
    const scriptsDone = Math.max(0, ...resources.filter((r) => r.end <= visibleAt && bodies.has(r.name)).map((r) => r.end));
    return {
      visible_ms: round(visibleAt, 1),
      js_done_ms: round(scriptsDone, 1),
      api_done_ms: api.length ? round(Math.max(...api.map((r) => r.end)), 1) : null,
      js_files: files,
      js_gzip_kb: kb(gzip),
      js_raw_kb: kb(raw),
      js_paths: paths.sort(),
      api_calls: api.length,
    };
  } finally {
    await context.close();
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : round((sorted[mid - 1]! + sorted[mid]!) / 2, 1);
};

/** Gzipped kB of the union of the files a browser load fetched and the chunks a host start adds. */
function withHostStart(build: BuildFigures, load: Load, extra: readonly string[]): number {
  const files = new Set([...load.js_paths.map((p) => p.replace(/^\//, '')), ...extra]);
  let sum = 0;
  for (const file of files) sum += build.gzip_kb_by_file[file] ?? 0;
  return round(sum, 1);
}

export interface TabFigures {
  tab_initial_js_gzip_kb: number;
  tab_teams_initial_js_gzip_kb: number;
  pane_initial_js_gzip_kb: number;
  tab_balance_visible_ms: number;
  blank_page_visible_ms: number;
  ratio_tab_vs_blank: number;
  details: {
    employee: string;
    loads: number;
    tab_loads: Load[];
    blank_loads: Load[];
    build: BuildFigures;
  };
}

export async function tabPhase(azurite: AzuriteHandle): Promise<TabFigures> {
  log('tab: building the web pages (vite build)');
  const built = await buildPages();
  log(`tab: built in ${built.seconds}s; the tab entry's static chunks are ${built.tab_static_gzip_kb} kB gzipped`);

  const stack = await startStack({ azurite, tableName: TABLE });
  const { preview } = await import('vite');
  let server: Awaited<ReturnType<typeof preview>> | undefined;
  let browser: Browser | undefined;
  try {
    await seedDemoData(AzureTableAdapter.fromConnectionString(azurite.connectionString, TABLE), new Date());
    const port = await freePort();
    server = await preview({ configFile: CONFIG_FILE, logLevel: 'warn', preview: { host: '127.0.0.1', port, strictPort: true, proxy: { '/api': stack.apiUrl } } });
    const base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const tabUrl = `${base}/?as=${encodeURIComponent(EMPLOYEE)}`;
    const blankUrl = `${base}/blank.html`;
    const tabSelector = '[data-testid="own-balance"]';
    const blankSelector = '[data-testid="blank-card"]';

    log(`tab: preview on ${base}, API ${stack.apiUrl}; one warm-up load each, then ${LOADS} measured loads of each, alternating`);
    await measureLoad(browser, tabUrl, tabSelector);
    await measureLoad(browser, blankUrl, blankSelector);
    const tabLoads: Load[] = [];
    const blankLoads: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      tabLoads.push(await measureLoad(browser, tabUrl, tabSelector));
      blankLoads.push(await measureLoad(browser, blankUrl, blankSelector));
    }
    const tabMs = median(tabLoads.map((l) => l.visible_ms));
    const blankMs = median(blankLoads.map((l) => l.visible_ms));
    const jsKb = median(tabLoads.map((l) => l.js_gzip_kb));
    // The load whose JS is the median's (LOADS is odd), for the files it fetched.
    const typical = tabLoads.find((l) => l.js_gzip_kb === jsKb) ?? tabLoads[0]!;
    const teamsKb = withHostStart(built, typical, built.teams_start_chunks);
    const paneKb = round(built.pane_start_chunks.reduce((sum, file) => sum + (built.gzip_kb_by_file[file] ?? 0), 0), 1);
    log(`tab: in Teams (teams-js and MSAL added) ${teamsKb} kB of JS before the balance; the Outlook pane's start ${paneKb} kB (without Office.js)`);
    log(`tab: balance visible after ${tabMs} ms (median), blank card after ${blankMs} ms; ${jsKb} kB of JS (gzip) before the balance shows`);
    return {
      tab_initial_js_gzip_kb: jsKb,
      tab_teams_initial_js_gzip_kb: teamsKb,
      pane_initial_js_gzip_kb: paneKb,
      tab_balance_visible_ms: tabMs,
      blank_page_visible_ms: blankMs,
      ratio_tab_vs_blank: round(tabMs / blankMs, 2),
      details: { employee: EMPLOYEE, loads: LOADS, tab_loads: tabLoads, blank_loads: blankLoads, build: built },
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await stack.stop();
  }
}
