/**
 * What one entity of a transaction costs Azurite, by kind of write, to explain `ratio_entity_writes_vs_raw_tx`:
 *   npx tsx tests/load/entity-cost.ts [--fill=8000] [--transactions=60]
 *
 * One fresh Azurite per workload, each partition filled (untimed) to `--fill` rows, then 97-entity transactions
 * taking turns across the workloads (the order reversed every other turn), so that the rest of the machine
 * weighs on all of them alike. Cost: CPU time of Azurite's main thread per entity (/proc/<pid>/schedstat, in
 * nanoseconds), the median transaction; and ÷ the raw baseline's. The workloads: the bench's raw rows; the
 * ledger's created rows (a usage's transfer with its audit line, the member's copy, the marker) built by the
 * adapter's own row builders; each with 24 of the 97 entities updates with If-Match of member rows, as a usage
 * posting does (whole rows replaced, or only the changed balance columns merged).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TransactionAction } from '@azure/data-tables';
import { TableClient } from '@azure/data-tables';
import { newMember } from '../../src/core/ledger/index.js';
import type { Transfer } from '../../src/core/ledger/index.js';
import type { Row } from '../../server/adapters/table-storage/entities.js';
import { idempotencyRow, memberRow, transferRow, withAuditLine } from '../../server/adapters/table-storage/entities.js';
import { rowKeys } from '../../server/adapters/table-storage/row-keys.js';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import { startAzurite } from '../../server/local/azurite.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import { median } from './figures.js';
import { TABLE_CLIENT_OPTIONS } from './http-fixture.js';
import { benchMembers, log, round } from './support.js';

const TX_ENTITIES = 97;
/** Distinct members a full ledger round updates (24.8 postings a round, nearly all of different people). */
const MEMBER_UPDATES = 24;
const TENANT = 'entity-cost';

const members = benchMembers(MEMBER_UPDATES).map((u) => newMember({ id: u.id, email: u.email, displayName: u.displayName, now: new Date().toISOString() }));
const ids = newestFirstIds();

/** The raw side of the bench (ledger-bench.ts): a transfer-sized JSON record and two filter columns. */
const rawData = JSON.stringify({ id: 'x'.repeat(24), memberId: randomUUID(), debit: `member:${randomUUID()}`, credit: 'usage', amount: 42, code: 'usage_individual', service: 'simulation', date: '2025-01-01', source: 'self', at: new Date().toISOString() });
let rawRows = 0;
const rawCreates = (): Row[] => [{ partitionKey: TENANT, rowKey: `row|${String(rawRows++).padStart(9, '0')}`, memberId: 'm', code: 'usage_individual', data: rawData }];

/** A usage's created rows as the committer writes them. */
let next = 0;
function ledgerCreates(): Row[] {
  const member = members[next++ % members.length]!;
  const postingId = ids.next();
  const at = new Date().toISOString();
  const t: Transfer = { id: `${postingId}.00`, postingId, memberId: member.id, service: 'simulation', date: at.slice(0, 10), source: 'self', actor: member.id, at, debit: `member:${member.id}`, credit: 'usage', amount: 42, code: 'usage_individual' };
  const audit = { id: postingId, at, actor: member.id, changes: [{ kind: 'transfer' as const, transferId: t.id, code: t.code, credits: 0.42, memberId: member.id, reverses: null }] };
  return [
    withAuditLine(transferRow(TENANT, rowKeys.transfer(t.id), t), audit)!,
    transferRow(TENANT, rowKeys.memberTransfer(member.id, t.id), t),
    idempotencyRow(TENANT, member.id, randomUUID(), { fingerprint: randomUUID(), answer: { postingId, fromOwn: 0.42, fromPool: 0, balanceAfter: 99.58 }, postingId }),
  ];
}

type MemberUpdate = 'none' | 'replace' | 'merge';

interface Workload {
  name: string;
  creates: () => Row[];
  memberUpdate: MemberUpdate;
}

