/**
 * The local stack's promises on a hard kill (issue 15, defect 7): Azurite stops when the process that
 * started it dies, even by SIGKILL, saving its database on the way; one Azurite per data folder (a second
 * start while the first lives is refused, a lock left by a dead one is taken over). Every wait here is for
 * a condition, with a bound that only decides when to give up.
 */
import type { ChildProcess } from 'node:child_process';
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TableClient } from '@azure/data-tables';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import { startAzurite } from '../../server/local/azurite.js';
import { DataFolderInUseError, isAlive } from '../../server/local/data-lock.js';

const HOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), '../support/azurite-holder.ts');
const root = mkdtempSync(path.join(os.tmpdir(), 'credit-desk-kill-'));
const started: AzuriteHandle[] = [];
const holders: ChildProcess[] = [];

async function waitFor(condition: () => boolean, what: string, boundMs = 30_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `npm start`'s part in small: a process that starts Azurite on `folder` and stays. */
function startHolder(folder: string): Promise<{ holder: ChildProcess; azuritePid: number; connectionString: string }> {
  const holder = fork(HOLDER, [folder], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  holders.push(holder);
  return new Promise((resolve, reject) => {
    holder.once('exit', (code) => reject(new Error(`The holder exited (${code}) before Azurite was up.`)));
    holder.on('message', (message: { type: string; azuritePid: number; connectionString: string; message?: string }) => {
      if (message.type === 'ready') resolve({ holder, azuritePid: message.azuritePid, connectionString: message.connectionString });
      else reject(new Error(message.message));
    });
  });
}

const table = (connectionString: string) => TableClient.fromConnectionString(connectionString, 'killtest', { allowInsecureConnection: true });

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

afterEach(async () => {
  while (started.length) await started.pop()!.stop();
});

afterAll(() => {
  for (const holder of holders) if (holder.exitCode === null && holder.signalCode === null) holder.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

describe('Azurite and the process that started it', () => {
  it('a SIGKILL of the starter stops Azurite, which saves what it acknowledged; the next start takes the folder over', async () => {
    const folder = path.join(root, 'killed', 'azurite');
    const { holder, azuritePid, connectionString } = await startHolder(folder);
    expect(isAlive(azuritePid)).toBe(true);
    const client = table(connectionString);
    await client.createTable();
    await client.createEntity({ partitionKey: 'p', rowKey: 'acknowledged', note: 'written just before the kill' });

    holder.kill('SIGKILL');
    await waitFor(() => holder.signalCode !== null, 'the starter to die');
    await waitFor(() => !isAlive(azuritePid), `Azurite (pid ${azuritePid}) to stop after its starter was killed`);

    // The lock names a dead process now: a new start takes it over and finds the row.
    const again = await startAzurite({ location: folder });
    started.push(again);
    const row = await table(again.connectionString).getEntity<{ note: string }>('p', 'acknowledged');
    expect(row.note).toBe('written just before the kill');
  });
});

describe('one Azurite per data folder', () => {
  it('a second start while the first lives is refused, naming the process; after a stop the folder is free', async () => {
    const folder = path.join(root, 'twice', 'azurite');
    const first = await startAzurite({ location: folder });
    started.push(first);
    const lock = JSON.parse(readFileSync(`${folder}.lock`, 'utf8'));
    expect(lock).toMatchObject({ pid: process.pid, azuritePid: first.process.pid });

    const second = startAzurite({ location: folder });
    await expect(second).rejects.toThrow(DataFolderInUseError);
    await expect(second).rejects.toThrow(new RegExp(`process ${process.pid}`));
    // The first one still serves, and the lock is still its.
    await table(first.connectionString).createTable();
    expect(JSON.parse(readFileSync(`${folder}.lock`, 'utf8'))).toEqual(lock);

    await started.pop()!.stop();
    expect(existsSync(`${folder}.lock`)).toBe(false);
    const third = await startAzurite({ location: folder });
    started.push(third);
    await table(third.connectionString).createTable();
  });

  it('a start in another process is refused too while the first lives', async () => {
    const folder = path.join(root, 'other-process', 'azurite');
    const first = await startAzurite({ location: folder });
    started.push(first);
    await expect(startHolder(folder)).rejects.toThrow(/in use by another Credit Desk stack/);
  });

  it('a lock left by a dead process, or one written halfway, is taken over', async () => {
    for (const [label, content] of [
      ['dead owner', JSON.stringify({ pid: await deadPid(), azuritePid: await deadPid(), startedAt: '2026-01-01T00:00:00Z' })],
      ['half written', '{"pid":'],
    ] as const) {
      const folder = path.join(root, label.replace(' ', '-'), 'azurite');
      await startAzurite({ location: folder }).then((a) => a.stop());
      writeFileSync(`${folder}.lock`, content);
      const taken = await startAzurite({ location: folder });
      started.push(taken);
      expect(JSON.parse(readFileSync(`${folder}.lock`, 'utf8')).pid, label).toBe(process.pid);
      await started.pop()!.stop();
    }
  });
});
