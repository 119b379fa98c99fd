/**
 * The chaos run's connector lane (issue 21): Token Flex connected with the firm's own APS client
 * (2-legged) on a host in its own process, pulling from the Autodesk stand-in while Autodesk is down,
 * slow past the client's time limit, throttling (429 with Retry-After), failing the export, handing out
 * a download link that has run out or a download that breaks off, and while the host is killed (SIGKILL)
 * as Autodesk makes the export and again as the import posts. One incident after another, each on one
 * pull, each waited out on the pull's status (GET /api/usage/sources), never on time. Then pulls until one
 * is clean, and the ledger's imported usage per day and person against what the stand-in charged: every
 * day imported exactly once.
 *
 * Both Autodesk APIs count Flex tokens, and the demo firm counts Cloud Credits (its pulls would be refused
 * as UNIT_MISMATCH): the lane has a tenant of its own, switched to Flex tokens by IT through the settings
 * API before anything is pulled, and its host signs for that tenant. The storage lane's figures and tenant
 * stay as they were.
 */
import { randomUUID } from 'node:crypto';
import type { UsageSourceStatus } from '../../src/contract/index.js';
import { UsageSourcesResponse } from '../../src/contract/index.js';
import { withUnit } from '../../src/core/policy/index.js';
import type { Policy } from '../../src/core/policy/index.js';
import type { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableImportRecords } from '../../server/adapters/table-storage/table-import-records.js';
import { TableUsagePulls } from '../../server/adapters/table-storage/table-usage-pulls.js';
import type { AutodeskStandIn } from '../../server/local/autodesk-standin.js';
import { LOCAL_APS_SERVER_APP } from '../../server/local/autodesk-standin.js';
import type { UsagePerson } from '../../server/local/autodesk-standin-usage.js';
import { addDays, visibleCharges } from '../../server/local/autodesk-standin-usage.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_USERS } from '../../server/local/demo-users.js';
import type { LedgerSnapshot } from '../../src/core/ledger/index.js';
import type { UsageCell } from '../load/connector-figures.js';
import { compareWithAutodesk } from '../load/connector-figures.js';
import { ChildHost } from './chaos-hosts.js';
import { LEASE_MS } from '../../server/app/imports/import-deps.js';
import { PULL_LEASE_MS } from '../../server/app/usage-pull/pull-deps.js';

/** The connector lane's tenant (Flex tokens), served by its own host process. */
export const CONNECTOR_TENANT = 'chaos-connector';
/** The stand-in's usage seed in the chaos run. */
export const CONNECTOR_SEED = 'chaos';
/** The lane's first pull reaches back this far: an import long enough to be killed while it posts. */
const CHAOS_BACKFILL_DAYS = 365;
/** Pulls after the incidents until one ends clean. */
const FINAL_PULLS = 4;
/** How long one pull may take to end before the lane gives up on it (a finding, not a wait that makes it pass). */
const PULL_DEADLINE_MS = 60_000;
const STATUS_EVERY_MS = 50;

export interface ConnectorPhaseResult {
  /** Incidents played, each meant to make one pull fail or stop. */
  connector_incidents: number;
  /** Of those, the ones whose pull did fail or stop as the fault would make it, once a later pull ended clean. */
  connector_pulls_failed_then_recovered: number;
  /** Days with more usage in the ledger than the stand-in charged (target 0). */
  connector_days_imported_twice: number;
  /** Days of the backfill with less usage in the ledger than the stand-in charged, or not covered (target 0). */
  connector_days_missing: number;
  /** Days of the window compared. */
  connector_days_compared: number;
}

export interface ConnectorIncident {
  name: string;
  /** The status's lastError code the fault should leave. */
  expected: string;
  seen: string | null;
  ms: number;
  /** The SIGKILLs: the pull's stage when the host died, and the import's rows posted by then. */
  killed?: { stage: string | null; import_state?: string | undefined; rows_in_ledger?: number; rows_total?: number | null };
}

export interface ConnectorDetails {
  incidents: ConnectorIncident[];
  pulls: number;
  final_pulls: number;
  clean: boolean;
  covered: { from: string; to: string } | null;
  /** Usage rows of the stand-in in the compared window, and usage transfers the pulls imported. */
  autodesk_charges: number;
  ledger_transfers: number;
  /** (day, person) cells with too much or too little, and their days. */
  duplicates: number;
  missing: number;
  days_twice: string[];
  days_missing: string[];
  findings: string[];
  duration_ms: number;
}

