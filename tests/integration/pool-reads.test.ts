/**
 * GET /api/pool's reads over Azurite, counted at the adapter: concurrent pool pages of a tenant share one
 * set of storage reads, and a change acknowledged before a request is in its answer.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { newMember } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import type { Row } from '../../server/adapters/table-storage/entities.js';
import type { EntityTable, RowPage, RowQuery, TableAction } from '../../server/adapters/table-storage/entity-table.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import type { AppDeps } from '../../server/app/deps.js';
import { getPool } from '../../server/app/pool.js';
import { purchaseEvent, startPurchase } from '../../server/app/purchases.js';
import { registrationEvent } from '../../server/app/registrations.js';
import { postUsage } from '../../server/app/usage.js';
import { azuriteConnectionString } from '../../server/config.js';
import { systemClock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import { freshTableName, sharedAzurite } from '../support/api.js';
import { body, callersOf, freshWrite } from '../support/use-case-calls.js';
import { CountingTable } from '../support/counting-table.js';
import { NO_DIRECTORY } from '../support/directory.js';

const TENANT = 't-pool-reads';
const { manager, person } = callersOf(TENANT);
const write = freshWrite;

/**
 * Passes every call on; while `holding`, the reads it is asked for fetch their answer from storage at once
 * but hand it back only on `release()`: reads on their way while other things happen.
 */
class HeldReads implements EntityTable {
  private holding = false;
  private issued = 0;
  private answered = 0;
  private changed = () => {};
  private gate = Promise.resolve();
  private open = () => {};

  constructor(private readonly inner: EntityTable) {}

  /** Reads asked for from now on keep their answers until `release()`. */
  hold(): void {
    this.holding = true;
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  /** Once some read was asked for, reads asked for from then on pass; resolves when every held read has its answer from storage. */
  async stopHolding(): Promise<void> {
    const done = () => this.issued > 0 && this.answered === this.issued;
    if (!done()) await new Promise<void>((resolve) => (this.changed = () => done() && resolve()));
    this.holding = false;
  }

  release(): void {
    this.open();
  }

  private async held<T>(read: () => Promise<T>): Promise<T> {
    if (!this.holding) return read();
    this.issued++;
    const gate = this.gate;
    const answer = await read();
    this.answered++;
    this.changed();
    await gate;
    return answer;
  }

  ping() {
    return this.inner.ping();
  }
  get(partitionKey: string, rowKey: string): Promise<Row | undefined> {
    return this.held(() => this.inner.get(partitionKey, rowKey));
  }
  query(partitionKey: string, query: RowQuery, page: { continuation?: string | undefined; limit: number }): Promise<RowPage> {
    return this.held(() => this.inner.query(partitionKey, query, page));
  }
  create(row: Row): Promise<void> {
    return this.inner.create(row);
  }
  transact(partitionKey: string, actions: TableAction[]): Promise<Map<string, string>> {
    return this.inner.transact(partitionKey, actions);
  }
}

let counting: CountingTable;
let held: HeldReads;
let deps: AppDeps;

const storageReads = () => counting.counts().gets + counting.counts().queries;

beforeAll(async () => {
  const azure = AzureTableAdapter.fromConnectionString(azuriteConnectionString(sharedAzurite().tablePort), freshTableName());
  await azure.createTableIfMissing();
  counting = new CountingTable(azure);
  held = new HeldReads(counting);
  const store = new TableLedgerStore({ table: held, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  deps = { store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY };
  for (let i = 0; i < 3; i++) {
    const p = person(i);
    await store.ensureMember(TENANT, newMember({ id: p.id, email: p.email, displayName: p.displayName, now: new Date().toISOString() }));
    body(await registrationEvent(deps, manager, write(), p.id, { type: 'already_registered' }));
  }
  const id = body(await startPurchase(deps, manager, write(), { blocks: 1 })).purchase.id as string;
  for (const step of [{ type: 'quote_received', quoteNumber: 'Q', price: 1, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'P' }, { type: 'applied' }] as const) {
    body(await purchaseEvent(deps, manager, write(), id, step));
  }
  // p0 uses up their own credits and draws on the pool: the page has a lot, a draw and a drawing member.
  body(await postUsage(deps, person(0), write(), { service: 'simulation', credits: 110, date: new Date().toISOString().slice(0, 10) }));
});

describe('GET /api/pool over Table Storage', () => {
  it('a pool page is one point read (the summary on the pool row); 30 concurrent ones cost at most two, and answer as one page does', async () => {
    const before = counting.counts();
    const alone = { employee: body(await getPool(deps, person(1))), manager: body(await getPool(deps, manager)) };
    expect(counting.counts().gets - before.gets).toBe(2);
    expect(counting.counts().queries - before.queries).toBe(0);
    const perPage = 1;

    const start = storageReads();
    const callers = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? manager : person(i % 3)));
    const answers = await Promise.all(callers.map((c) => getPool(deps, c)));

    expect(storageReads() - start).toBeLessThanOrEqual(2 * perPage);
    answers.forEach((answer, i) => expect(body(answer)).toEqual(callers[i] === manager ? alone.manager : alone.employee));
    expect(alone.employee.recentDraws[0].memberId).toBeNull();
    expect(alone.manager.recentDraws[0].memberId).toBe('p0');
  });

  it('a posting acknowledged while an older pool read is on its way is in the next page', async () => {
    held.hold();
    const older = getPool(deps, person(1));
    await held.stopHolding();
    const used = body(await postUsage(deps, person(1), write(), { service: 'simulation', credits: 130, date: new Date().toISOString().slice(0, 10) }));
    expect(used.fromPool).toBe(30);
    const next = getPool(deps, person(1));
    held.release();
    const [then, now] = [body(await older), body(await next)];
    expect(now.balance).toBe(then.balance - 30);
  });
});
