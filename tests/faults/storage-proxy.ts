/**
 * A fault-injecting HTTP proxy between the API's Table Storage client and Azurite's table endpoint.
 *
 * At a configurable rate, chosen by a seeded random source (the same seed gives the same sequence of
 * decisions for the same sequence of requests), it:
 * - delays a request, then forwards it;
 * - drops the connection before forwarding (nothing reached storage);
 * - forwards, then drops the connection before answering (storage wrote it: the acknowledgement is lost);
 * - answers 500 or 503 without forwarding (a Table Storage error body, nothing written);
 * - holds the socket without answering (a timeout), before forwarding or after storage answered, and
 *   finally resets it after `holdMs`.
 *
 * Bodies are forwarded byte for byte, including `$batch` (multipart/mixed) entity-group transactions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { azuriteConnectionString } from '../../server/config.js';

export const STORAGE_FAULT_KINDS = ['delay', 'drop-before', 'drop-after', 'status-500', 'status-503', 'timeout-before', 'timeout-after'] as const;
export type StorageFaultKind = (typeof STORAGE_FAULT_KINDS)[number];

export interface StorageProxyOptions {
  /** Azurite's table port on 127.0.0.1. */
  targetPort: number;
  /** Probability (0–1) that a request gets a fault. Can be changed later with setRate(). */
  rate: number;
  seed: number;
  /** Relative weights of the kinds (default: every kind equally, timeouts less often). */
  weights?: Partial<Record<StorageFaultKind, number>>;
  /** Range of an injected delay in ms (default 50–400). */
  delayMs?: readonly [number, number];
  /** How long a timeout holds the socket before resetting it (default 3 s). */
  holdMs?: number;
  /** Only requests that change storage ($batch, POST, PUT, PATCH, MERGE, DELETE) get faults. Default: all. */
  writesOnly?: boolean;
}

export interface StorageProxyStats {
  requests: number;
  batches: number;
  forwarded: number;
  /** Faults injected by kind. */
  injected: Record<StorageFaultKind, number>;
  /** Faults injected into `$batch` requests (the ledger's writes). */
  injectedOnBatches: number;
  /** Of those faults, the ones injected during outage windows. */
  injectedInOutages: number;
  /** Requests cut while storage was stopped (suspend to resume). */
  cutWhileSuspended: number;
}

export interface StorageProxy {
  port: number;
  url: string;
  /** A connection string for the API: Azurite's account, table endpoint through this proxy. */
  connectionString(blobPort?: number): string;
  setRate(rate: number): void;
  /** For `ms`, every request fails (drops before and after forwarding, 500, 503): storage is down. */
  outage(ms: number): void;
  /**
   * Storage is about to stop: from now on every request is cut before it reaches Azurite (not counted as
   * an injected fault); resolves once the requests already forwarded have had their answers.
   */
  suspend(): Promise<void>;
  resume(): void;
  stats(): StorageProxyStats;
  /** Total faults injected so far. */
  faults(): number;
  stop(): Promise<void>;
}

