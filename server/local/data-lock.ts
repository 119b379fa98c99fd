import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Another live process holds the data folder: one Azurite per folder, or their writes overwrite each other. */
export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError';
}

interface LockRecord {
  /** The process that started Azurite (npm start, a test): while it lives, the folder is its. */
  pid: number;
  /** Azurite's own process, once started: after its owner died it may still be saving its database. */
  azuritePid?: number;
  startedAt: string;
}

export interface DataFolderLock {
  file: string;
  /** Notes Azurite's process in the lock, so a later start can wait for it to finish saving. */
  recordAzurite(pid: number): void;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

/** How long a start waits for the Azurite of a dead owner to save and exit (it is told to on its owner's death). */
const ORPHAN_WAIT_MS = 15_000;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord(file: string): { text: string; record: LockRecord | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord>;
    return { text, record: Number.isInteger(parsed.pid) ? (parsed as LockRecord) : undefined };
  } catch {
    // Half written by a process killed while writing it: nobody holds it.
    return { text, record: undefined };
  }
}

/** Replaces the file's content in one step (a reader never sees it half written). */
function writeRecord(file: string, record: LockRecord): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record));
  renameSync(temporary, file);
}

/**
 * Takes `<folder>.lock` (for `.data/azurite`: `.data/azurite.lock`) for this process. A lock whose owner
 * is alive is refused with DataFolderInUseError; a lock left by a dead owner is taken over, once the
 * Azurite it started has exited (it stops by itself when its owner dies, saving its database first).
 */
export async function lockDataFolder(folder: string, options: { orphanWaitMs?: number } = {}): Promise<DataFolderLock> {
  const file = `${folder.replace(/[\\/]+$/, '')}.lock`;
  const shown = path.relative(process.cwd(), file) || file;
  const mine: LockRecord = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeFileSync(fd, JSON.stringify(mine));
      } finally {
        closeSync(fd);
      }
      return {
        file,
        recordAzurite: (azuritePid) => writeRecord(file, { ...mine, azuritePid }),
        release: () => {
          if (readRecord(file)?.record?.pid === process.pid) removeIfPresent(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const held = readRecord(file);
    if (!held) continue;
    const { record } = held;
    if (record && isAlive(record.pid)) {
      throw new DataFolderInUseError(
        `${folder} is in use by another Credit Desk stack (process ${record.pid}, started ${record.startedAt}). ` +
          `Stop it first (Ctrl-C in its terminal, or kill ${record.pid}). If no such process is a Credit Desk stack, delete ${shown}.`,
      );
    }
    if (record?.azuritePid !== undefined && !(await exited(record.azuritePid, options.orphanWaitMs ?? ORPHAN_WAIT_MS))) {
      throw new DataFolderInUseError(
        `Azurite (process ${record.azuritePid}) of a stopped stack still runs on ${folder}. Stop it (kill ${record.azuritePid}) and start again.`,
      );
    }
    // The owner is gone: take the lock over, unless another start took it over in the meantime.
    if (readRecord(file)?.text === held.text) removeIfPresent(file);
  }
  throw new DataFolderInUseError(`${folder} is being taken by another start at this moment; try again.`);
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function exited(pid: number, waitMs: number): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}