const WORKLOADS: Workload[] = [
  { name: 'raw rows (the bench baseline)', creates: rawCreates, memberUpdate: 'none' },
  { name: 'ledger rows, all created', creates: ledgerCreates, memberUpdate: 'none' },
  { name: 'raw rows + 24 member rows replaced', creates: rawCreates, memberUpdate: 'replace' },
  { name: 'raw rows + 24 member balances merged', creates: rawCreates, memberUpdate: 'merge' },
  { name: 'ledger rows + 24 member rows replaced', creates: ledgerCreates, memberUpdate: 'replace' },
  { name: 'ledger rows + 24 member balances merged', creates: ledgerCreates, memberUpdate: 'merge' },
];

/** CPU time of a process's main thread so far, in nanoseconds (the JS thread: GC helpers not counted). */
const mainThreadNs = (pid: number): number => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);

class Side {
  private readonly etags = new Map<string, string>();
  private rows = 0;
  private round = 0;
  readonly msPerEntity: number[] = [];

  private constructor(
    readonly workload: Workload,
    readonly azurite: AzuriteHandle,
    private readonly client: TableClient,
  ) {}

  static async start(workload: Workload): Promise<Side> {
    const azurite = await startAzurite();
    const client = TableClient.fromConnectionString(azurite.connectionString, 'entitycost', TABLE_CLIENT_OPTIONS);
    await client.createTable();
    return new Side(workload, azurite, client);
  }

  async fill(rows: number): Promise<void> {
    while (this.rows < rows) await this.transaction();
  }

  async timed(): Promise<void> {
    const pid = this.azurite.process.pid!;
    const before = mainThreadNs(pid);
    await this.transaction();
    this.msPerEntity.push((mainThreadNs(pid) - before) / 1e6 / TX_ENTITIES);
  }

  private memberActions(): TransactionAction[] {
    const { memberUpdate } = this.workload;
    if (memberUpdate === 'none') return [];
    const at = new Date().toISOString();
    return members.map((member): TransactionAction => {
      const row = memberRow(TENANT, member, 10_000 - this.round, at);
      const etag = this.etags.get(row.rowKey);
      if (!etag) return ['create', row];
      return memberUpdate === 'replace' ? ['update', row, 'Replace', { etag }] : ['update', { partitionKey: TENANT, rowKey: row.rowKey, balance: row.balance, lastAt: at }, 'Merge', { etag }];
    });
  }

  private async transaction(): Promise<void> {
    const actions = this.memberActions();
    while (actions.length < TX_ENTITIES) for (const row of this.workload.creates()) if (actions.length < TX_ENTITIES) actions.push(['create', row]);
    const response = await this.client.submitTransaction(actions);
    response.subResponses.forEach((sub, i) => {
      if (sub.etag) this.etags.set(String(actions[i]![1].rowKey), sub.etag);
    });
    this.rows += actions.filter(([kind]) => kind === 'create').length;
    this.round++;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { fill: { type: 'string', default: '8000' }, transactions: { type: 'string', default: '60' } }, strict: true });
  const fill = Number(values.fill);
  const transactions = Number(values.transactions);
  const sides: Side[] = [];
  try {
    for (const workload of WORKLOADS) {
      const side = await Side.start(workload);
      sides.push(side);
      await side.fill(fill);
      log(`entity-cost: ${workload.name}: partition filled to ${fill} rows`);
    }
    for (let i = 0; i < transactions; i++) for (const side of i % 2 === 0 ? sides : [...sides].reverse()) await side.timed();
    const base = median(sides[0]!.msPerEntity);
    const result = sides.map((s) => ({ workload: s.workload.name, azurite_main_thread_ms_per_entity: round(median(s.msPerEntity), 3), vs_raw: round(median(s.msPerEntity) / base, 2) }));
    process.stdout.write(`${JSON.stringify({ fill, transactions, entities_per_transaction: TX_ENTITIES, member_updates_per_transaction: MEMBER_UPDATES, result }, null, 2)}\n`);
  } finally {
    await Promise.all(sides.map((s) => s.azurite.stop()));
  }
}

await main();