/** mulberry32: small, fast, seeded. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEFAULT_WEIGHTS: Record<StorageFaultKind, number> = {
  delay: 3,
  'drop-before': 2,
  'drop-after': 3,
  'status-500': 2,
  'status-503': 2,
  'timeout-before': 1,
  'timeout-after': 1,
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

function tableError(status: 500 | 503): { status: number; headers: Record<string, string>; body: string } {
  const code = status === 503 ? 'ServerBusy' : 'InternalError';
  const message = status === 503 ? 'The server is currently unable to receive requests. Please retry your request.' : 'The server encountered an internal error. Please retry the request.';
  return {
    status,
    headers: { 'content-type': 'application/json;odata=minimalmetadata;streaming=true;charset=utf-8', 'x-ms-error-code': code, 'x-ms-version': '2019-02-02' },
    body: JSON.stringify({ 'odata.error': { code, message: { lang: 'en-US', value: `${message} (injected by the chaos proxy)` } } }),
  };
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export async function startStorageProxy(options: StorageProxyOptions): Promise<StorageProxy> {
  const random = seededRandom(options.seed);
  const weights = { ...DEFAULT_WEIGHTS, ...(options.weights ?? {}) };
  const kinds = STORAGE_FAULT_KINDS.filter((k) => weights[k] > 0);
  const totalWeight = kinds.reduce((sum, k) => sum + weights[k], 0);
  const [delayMin, delayMax] = options.delayMs ?? [50, 400];
  const holdMs = options.holdMs ?? 3_000;
  let rate = options.rate;
  let outageUntil = 0;
  const OUTAGE_KINDS: StorageFaultKind[] = ['drop-before', 'drop-after', 'status-500', 'status-503'];
  const injected = Object.fromEntries(STORAGE_FAULT_KINDS.map((k) => [k, 0])) as Record<StorageFaultKind, number>;
  const stats = { requests: 0, batches: 0, forwarded: 0, injectedOnBatches: 0, injectedInOutages: 0, cutWhileSuspended: 0 };
  let suspended = false;
  let inFlight = 0;
  let onDrained: (() => void) | undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const timers = new Set<NodeJS.Timeout>();

  const pick = (): StorageFaultKind | undefined => {
    // Two draws per request whatever happens, so one seed always gives one sequence of decisions.
    const hit = random();
    const which = random() * totalWeight;
    if (Date.now() < outageUntil) {
      stats.injectedInOutages++;
      return OUTAGE_KINDS[Math.floor(hit * OUTAGE_KINDS.length)];
    }
    if (hit >= rate || kinds.length === 0) return undefined;
    let acc = 0;
    for (const k of kinds) {
      acc += weights[k];
      if (which < acc) return k;
    }
    return kinds.at(-1);
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise<Upstream>((resolve, reject) => {
      stats.forwarded++;
      const upstream = http.request(
        { host: '127.0.0.1', port: options.targetPort, method: req.method, path: req.url, headers: req.headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
      inFlight++;
    }).finally(() => {
      if (--inFlight === 0) onDrained?.();
    });

  const answer = (res: http.ServerResponse, upstream: Upstream) => {
    // Hop-by-hop headers are the proxy's own business; everything else goes back as Azurite sent it.
    const headers = { ...upstream.headers };
    delete headers.connection;
    delete headers['keep-alive'];
    delete headers['transfer-encoding'];
    headers['content-length'] = String(upstream.body.length);
    res.writeHead(upstream.status, headers);
    res.end(upstream.body);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    stats.requests++;
    if (suspended) {
      stats.cutWhileSuspended++;
      req.socket.destroy();
      return;
    }
    const isBatch = (req.url ?? '').includes('$batch');
    if (isBatch) stats.batches++;
    const eligible = !options.writesOnly || isBatch || WRITE_METHODS.has(req.method ?? 'GET');
    const fault = eligible ? pick() : undefined;
    if (fault) {
      injected[fault]++;
      if (isBatch) stats.injectedOnBatches++;
    }
    switch (fault) {
      case undefined:
        return answer(res, await forward(req, body));
      case 'delay':
        await wait(delayMin + Math.floor(random() * (delayMax - delayMin + 1)));
        return answer(res, await forward(req, body));
      case 'drop-before':
        req.socket.destroy();
        return;
      case 'drop-after':
        await forward(req, body);
        req.socket.destroy();
        return;
      case 'status-500':
      case 'status-503': {
        const e = tableError(fault === 'status-500' ? 500 : 503);
        res.writeHead(e.status, { ...e.headers, 'content-length': String(Buffer.byteLength(e.body)) });
        res.end(e.body);
        return;
      }
      case 'timeout-before':
        await wait(holdMs);
        req.socket.destroy();
        return;
      case 'timeout-after':
        await forward(req, body);
        await wait(holdMs);
        req.socket.destroy();
        return;
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch(() => {
        // Azurite itself did not answer: say so the way a gateway would.
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end('storage proxy: upstream failed');
        } else res.destroy();
      });
    });
    req.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    connectionString: (blobPort?: number) => azuriteConnectionString(port, blobPort),
    setRate(next: number) {
      rate = next;
      if (next === 0) outageUntil = 0;
    },
    outage(ms: number) {
      outageUntil = Date.now() + ms;
    },
    suspend() {
      suspended = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        onDrained = () => {
          onDrained = undefined;
          resolve();
        };
      });
    },
    resume() {
      suspended = false;
    },
    stats: () => ({ ...stats, injected: { ...injected } }),
    faults: () => Object.values(injected).reduce((a, b) => a + b, 0),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
