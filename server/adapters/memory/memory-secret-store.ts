import type { SecretStore } from '../../ports/secret-store.js';

/** Secrets in memory: tests, and the local stack when it keeps no data folder. */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();

  async get(name: string): Promise<string | undefined> {
    return this.secrets.get(name);
  }

  async set(name: string, value: string): Promise<void> {
    this.secrets.set(name, value);
  }

  async delete(name: string): Promise<void> {
    this.secrets.delete(name);
  }

  /** Every value kept (tests look for them where they must not be). */
  values(): string[] {
    return [...this.secrets.values()];
  }
}
