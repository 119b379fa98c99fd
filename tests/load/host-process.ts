/**
 * The local host for the load bench, in its own process so that its memory can be measured apart from
 * the bench client. Composed like startStack (server/local/stack.ts), but against an Azurite the parent
 * already runs: BENCH_STORAGE is its connection string, BENCH_TABLE the table.
 *
 * IPC (process.send): → { type: 'ready', apiUrl }, { type: 'rss', rss, heapUsed, heapTotal, external, arrayBuffers } every 200 ms,
 * { type: 'tokens', id, tokens }, { type: 'stats', id, stats } and { type: 'memory', id, memory } in answer to
 * requests; ← { type: 'sign', id, users }, { type: 'stats', id, reset }, { type: 'memory', id, gc }, { type: 'stop' }.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { composeServer } from '../../server/compose.js';
import { freePort } from '../../server/local/azurite.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import { DemoDirectoryAdapter, createDevIdentity } from '../../server/local/dev-identity.js';
import { startLocalHost } from '../../server/local/host.js';
import { instrumentTableAdapter } from './support.js';

export type HostRequest = { type: 'sign'; id: number; users: DemoUser[] } | { type: 'stats'; id: number; reset: boolean } | { type: 'memory'; id: number; gc: boolean } | { type: 'stop' };
export type HostMessage =
  | { type: 'ready'; apiUrl: string; rss: number }
  | { type: 'rss'; rss: number; heapUsed?: number; heapTotal?: number; external?: number; arrayBuffers?: number }
  | { type: 'tokens'; id: number; tokens: string[] }
  | { type: 'memory'; id: number; memory: NodeJS.MemoryUsage }
  | { type: 'stats'; id: number; stats: ReturnType<ReturnType<typeof instrumentTableAdapter>['read']> & { cpuUserMs: number; cpuSystemMs: number } }
  | { type: 'error'; message: string };

function send(message: HostMessage): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const storage = process.env.BENCH_STORAGE;
  if (!storage || !process.send) throw new Error('Run me from the bench: fork() with BENCH_STORAGE set.');
  const calls = instrumentTableAdapter();
  const dev = await createDevIdentity();
  const { pipeline } = await composeServer(
    { storageConnectionString: storage, tableName: process.env.BENCH_TABLE ?? 'creditdesk', devMode: true, auth: undefined, tabUrl: 'http://localhost:5173/' },
    { dev: { identity: dev, issuer: dev.issuer, tenant: DEMO_TENANT }, directory: new DemoDirectoryAdapter() },
  );
  const port = await freePort();
  const server = await startLocalHost({ pipeline, port });

  const sampler = setInterval(() => {
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    send({ type: 'rss', rss, heapUsed, heapTotal, external, arrayBuffers });
  }, 200);
  sampler.unref();

  process.on('message', (raw) => {
    const message = raw as HostRequest;
    if (message.type === 'sign') {
      Promise.all(message.users.map((u) => dev.sign(u))).then(
        (tokens) => send({ type: 'tokens', id: message.id, tokens }),
        (error: unknown) => send({ type: 'error', message: String(error) }),
      );
    } else if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      send({ type: 'stats', id: message.id, stats: { ...calls.read(), cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000 } });
      if (message.reset) calls.reset();
    } else if (message.type === 'memory') {
      // A full collection first if asked (what is retained, not what awaits collection): gc() exposed on demand.
      if (message.gc) {
        setFlagsFromString('--expose-gc');
        (runInNewContext('gc') as () => void)();
      }
      send({ type: 'memory', id: message.id, memory: process.memoryUsage() });
    } else if (message.type === 'stop') {
      clearInterval(sampler);
      server.close(() => process.exit(0));
      server.closeAllConnections();
      setTimeout(() => process.exit(0), 2000).unref();
    }
  });
  // The parent went away: don't linger.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', apiUrl: `http://127.0.0.1:${port}`, rss: process.memoryUsage.rss() });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: (error as Error).stack ?? String(error) });
  process.exit(1);
});
