/**
 * The ledger part of the bench (`--only=ledger`): what the storage design costs, counted at the storage
 * adapter, and guards that none of it was bought by dropping a guarantee.
 *
 * On a fresh Azurite: `clients` in-process clients call postUsage through TableLedgerStore, whose table is
 * wrapped in a CountingTable. A posting is an accepted command: one idempotency marker. Figures:
 * - `entities_per_posting` (usage of own credits) and `entities_per_pool_draw` (a phase where every posting
 *   draws on the pool): entities written ÷ markers written; the real service takes about 2,000 entities/s
 *   per partition, hence `azure_ceiling_postings_per_s` and `azure_ceiling_pool_draws_per_s`.
 * - `actions_per_transaction`, `reads_per_posting` (gets and query pages per posting).
 * - `ratio_entity_writes_vs_raw_tx`: the ledger's entities/s ÷ serial 97-entity transactions of new rows into
 *   one partition of another fresh Azurite, in ROUNDS interleaved rounds: the ledger posts for a round, then
 *   the raw side fills its partition (untimed) to the size the ledger's had when the round's measurement
 *   began and is timed until it has the size the ledger's had at the end (Azurite's cost per write grows
 *   with the partition, so both pass through the same sizes). The figure is the median round; the rounds,
 *   their spread and the pooled ratio are under details, with Azurite's CPU per entity on each side
 *   (`azurite_cpu_per_entity_vs_raw_tx`), which the rest of the machine does not move.
 * - Guards: the ledger invariants, updates without If-Match (none allowed), a replay of committed requests
 *   (same answers, no entity written), and one audit line per posting (counted at the adapter, and every
 *   posting found once in the trail read back page by page).
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { TableClient } from '@azure/data-tables';
import { unitsToCredits } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import type { AppResult, WriteRequest } from '../../server/app/app-result.js';
import type { Caller } from '../../server/app/caller.js';
import type { AppDeps } from '../../server/app/deps.js';
import { ensureCallerMember } from '../../server/app/me.js';
import { purchaseEvent, startPurchase } from '../../server/app/purchases.js';
import { registrationEvent, requestRegistration } from '../../server/app/registrations.js';
import { postUsage } from '../../server/app/usage.js';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import { startAzurite } from '../../server/local/azurite.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import { DemoDirectoryAdapter } from '../../server/local/dev-identity.js';
import { systemClock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import type { EntityCounts } from '../support/counting-table.js';
import { CountingTable, countsPlus, countsSince } from '../support/counting-table.js';
import { interleavedRatio, median, mergeErrors } from './figures.js';
import { BLOCKS_PER_PURCHASE, MANAGER, POOL_PURCHASES, PURCHASE_STEPS, TABLE_CLIENT_OPTIONS, checkLedger } from './http-fixture.js';
import type { LoopStats, OpOutcome } from './support.js';
import { Latencies, Window, benchMembers, closedLoops, cpuDuring, inBatches, log, pick, procCpuSeconds, round, usageBody } from './support.js';

/** Entities per second the real service takes in one partition (Azure Table Storage scalability targets). */
export const AZURE_PARTITION_ENTITIES_PER_S = 2000;
/** The raw baseline's transaction: 97 entities, what a full ledger round writes (100 at most, a posting's rows never split). */
const RAW_TX_ENTITIES = 97;
/** Members who have used up their own credits, for the pool-draw phase. */
const DRAWING_MEMBERS = 32;
/**
 * Rounds of the entity-writes comparison: the ledger and the raw side take turns, so that a window in which
 * the rest of the machine slows one side down decides one round, not the figure (the median round).
 */
const ROUNDS = 5;
/** Committed requests sent again for the replay guard. */
const REPLAY_SAMPLE = 50;

export interface LedgerOptions {
  clients: number;
  members: number;
  seconds: number;
  warmupSeconds: number;
}

const callerOf = (user: DemoUser): Caller => ({ tenant: DEMO_TENANT, id: user.id, email: user.email, displayName: user.displayName, roles: user.roles });
const writeOf = (caller: Caller): WriteRequest => ({ idempotency: { caller: caller.id, key: randomUUID(), fingerprint: randomUUID() } });

