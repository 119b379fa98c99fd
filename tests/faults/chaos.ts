/**
 * Chaos run (issue 8, fault injection): Azurite behind a fault-injecting proxy, two host instances on top
 * (issue 15: each with its own group committer and cache; one in its own process), a mixed concurrent
 * workload over real HTTP as demo users spread over both, then a read-back that checks every write the
 * API acknowledged is stored exactly once, nothing it refused is stored, the invariant checker passes and
 * every error a client saw was a clear, coded one. Mid-burst the second instance is killed (SIGKILL) and
 * started again, twice, and the storage process is stopped and started again from its files. Two smaller
 * phases do the same for the Graph stand-in (429/503 while managers search the directory) and the feed
 * receiver (down while the dispatcher runs).
 *
 * Azurite is stopped with SIGTERM, after the proxy has cut new requests and the forwarded ones were
 * answered: Azurite keeps its tables in memory and writes them to disk (LokiJS) every 5 s and when it
 * closes, so a SIGKILL loses what it acknowledged since the last save. That is Azurite's limit, not the
 * product's (in Azure, Table Storage acknowledges a write once it is durable), so the run does not count it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import type { LedgerSnapshot, Transfer } from '../../src/core/ledger/index.js';
import { localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableFeedOutbox } from '../../server/adapters/table-storage/table-feed-outbox.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import { TeamsWebhookChannel } from '../../server/adapters/teams/teams-channel.js';
import { DEV_MODE_TARGETS } from '../../server/adapters/teams/webhook-target.js';
import { FeedDispatcher } from '../../server/app/feed-dispatcher.js';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import { startAzurite } from '../../server/local/azurite.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_DOMAIN, DEMO_TENANT, DEMO_USERS, DIRECTORY_ONLY } from '../../server/local/demo-users.js';
import { startDispatchLoop } from '../../server/local/feed-dispatch-loop.js';
import type { FeedReceiver } from '../../server/local/feed-receiver.js';
import { startFeedReceiver } from '../../server/local/feed-receiver.js';
import type { GraphStandIn } from '../../server/local/graph-standin.js';
import { startGraphStandIn } from '../../server/local/graph-standin.js';
import { seedDemoData } from '../../server/local/seed.js';
import type { LocalStack } from '../../server/local/stack.js';
import { startStack } from '../../server/local/stack.js';
import { systemClock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import type { StorageFaultKind, StorageProxy } from './storage-proxy.js';
import { seededRandom, startStorageProxy } from './storage-proxy.js';
import type { HostInstance } from './chaos-hosts.js';
import { ChildHost, inProcessHost } from './chaos-hosts.js';
import type { AutodeskStandIn } from '../../server/local/autodesk-standin.js';
import { startAutodeskStandin } from '../../server/local/autodesk-standin.js';
import { demoUsagePeople } from '../../server/local/autodesk-standin-usage.js';
import type { ConnectorDetails, ConnectorPhaseResult } from './chaos-connector.js';
import { CONNECTOR_SEED, CONNECTOR_TENANT, connectorHost, connectorLane } from './chaos-connector.js';

export interface ChaosProgress {
  phase: 'start' | 'seed' | 'workload' | 'kill' | 'resolve' | 'replay' | 'feed' | 'verify' | 'graph' | 'connector' | 'done';
  done?: number;
  total?: number;
  faults?: number;
  message?: string;
}

export interface ChaosOptions {
  /** Client write operations in the storage phase. */
  ops: number;
  /** Operations in flight at once. */
  concurrency: number;
  /** Probability that a Table Storage request gets a fault (0–1). */
  faultRate: number;
  seed: number;
  onProgress?: (progress: ChaosProgress) => void;
  /** How long a "timeout" fault holds the socket (default 3 s). */
  holdMs?: number;
  /** Directory calls in the Graph phase (default ops / 10, at least 20). */
  graphOps?: number;
}

type OpKind =
  | 'usage-self'
  | 'usage-manager'
  | 'usage-double'
  | 'usage-unregistered'
  | 'purchase-create'
  | 'purchase-step'
  | 'purchase-bad-step'
  | 'registration'
  | 'reversal'
  | 'reversal-again';

type Outcome = 'acked' | 'refused' | 'gave-up';

interface Attempt {
  status: number | 'network' | 'timeout';
  code?: string;
}

interface Op {
  n: number;
  kind: OpKind;
  key: string;
  tag: string;
  actor: DemoUser;
  method: 'POST';
  path: string;
  body: Record<string, unknown>;
  /** What the op is about: a member id, a purchase id, a transfer id. */
  subject?: string;
  /** For registrations and purchase steps: the event type. */
  event?: string;
  /** Usage amount in credits. */
  credits?: number;
  outcome?: Outcome;
  status?: number;
  code?: string;
  response?: any;
  attempts: Attempt[];
  /** Got its definite answer only in the healthy retry after the workload. */
  late?: boolean;
  /** usage-double: the second submission's answer. */
  twin?: { outcome?: Outcome; status?: number; response?: any };
}

export interface ChaosDetails {
  seed: number;
  fault_rate: number;
  concurrency: number;
  duration_ms: number;
  ops_by_kind: Record<string, number>;
  outcomes: Record<Outcome, number>;
  refusals_by_code: Record<string, number>;
  /** Ops that ran out of attempts under faults and were settled by the healthy retry afterwards. */
  gave_up_then_resolved: number;
  still_unresolved: number;
  attempts_total: number;
  retried_ops: number;
  client_timeouts: number;
  client_network_errors: number;
  storage_outages: number;
  answers_5xx_by_code: Record<string, number>;
  faults_by_kind: Record<StorageFaultKind, number>;
  faults_on_batches: number;
  faults_in_outages: number;
  storage_requests: number;
  storage_batches: number;
  /** Acknowledged ops whose same-key replay (storage healthy) answered differently. */
  replay_mismatches: number;
  refused_stored: number;
  internal_errors: number;
  idempotency_key_reused: number;
  /** Per host instance: answers it gave, writes it acknowledged. */
  instances: Record<string, { answers: number; acked: number }>;
  /** The second instance killed with SIGKILL: at which op, with how many client requests in flight to it. */
  host_kills: { at_op: number; in_flight: number }[];
  /** Azurite stopped (SIGTERM) and started again on its files; `forced` if it had to be SIGKILLed after 3 s. */
  storage_restarts: { at_op: number; forced: boolean }[];
  /** Requests the proxy cut while Azurite was stopped. */
  cut_while_storage_stopped: number;
  /**
   * Azurite's own limit, measured at the end and not a target: rows it acknowledged one by one, then
   * SIGKILL at once and a start on its files; `lost` of them were gone (it saves to disk every 5 s).
   */
  azurite_sigkill: { acknowledged: number; lost: number };
  findings: string[];
  /** The connector lane: each incident, the pulls, the ledger against the stand-in. */
  connector: ConnectorDetails;
}

