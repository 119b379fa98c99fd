import type { PersonRef } from '../../../src/core/usage-import/index.js';
import type { ImportDeps } from './import-deps.js';

/** How a person is written in links and reports: the email in lower case, the hashed id, or the user name. */
export const personKey = (ref: PersonRef): string => (ref.kind === 'email' ? ref.email : ref.kind === 'hash' ? ref.hash : ref.name).toLowerCase();

/**
 * Finds the member a row is for: a person linked by hand first (remembered hashed ids, other addresses),
 * then the member with that email. One look-up per distinct person, however many rows they have.
 */
export class MemberMatcher {
  private readonly byEmail = new Map<string, string | null>();

  constructor(
    private readonly deps: ImportDeps,
    private readonly tenant: string,
    private readonly links: ReadonlyMap<string, string>,
  ) {}

  static async create(deps: ImportDeps, tenant: string): Promise<MemberMatcher> {
    return new MemberMatcher(deps, tenant, await deps.importRecords.links(tenant));
  }

  async match(ref: PersonRef): Promise<string | undefined> {
    const key = personKey(ref);
    const linked = this.links.get(key);
    if (linked) return linked;
    // A hashed id or a user name is nobody's address: only a link an account manager made finds its member.
    if (ref.kind !== 'email') return undefined;
    if (!this.byEmail.has(key)) this.byEmail.set(key, (await this.deps.store.findMemberIdByEmail(this.tenant, key)) ?? null);
    return this.byEmail.get(key) ?? undefined;
  }
}
