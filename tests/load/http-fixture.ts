/**
 * What the bench's HTTP parts share: the local host in a child process (host-process.ts), a small HTTP
 * client, the set-up of registered bench members and a pool over HTTP, and the ledger invariant check of a
 * table afterwards. Used by bench.ts (http, me) and import-bench.ts (import).
 */
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { LedgerSnapshot } from '../../src/core/ledger/index.js';
import { checkInvariants } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_TENANT, DEMO_USERS } from '../../server/local/demo-users.js';
import { systemClock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import type { HostMessage, HostRequest } from './host-process.js';
import { benchMembers, inBatches, log, procStatusMb, round } from './support.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST_SCRIPT = path.join(HERE, 'host-process.ts');

export const MANAGER = DEMO_USERS.find((u) => u.roles.includes('AccountManager'))!;
export const IT_ADMIN = DEMO_USERS.find((u) => u.roles.includes('ITAdmin'))!;
/**
 * The bench's simulated people post far faster than people do (and one manager confirms them all in a
 * second), so it raises the per-person limit in the tenant's settings, as IT would for such a tenant.
 */
export const BENCH_RATE_LIMIT = { perMinute: 100_000, burst: 10_000 };
/** Two purchases of the largest size: 200,000 credits in the pool next to 100 own credits per member. */
export const POOL_PURCHASES = 2;
export const BLOCKS_PER_PURCHASE = 1000;
export const PURCHASE_STEPS = [
  { type: 'quote_requested' },
  { type: 'quote_received', quoteNumber: 'Q-1001', price: 500, currency: 'USD' },
  { type: 'approved' },
  { type: 'ordered', poNumber: 'PO-77' },
  { type: 'applied' },
] as const;
/** Same client options as AzureTableAdapter.fromConnectionString, so the baselines talk to Azurite the same way. */
export const TABLE_CLIENT_OPTIONS = { allowInsecureConnection: true, retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 1000 } };

export async function checkLedger(connectionString: string, tableName: string): Promise<{ ok: boolean; violations: number; rules: string[]; transfers: number }> {
  const table = AzureTableAdapter.fromConnectionString(connectionString, tableName);
  const store = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  const snapshot: LedgerSnapshot = await store.snapshot(DEMO_TENANT);
  const violations = checkInvariants(snapshot);
  return { ok: violations.length === 0, violations: violations.length, rules: [...new Set(violations.map((v) => v.rule))], transfers: snapshot.transfers.length };
}

// ----------------------------------------------------------------------------------- host process

/** The local host in a child process: node --import tsx tests/load/host-process.ts. */
export class HostProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (message: HostMessage) => void>();
  peakRssSampled = 0;
  idleRss = 0;
  apiUrl = '';
  private exited = false;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const message = raw as HostMessage;
      if (message.type === 'rss') this.peakRssSampled = Math.max(this.peakRssSampled, message.rss);
      else if (message.type === 'tokens' || message.type === 'stats' || message.type === 'memory') {
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
      } else if (message.type === 'error') log(`host: ${message.message}`);
    });
    child.once('exit', () => (this.exited = true));
  }

  static async start(azurite: AzuriteHandle, tableName: string, options: { profileDir: string | undefined; heapMb: number }): Promise<HostProcess> {
    const { profileDir, heapMb } = options;
    const child = fork(HOST_SCRIPT, [], {
      execArgv: ['--import', 'tsx', ...(heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : []), ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])],
      env: { ...process.env, BENCH_STORAGE: azurite.connectionString, BENCH_TABLE: tableName },
      // The host's own output goes to our stderr, never to stdout.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    const host = new HostProcess(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('The host process did not start within 60 s.')), 60_000);
      child.once('exit', (code) => reject(new Error(`The host process exited with code ${code} before it was ready.`)));
      child.on('message', (raw) => {
        const message = raw as HostMessage;
        if (message.type === 'ready') {
          clearTimeout(timer);
          host.apiUrl = message.apiUrl;
          host.idleRss = message.rss;
          host.peakRssSampled = Math.max(host.peakRssSampled, message.rss);
          resolve();
        } else if (message.type === 'error') {
          clearTimeout(timer);
          reject(new Error(message.message));
        }
      });
    });
    return host;
  }

  private request<T extends HostMessage>(build: (id: number) => HostRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('The host process did not answer.')), 30_000);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m as T);
      });
      this.child.send(build(id));
    });
  }

  async sign(users: DemoUser[]): Promise<string[]> {
    return (await this.request<Extract<HostMessage, { type: 'tokens' }>>((id) => ({ type: 'sign', id, users }))).tokens;
  }

  async stats(reset: boolean) {
    return (await this.request<Extract<HostMessage, { type: 'stats' }>>((id) => ({ type: 'stats', id, reset }))).stats;
  }

  /** The host's memory now, after a full garbage collection if `gc` (what it retains). */
  async memory(gc: boolean): Promise<NodeJS.MemoryUsage> {
    return (await this.request<Extract<HostMessage, { type: 'memory' }>>((id) => ({ type: 'memory', id, gc }))).memory;
  }

  /** Peak resident set in MiB: the kernel's high-water mark where readable, else the peak of the samples. */
  peakRssMb(): { peak: number; sampled: number; idle: number; source: string } {
    const hwm = procStatusMb(this.child.pid, 'VmHWM');
    const sampled = this.peakRssSampled / 2 ** 20;
    return { peak: round(Math.max(hwm ?? 0, sampled), 1), sampled: round(sampled, 1), idle: round(this.idleRss / 2 ** 20, 1), source: hwm === undefined ? 'ipc samples' : '/proc VmHWM' };
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      if (this.child.connected) this.child.send({ type: 'stop' } satisfies HostRequest);
      else this.child.kill('SIGTERM');
      setTimeout(() => this.child.kill('SIGKILL'), 5000).unref();
    });
  }
}