function expectOk(result: AppResult, what: string): { value: any } {
  if (!result.ok) throw new Error(`${what} failed: ${result.code} ${result.message}`);
  return result;
}

/** A committed posting, kept to be sent again and looked for in the audit trail. */
interface Posted {
  member: Caller;
  write: WriteRequest;
  body: ReturnType<typeof usageBody>;
  answer: unknown;
  postingId: string;
}

/** Net rows in the table so far: the ledger's partition is the only one. */
const rowsOf = (c: EntityCounts) => c.creates - c.deletes;

/** Counts at the start and at the end of a window's measured span. */
function countsOverWindow(window: Window, table: CountingTable): { read(): { start: EntityCounts; end: EntityCounts } } {
  let start: EntityCounts | undefined;
  let end: EntityCounts | undefined;
  const t1 = setTimeout(() => (start = table.counts()), Math.max(0, window.startsAt - performance.now()));
  const t2 = setTimeout(() => (end = table.counts()), Math.max(0, window.endsAt - performance.now()));
  return {
    read() {
      clearTimeout(t1);
      clearTimeout(t2);
      return { start: start ?? table.counts(), end: end ?? table.counts() };
    },
  };
}

function perPosting(counts: EntityCounts) {
  const postings = Math.max(counts.markers, 1);
  return {
    postings: counts.markers,
    entities: counts.entities,
    entities_per_posting: round(counts.entities / postings, 2),
    reads_per_posting: round((counts.gets + counts.queries) / postings, 3),
    actions_per_transaction: counts.transactions ? round(counts.entities / counts.transactions, 1) : null,
    postings_per_transaction: counts.transactions ? round(counts.markers / counts.transactions, 1) : null,
    transaction_ms: counts.transactions ? round(counts.transactionMs / (counts.transactions + counts.failedTransactions), 1) : null,
    counts,
  };
}

function summary(stats: LoopStats, window: Window) {
  return { per_s: round(stats.ok / window.seconds, 1), ok: stats.ok, refused: stats.refused, pool_draws: stats.poolDraws, errors: stats.errors, latency: stats.latencies.summary() };
}

async function setUp(deps: AppDeps, regular: Caller[], drawing: Caller[]): Promise<void> {
  const manager = callerOf(MANAGER);
  await ensureCallerMember(deps, manager);
  await inBatches([...regular, ...drawing], 32, async (member) => {
    await ensureCallerMember(deps, member);
    expectOk(await requestRegistration(deps, member, writeOf(member), {}), 'registration request');
    expectOk(await registrationEvent(deps, manager, writeOf(manager), member.id, { type: 'already_registered' }), 'already_registered');
  });
  for (let i = 0; i < POOL_PURCHASES; i++) {
    const created = expectOk(await startPurchase(deps, manager, writeOf(manager), { blocks: BLOCKS_PER_PURCHASE }), 'purchase');
    const id = String(created.value.purchase.id);
    for (const step of PURCHASE_STEPS) expectOk(await purchaseEvent(deps, manager, writeOf(manager), id, step), `purchase step ${step.type}`);
  }
  // Their own credits used up: every usage of theirs draws on the pool.
  await inBatches(drawing, 32, async (member) => {
    const own = (await deps.store.getMember(DEMO_TENANT, member.id))?.own ?? 0;
    const date = new Date().toISOString().slice(0, 10);
    if (own > 0) expectOk(await postUsage(deps, member, writeOf(member), { service: 'simulation', credits: unitsToCredits(own), date }), 'using up own credits');
  });
}

/** `clients` closed loops posting usage for `members`, counted at the adapter over the measured span. */
async function postingLoad(deps: AppDeps, table: CountingTable, members: Caller[], clients: number, window: Window, keep: Posted[]) {
  const counting = countsOverWindow(window, table);
  const stats = await closedLoops(clients, window, async (): Promise<OpOutcome> => {
    const member = pick(members);
    const write = writeOf(member);
    const body = usageBody();
    const result = await postUsage(deps, member, write, body);
    if (!result.ok) return result.code === 'POOL_INSUFFICIENT' ? { kind: 'refused' } : { kind: 'error', code: result.code };
    if (performance.now() >= window.startsAt) keep.push({ member, write, body, answer: result.value, postingId: result.value.postingId });
    return { kind: 'ok', poolDraw: result.value.fromPool > 0 };
  });
  const { start, end } = counting.read();
  return { stats, start, end, counts: countsSince(end, start) };
}

