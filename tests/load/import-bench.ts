/**
 * The `import` part of the load bench: an Autodesk cloud services export of N rows (issue 7: 100,000; the
 * bench's --import-rows) imported over HTTP (upload streamed from a file on disk, validation, commit job,
 * polled until committed) by the host in its own process, next to a baseline of raw entity-group
 * transactions against the same Azurite.
 *
 *   raw_batch_rows_per_s    N new transfer-sized entities inserted into one partition of a fresh table in
 *                           full transactions of 100, one after another (the import job also writes one
 *                           partition sequentially), per second.
 *   import_rows_per_s       rows posted / seconds from the commit call until the import is `committed`.
 *   import_validate_rows_per_s  rows / seconds of the upload request (the file streamed to Blob Storage,
 *                           then every row read, normalised and matched, before the 201).
 *   import_rss_growth_mb    the host's peak RSS while uploading, validating and committing, minus its RSS
 *                           just before the upload (IPC samples every 200 ms and /proc VmRSS every 100 ms).
 *
 * Both tables are fresh, so both workloads start from (nearly) empty partitions and pay Azurite's
 * per-row cost of a growing partition alike. That cost is the catch: Azurite (LokiJS) finds a row by
 * scanning every row of its partition, so each write costs in proportion to the partition's size and a
 * run of N rows takes time in N². On a 2-core machine 20,000 rows take about 70 seconds for both, 100,000
 * rows 43 minutes. `details.import` also gives the CPU milliseconds Azurite and the host spent per row,
 * which a shared, noisy machine disturbs less than wall time.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TransactionAction } from '@azure/data-tables';
import ExcelJS from 'exceljs';
import { TableClient } from '@azure/data-tables';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { HttpFixture } from './http-fixture.js';
import { TABLE_CLIENT_OPTIONS, call, checkLedger, setUpHttp } from './http-fixture.js';
import { CpuMeter, Latencies, log, procCpuSeconds, procStatusMb, round } from './support.js';

export interface ImportBenchOptions {
  /** Bench members (the file's people); they are registered and a pool bought, as for the http part. */
  members: number;
  /** Rows in the export and in the baseline (issue 7: 100,000). */
  rows: number;
  /** Directory for a V8 CPU profile of the host process, if wanted. */
  profileHost: string | undefined;
  /** The host's --max-old-space-size in MB (0: V8's default). */
  hostHeapMb: number;
}

const BATCH = 100;
const MB = 2 ** 20;
const DAYS = 120;
const POLL_MS = 250;
/**
 * A job that makes no progress for this long has stalled (its lease is 60 s; it saves progress every second).
 * There is no overall deadline: on Azurite an import's time grows with the square of its size (see README).
 */
const STALL_MS = 5 * 60_000;
const HEADER = 'Date,Email,First Name,Last Name,Service,Product,Job Name,Cloud Credits Used,Team';
const SERVICES = [
  { name: 'Simulation', product: 'Fusion 360 Simulation', job: 'simulation' },
  { name: 'Cloud Rendering', product: 'Revit', job: 'cloud' },
  { name: 'Generative Design', product: 'Fusion 360', job: 'generative' },
] as const;

/** A small seeded generator (mulberry32), so that every run imports the same file. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const usDate = (d: Date) => `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;

/**
 * The rows of a cloud services export of `rows` rows: dated over the last DAYS days (oldest first, none
 * today or later), spread over the members, 0.5–5 credits with up to two decimals. The same every run.
 */
function* exportRows(rows: number, members: DemoUser[]): Iterable<{ day: Date; cells: (string | number)[]; cents: number }> {
  const random = seeded(7);
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  for (let i = 0; i < rows; i++) {
    const day = new Date(today - (DAYS - Math.floor((i * DAYS) / rows)) * 86_400_000);
    const member = members[Math.floor(random() * members.length)]!;
    const service = SERVICES[Math.floor(random() * SERVICES.length)]!;
    const cents = 50 + Math.floor(random() * 451);
    const [first, ...last] = member.displayName.split(' ');
    yield { day, cents, cells: [member.email, first ?? '', last.join(' '), service.name, service.product, `${service.job}-${i + 1}`, cents / 100, 'Example Engineering'] };
  }
}