// --------------------------------------------------------------------------------------- HTTP client

export interface HttpAnswer {
  status: number;
  body: any;
}

export async function call(apiUrl: string, token: string, method: string, route: string, body?: unknown): Promise<HttpAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['idempotency-key'] = randomUUID();
  const response = await fetch(apiUrl + route, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

// --------------------------------------------------------------------------------------- HTTP set-up

export interface HttpFixture {
  host: HostProcess;
  members: DemoUser[];
  memberTokens: string[];
  managerToken: string;
}

/**
 * Starts the host on `tableName` and sets the tenant up over HTTP: the bench's rate limit, `members`
 * registered bench members, and a pool of POOL_PURCHASES purchases of BLOCKS_PER_PURCHASE blocks.
 */
export async function setUpHttp(azurite: AzuriteHandle, options: { members: number; profileHost: string | undefined; hostHeapMb: number }, tableName: string): Promise<HttpFixture> {
  const started = performance.now();
  const host = await HostProcess.start(azurite, tableName, { profileDir: options.profileHost, heapMb: options.hostHeapMb });
  log(`http: host process ${host.child.pid} listening on ${host.apiUrl} (RSS ${round(host.idleRss / 2 ** 20)} MiB idle)`);
  const members = benchMembers(options.members);
  const [itToken, managerToken, ...memberTokens] = await host.sign([IT_ADMIN, MANAGER, ...members]);
  if (!itToken || !managerToken || memberTokens.length !== members.length) throw new Error('The host signed too few tokens.');
  const api = (token: string, method: string, route: string, body?: unknown) => call(host.apiUrl, token, method, route, body);
  const expect = (answer: HttpAnswer, statuses: number[], what: string) => {
    if (!statuses.includes(answer.status)) throw new Error(`${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  };
  expect(await api(managerToken, 'GET', '/api/me'), [200], 'manager /api/me');
  const settings = expect(await api(itToken, 'GET', '/api/settings'), [200], 'settings');
  expect(await api(itToken, 'PUT', '/api/settings', { ...settings.body, rateLimit: BENCH_RATE_LIMIT, readRateLimit: BENCH_RATE_LIMIT }), [200], 'bench rate limits in settings');
  await inBatches(members, 16, async (member, i) => {
    const token = memberTokens[i]!;
    expect(await api(token, 'GET', '/api/me'), [200], 'member /api/me');
    expect(await api(token, 'POST', '/api/registrations', {}), [201, 409], 'registration request');
    expect(await api(managerToken, 'POST', `/api/registrations/${member.id}/events`, { type: 'already_registered' }), [200, 409], 'already_registered');
  });
  for (let i = 0; i < POOL_PURCHASES; i++) {
    const created = expect(await api(managerToken, 'POST', '/api/purchases', { blocks: BLOCKS_PER_PURCHASE }), [201], 'purchase');
    const id = String(created.body.purchase.id);
    for (const step of PURCHASE_STEPS) expect(await api(managerToken, 'POST', `/api/purchases/${id}/events`, step), [200], `purchase step ${step.type}`);
  }
  const pool = await api(managerToken, 'GET', '/api/pool');
  log(`http: set up ${members.length} registered members over HTTP, pool ${JSON.stringify(pool.body?.balance ?? pool.body?.credits ?? '?')} in ${round((performance.now() - started) / 1000)}s`);
  return { host, members, memberTokens, managerToken };
}
