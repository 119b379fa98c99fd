import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from '../../ports/secret-store.js';

/**
 * The local stack's secrets: one JSON file in the local data folder, readable by its owner only (never
 * the table, so a backup or a table export never carries them). Writes go through a temporary file and a
 * rename, so a crash leaves the old file or the new one, never half of one. One process uses it.
 */
export class FileSecretStore implements SecretStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** `secrets.json` in the data folder. */
  static inFolder(folder: string): FileSecretStore {
    return new FileSecretStore(path.join(folder, 'secrets.json'));
  }

  async get(name: string): Promise<string | undefined> {
    await this.queue;
    return (await this.read())[name];
  }

  set(name: string, value: string): Promise<void> {
    return this.change((all) => ({ ...all, [name]: value }));
  }

  delete(name: string): Promise<void> {
    return this.change(({ [name]: _gone, ...rest }) => rest);
  }

  private async read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  /** One change at a time: each reads what the one before wrote. */
  private change(edit: (all: Record<string, string>) => Record<string, string>): Promise<void> {
    const next = this.queue.then(async () => {
      const all = edit(await this.read());
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(all), { mode: 0o600 });
      await rename(temporary, this.file);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
