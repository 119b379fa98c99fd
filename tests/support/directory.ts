import type { Directory, DirectoryPerson } from '../../server/ports/directory.js';
import { DirectoryUnavailableError, normaliseDirectoryQuery } from '../../server/ports/directory.js';

/** A directory that knows nobody: for tests that do not look anyone up. */
export const NO_DIRECTORY: Directory = {
  findById: async () => undefined,
  findByEmail: async () => undefined,
  search: async () => [],
};

/**
 * An in-memory directory for use-case tests: people can be changed between calls, and `down()` makes
 * every look-up fail as Graph does in an outage. Counts calls so tests can see a look-up happened.
 */
export class FakeDirectory implements Directory {
  readonly people = new Map<string, DirectoryPerson>();
  calls = 0;
  private failure: DirectoryUnavailableError | undefined;

  constructor(people: DirectoryPerson[] = []) {
    for (const p of people) this.people.set(p.id, p);
  }

  put(person: DirectoryPerson): void {
    this.people.set(person.id, person);
  }

  down(reason: DirectoryUnavailableError['reason'] = 'unavailable'): void {
    this.failure = new DirectoryUnavailableError('Graph is down (fake).', { reason, status: 503, retryAfterSeconds: 7 });
  }

  up(): void {
    this.failure = undefined;
  }

  private answer(): void {
    this.calls += 1;
    if (this.failure) throw this.failure;
  }

  async findById(_tenant: string, id: string): Promise<DirectoryPerson | undefined> {
    this.answer();
    return this.people.get(id);
  }

  async findByEmail(_tenant: string, email: string): Promise<DirectoryPerson | undefined> {
    this.answer();
    return [...this.people.values()].find((p) => p.email.toLowerCase() === email.toLowerCase());
  }

  async search(_tenant: string, query: string, limit: number): Promise<DirectoryPerson[]> {
    this.answer();
    const q = normaliseDirectoryQuery(query).toLowerCase();
    if (!q) return [];
    return [...this.people.values()]
      .filter((p) => [p.displayName, p.email, ...p.displayName.split(' ')].some((f) => f.toLowerCase().startsWith(q)))
      .slice(0, limit);
  }
}