export interface GraphPhaseResult {
  graph_ops: number;
  graph_ok: number;
  graph_directory_unavailable: number;
  /** Anything else (a 500, an uncoded error, a wrong code): target 0. */
  graph_bad_answers: number;
  graph_failures_injected: number;
  /** Registration requests for a directory-only person during the outage: answered 503 and nothing stored, or 201 and stored. */
  graph_writes_inconsistent: number;
}

export interface FeedPhaseResult {
  feed_events_expected: number;
  feed_events_missing: number;
  feed_events_repeated: number;
  feed_receiver_refusals: number;
  feed_parked: number;
}

export interface ChaosResult {
  chaos_ops: number;
  chaos_faults_injected: number;
  chaos_acknowledged_lost: number;
  chaos_duplicates: number;
  chaos_invariant_violations: number;
  chaos_client_errors_unclear: number;
  chaos_refused_stored: number;
  /** Host instances that acknowledged writes (target ≥ 2). */
  chaos_instances: number;
  /** Host processes killed with SIGKILL and storage processes stopped, each started again mid-run (target ≥ 2). */
  chaos_process_kills: number;
  /** NOT_REGISTERED answered to a person whose registration had been acknowledged (an instance deciding on old rows): target 0. */
  chaos_stale_refusals: number;
  graph: GraphPhaseResult;
  feed: FeedPhaseResult;
  connector: ConnectorPhaseResult;
  details: ChaosDetails;
}

const MAX_ATTEMPTS = 6;
const ATTEMPT_TIMEOUT_MS = 20_000;
const TABLE = 'creditdesk';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const today = () => new Date().toISOString().slice(0, 10);
const byName = (name: string) => DEMO_USERS.find((u) => u.displayName.startsWith(name))!;

/** Synthetic new starters: they sign in, request their account and go through registration during the run. */
function worker(i: number): DemoUser {
  const n = String(i + 1).padStart(3, '0');
  return { id: `00000000-0000-4000-9000-000000000${n}`, email: `chaos.worker.${n}@${DEMO_DOMAIN}`, displayName: `Chaos Worker ${n}`, office: 'Boston', roles: [] };
}

interface Answer {
  /** The instance that answered. */
  host: string;
  status: number;
  body: any;
  clear: boolean;
  retryAfter: number | undefined;
}

/** The client side: one HTTP call, classified. */
class Client {
  private readonly tokens = new Map<string, string>();
  unclear = 0;
  timeouts = 0;
  networkErrors = 0;
  internal = 0;
  readonly fiveXx: Record<string, number> = {};
  readonly findings: string[] = [];
  /** Requests on their way to each instance now. */
  readonly inFlight: Record<string, number> = {};
  readonly byInstance: Record<string, { answers: number; acked: number }> = {};
  private turn = 0;

  constructor(private readonly hosts: HostInstance[]) {}

  private async token(host: HostInstance, generation: number, user: DemoUser): Promise<string> {
    const key = `${host.name}:${generation}:${user.id}`;
    let token = this.tokens.get(key);
    if (!token) this.tokens.set(key, (token = await host.sign(user, generation)));
    return token;
  }

  note(finding: string) {
    if (this.findings.length < 60) this.findings.push(finding);
  }