export interface ConnectorLaneInput {
  host: ChildHost;
  standIn: AutodeskStandIn;
  people: UsagePerson[];
  /** The storage without faults: the ledger, the pull state and the import records read back. */
  direct: AzureTableAdapter;
  snapshot: () => Promise<LedgerSnapshot>;
  progress: (message: string) => void;
}

/** A host started again lives this much later than the one before: the pull and import leases its predecessor held have run out. */
const LATER_EACH_START_MS = Math.max(PULL_LEASE_MS, LEASE_MS) + 30_000;

/** The lane's host: its own process (killed and started again), serving the lane's tenant, the stand-in as Autodesk, its secrets in a file. */
export function connectorHost(env: { storage: string; graphUrl: string; apsUrl: string; secretsDir: string }): ChildHost {
  return new ChildHost('C', {
    storage: env.storage,
    graphUrl: env.graphUrl,
    more: (generation) => ({ CHAOS_TENANT: CONNECTOR_TENANT, CHAOS_APS_URL: env.apsUrl, CHAOS_SECRETS_DIR: env.secretsDir, CHAOS_BACKFILL_DAYS: String(CHAOS_BACKFILL_DAYS), CHAOS_CLOCK_AHEAD_MS: String((generation - 1) * LATER_EACH_START_MS) }),
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const byName = (name: string) => DEMO_USERS.find((u) => u.displayName.startsWith(name))!;

/** Calls to the lane's host as demo users of its tenant; a token goes with the generation that signed it. */
class LaneCaller {
  private readonly tokens = new Map<string, string>();

  constructor(private readonly host: ChildHost) {}

  async call(user: DemoUser, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const { generation, url } = this.host;
    const key = `${generation}:${user.id}`;
    let token = this.tokens.get(key);
    if (!token) this.tokens.set(key, (token = await this.host.sign(user, generation)));
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (method !== 'GET') headers['idempotency-key'] = randomUUID();
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(20_000) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async ok(user: DemoUser, method: string, path: string, body?: unknown, accept: number[] = [200, 201]): Promise<any> {
    const answer = await this.call(user, method, path, body);
    if (!accept.includes(answer.status)) throw new Error(`${method} ${path} as ${user.displayName} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer.body;
  }
}

export async function connectorLane(input: ConnectorLaneInput): Promise<{ result: ConnectorPhaseResult; details: ConnectorDetails }> {
  const started = Date.now();
  const { host, standIn, people } = input;
  const api = new LaneCaller(host);
  const it = byName('Taylor');
  const manager = byName('Riley');
  const findings: string[] = [];
  const incidents: ConnectorIncident[] = [];
  const pullState = new TableUsagePulls(input.direct);
  const importRecords = new TableImportRecords(input.direct);
  let pulls = 0;

  // --- The tenant: IT switches it to Flex tokens; the stand-in's people are registered members.
  const policy = (await api.ok(it, 'GET', '/api/settings')) as Policy;
  await api.ok(it, 'PUT', '/api/settings', withUnit(policy, 'Flex tokens'));
  await api.ok(manager, 'GET', '/api/me');
  const memberOf = new Map<string, string>();
  await Promise.all(
    people.map(async (person) => {
      const user = DEMO_USERS.find((u) => u.email === person.email)!;
      await api.ok(user, 'GET', '/api/me');
      await api.ok(user, 'POST', '/api/registrations', {}, [201, 409]);
      await api.ok(manager, 'POST', `/api/registrations/${user.id}/events`, { type: 'already_registered' }, [200, 409]);
      memberOf.set(person.email, user.id);
    }),
  );
  // --- Connected with the firm's own APS client: the secret goes to the host's secret store (a file).
  await api.ok(it, 'PUT', '/api/usage/sources/token_flex/client', { clientId: LOCAL_APS_SERVER_APP.clientId, clientSecret: LOCAL_APS_SERVER_APP.clientSecret });

  const status = async (): Promise<UsageSourceStatus | undefined> => {
    const answer = await api.call(it, 'GET', '/api/usage/sources').catch(() => undefined);
    if (answer?.status !== 200) return undefined;
    return UsageSourcesResponse.parse(answer.body).sources.find((s) => s.kind === 'token_flex');
  };
  /** Polls the status until `done` holds; undefined (and a finding) when it has not by the deadline. */
  const waitFor = async (what: string, done: (s: UsageSourceStatus) => boolean): Promise<UsageSourceStatus | undefined> => {
    const deadline = Date.now() + PULL_DEADLINE_MS;
    while (Date.now() < deadline) {
      const s = await status();
      if (s && done(s)) return s;
      await sleep(STATUS_EVERY_MS);
    }
    findings.push(`connector: no status where ${what} within ${PULL_DEADLINE_MS / 1000} s`);
    return undefined;
  };
  const importedRows = async () => (await input.snapshot()).transfers.filter((t) => t.importRowId !== undefined).length;
  /** Reads the ledger back until its imported rows satisfy `done` (bounded: the import ends by itself). */
  const waitForLedger = async (done: (posted: number) => boolean) => {
    for (let reads = 0; reads < 200 && !done(await importedRows()); reads++);
  };
  /** "Pull now", answered once the pull holds the tenant's lease. */
  const startPull = async (): Promise<boolean> => {
    pulls++;
    const answer = await api.ok(it, 'POST', '/api/usage/sources/token_flex/pull');
    if (!answer.started) findings.push('connector: "Pull now" found a pull already running');
    return Boolean(answer.started);
  };
  const pullToEnd = async (): Promise<UsageSourceStatus | undefined> => ((await startPull()) ? waitFor('the pull has ended', (s) => s.running === null) : undefined);

  /** One fault on one pull: switched on, the pull runs to its end, switched off; the code it left is noted. */
  const fault = async (name: string, expected: string, on: () => void, off: () => void) => {
    const at = Date.now();
    on();
    let end: UsageSourceStatus | undefined;
    try {
      end = await pullToEnd();
    } finally {
      off();
    }
    incidents.push({ name, expected, seen: end?.lastError?.code ?? null, ms: Date.now() - at });
    input.progress(`connector: ${name} → ${end?.lastError?.code ?? 'no error'}`);
  };

  /** The host killed (SIGKILL) once the pull's status shows `stage`, then started again (later: its predecessor's leases have run out). */
  const killAt = async (name: string, stage: 'processing' | 'posting', before?: () => void, after?: () => void) => {
    const at = Date.now();
    before?.();
    let killed: NonNullable<ConnectorIncident['killed']> = { stage: null };
    try {
      if (await startPull()) {
        // Posting: once the import's job runs (its rows counted), not in the moment before it is committed.
        const there = (s: UsageSourceStatus) => s.running?.stage === stage && (stage !== 'posting' || s.running.rowsTotal !== null);
        const reached = await waitFor(`the pull is at ${stage}`, (s) => there(s) || s.running === null);
        // …and once its first rows are in the ledger, so the host dies with part of the import posted.
        if (stage === 'posting' && reached?.running) await waitForLedger((posted) => posted > 0);
        await host.kill();
        killed = { stage: reached?.running?.stage ?? null };
        if (stage === 'posting') {
          // What the dead host left: the import it was posting (committing, not done) and its rows in the ledger by then.
          const pending = (await pullState.get(CONNECTOR_TENANT))?.state.sources.token_flex?.pending;
          const record = pending ? (await importRecords.get(CONNECTOR_TENANT, pending.importId))?.record : undefined;
          killed = { ...killed, import_state: record?.state, rows_in_ledger: await importedRows(), rows_total: record?.progress?.rowsTotal ?? null };
        }
      }
    } finally {
      after?.();
    }
    await host.start();
    const hit = killed.stage === stage && (stage !== 'posting' || killed.import_state === 'committing');
    if (!hit) findings.push(`connector: ${name}: the host was killed at ${JSON.stringify(killed)}, not while ${stage}`);
    // The dead run's lease has run out: its status says it was interrupted; an import it left posting carries on.
    const end = await waitFor('the killed pull is reported interrupted and nothing posts', (s) => s.running === null && (!hit || s.lastError?.code === 'interrupted'));
    incidents.push({ name, expected: 'interrupted', seen: hit ? (end?.lastError?.code ?? null) : null, ms: Date.now() - at, killed });
    input.progress(`connector: ${name} (${JSON.stringify(killed)}) → ${end?.lastError?.code ?? 'no status'}`);
  };

  const switches = standIn.switches;
  await fault('Autodesk down (503)', 'unavailable', () => (switches.down = true), () => (switches.down = false));
  await fault('Autodesk slower than the client waits', 'unavailable', () => (switches.slowMs = 1_100), () => (switches.slowMs = 0));
  await fault('throttled (429, Retry-After 1 s) past the pull\'s patience', 'throttled', () => standIn.throttle(1_000, 1), () => standIn.throttle(0, 0));
  await fault('the export fails', 'export_failed', () => (switches.failExports = true), () => (switches.failExports = false));
  await fault('the download link has run out', 'export_expired', () => (switches.expireDownloads = true), () => (switches.expireDownloads = false));
  await fault('the download breaks off half-way', 'export_expired', () => (switches.cutDownloads = true), () => (switches.cutDownloads = false));
  const pollsToFinish = switches.pollsToFinish;
  await killAt('host killed while Autodesk makes the export', 'processing', () => (switches.pollsToFinish = 1_000_000), () => (switches.pollsToFinish = pollsToFinish));
  await killAt('host killed while the import posts', 'posting');

  // --- Faults off: pulls until one ends clean (bounded), then the ledger against Autodesk.
  let final: UsageSourceStatus | undefined;
  let finalPulls = 0;
  while (finalPulls < FINAL_PULLS) {
    finalPulls++;
    final = await pullToEnd();
    if (final && final.lastError === null && final.lastPull !== null) break;
  }
  const clean = final !== undefined && final.lastError === null && final.lastPull !== null;
  if (!clean) findings.push(`connector: no clean pull in ${FINAL_PULLS}: ${JSON.stringify(final?.lastError ?? 'no status')}`);
  const asOf = new Date().toISOString().slice(0, 10);

  const covered = final?.covered ?? null;
  const { transfers } = await input.snapshot();
  const ledger: UsageCell[] = transfers
    .filter((t) => t.importRowId !== undefined && (t.code === 'usage_individual' || t.code === 'usage_pool'))
    .map((t) => ({ day: t.date ?? t.at.slice(0, 10), person: t.memberId ?? '', units: t.amount }));
  const charges = covered ? visibleCharges(CONNECTOR_SEED, people, covered.from, covered.to, asOf) : [];
  const autodesk: UsageCell[] = charges.map((c) => ({ day: c.usageDate, person: memberOf.get(c.person.email) ?? c.person.email, units: c.cents }));
  const compared = compareWithAutodesk(ledger, autodesk);
  // A window that does not reach back over the whole backfill leaves days out: they are missing too.
  const coveredDays = covered ? Math.round((Date.parse(covered.to) - Date.parse(covered.from)) / 86_400_000) + 1 : 0;
  const uncovered = covered ? Array.from({ length: Math.max(0, CHAOS_BACKFILL_DAYS - coveredDays) }, (_, i) => addDays(covered.from, -1 - i)) : [];
  if (uncovered.length > 0) findings.push(`connector: the pulls covered ${coveredDays} days, not the ${CHAOS_BACKFILL_DAYS} of the backfill`);
  const daysMissing = [...new Set([...compared.daysMissing, ...uncovered])].sort();
  if (compared.duplicates > 0) findings.push(`connector: usage imported twice on ${compared.daysTwice.slice(0, 10).join(', ')}`);
  if (compared.missing > 0) findings.push(`connector: usage missing on ${compared.daysMissing.slice(0, 10).join(', ')}`);
  for (const i of incidents) if (i.seen !== i.expected) findings.push(`connector: ${i.name} left ${i.seen ?? 'nothing'}, not ${i.expected}`);

  const result: ConnectorPhaseResult = {
    connector_incidents: incidents.length,
    connector_pulls_failed_then_recovered: clean ? incidents.filter((i) => i.seen === i.expected).length : 0,
    connector_days_imported_twice: compared.daysTwice.length,
    connector_days_missing: covered ? daysMissing.length : CHAOS_BACKFILL_DAYS,
    connector_days_compared: coveredDays,
  };
  return {
    result,
    details: {
      incidents,
      pulls,
      final_pulls: finalPulls,
      clean,
      covered,
      autodesk_charges: charges.length,
      ledger_transfers: ledger.length,
      duplicates: compared.duplicates,
      missing: compared.missing,
      days_twice: compared.daysTwice,
      days_missing: daysMissing,
      findings,
      duration_ms: Date.now() - started,
    },
  };
}