const range = (rows: number, members: DemoUser[]) => {
  let from = '';
  let to = '';
  let cents = 0;
  for (const row of exportRows(rows, members)) {
    from ||= row.day.toISOString().slice(0, 10);
    to = row.day.toISOString().slice(0, 10);
    cents += row.cents;
  }
  return { credits: cents / 100, from, to };
};

/** Writes the cloud services export as CSV to `file` as it goes (US dates, as Autodesk Account writes them). */
export async function writeExport(file: string, rows: number, members: DemoUser[]): Promise<{ bytes: number; credits: number; from: string; to: string }> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  let chunk = HEADER + '\r\n';
  for (const { day, cells } of exportRows(rows, members)) {
    chunk += `${usDate(day)},${cells.join(',')}\r\n`;
    if (chunk.length >= 64 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { bytes: (await stat(file)).size, ...range(rows, members) };
}

/**
 * The same export as an Excel workbook, as Autodesk Account's Excel export lays it out: the filters on the
 * first sheet, the data on the second, dates as date cells, text in shared strings (as Excel writes it).
 */
export async function writeWorkbookExport(file: string, rows: number, members: DemoUser[]): Promise<{ bytes: number }> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const filters = book.addWorksheet('Filters');
  filters.addRow(['Usage report']).commit();
  filters.addRow(['Date range', `Last ${DAYS} days`]).commit();
  filters.commit();
  const data = book.addWorksheet('Usage');
  data.getColumn(1).numFmt = 'yyyy-mm-dd';
  data.addRow(HEADER.split(',')).commit();
  for (const { day, cells } of exportRows(rows, members)) data.addRow([day, ...cells]).commit();
  data.commit();
  await book.commit();
  return { bytes: (await stat(file)).size };
}

// ------------------------------------------------------------------------------------------ baseline

/** CPU milliseconds a process spent per row between two readings of /proc (noise on a shared machine inflates wall time more). */
const cpuMsPerRow = (before: number | undefined, after: number | undefined, rows: number): number | null =>
  before === undefined || after === undefined || rows === 0 ? null : round((1000 * (after - before)) / rows, 3);

/** A transfer's JSON record as the ledger writes it, about 350 characters. */
function transferData(n: number): string {
  const id = `${(36 ** 9 - 1 - n).toString(36)}zzz${n.toString(16).padStart(24, '0')}-0.0`;
  return JSON.stringify({
    id,
    postingId: `p${n.toString(36).padStart(19, '0')}`,
    memberId: '00000000-0000-4000-9000-000000000001',
    debit: 'member:00000000-0000-4000-9000-000000000001',
    credit: 'usage',
    amount: 275,
    code: 'usage_individual',
    service: 'cloud_rendering',
    date: '2025-01-01',
    source: 'import:0000000000',
    at: '2025-01-01T00:00:00.000Z',
  });
}