  /** One attempt, to the instance `via` picks (in turn by default). Throws on a network error or a timeout. */
  async call(user: DemoUser, method: string, path: string, body?: unknown, key?: string, via = this.turn++): Promise<Answer> {
    const host = this.hosts[via % this.hosts.length]!;
    const { generation, url } = host;
    const headers: Record<string, string> = { authorization: `Bearer ${await this.token(host, generation, user)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    this.inFlight[host.name] = (this.inFlight[host.name] ?? 0) + 1;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url + path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      text = await response.text();
    } finally {
      this.inFlight[host.name]!--;
    }
    const counts = (this.byInstance[host.name] ??= { answers: 0, acked: 0 });
    counts.answers++;
    if (method !== 'GET' && response.status < 300) counts.acked++;
    let parsed: any;
    let json = true;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      json = false;
    }
    const coded = json && typeof parsed?.error?.code === 'string' && typeof parsed?.error?.message === 'string';
    const clear = response.status < 400 || coded;
    if (!clear) {
      this.unclear++;
      this.note(`unclear answer ${response.status} to ${method} ${path}: ${text.slice(0, 200)}`);
    }
    if (response.status >= 500) {
      const code = coded ? String(parsed.error.code) : `uncoded-${response.status}`;
      this.fiveXx[code] = (this.fiveXx[code] ?? 0) + 1;
      if (code === 'INTERNAL') {
        this.internal++;
        this.note(`500 INTERNAL on ${method} ${path}`);
      }
    }
    const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
    return { host: host.name, status: response.status, body: parsed, clear, retryAfter: Number.isFinite(retryAfter) ? retryAfter : undefined };
  }

  /** A read that retries like the tab does (for look-ups the workload needs). */
  async read(user: DemoUser, path: string): Promise<Answer | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        const answer = await this.call(user, 'GET', path);
        if (answer.status < 500 && answer.status !== 429) return answer;
      } catch {
        // retried
      }
      await sleep(Math.min(2000, 100 * 2 ** attempt));
    }
    return undefined;
  }

  /** Sends a write, retrying network errors, 5xx and 429 with the same Idempotency-Key. */
  async send(op: Op, maxAttempts = MAX_ATTEMPTS): Promise<{ outcome: Outcome; status?: number; response?: any; code?: string }> {
    let last: Attempt | undefined;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      let retryAfterMs = 0;
      try {
        // Each retry goes to the other instance: the same key must find the first attempt's result there.
        const answer = await this.call(op.actor, op.method, op.path, op.body, op.key, op.n + attempt);
        const code = typeof answer.body?.error?.code === 'string' ? (answer.body.error.code as string) : undefined;
        last = { status: answer.status, ...(code ? { code } : {}) };
        op.attempts.push(last);
        if (answer.status >= 200 && answer.status < 300) return { outcome: 'acked', status: answer.status, response: answer.body };
        if (answer.status < 500 && answer.status !== 429) return { outcome: 'refused', status: answer.status, response: answer.body, ...(code ? { code } : {}) };
        retryAfterMs = (answer.retryAfter ?? 0) * 1000;
      } catch (error) {
        const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
        if (timedOut) this.timeouts++;
        else this.networkErrors++;
        last = { status: timedOut ? 'timeout' : 'network' };
        op.attempts.push(last);
        if (timedOut) this.note(`client timeout after ${ATTEMPT_TIMEOUT_MS} ms on ${op.kind} ${op.key}`);
      }
      // Retry-After says 2 s for STORAGE_UNAVAILABLE; a short back-off keeps the run inside its budget.
      const limited = last?.status === 429;
      await sleep(Math.max(retryAfterMs > 0 ? Math.min(retryAfterMs, limited ? 5000 : 1000) : 0, Math.min(1500, 100 * 2 ** attempt) * (0.5 + Math.random() / 2)));
    }
    return { outcome: 'gave-up', ...(typeof last?.status === 'number' ? { status: last.status } : {}), ...(last?.code ? { code: last.code } : {}) };
  }
}

interface WorkerState {
  user: DemoUser;
  state: 'not_requested' | 'requested' | 'account_created' | 'registered' | 'declined' | 'unknown';
  busy: boolean;
}
interface PurchaseState {
  id: string;
  state: string;
  busy: boolean;
}
interface TransferRef {
  id: string;
  reversed: boolean;
  busy: boolean;
}

const NEXT_PURCHASE_STEP: Record<string, string | undefined> = {
  requested: 'quote_requested',
  quote_requested: 'quote_received',
  quote_received: 'approved',
  approved: 'ordered',
  ordered: 'applied',
};

const WEIGHTS: [OpKind, number][] = [
  ['usage-self', 30],
  ['usage-manager', 12],
  ['usage-double', 4],
  ['usage-unregistered', 3],
  ['purchase-create', 5],
  ['purchase-step', 12],
  ['purchase-bad-step', 2],
  ['registration', 18],
  ['reversal', 10],
  ['reversal-again', 2],
];

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => {});
  const random = seededRandom(options.seed ^ 0x5eed);
  const runId = randomBytes(3).toString('hex');
  progress({ phase: 'start', message: `seed ${options.seed}, fault rate ${options.faultRate}, ${options.ops} ops × ${options.concurrency}` });

  let azurite: AzuriteHandle | undefined;
  let proxy: StorageProxy | undefined;
  let graph: GraphStandIn | undefined;
  let receiver: FeedReceiver | undefined;
  let stack: LocalStack | undefined;
  let hostB: ChildHost | undefined;
  let hostC: ChildHost | undefined;
  let standIn: AutodeskStandIn | undefined;
  let loop: { stop(): Promise<void> } | undefined;
  // On disk, not in memory: the storage process is stopped and started again on its files mid-run.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'credit-desk-chaos-'));
  try {
    const people = demoUsagePeople();
    [azurite, graph, receiver, standIn] = await Promise.all([startAzurite({ location: dataDir }), startGraphStandIn(), startFeedReceiver(), startAutodeskStandin({ seed: CONNECTOR_SEED, people })]);
    proxy = await startStorageProxy({ targetPort: azurite.tablePort, rate: 0, seed: options.seed, holdMs: options.holdMs ?? 3_000 });
    const access = { baseUrl: graph.url, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), tokenPerTenant: false, timeoutMs: 3_000, cooldownMs: 500 };
    const storage = proxy.connectionString(azurite.blobPort);
    stack = await startStack({ azurite: { ...azurite, connectionString: storage }, graph: access });
    // The second instance: its own process, committer and cache over the same storage.
    hostB = new ChildHost('B', { storage, graphUrl: graph.url });
    // The connector lane's host: the Autodesk stand-in as Autodesk, its secrets in a folder that outlives its kills.
    hostC = connectorHost({ storage, graphUrl: graph.url, apsUrl: standIn.url, secretsDir: path.join(dataDir, 'connector-secrets') });
    await Promise.all([hostB.start(), hostC.start()]);

    // Seed the demo firm straight into Azurite (no faults), the feed's webhook pointing at the receiver.
    progress({ phase: 'seed' });
    const direct = AzureTableAdapter.fromConnectionString(azurite.connectionString, TABLE);
    await seedDemoData(direct, new Date(), (line) => progress({ phase: 'seed', message: line }), { webhookUrl: receiver.url });
    const directStore = new TableLedgerStore({ table: direct, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });

    // The feed phase: a dispatcher (retries tuned for a short run) posting through the faulty storage path,
    // to the receiver on loopback as dev mode may.
    const before = await directStore.snapshot(DEMO_TENANT);
    const outboxDirect = new TableFeedOutbox(direct);
    const pendingAtStart = new Set((await outboxDirect.pending(DEMO_TENANT, 5000)).map((e) => e.event.id));
    const deliveredBefore = new Set(before.events.map((e) => e.id).filter((id) => !pendingAtStart.has(id)));
    const dispatcher = new FeedDispatcher({
      outbox: new TableFeedOutbox(AzureTableAdapter.fromConnectionString(proxy.connectionString(), TABLE)),
      channel: new TeamsWebhookChannel({ tabUrl: 'http://localhost:5173/' }, { timeoutMs: 5_000, targets: DEV_MODE_TARGETS }),
      clock: systemClock,
      random: Math.random,
      policyOf: async (tenant) => (await directStore.getSettings(tenant)) ?? DEFAULT_POLICY,
      nameOf: async (tenant, id) => (await directStore.getMember(tenant, id))?.member.displayName,
      tuning: { maxAttempts: 40, baseDelayMs: 100, maxDelayMs: 1_000, stalledAfterMs: 15 * 60_000 },
    });
    let dispatchFailures = 0;
    loop = startDispatchLoop({ dispatcher, tenants: [DEMO_TENANT], intervalMs: 250, log: () => dispatchFailures++ });

    const client = new Client([inProcessHost('A', stack), hostB]);
    const riley = byName('Riley');
    const sam = byName('Sam');
    const taylor = byName('Taylor');
    /** Purchases and reversals: account managers and IT. Usage for others and registration steps: account managers only. */
    // Extra (synthetic) account managers spread the managers' load under the per-person rate limit.
    const extraManagers: DemoUser[] = Array.from({ length: 6 }, (_, i) => ({ ...worker(900 + i), displayName: `Chaos Manager ${i + 1}`, email: `chaos.manager.${i + 1}@${DEMO_DOMAIN}`, roles: ['AccountManager'] }));
    const managers = [riley, sam, taylor, ...extraManagers];
    const accountManagers = [riley, sam, ...extraManagers];
    const employees = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Harper'].map(byName);
    const workers: WorkerState[] = Array.from({ length: Math.max(8, Math.ceil(options.ops / 20)) }, (_, i) => ({ user: worker(i), state: 'not_requested', busy: false }));
    const purchases: PurchaseState[] = [];
    const transfers: TransferRef[] = [];
    const ops: Op[] = [];
    const pickOf = <T>(items: T[]): T | undefined => (items.length ? items[Math.floor(random() * items.length)] : undefined);
    const registeredUsers = () => [...employees, ...workers.filter((w) => w.state === 'registered').map((w) => w.user)];
    const tagOf = (key: string) => `chaos:${key}`;
    let n = 0;

    /** The next operation, with its subject locked; undefined when nothing fits (the lane tries again). */
    const nextOp = (): Op | undefined => {
      const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
      let roll = random() * total;
      let kind: OpKind = 'usage-self';
      for (const [k, w] of WEIGHTS) {
        if ((roll -= w) < 0) {
          kind = k;
          break;
        }
      }
      const key = `chaos-${runId}-${String(++n).padStart(5, '0')}`;
      const tag = tagOf(key);
      const base = { n, key, tag, method: 'POST' as const, attempts: [] };
      const usage = (actor: DemoUser, memberId: string | undefined, k: OpKind): Op => {
        const credits = Math.round((0.5 + random() * 3.5) * 100) / 100;
        return {
          ...base,
          kind: k,
          actor,
          path: '/api/usage',
          subject: memberId ?? actor.id,
          credits,
          body: { service: pickOf(['cloud_rendering', 'simulation', 'generative_design', 'other'])!, credits, date: today(), note: tag, ...(memberId ? { memberId } : {}) },
        };
      };
      switch (kind) {
        case 'usage-self':
        case 'usage-double':
          return usage(pickOf(registeredUsers())!, undefined, kind);
        case 'usage-manager':
          return usage(pickOf(accountManagers)!, pickOf(registeredUsers())!.id, kind);
        case 'usage-unregistered': {
          const w = pickOf(workers.filter((x) => !x.busy && (x.state === 'not_requested' || x.state === 'requested')));
          if (!w) return usage(pickOf(registeredUsers())!, undefined, 'usage-self');
          w.busy = true;
          return usage(w.user, undefined, kind);
        }
        case 'purchase-create': {
          const blocks = 1 + Math.floor(random() * 2);
          return { ...base, kind, actor: pickOf(managers)!, path: '/api/purchases', body: { blocks, reason: tag } };
        }
        case 'purchase-step':
        case 'purchase-bad-step': {
          const open = purchases.filter((p) => !p.busy && NEXT_PURCHASE_STEP[p.state]);
          const p = pickOf(open);
          if (!p) return { ...base, kind: 'purchase-create', actor: pickOf(managers)!, path: '/api/purchases', body: { blocks: 2, reason: tag } };
          p.busy = true;
          let type = NEXT_PURCHASE_STEP[p.state]!;
          if (kind === 'purchase-bad-step') type = p.state === 'ordered' ? 'quote_requested' : 'applied';
          else if (random() < 0.04) type = 'cancelled';
          const extra = type === 'quote_received' ? { quoteNumber: `Q-${key.slice(-8)}`, price: 1100, currency: 'USD' } : type === 'ordered' ? { poNumber: `PO-${key.slice(-8)}` } : {};
          return { ...base, kind, actor: pickOf(managers)!, path: `/api/purchases/${p.id}/events`, subject: p.id, event: type, body: { type, reason: tag, ...extra } };
        }
        case 'registration': {
          const w = pickOf(workers.filter((x) => !x.busy && x.state !== 'registered' && x.state !== 'unknown'));
          if (!w) return usage(pickOf(registeredUsers())!, undefined, 'usage-self');
          w.busy = true;
          if (w.state === 'not_requested' || w.state === 'declined') {
            return { ...base, kind, actor: w.user, path: '/api/registrations', subject: w.user.id, event: 'requested', body: {} };
          }
          const event = w.state === 'requested' ? (random() < 0.15 ? 'declined' : 'account_created') : 'completed';
          const actor = event === 'completed' ? w.user : pickOf(accountManagers)!;
          return { ...base, kind, actor, path: `/api/registrations/${w.user.id}/events`, subject: w.user.id, event, body: { type: event, reason: tag } };
        }
        case 'reversal':
        case 'reversal-again': {
          const candidates = transfers.filter((t) => !t.busy && (kind === 'reversal' ? !t.reversed : t.reversed));
          const t = pickOf(candidates);
          if (!t) return usage(pickOf(registeredUsers())!, undefined, 'usage-self');
          t.busy = true;
          return { ...base, kind, actor: pickOf(managers)!, path: `/api/transfers/${t.id}/reversal`, subject: t.id, body: { reason: tag } };
        }
      }
    };

    /** Keeps the model of the world in step with what the API answered. */
    const settle = (op: Op) => {
      const ok = op.outcome === 'acked';
      switch (op.kind) {
        case 'usage-self':
        case 'usage-manager':
        case 'usage-double':
          if (ok && op.response?.postingId) transfers.push({ id: `${op.response.postingId}.00`, reversed: false, busy: false });
          break;
        case 'usage-unregistered':
          workers.find((w) => w.user.id === op.actor.id)!.busy = false;
          break;
        case 'purchase-create':
          if (ok) purchases.push({ id: op.response.purchase.id, state: op.response.purchase.state, busy: false });
          break;
        case 'purchase-step':
        case 'purchase-bad-step': {
          const p = purchases.find((x) => x.id === op.subject)!;
          if (ok) p.state = op.response.purchase.state;
          else if (op.outcome === 'gave-up') p.state = 'unknown';
          p.busy = false;
          break;
        }
        case 'registration': {
          const w = workers.find((x) => x.user.id === op.subject)!;
          if (ok) w.state = op.response.member.registration.state;
          else if (op.outcome === 'gave-up') w.state = 'unknown';
          w.busy = false;
          break;
        }
        case 'reversal':
        case 'reversal-again': {
          const t = transfers.find((x) => x.id === op.subject)!;
          if (ok || op.code === 'ALREADY_REVERSED') t.reversed = true;
          t.busy = false;
          break;
        }
      }
    };

    const run = async (op: Op) => {
      if (op.kind === 'usage-double') {
        // The twin goes to the other instance at the same moment.
        const twin: Op = { ...op, n: op.n + 1, attempts: [] };
        const [first, second] = await Promise.all([client.send(op), client.send(twin)]);
        Object.assign(op, first);
        op.twin = second;
        op.attempts.push(...twin.attempts);
      } else Object.assign(op, await client.send(op));
    };

    // Workers sign in once (their member rows), before the faults start.
    await Promise.all([...workers.map((w) => w.user), ...extraManagers].map((u) => client.read(u, '/api/me')));

    // --- Storage phase: the workload under faults, the receiver down for a while in the middle.
    proxy.setRate(options.faultRate);
    progress({ phase: 'workload', done: 0, total: options.ops, faults: 0 });
    let done = 0;
    let issued = 0;
    const receiverDownAt = [Math.floor(options.ops * 0.3), Math.floor(options.ops * 0.65)];
    // Two short storage outages (every request gets a fault): postings run out of server-side retries, the
    // API answers 503 though some writes landed, and clients retry with the same key.
    const outageAt = [Math.floor(options.ops * 0.45), Math.floor(options.ops * 0.8)];
    let outages = 0;
    const outage = () => {
      outages++;
      proxy!.outage(4_000);
    };
    // Processes killed mid-burst, one incident at a time, each started again once its predecessor is back:
    // instance B twice (SIGKILL), storage once (stopped, then started on its files).
    const hostKillAt = [Math.floor(options.ops * 0.3), Math.floor(options.ops * 0.7)];
    const storageStopAt = Math.floor(options.ops * 0.55);
    const hostKills: ChaosDetails['host_kills'] = [];
    const storageRestarts: ChaosDetails['storage_restarts'] = [];
    let incidents = Promise.resolve();
    const incident = (what: string, act: () => Promise<void>) => {
      incidents = incidents.then(act).catch((error: unknown) => client.note(`${what} failed: ${String(error).slice(0, 300)}`));
    };
    const killHost = async (at: number) => {
      // Mid-burst: with requests on their way to it (the lanes keep it busy; a bounded wait).
      for (let i = 0; i < 400 && !client.inFlight[hostB!.name]; i++) await sleep(5);
      const inFlight = client.inFlight[hostB!.name] ?? 0;
      await hostB!.kill();
      progress({ phase: 'kill', message: `instance B killed (SIGKILL) at op ${at} with ${inFlight} requests in flight` });
      await hostB!.start();
      hostKills.push({ at_op: at, in_flight: inFlight });
      progress({ phase: 'kill', message: `instance B is back (${hostB!.url})` });
    };
    // The lane that reaches the storage stop sends its op only once storage is stopped, so at least one
    // request meets stopped storage however long the incidents before it took (they run one after another).
    let storageStopped!: () => void;
    const storageIsStopped = new Promise<void>((resolve) => (storageStopped = resolve));
    const restartStorage = async (at: number) => {
      try {
        await proxy!.suspend();
      } finally {
        storageStopped();
      }
      const stopped = azurite!;
      await stopped.stop();
      const forced = stopped.process.signalCode === 'SIGKILL';
      progress({ phase: 'kill', message: `storage stopped (SIGTERM${forced ? ', then SIGKILL' : ''}) at op ${at}` });
      azurite = await startAzurite({ location: dataDir, tablePort: stopped.tablePort, blobPort: stopped.blobPort });
      proxy!.resume();
      storageRestarts.push({ at_op: at, forced });
      progress({ phase: 'kill', message: 'storage is back' });
    };
    const lane = async () => {
      while (issued < options.ops) {
        const op = nextOp();
        if (!op) {
          await sleep(5);
          continue;
        }
        issued++;
        if (receiverDownAt.includes(issued)) receiver!.failFor({ ms: 3_000, status: issued === receiverDownAt[0] ? 503 : 500 });
        if (outageAt.includes(issued)) outage();
        const at = issued;
        if (hostKillAt.includes(at)) incident('killing instance B', () => killHost(at));
        if (issued === storageStopAt) {
          incident('restarting storage', () => restartStorage(storageStopAt));
          await storageIsStopped;
        }
        ops.push(op);
        await run(op);
        settle(op);
        done++;
        if (done % 25 === 0 || done === options.ops) progress({ phase: 'workload', done, total: options.ops, faults: proxy!.faults() });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, lane));
    await incidents;
    const workloadMs = Date.now() - started;

    // --- Faults off: what ran out of attempts is sent once more with its key, as a client would later.
    proxy.setRate(0);
    // The connector lane (its own tenant and host, storage healthy) runs beside the phases that follow:
    // pulls from the Autodesk stand-in while it and the host fail.
    progress({ phase: 'connector' });
    const connectorRun = connectorLane({ host: hostC, standIn, people, direct, snapshot: () => directStore.snapshot(CONNECTOR_TENANT), progress: (message) => progress({ phase: 'connector', message }) });
    connectorRun.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    const gaveUp = ops.filter((o) => o.outcome === 'gave-up');
    progress({ phase: 'resolve', total: gaveUp.length, message: `${gaveUp.length} ops ran out of attempts under faults` });
    for (const op of gaveUp) {
      Object.assign(op, await client.send(op, 3), { late: true });
      if (op.kind === 'usage-double' && op.twin?.outcome === 'gave-up') op.twin = await client.send({ ...op, attempts: [] }, 3);
    }

    // --- Every acknowledged op, replayed with its key: the same answer, and nothing new written.
    const acked = ops.filter((o) => o.outcome === 'acked');
    progress({ phase: 'replay', total: acked.length });
    let replayMismatches = 0;
    const idOf = (op: Op, body: any): string | undefined =>
      body?.postingId !== undefined && op.kind.startsWith('usage')
        ? String(body.postingId)
        : op.kind.startsWith('purchase')
          ? `${body?.purchase?.id}:${body?.purchase?.state}`
          : op.kind === 'registration'
            ? `${body?.member?.member?.id}:${body?.member?.registration?.state}`
            : body?.reversal?.id !== undefined
              ? String(body.reversal.id)
              : undefined;
    for (let i = 0; i < acked.length; i += 16) {
      await Promise.all(
        acked.slice(i, i + 16).map(async (op) => {
          const again = await client.send({ ...op, attempts: [] }, MAX_ATTEMPTS);
          if (again.outcome !== 'acked' || again.status !== op.status || idOf(op, again.response) !== idOf(op, op.response)) {
            replayMismatches++;
            client.note(`replay of ${op.kind} ${op.key} ended ${again.outcome} ${again.status ?? ''} ${String(JSON.stringify(again.response ?? null)).slice(0, 160)} after attempts ${JSON.stringify(op.attempts.slice(-3))} (first: ${op.status} ${idOf(op, op.response)})`);
          }
        }),
      );
    }

    // --- The feed: the receiver is up again; the dispatcher drains, every event arrives.
    progress({ phase: 'feed' });
    const drainDeadline = Date.now() + 30_000;
    while (Date.now() < drainDeadline && (await outboxDirect.pending(DEMO_TENANT, 1)).length > 0) await sleep(250);
    await loop.stop();
    loop = undefined;

    // --- Read everything back.
    progress({ phase: 'verify' });
    const snapshot = await directStore.snapshot(DEMO_TENANT);
    const verdict = verify(ops, snapshot, client);
    const check = await client.read(taylor, '/api/ledger/check');
    const violations = check?.status === 200 ? (check.body.violations as unknown[]).length : -1;
    if (violations !== 0) client.note(`ledger check: ${JSON.stringify(check?.body ?? 'no answer').slice(0, 600)}`);

    const expectedEvents = snapshot.events.map((e) => e.id).filter((id) => !deliveredBefore.has(id));
    const arrivals = receiver.received().flatMap((c) => c.eventIds);
    const arrived = new Set(arrivals);
    const delivery = await client.read(taylor, '/api/feed/delivery');
    const feed: FeedPhaseResult = {
      feed_events_expected: expectedEvents.length,
      feed_events_missing: expectedEvents.filter((id) => !arrived.has(id)).length,
      feed_events_repeated: arrivals.length - arrived.size,
      feed_receiver_refusals: receiver.refusals(),
      feed_parked: Array.isArray(delivery?.body?.parked) ? delivery.body.parked.length : -1,
    };
    if (feed.feed_events_missing > 0) client.note(`feed: ${feed.feed_events_missing} events never reached the receiver (dispatch pass failures: ${dispatchFailures})`);

    // --- Graph phase (storage healthy): the directory throttled and down while managers use it.
    progress({ phase: 'graph' });
    const graphResult = await graphPhase(client, graph, managers, options.graphOps ?? Math.max(20, Math.floor(options.ops / 10)), directStore);
    const connector = await connectorRun;

    // Usage by someone whose registration was acknowledged before the op was picked must not meet NOT_REGISTERED.
    let staleRefusals = 0;
    for (const op of ops) {
      if (op.kind === 'usage-unregistered') continue;
      for (const answer of [op, op.twin]) {
        if (answer?.outcome !== 'refused' || answer.response?.error?.code !== 'NOT_REGISTERED') continue;
        staleRefusals++;
        client.note(`STALE REFUSAL: ${op.kind} ${op.key} for registered ${op.subject} answered NOT_REGISTERED`);
      }
    }

    progress({ phase: 'kill', message: 'storage killed (SIGKILL) right after acknowledged writes: what Azurite loses' });
    const sigkill = await azuriteSigkillProbe(azurite, dataDir);
    azurite = sigkill.azurite;

    const stats = proxy.stats();
    const outcomes = { acked: 0, refused: 0, 'gave-up': 0 } as Record<Outcome, number>;
    const byKind: Record<string, number> = {};
    const refusals: Record<string, number> = {};
    for (const op of ops) {
      outcomes[op.outcome ?? 'gave-up']++;
      byKind[op.kind] = (byKind[op.kind] ?? 0) + 1;
      if (op.outcome === 'refused') refusals[op.code ?? `uncoded-${op.status}`] = (refusals[op.code ?? `uncoded-${op.status}`] ?? 0) + 1;
    }
    const result: ChaosResult = {
      chaos_ops: ops.length,
      chaos_faults_injected: proxy.faults(),
      chaos_acknowledged_lost: verdict.lost,
      chaos_duplicates: verdict.duplicates + replayMismatches,
      chaos_invariant_violations: violations < 0 ? 1 : violations,
      chaos_client_errors_unclear: client.unclear,
      chaos_refused_stored: verdict.refusedStored,
      chaos_instances: Object.values(client.byInstance).filter((i) => i.acked > 0).length,
      chaos_process_kills: hostKills.length + storageRestarts.length,
      chaos_stale_refusals: staleRefusals,
      graph: graphResult,
      feed,
      connector: connector.result,
      details: {
        seed: options.seed,
        fault_rate: options.faultRate,
        concurrency: options.concurrency,
        duration_ms: Date.now() - started,
        ops_by_kind: byKind,
        outcomes,
        refusals_by_code: refusals,
        gave_up_then_resolved: gaveUp.filter((o) => o.outcome !== 'gave-up').length,
        still_unresolved: outcomes['gave-up'],
        attempts_total: ops.reduce((s, o) => s + o.attempts.length, 0),
        retried_ops: ops.filter((o) => o.attempts.length > (o.kind === 'usage-double' ? 2 : 1)).length,
        client_timeouts: client.timeouts,
        client_network_errors: client.networkErrors,
        storage_outages: outages,
        answers_5xx_by_code: client.fiveXx,
        faults_by_kind: stats.injected,
        faults_on_batches: stats.injectedOnBatches,
        faults_in_outages: stats.injectedInOutages,
        storage_requests: stats.requests,
        storage_batches: stats.batches,
        replay_mismatches: replayMismatches,
        refused_stored: verdict.refusedStored,
        internal_errors: client.internal,
        idempotency_key_reused: ops.filter((o) => o.code === 'IDEMPOTENCY_KEY_REUSED').length,
        instances: client.byInstance,
        host_kills: hostKills,
        storage_restarts: storageRestarts,
        cut_while_storage_stopped: stats.cutWhileSuspended,
        azurite_sigkill: { acknowledged: sigkill.acknowledged, lost: sigkill.lost },
        findings: client.findings,
        connector: connector.details,
      },
    };
    progress({ phase: 'done', message: `workload ${Math.round(workloadMs / 1000)} s, total ${Math.round((Date.now() - started) / 1000)} s` });
    return result;
  } finally {
    await loop?.stop().catch(() => {});
    await Promise.all([stack?.stop(), hostB?.stop(), hostC?.stop(), standIn?.close()].map((p) => (p ?? Promise.resolve()).catch(() => {})));
    await proxy?.stop().catch(() => {});
    const stops: Promise<void>[] = [graph?.stop(), receiver?.stop(), azurite?.stop()].filter((p): p is Promise<void> => p !== undefined);
    await Promise.all(stops.map((p) => p.catch(() => {})));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Writes rows one by one to a table of its own, kills Azurite with SIGKILL after the last answer, starts it on its files and counts what is gone. */
async function azuriteSigkillProbe(azurite: AzuriteHandle, dataDir: string): Promise<{ acknowledged: number; lost: number; azurite: AzuriteHandle }> {
  const probe = AzureTableAdapter.fromConnectionString(azurite.connectionString, 'chaoskillprobe');
  await probe.createTableIfMissing();
  const rows = Array.from({ length: 100 }, (_, i) => ({ partitionKey: 'probe', rowKey: String(i).padStart(3, '0') }));
  for (const row of rows) await probe.create(row);
  const exited = new Promise<void>((resolve) => azurite.process.once('exit', () => resolve()));
  azurite.process.kill('SIGKILL');
  await exited;
  const restarted = await startAzurite({ location: dataDir, tablePort: azurite.tablePort, blobPort: azurite.blobPort });
  const found = await AzureTableAdapter.fromConnectionString(restarted.connectionString, 'chaoskillprobe')
    .query('probe', { prefix: '' }, { limit: 1000 })
    .then((page) => page.rows.length, () => 0);
  return { acknowledged: rows.length, lost: rows.length - found, azurite: restarted };
}

/** Every op against what storage holds: found by the tag each write carries (note, reason) or by its subject. */
function verify(ops: Op[], snapshot: LedgerSnapshot, client: Client): { lost: number; duplicates: number; refusedStored: number } {
  let lost = 0;
  let duplicates = 0;
  let refusedStored = 0;
  const byNote = new Map<string, Transfer[]>();
  const byReason = new Map<string, Transfer[]>();
  for (const t of snapshot.transfers) {
    if (t.note) byNote.set(t.note, [...(byNote.get(t.note) ?? []), t]);
    if (t.reason) byReason.set(t.reason, [...(byReason.get(t.reason) ?? []), t]);
  }
  const purchaseByReason = new Map<string, string[]>();
  const stepsByReason = new Map<string, { purchase: string; type: string }[]>();
  for (const p of snapshot.purchases) {
    if (p.reason) purchaseByReason.set(p.reason, [...(purchaseByReason.get(p.reason) ?? []), p.id]);
    for (const s of p.steps.slice(1) as { type: string; reason?: string }[]) {
      if (s.reason) stepsByReason.set(s.reason, [...(stepsByReason.get(s.reason) ?? []), { purchase: p.id, type: s.type }]);
    }
  }
  const historyByReason = new Map<string, { member: string; event: string }[]>();
  for (const m of snapshot.members) {
    for (const h of m.registration.history) {
      if (h.reason) historyByReason.set(h.reason, [...(historyByReason.get(h.reason) ?? []), { member: m.id, event: h.event }]);
    }
  }
  const describe = (op: Op) => `${op.kind} ${op.key} (${op.actor.displayName}, attempts ${op.attempts.map((a) => a.code ?? a.status).join('→')})`;
  /** `stored` rows found for the op: acknowledged wants exactly one, refused wants none. */
  const judge = (op: Op, stored: number, what: string) => {
    if (op.outcome === 'acked') {
      if (stored === 0) {
        lost++;
        client.note(`LOST: ${describe(op)} was acknowledged but no ${what} is stored`);
      } else if (stored > 1) {
        duplicates += stored - 1;
        client.note(`DUPLICATE: ${describe(op)} is stored ${stored} times (${what})`);
      }
    } else if (op.outcome === 'refused' && stored > 0) {
      refusedStored += stored;
      client.note(`REFUSED BUT STORED: ${describe(op)} answered ${op.status} ${op.code} yet ${stored} ${what} stored`);
    }
  };

  for (const op of ops) {
    switch (op.kind) {
      case 'usage-self':
      case 'usage-manager':
      case 'usage-double':
      case 'usage-unregistered': {
        const rows = byNote.get(op.tag) ?? [];
        const postings = new Set(rows.map((t) => t.postingId));
        judge(op, postings.size, 'usage posting');
        if (op.outcome === 'acked' && postings.size === 1) {
          const posting = [...postings][0];
          const units = rows.reduce((s, t) => s + t.amount, 0);
          if (posting !== op.response.postingId || units !== Math.round(op.credits! * 100)) {
            duplicates++;
            client.note(`MISMATCH: ${describe(op)} answered posting ${op.response.postingId}, stored ${posting} for ${units} units`);
          }
        }
        if (op.kind === 'usage-double' && op.outcome === 'acked' && op.twin?.outcome === 'acked' && op.twin.response?.postingId !== op.response?.postingId) {
          duplicates++;
          client.note(`DOUBLE SUBMIT: ${describe(op)} answered two postings ${op.response.postingId} and ${op.twin.response?.postingId}`);
        }
        break;
      }
      case 'purchase-create':
        judge(op, (purchaseByReason.get(op.tag) ?? []).length, 'purchase');
        break;
      case 'purchase-step':
      case 'purchase-bad-step':
        judge(op, (stepsByReason.get(op.tag) ?? []).length, `purchase step ${op.event}`);
        break;
      case 'registration':
        // A request carries no reason: counted per member below.
        if (op.event !== 'requested') judge(op, (historyByReason.get(op.tag) ?? []).length, `registration step ${op.event}`);
        break;
      case 'reversal':
      case 'reversal-again':
        judge(op, (byReason.get(op.tag) ?? []).filter((t) => t.code === 'reversal').length, 'reversal');
        break;
    }
  }

  // Registration requests: as many "requested" steps per member as acknowledged requests.
  const requests = new Map<string, { acked: number; refused: number }>();
  for (const op of ops) {
    if (op.kind !== 'registration' || op.event !== 'requested') continue;
    const r = requests.get(op.subject!) ?? { acked: 0, refused: 0 };
    if (op.outcome === 'acked') r.acked++;
    if (op.outcome === 'refused') r.refused++;
    requests.set(op.subject!, r);
  }
  for (const [memberId, r] of requests) {
    const member = snapshot.members.find((m) => m.id === memberId);
    const stored = member?.registration.history.filter((h) => h.event === 'requested').length ?? 0;
    if (stored < r.acked) {
      lost += r.acked - stored;
      client.note(`LOST: ${r.acked} acknowledged registration requests of ${memberId}, ${stored} stored`);
    } else if (stored > r.acked) {
      const refusedButStored = Math.min(stored - r.acked, r.refused);
      refusedStored += refusedButStored;
      duplicates += stored - r.acked - refusedButStored;
      client.note(`${refusedButStored ? 'REFUSED BUT STORED' : 'DUPLICATE'}: ${r.acked} acknowledged (${r.refused} refused) registration requests of ${memberId}, ${stored} stored`);
    }
  }

  // Structural: one allotment per member, one reversal per transfer, one lot and one pool credit per applied purchase.
  const count = <T>(items: T[], key: (t: T) => string | undefined) => {
    const m = new Map<string, number>();
    for (const i of items) {
      const k = key(i);
      if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
    }
    return m;
  };
  for (const [member, c] of count(snapshot.transfers.filter((t) => t.code === 'allotment_granted'), (t) => t.memberId)) {
    if (c > 1) {
      duplicates += c - 1;
      client.note(`DUPLICATE: member ${member} was granted the allotment ${c} times`);
    }
  }
  for (const [original, c] of count(snapshot.transfers.filter((t) => t.code === 'reversal'), (t) => t.reverses)) {
    if (c > 1) {
      duplicates += c - 1;
      client.note(`DUPLICATE: transfer ${original} reversed ${c} times`);
    }
  }
  for (const [purchase, c] of count(snapshot.lots, (l) => l.purchaseId)) {
    if (c > 1) {
      duplicates += c - 1;
      client.note(`DUPLICATE: purchase ${purchase} applied as ${c} lots`);
    }
  }
  for (const p of snapshot.purchases) {
    const types = p.steps.map((s) => s.type);
    if (new Set(types).size !== types.length) {
      duplicates += types.length - new Set(types).size;
      client.note(`DUPLICATE: purchase ${p.id} has repeated steps ${types.join(',')}`);
    }
  }
  return { lost, duplicates, refusedStored };
}

/** Managers search the directory and look people up while Graph answers 429 and 503 for a while. */
async function graphPhase(client: Client, graph: GraphStandIn, managers: DemoUser[], count: number, store: TableLedgerStore): Promise<GraphPhaseResult> {
  const result: GraphPhaseResult = { graph_ops: 0, graph_ok: 0, graph_directory_unavailable: 0, graph_bad_answers: 0, graph_failures_injected: 0, graph_writes_inconsistent: 0 };
  const queries = ['av', 'bl', 'ca', 'de', 'em', 'fi', 'ha', 'jo', 'ka', 'lo', 'mo', 'qu', 'ri', 'um', 'vi'];
  const people = [...DEMO_USERS, ...DIRECTORY_ONLY];
  const windows: { at: number; fail: Parameters<GraphStandIn['failFor']>[0] }[] = [
    { at: 0, fail: { status: 429, ms: 2_000, retryAfterSeconds: 1 } },
    { at: Math.floor(count / 3), fail: { status: 503, ms: 2_000 } },
    { at: Math.floor((2 * count) / 3), fail: { status: 429, count: 6, retryAfterSeconds: 0 } },
  ];
  const judge = (answer: Answer | undefined, what: string) => {
    result.graph_ops++;
    if (!answer) {
      result.graph_bad_answers++;
      client.note(`graph phase: no answer to ${what}`);
    } else if (answer.status === 200 || answer.status === 201) result.graph_ok++;
    else if (answer.status === 503 && answer.body?.error?.code === 'DIRECTORY_UNAVAILABLE') result.graph_directory_unavailable++;
    else {
      result.graph_bad_answers++;
      client.note(`graph phase: ${what} answered ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
    }
  };
  const once = async (user: DemoUser, path: string) => {
    try {
      return await client.call(user, 'GET', path);
    } catch {
      return undefined;
    }
  };
  // A request for someone only the directory knows, during an outage: 503 and nothing stored, or 201 and stored.
  const newcomer = DIRECTORY_ONLY[1]!;
  graph.failFor({ status: 503, count: 20 });
  result.graph_failures_injected++;
  const request = await client.call(managers[0]!, 'POST', '/api/registrations', { email: newcomer.email }, `chaos-graph-${randomBytes(4).toString('hex')}`).catch(() => undefined);
  judge(request, `registration request for ${newcomer.email}`);
  const stored = await store.getMember(DEMO_TENANT, newcomer.id);
  const requested = stored?.member.registration.state === 'requested';
  if ((request?.status === 201) !== requested) {
    result.graph_writes_inconsistent++;
    client.note(`graph phase: request for ${newcomer.email} answered ${request?.status}, stored state ${stored?.member.registration.state ?? 'none'}`);
  }
  graph.reset();
  let i = 0;
  const lanes = Array.from({ length: 6 }, async (_, laneNo) => {
    while (i < count) {
      const mine = i++;
      const w = windows.find((x) => x.at === mine);
      if (w) {
        graph.failFor(w.fail);
        result.graph_failures_injected++;
      }
      const manager = managers[(mine + laneNo) % managers.length]!;
      if (mine % 2 === 0) {
        const q = queries[mine % queries.length]!;
        judge(await once(manager, `/api/directory/search?q=${q}`), `search ${q}`);
      } else {
        const person = people[mine % people.length]!;
        judge(await once(manager, `/api/members/lookup?email=${encodeURIComponent(person.email)}`), `lookup ${person.email}`);
      }
      await sleep(40);
    }
  });
  await Promise.all(lanes);
  graph.reset();
  return result;
}
