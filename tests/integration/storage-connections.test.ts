import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureTableAdapter, POINT_READ_SOCKETS, STORAGE_MAX_SOCKETS } from '../../server/adapters/table-storage/azure-table.js';
import { azuriteConnectionString } from '../../server/config.js';
import { freshTableName, sharedAzurite } from '../support/api.js';

/**
 * A TCP relay in front of Azurite that counts the connections open through it at once. While `holding`,
 * connections whose request is a point read (`GET …(PartitionKey=…,RowKey=…)`) get no further: storage that
 * is slow to answer them.
 */
async function countingRelay(targetPort: number) {
  const counts = { open: 0, most: 0, held: 0 };
  let holding = false;
  const held: (() => void)[] = [];
  let onHeld = () => {};
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    counts.most = Math.max(counts.most, ++counts.open);
    const upstream = net.connect(targetPort, '127.0.0.1');
    client.once('data', (first: Buffer) => {
      const pass = () => {
        upstream.write(first);
        client.pipe(upstream);
      };
      if (holding && /^GET [^ ]*\(PartitionKey=/.test(first.toString('latin1'))) {
        counts.held++;
        held.push(pass);
        onHeld();
      } else pass();
    });
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', close);
    upstream.once('close', close);
    client.once('close', () => sockets.delete(client));
    client.once('error', close);
    upstream.once('error', close);
  });
  server.on('connection', (socket) => socket.once('close', () => counts.open--));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const hold = () => void (holding = true);
  /** Resolves once `count` connections are held. */
  const heldCount = (count: number) => new Promise<void>((resolve) => (onHeld = () => counts.held >= count && resolve()));
  const release = () => {
    holding = false;
    for (const pass of held.splice(0)) pass();
  };
  return { close, hold, heldCount, release, port: (server.address() as net.AddressInfo).port, counts };
}

let relay: Awaited<ReturnType<typeof countingRelay>>;

beforeAll(async () => {
  relay = await countingRelay(sharedAzurite().tablePort);
});

afterAll(async () => {
  await relay.close();
});

describe('connections to Table Storage', () => {
  it('a burst of 300 reads shares at most STORAGE_MAX_SOCKETS connections, and every read is answered', async () => {
    const table = AzureTableAdapter.fromConnectionString(azuriteConnectionString(relay.port), freshTableName());
    await table.createTableIfMissing();
    await table.create({ partitionKey: 'tenant', rowKey: 'row|0', n: 0 });

    const reads = await Promise.all(Array.from({ length: 300 }, (_, i) => table.get('tenant', `row|${i % 2}`)));

    expect(reads.filter((r) => r?.rowKey === 'row|0')).toHaveLength(150);
    expect(reads.filter((r) => r === undefined)).toHaveLength(150);
    expect(relay.counts.most).toBeGreaterThan(1);
    expect(relay.counts.most).toBeLessThanOrEqual(STORAGE_MAX_SOCKETS);
  });

  it('scans and transactions do not wait behind point reads that fill their connections', async () => {
    const table = AzureTableAdapter.fromConnectionString(azuriteConnectionString(relay.port), freshTableName());
    await table.createTableIfMissing();
    relay.hold();
    const allHeld = relay.heldCount(POINT_READ_SOCKETS);
    const reads = Promise.all(Array.from({ length: 2 * POINT_READ_SOCKETS }, (_, i) => table.get('tenant', `row|${i}`)));
    await allHeld;
    await table.transact('tenant', [{ kind: 'create', row: { partitionKey: 'tenant', rowKey: 'row|1', n: 1 } }]);
    const page = await table.query('tenant', { prefix: 'row|' }, { limit: 10 });
    expect(page.rows.map((r) => r.rowKey)).toEqual(['row|1']);
    expect(relay.counts.held).toBe(POINT_READ_SOCKETS);
    relay.release();
    expect((await reads).flatMap((r) => (r ? [r.rowKey] : []))).toEqual(['row|1']);
  });
});
