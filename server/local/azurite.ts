import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { azuriteConnectionString } from '../config.js';
import { lockDataFolder } from './data-lock.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const AZURITE_BIN = path.join(ROOT, 'node_modules', '.bin', 'azurite');
/** Loaded into Azurite's process: it stops when the process that started it dies (see the file). */
const PARENT_GUARD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'azurite-guard.cjs');

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
 * Starts Azurite (table and blob services) in its own process, from node_modules/.bin run by node itself
 * (no npx or shell between), so that stopping it stops Azurite itself. Azurite stops on its own when this
 * process dies, even by SIGKILL (azurite-guard.cjs). Data stays on disk under `location`, or in memory for
 * tests. One Azurite per `location`: `<location>.lock` names the process that holds it, and a start while
 * that process lives is refused with DataFolderInUseError (see data-lock.ts).
 *
 * Azurite keeps its tables in memory and writes them to disk every 5 seconds and when it stops (LokiJS
 * autosave): a kill -9 of Azurite itself loses what it acknowledged in the last few seconds.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAzuriteOnce(options);
    } catch (error) {
      // A port freePort found can be taken by another process before Azurite binds it: start again on others.
      if (!(error instanceof PortTakenError) || attempt === 3) throw error;
    }
  }
}

interface AzuriteOptions {
  location?: string;
  tablePort?: number;
  blobPort?: number;
}

class PortTakenError extends Error {}

async function startAzuriteOnce(options: AzuriteOptions): Promise<AzuriteHandle> {
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
  if (options.location) mkdirSync(options.location, { recursive: true });
  const lock = options.location ? await lockDataFolder(options.location) : undefined;
  if (options.location) {
    args.push('--location', options.location);
  } else {
    args.push('--inMemoryPersistence');
  }
  // stdin is a pipe this process holds open and never writes to: the guard sees it close when we die.
  const child = spawn(process.execPath, ['--require', PARENT_GUARD, AZURITE_BIN, ...args], { stdio: ['pipe', 'ignore', 'pipe'], cwd: options.location ?? ROOT });
  child.once('exit', () => lock?.release());
  child.once('error', () => lock?.release());
  if (child.pid !== undefined) lock?.recordAzurite(child.pid);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    await waitForPort(tablePort, child, 30_000);
  } catch (error) {
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    // Its lock is released on exit: a second attempt on the same folder must not find it held.
    await exited;
    const message = `${(error as Error).message}\n${stderr}`;
    throw /EADDRINUSE/.test(stderr) ? new PortTakenError(message) : new Error(message);
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