/** Committed requests sent again: the same answers, and not one entity written. */
async function replayGuard(deps: AppDeps, table: CountingTable, posted: Posted[]) {
  const sample = posted.filter((_, i) => i % Math.max(1, Math.floor(posted.length / REPLAY_SAMPLE)) === 0).slice(0, REPLAY_SAMPLE);
  const before = table.counts();
  const answers = await Promise.all(sample.map((p) => postUsage(deps, p.member, p.write, p.body)));
  const written = countsSince(table.counts(), before);
  const same = answers.filter((a, i) => a.ok && isDeepStrictEqual(a.value, sample[i]!.answer)).length;
  return { sample: sample.length, same_answers: same, entities_written: written.entities, ok: sample.length > 0 && same === sample.length && written.entities === 0 };
}

/** Every posting of the measured spans once in the trail (read back page by page), and no line twice. */
async function auditGuard(store: TableLedgerStore, posted: Posted[], counted: EntityCounts) {
  const seen = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const page = await store.listAudit(DEMO_TENANT, { cursor, limit: 200 });
    for (const entry of page.items) seen.set(entry.id, (seen.get(entry.id) ?? 0) + 1);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const missing = posted.filter((p) => !seen.has(p.postingId)).length;
  const twice = [...seen.values()].filter((n) => n > 1).length;
  return {
    lines: [...seen.values()].reduce((a, b) => a + b, 0),
    postings_checked: posted.length,
    missing,
    listed_twice: twice,
    audit_lines_written: counted.auditLines,
    markers_written: counted.markers,
    ok: missing === 0 && twice === 0 && counted.auditLines === counted.markers,
  };
}

/**
 * The raw side: serial transactions of RAW_TX_ENTITIES new transfer-sized rows into one partition of an
 * Azurite of its own, started fresh. Each round fills the partition (untimed) to the size the ledger's had
 * when its round began, then times writes until it has the size the ledger's had at the end.
 */
async function rawTransactionSide() {
  const azurite = await startAzurite();
  const client = TableClient.fromConnectionString(azurite.connectionString, 'benchrawtx', TABLE_CLIENT_OPTIONS);
  await client.createTable();
  const data = JSON.stringify({ id: 'x'.repeat(24), memberId: randomUUID(), debit: `member:${randomUUID()}`, credit: 'usage', amount: 42, code: 'usage_individual', service: 'simulation', date: '2025-01-01', source: 'self', at: new Date().toISOString() });
  let n = 0;
  const batch = (size: number) =>
    client.submitTransaction(Array.from({ length: size }, () => ['create', { partitionKey: DEMO_TENANT, rowKey: `row|${String(n++).padStart(9, '0')}`, memberId: 'm', code: 'usage_individual', data }] as const));
  return {
    azurite,
    async round(fillTo: number, growTo: number) {
      while (n < fillTo) await batch(Math.min(100, fillTo - n));
      const started = performance.now();
      const cpuBefore = procCpuSeconds(azurite.process.pid);
      const from = n;
      let transactions = 0;
      while (n < growTo) {
        await batch(RAW_TX_ENTITIES);
        transactions++;
      }
      const cpuAfter = procCpuSeconds(azurite.process.pid);
      const azuriteCpuSeconds = cpuBefore === undefined || cpuAfter === undefined ? null : cpuAfter - cpuBefore;
      return { filled: from, entities: n - from, transactions, seconds: (performance.now() - started) / 1000, azuriteCpuSeconds };
    },
  };
}

