import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { azuriteConnectionString } from '../config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AZURITE_BIN = path.join(ROOT, 'node_modules', '.bin', 'azurite');

export interface AzuriteHandle {
  connectionString: string;
  tablePort: number;
  blobPort: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited with code ${child.exitCode} before it listened.`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Azurite did not listen on ${port} within ${timeoutMs} ms.`);
}

/**
 * Starts Azurite (table and blob services) in its own process, from node_modules/.bin so that stopping it
 * stops Azurite itself. Data stays on disk under `location`, or in memory for tests.
 */
export async function startAzurite(options: { location?: string; tablePort?: number; blobPort?: number } = {}): Promise<AzuriteHandle> {
  const tablePort = options.tablePort ?? (await freePort());
  const blobPort = options.blobPort ?? (await freePort());
  const queuePort = await freePort();
  const args = [
    '--silent',
    '--disableTelemetry',
    '--skipApiVersionCheck',
    '--tableHost', '127.0.0.1', '--tablePort', String(tablePort),
    '--blobHost', '127.0.0.1', '--blobPort', String(blobPort),
    '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
  ];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  const child = spawn(AZURITE_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.location ?? ROOT });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    await waitForPort(tablePort, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    connectionString: azuriteConnectionString(tablePort, blobPort),
    tablePort,
    blobPort,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
