import { describe, expect, it } from 'vitest';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { RowConflictError } from '../../../server/adapters/table-storage/entity-table.js';
import { CountingTable, countsSince } from '../../support/counting-table.js';

const P = 't1';
const row = (rowKey: string, extra: Record<string, unknown> = {}) => ({ partitionKey: P, rowKey, ...extra });

describe('CountingTable', () => {
  it('counts the entities of committed transactions by action and kind, with markers and audit lines', async () => {
    const table = new CountingTable(new MemoryTableAdapter());
    await table.transact(P, [{ kind: 'create', row: row('member|a', { balance: 1 }) }]);
    const etag = (await table.get(P, 'member|a'))!.etag!;
    await table.transact(P, [
      { kind: 'create', row: row('xfer|p1.00', { carries: 'audit', audit: '{}' }) },
      { kind: 'create', row: row('xfer|p1.01') },
      { kind: 'create', row: row('audit|p2') },
      { kind: 'create', row: row('idem|a|k1') },
      { kind: 'update', row: row('member|a', { balance: 2 }), etag },
    ]);
    await table.create(row('email|a@x'));
    expect(table.counts()).toEqual({
      transactionMs: expect.any(Number),
      gets: 1,
      queries: 0,
      transactions: 2,
      failedTransactions: 0,
      entities: 7,
      creates: 6,
      updates: 1,
      deletes: 0,
      updatesWithoutIfMatch: 0,
      markers: 1,
      auditLines: 2,
      byKind: { member: 2, xfer: 2, audit: 1, idem: 1, email: 1 },
    });
  });

  it('counts nothing written for a transaction that fails, and passes its error on', async () => {
    const table = new CountingTable(new MemoryTableAdapter());
    await table.create(row('idem|a|k1'));
    const failed = table.transact(P, [{ kind: 'create', row: row('xfer|p1.00') }, { kind: 'create', row: row('idem|a|k1') }]);
    await expect(failed).rejects.toBeInstanceOf(RowConflictError);
    await expect(table.create(row('idem|a|k1'))).rejects.toBeInstanceOf(RowConflictError);
    const counts = table.counts();
    expect([counts.transactions, counts.failedTransactions, counts.entities, counts.markers]).toEqual([0, 1, 1, 1]);
    expect(await table.get(P, 'xfer|p1.00')).toBeUndefined();
  });

  it('counts updates sent without an ETag to match, and the pages asked for', async () => {
    const table = new CountingTable(new MemoryTableAdapter());
    await table.create(row('outbox|1'));
    await table.create(row('outbox|2'));
    await table.transact(P, [{ kind: 'update', row: row('outbox|1', { attempts: 1 }), etag: '*' }]);
    const first = await table.query(P, { prefix: 'outbox|' }, { limit: 1 });
    await table.query(P, { prefix: 'outbox|' }, { limit: 1, continuation: first.continuation });
    expect(table.counts()).toMatchObject({ updatesWithoutIfMatch: 1, updates: 1, queries: 2 });
  });

  it('tells what was counted between two readings', async () => {
    const table = new CountingTable(new MemoryTableAdapter());
    await table.create(row('xfer|p0.00'));
    const before = table.counts();
    await table.transact(P, [{ kind: 'create', row: row('xfer|p1.00') }, { kind: 'create', row: row('idem|a|k') }]);
    await table.get(P, 'xfer|p1.00');
    expect(countsSince(table.counts(), before)).toMatchObject({ entities: 2, creates: 2, markers: 1, gets: 1, transactions: 1, byKind: { xfer: 1, idem: 1 } });
  });
});