export async function rawBatches(azurite: AzuriteHandle, rows: number) {
  const tableName = `benchbatch${Date.now().toString(36)}`;
  const client = TableClient.fromConnectionString(azurite.connectionString, tableName, TABLE_CLIENT_OPTIONS);
  await client.createTable();
  const dataChars = transferData(0).length;
  log(`import: baseline, ${rows} new entities (data ${dataChars} chars) into one partition of ${tableName} in sequential transactions of ${BATCH}`);
  const latencies = new Latencies();
  const cpu = new CpuMeter({ azurite: azurite.process.pid, bench: process.pid });
  const azuriteCpuBefore = procCpuSeconds(azurite.process.pid);
  const started = performance.now();
  // Every tenth of the rows: how far, and when (the rate falls as the partition grows).
  const timeline: { rows: number; s: number }[] = [];
  const step = Math.max(BATCH, Math.ceil(rows / 10 / BATCH) * BATCH);
  for (let at = 0; at < rows; at += BATCH) {
    const actions: TransactionAction[] = [];
    for (let n = at; n < Math.min(rows, at + BATCH); n++) {
      actions.push(['create', { partitionKey: 'bench', rowKey: `transfer|${(36 ** 9 - 1 - n).toString(36)}zzz${String(n).padStart(9, '0')}`, memberId: '00000000-0000-4000-9000-000000000001', code: 'usage_individual', data: transferData(n) }]);
    }
    const t = performance.now();
    await client.submitTransaction(actions);
    latencies.add(performance.now() - t);
    const done = Math.min(rows, at + BATCH);
    if (done % step === 0 || done === rows) {
      timeline.push({ rows: done, s: round((performance.now() - started) / 1000, 1) });
      if (done < rows) log(`import: baseline ${done} of ${rows} rows after ${round((performance.now() - started) / 1000)}s`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuPercent = cpu.read();
  const azuriteCpu = cpuMsPerRow(azuriteCpuBefore, procCpuSeconds(azurite.process.pid), rows);
  await client.deleteTable().catch(() => undefined);
  const perS = round(rows / seconds, 0);
  log(`import: baseline ${perS} rows/s (${round(seconds)}s, transaction p95 ${latencies.summary().p95_ms} ms)`);
  return { rows, transactions: latencies.count, data_chars: dataChars, seconds: round(seconds, 1), rows_per_s: perS, transaction_latency: latencies.summary(), timeline, cpu_percent: cpuPercent, azurite_cpu_ms_per_row: azuriteCpu };
}

// -------------------------------------------------------------------------------------------- import

/** POSTs the file as the request body, streamed from disk. */
export function uploadFile(apiUrl: string, token: string, file: string, bytes: number, fileName: string, contentType = 'text/csv'): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${apiUrl}/api/usage/imports?fileName=${encodeURIComponent(fileName)}`,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'content-length': String(bytes) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch {
            resolve({ status: response.statusCode ?? 0, body: text });
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    const source = createReadStream(file);
    source.on('error', (error) => request.destroy(error));
    source.pipe(request);
  });
}

type HeapFigures = { heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
const HEAP_FIELDS = ['heapUsed', 'heapTotal', 'external', 'arrayBuffers'] as const;

/**
 * The host's RSS, sampled from its IPC messages (every 200 ms) and from /proc (every 100 ms), with the
 * peaks of its V8 heap figures from the IPC messages (to tell JS objects from buffers and allocator slack).
 */
function rssSampler(fixture: HttpFixture) {
  const pid = fixture.host.child.pid;
  let latestIpc = fixture.host.idleRss;
  let latestHeap: HeapFigures | undefined;
  let heapAtStart: HeapFigures | undefined;
  const heapPeak: HeapFigures = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  let peak = 0;
  let samples = 0;
  let sampling = false;
  const onMessage = (raw: unknown) => {
    const message = raw as { type?: string; rss?: number } & Partial<HeapFigures>;
    if (message.type !== 'rss' || typeof message.rss !== 'number') return;
    latestIpc = message.rss;
    if (typeof message.heapUsed === 'number') latestHeap = { heapUsed: message.heapUsed, heapTotal: message.heapTotal ?? 0, external: message.external ?? 0, arrayBuffers: message.arrayBuffers ?? 0 };
    if (sampling) {
      peak = Math.max(peak, message.rss);
      samples++;
      if (latestHeap) for (const f of HEAP_FIELDS) heapPeak[f] = Math.max(heapPeak[f], latestHeap[f]);
    }
  };
  fixture.host.child.on('message', onMessage);
  const readProc = () => {
    const mb = procStatusMb(pid, 'VmRSS');
    return mb === undefined ? undefined : mb * 2 ** 20;
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    /** RSS now (bytes), and from now on every sample counts towards the peak. */
    start(): number {
      const now = readProc() ?? latestIpc;
      peak = now;
      heapAtStart = latestHeap;
      sampling = true;
      timer = setInterval(() => {
        const rss = readProc();
        if (rss !== undefined) {
          peak = Math.max(peak, rss);
          samples++;
        }
      }, 100);
      return now;
    },
    peak: () => peak,
    stop(): { peak: number; samples: number; source: string; heap_mb: Record<string, { before: number | null; peak: number }> } {
      sampling = false;
      clearInterval(timer);
      fixture.host.child.off('message', onMessage);
      const heap = Object.fromEntries(HEAP_FIELDS.map((f) => [f, { before: heapAtStart ? round(heapAtStart[f] / MB, 1) : null, peak: round(heapPeak[f] / MB, 1) }]));
      return { peak, samples, source: readProc() === undefined ? 'ipc samples' : '/proc VmRSS and ipc samples', heap_mb: heap };
    },
  };
}

export async function importExport(azurite: AzuriteHandle, options: ImportBenchOptions) {
  const tableName = `benchimport${Date.now().toString(36)}`;
  const directory = await mkdtemp(path.join(os.tmpdir(), 'credit-desk-bench-'));
  let fixture: HttpFixture | undefined;
  let rss: ReturnType<typeof rssSampler> | undefined;
  try {
    fixture = await setUpHttp(azurite, options, tableName);
    const { host, managerToken } = fixture;
    const file = path.join(directory, 'cloud-services-usage.csv');
    const generateStarted = performance.now();
    const generated = await writeExport(file, options.rows, fixture.members);
    log(`import: wrote a ${options.rows}-row export of ${round(generated.bytes / MB)} MiB (${generated.from} to ${generated.to}, ${round(generated.credits, 0)} credits) in ${round((performance.now() - generateStarted) / 1000)}s`);

    rss = rssSampler(fixture);
    const api = (method: string, route: string) => call(host.apiUrl, managerToken, method, route);
    // Settle what the set-up left (sockets, garbage) before the RSS the growth is measured from.
    await new Promise((r) => setTimeout(r, 1000));
    const rssBefore = rss.start();

    const uploadStarted = performance.now();
    const uploaded = await uploadFile(host.apiUrl, managerToken, file, generated.bytes, 'bench-cloud-services-usage.csv');
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;
    const rssAfterUpload = rss.peak();
    if (uploaded.status !== 201) throw new Error(`import: upload answered HTTP ${uploaded.status}: ${JSON.stringify(uploaded.body).slice(0, 2000)}`);
    const view = uploaded.body;
    log(`import: uploaded and validated in ${round(uploadSeconds)}s (${round(options.rows / uploadSeconds, 0)} rows/s), state ${view.state}, rows ${JSON.stringify(view.rows)}`);
    if (view.state !== 'ready') {
      throw new Error(`import: the upload is ${view.state}, not ready: rows ${JSON.stringify(view.rows)}, missing ${JSON.stringify(view.missingFields)}, problems ${JSON.stringify(view.problems?.slice(0, 5))}, unmatched ${JSON.stringify(view.unmatched?.slice(0, 5))}`);
    }
    const id = String(view.id);

    await host.stats(true);
    const cpu = new CpuMeter({ azurite: azurite.process.pid, host: host.child.pid, bench: process.pid });
    const cpuBefore = { azurite: procCpuSeconds(azurite.process.pid), host: procCpuSeconds(host.child.pid) };
    const commitStarted = performance.now();
    const committing = await api('POST', `/api/usage/imports/${id}/commit`);
    if (committing.status !== 200) throw new Error(`import: commit answered HTTP ${committing.status}: ${JSON.stringify(committing.body)}`);
    let final: any;
    let polls = 0;
    let lastLogged = commitStarted;
    let lastDone = -1;
    let lastProgressAt = commitStarted;
    const timeline: { s: number; rows: number }[] = [];
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const answer = await api('GET', `/api/usage/imports/${id}`);
      polls++;
      if (answer.status !== 200) throw new Error(`import: GET answered HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
      const now = performance.now();
      const state = String(answer.body.state);
      if (state === 'committed' || state === 'failed') {
        final = answer.body;
        break;
      }
      const done = Number(answer.body.progress?.rowsDone ?? 0);
      if (done !== lastDone) [lastDone, lastProgressAt] = [done, now];
      if (now - lastLogged >= 5000) {
        lastLogged = now;
        timeline.push({ s: round((now - commitStarted) / 1000, 1), rows: done });
        log(`import: ${done} of ${answer.body.progress?.rowsTotal ?? '?'} rows after ${round((now - commitStarted) / 1000)}s (${answer.body.progress?.rowsPerSecond ?? '?'} rows/s), host RSS peak ${round(rss.peak() / MB)} MiB`);
      }
      if (now - lastProgressAt > STALL_MS) {
        throw new Error(`import: no progress for ${STALL_MS / 1000}s, ${done} of ${answer.body.progress?.rowsTotal ?? '?'} rows done after ${round((now - commitStarted) / 1000)}s`);
      }
    }
    const commitSeconds = (performance.now() - commitStarted) / 1000;
    const cpuPercent = cpu.read();
    const cpuAfter = { azurite: procCpuSeconds(azurite.process.pid), host: procCpuSeconds(host.child.pid) };
    const rssRead = rss.stop();
    const storage = await host.stats(true);
    if (final.state !== 'committed') throw new Error(`import: the job failed after ${round(commitSeconds)}s: ${JSON.stringify(final.error)} (progress ${JSON.stringify(final.progress)})`);
    const posted = Number(final.result?.posted ?? 0);
    if (posted !== options.rows) {
      throw new Error(
        `import: ${posted} rows posted, not ${options.rows}: result ${JSON.stringify(final.result)}, rows ${JSON.stringify(final.rows)} (already imported rows are left out, skipped ones are not posted)`,
      );
    }
    const importPerS = round(posted / commitSeconds, 0);
    const growth = round((rssRead.peak - rssBefore) / MB, 1);
    log(`import: ${posted} rows committed in ${round(commitSeconds)}s (${importPerS} rows/s); host RSS ${round(rssBefore / MB)} → peak ${round(rssRead.peak / MB)} MiB (+${growth})`);
    const { cpuUserMs: _u, cpuSystemMs: _s, ...calls } = storage;

    const workbook = await importWorkbook(fixture, directory, options.rows, posted);

    // What the host keeps once the job is done: a full collection, then its memory (RSS stays where the allocator left it).
    const retained = await host.memory(true);
    const hostPeak = host.peakRssMb();
    await host.stop();
    fixture = undefined;
    const invariants = await checkLedger(azurite.connectionString, tableName);
    log(`import: invariants ${invariants.ok ? 'hold' : `BROKEN (${invariants.rules.join(', ')})`} over ${invariants.transfers} transfers`);
    return {
      table: tableName,
      file: { rows: options.rows, members: options.members, bytes: generated.bytes, credits: generated.credits, from: generated.from, to: generated.to },
      validate: { seconds: round(uploadSeconds, 1), rows_per_s: round(options.rows / uploadSeconds, 0), state: view.state, rows: view.rows },
      commit: {
        seconds: round(commitSeconds, 1),
        rows_per_s: importPerS,
        polls,
        result: final.result,
        progress: final.progress,
        timeline,
        cpu_percent: cpuPercent,
        azurite_cpu_ms_per_row: cpuMsPerRow(cpuBefore.azurite, cpuAfter.azurite, posted),
        host_cpu_ms_per_row: cpuMsPerRow(cpuBefore.host, cpuAfter.host, posted),
        // Transactions of one action are the job's progress saves (the import record), not batches of rows.
        storage_calls: {
          ...calls,
          batches: calls.transactions - calls.transactionsOfOne,
          rows_per_batch: calls.transactions > calls.transactionsOfOne ? round(posted / (calls.transactions - calls.transactionsOfOne), 1) : null,
          actions_per_batch: calls.transactions > calls.transactionsOfOne ? round((calls.transactionActions - calls.transactionsOfOne) / (calls.transactions - calls.transactionsOfOne), 1) : null,
        },
      },
      rss: {
        before_mb: round(rssBefore / MB, 1),
        peak_during_upload_mb: round(rssAfterUpload / MB, 1),
        peak_mb: round(rssRead.peak / MB, 1),
        growth_mb: growth,
        samples: rssRead.samples,
        source: rssRead.source,
        heap_mb: rssRead.heap_mb,
        after_job_gc_mb: { rss: round(retained.rss / MB, 1), heapUsed: round(retained.heapUsed / MB, 1), heapTotal: round(retained.heapTotal / MB, 1), external: round(retained.external / MB, 1) },
        host_lifetime: hostPeak,
      },
      workbook,
      invariants,
    };
  } finally {
    rss?.stop();
    await fixture?.host.stop().catch(() => undefined);
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * The same rows as an Excel workbook (filters first, data second), uploaded to the same host after the CSV
 * was committed: `rows_per_s` is the upload request (streamed to Blob Storage, the data sheet found by its
 * header, every row read and checked), as `import_validate_rows_per_s` is for the CSV. The commit then reads
 * the workbook again and finds every row already imported (posting them again would only measure Azurite's
 * growing partition). RSS growth is the host's peak during both, over its RSS before the upload.
 */
async function importWorkbook(fixture: HttpFixture, directory: string, rows: number, posted: number) {
  const { host, managerToken } = fixture;
  const file = path.join(directory, 'cloud-services-usage.xlsx');
  const generateStarted = performance.now();
  const written = await writeWorkbookExport(file, rows, fixture.members);
  log(`import: wrote the same export as a workbook of ${round(written.bytes / MB)} MiB in ${round((performance.now() - generateStarted) / 1000)}s`);
  const rss = rssSampler(fixture);
  try {
    const rssBefore = rss.start();
    const started = performance.now();
    const uploaded = await uploadFile(host.apiUrl, managerToken, file, written.bytes, 'bench-cloud-services-usage.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const seconds = (performance.now() - started) / 1000;
    if (uploaded.status !== 201 || uploaded.body.state !== 'ready') throw new Error(`import: the workbook upload answered HTTP ${uploaded.status}: ${JSON.stringify(uploaded.body).slice(0, 2000)}`);
    log(`import: workbook uploaded and validated in ${round(seconds)}s (${round(rows / seconds, 0)} rows/s), ${uploaded.body.encoding}`);
    const commitStarted = performance.now();
    const committing = await call(host.apiUrl, managerToken, 'POST', `/api/usage/imports/${uploaded.body.id}/commit`);
    if (committing.status !== 200) throw new Error(`import: the workbook's commit answered HTTP ${committing.status}: ${JSON.stringify(committing.body)}`);
    let final: any;
    for (let lastDone = -1, lastProgressAt = performance.now(); ; ) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const answer = await call(host.apiUrl, managerToken, 'GET', `/api/usage/imports/${uploaded.body.id}`);
      if (answer.body.state !== 'committing') {
        final = answer.body;
        break;
      }
      const done = Number(answer.body.progress?.rowsDone ?? 0);
      if (done !== lastDone) [lastDone, lastProgressAt] = [done, performance.now()];
      if (performance.now() - lastProgressAt > STALL_MS) throw new Error(`import: the workbook's commit made no progress for ${STALL_MS / 1000}s`);
    }
    const commitSeconds = (performance.now() - commitStarted) / 1000;
    if (final.state !== 'committed' || final.result?.alreadyImported !== posted) throw new Error(`import: the workbook's commit ended ${final.state}: ${JSON.stringify(final.result ?? final.error)}`);
    const read = rss.stop();
    const growth = round((read.peak - rssBefore) / MB, 1);
    log(`import: workbook committed in ${round(commitSeconds)}s, every row already imported; host RSS +${growth} MiB`);
    return { bytes: written.bytes, validate: { seconds: round(seconds, 1), rows_per_s: round(rows / seconds, 0), rows: uploaded.body.rows }, commit: { seconds: round(commitSeconds, 1), result: final.result }, rss_growth_mb: growth };
  } finally {
    rss.stop();
  }
}

export interface ImportFigures {
  import_rows_per_s: number;
  import_validate_rows_per_s: number;
  /** The same rows as an Excel workbook: upload and validation, rows per second (see importWorkbook). */
  import_xlsx_rows_per_s: number;
  /** The host's RSS growth while the workbook was uploaded, validated and committed. */
  import_xlsx_rss_growth_mb: number;
  raw_batch_rows_per_s: number;
  ratio_import: number | null;
  import_rss_growth_mb: number;
  invariants_ok: boolean;
  details: { baseline: Awaited<ReturnType<typeof rawBatches>> } & Awaited<ReturnType<typeof importExport>>;
}

/** The baseline, then the import, against the bench's Azurite. */
export async function importPhase(azurite: AzuriteHandle, options: ImportBenchOptions): Promise<ImportFigures> {
  const baseline = await rawBatches(azurite, options.rows);
  const imported = await importExport(azurite, options);
  return {
    import_rows_per_s: imported.commit.rows_per_s,
    import_validate_rows_per_s: imported.validate.rows_per_s,
    import_xlsx_rows_per_s: imported.workbook.validate.rows_per_s,
    import_xlsx_rss_growth_mb: imported.workbook.rss_growth_mb,
    raw_batch_rows_per_s: baseline.rows_per_s,
    ratio_import: baseline.rows_per_s > 0 ? round(imported.commit.rows_per_s / baseline.rows_per_s, 2) : null,
    import_rss_growth_mb: imported.rss.growth_mb,
    invariants_ok: imported.invariants.ok,
    details: { baseline, ...imported },
  };
}
