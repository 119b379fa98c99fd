import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureTableAdapter, STORAGE_MAX_SOCKETS } from '../../server/adapters/table-storage/azure-table.js';
import { azuriteConnectionString } from '../../server/config.js';
import { freshTableName, sharedAzurite } from '../support/api.js';

/** A TCP relay in front of Azurite that counts the connections open through it at once. */
async function countingRelay(targetPort: number) {
  const counts = { open: 0, most: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    counts.most = Math.max(counts.most, ++counts.open);
    const upstream = net.connect(targetPort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
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
  return { close, port: (server.address() as net.AddressInfo).port, counts };
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
});