export async function ledgerPhase(options: LedgerOptions) {
  const azurite: AzuriteHandle = await startAzurite();
  const tableName = 'benchledger';
  try {
    const adapter = AzureTableAdapter.fromConnectionString(azurite.connectionString, tableName);
    await adapter.createTableIfMissing();
    const table = new CountingTable(adapter);
    const store = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
    const deps: AppDeps = { store, directory: new DemoDirectoryAdapter(), clock: systemClock, defaultPolicy: DEFAULT_POLICY };
    const people = benchMembers(options.members + DRAWING_MEMBERS).map(callerOf);
    const regular = people.slice(0, options.members);
    const drawing = people.slice(options.members);
    const setupStarted = performance.now();
    await setUp(deps, regular, drawing);
    log(`ledger: fresh Azurite, ${regular.length} members and ${drawing.length} drawing on the pool set up in ${round((performance.now() - setupStarted) / 1000)}s (${rowsOf(table.counts())} rows)`);

    const posted: Posted[] = [];
    const raw = await rawTransactionSide();
    const roundSeconds = options.seconds / ROUNDS;
    log(`ledger: ${ROUNDS} rounds, each ${options.clients} in-process clients posting usage of own credits for ${round(roundSeconds)}s (+1s warm-up), then the raw side (fresh Azurite, serial ${RAW_TX_ENTITIES}-entity transactions) through the same partition sizes`);
    const rounds: { own: Awaited<ReturnType<typeof postingLoad>>; seconds: number; raw: Awaited<ReturnType<typeof raw.round>> }[] = [];
    const cpuPercent: Record<string, number | null>[] = [];
    /** Azurite's CPU per entity written on each side: what a write costs the emulator, whatever else the machine runs. */
    const azuriteCpuMsPerEntity: { ledger: number | null; raw?: number | null }[] = [];
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const window = new Window(1000, roundSeconds * 1000);
        const cpu = cpuDuring(window, { azurite: azurite.process.pid, bench: process.pid });
        const own = await postingLoad(deps, table, regular, options.clients, window, posted);
        const used = cpu.read();
        cpuPercent.push(used);
        azuriteCpuMsPerEntity.push({ ledger: used.azurite == null ? null : round((10 * used.azurite * window.seconds) / Math.max(1, own.counts.entities), 3) });
        const rawRound = await raw.round(rowsOf(own.start), rowsOf(own.end));
        azuriteCpuMsPerEntity.at(-1)!.raw = rawRound.azuriteCpuSeconds === null ? null : round((1000 * rawRound.azuriteCpuSeconds) / Math.max(1, rawRound.entities), 3);
        rounds.push({ own, seconds: window.seconds, raw: rawRound });
        log(`ledger: round ${i + 1}: ${round(own.counts.entities / window.seconds)} ledger entity writes/s vs ${round(rawRound.entities / rawRound.seconds)} raw (partition ${rowsOf(own.start)} → ${rowsOf(own.end)} rows; Azurite CPU ms per entity ${JSON.stringify(azuriteCpuMsPerEntity.at(-1))})`);
      }
    } finally {
      await raw.azurite.stop();
    }
    const first = rounds[0]!.own;
    const counted = rounds.map((r) => r.own.counts).reduce(countsPlus);
    const measuredSeconds = rounds.reduce((a, r) => a + r.seconds, 0);
    const ownStats = { ok: rounds.reduce((a, r) => a + r.own.stats.ok, 0), latencies: Latencies.merged(rounds.map((r) => r.own.stats.latencies)) };
    const owned = perPosting(counted);
    const entityWritesPerS = round(counted.entities / measuredSeconds, 1);
    const compared = interleavedRatio(rounds.map((r) => ({ ledgerEntities: r.own.counts.entities, ledgerSeconds: r.seconds, rawEntities: r.raw.entities, rawSeconds: r.raw.seconds })));
    const cpuRatios = azuriteCpuMsPerEntity.flatMap(({ ledger, raw: rawMs }) => (ledger && rawMs ? [ledger / rawMs] : []));
    const cpuPerEntityVsRaw = cpuRatios.length ? round(median(cpuRatios), 2) : null;
    const rawEntities = rounds.reduce((a, r) => a + r.raw.entities, 0);
    const rawSeconds = rounds.reduce((a, r) => a + r.raw.seconds, 0);
    log(`ledger: ${round(ownStats.ok / measuredSeconds, 1)} postings/s, ${owned.entities_per_posting} entities and ${owned.reads_per_posting} reads per posting, ${owned.actions_per_transaction} actions per transaction`);
    log(`ledger: entity writes vs raw transactions: ${compared.ratio} (median of ${compared.rounds.join(', ')}; pooled ${compared.pooled}); Azurite CPU per entity, ledger ÷ raw: ${cpuPerEntityVsRaw}`);

    const drawSeconds = Math.min(5, options.seconds);
    log(`ledger: ${options.clients} clients posting usage that draws on the pool for ${drawSeconds}s (+1s warm-up)`);
    const drawWindow = new Window(1000, drawSeconds * 1000);
    const draws = await postingLoad(deps, table, drawing, options.clients, drawWindow, posted);
    const drawn = perPosting(draws.counts);
    log(`ledger: ${drawn.entities_per_posting} entities per pool draw (${draws.stats.poolDraws} of ${draws.stats.ok} postings drew)`);

    const replay = await replayGuard(deps, table, posted);
    const audit = await auditGuard(store, posted, countsSince(draws.end, first.start));
    const invariants = await checkLedger(azurite.connectionString, tableName);
    const updatesWithoutIfMatch = table.counts().updatesWithoutIfMatch;
    log(`ledger: guards: invariants ${invariants.ok ? 'hold' : 'BROKEN'}, ${updatesWithoutIfMatch} updates without If-Match, replay wrote ${replay.entities_written} entities (${replay.same_answers}/${replay.sample} same answers), audit ${audit.ok ? 'one line per posting' : 'INCOMPLETE'}`);

    return {
      postings_per_s: round(ownStats.ok / measuredSeconds, 1),
      posting_p95_ms: ownStats.latencies.summary().p95_ms,
      entities_per_posting: owned.entities_per_posting,
      entities_per_pool_draw: drawn.entities_per_posting,
      actions_per_transaction: owned.actions_per_transaction,
      reads_per_posting: owned.reads_per_posting,
      entity_writes_per_s: entityWritesPerS,
      raw_tx_entity_writes_per_s: round(rawEntities / rawSeconds, 1),
      ratio_entity_writes_vs_raw_tx: compared.ratio,
      azurite_cpu_per_entity_vs_raw_tx: cpuPerEntityVsRaw,
      guards: {
        invariants_ok: invariants.ok,
        updates_without_if_match: updatesWithoutIfMatch,
        replay_writes: replay.entities_written,
        replay_ok: replay.ok,
        audit_one_line_per_posting: audit.ok,
      },
      details: {
        own_credits: {
          seconds: round(measuredSeconds, 1),
          per_s: round(ownStats.ok / measuredSeconds, 1),
          ok: ownStats.ok,
          refused: rounds.reduce((a, r) => a + r.own.stats.refused, 0),
          errors: mergeErrors(rounds.map((r) => r.own.stats.errors)),
          latency: ownStats.latencies.summary(),
          cpu_percent_by_round: cpuPercent,
          azurite_cpu_ms_per_entity_by_round: azuriteCpuMsPerEntity,
          /** Share of the span a transaction of the ledger was in flight: the rest is the committer's own time between rounds. */
          storage_busy_percent: round((100 * counted.transactionMs) / (measuredSeconds * 1000), 0),
          partition_rows: { start: rowsOf(first.start), end: rowsOf(rounds.at(-1)!.own.end) },
          ...owned,
        },
        /** Interleaved rounds: the ledger, then the raw side through the same partition sizes; the figure is the median round. */
        entity_writes_vs_raw_tx: compared,
        pool_draws: { seconds: drawSeconds, ...summary(draws.stats, drawWindow), ...drawn },
        raw_transactions: rounds.map((r) => ({ ...r.raw, seconds: round(r.raw.seconds, 2), entities_per_s: round(r.raw.entities / r.raw.seconds, 1), transaction_ms: r.raw.transactions ? round((1000 * r.raw.seconds) / r.raw.transactions, 1) : null })),
        replay,
        audit,
        invariants,
      },
    };
  } finally {
    await azurite.stop();
  }
}

/** Entities/s the real partition takes ÷ entities per posting. */
export const azureCeiling = (entitiesPerPosting: number | null): number | null =>
  entitiesPerPosting === null || entitiesPerPosting <= 0 ? null : Math.floor(AZURE_PARTITION_ENTITIES_PER_S / entitiesPerPosting);

export type LedgerFigures = Awaited<ReturnType<typeof ledgerPhase>>;
