/** First-call provisioning (issue 16, item 2): a person's member row is made by a command through the group committer. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { Caller } from '../../../server/app/caller.js';
import type { AppDeps } from '../../../server/app/deps.js';
import { ensureCallerMember } from '../../../server/app/me.js';
import type { LedgerStore } from '../../../server/ports/ledger-store.js';
import { systemClock } from '../../../server/ports/clock.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { FakeDirectory } from '../../support/directory.js';

const TENANT = 't1';
const pat: Caller = { tenant: TENANT, id: 'p1', email: 'Pat.Doe@x.example', displayName: 'Pat (token)', roles: [] };

function setup() {
  const store = new TableLedgerStore({ table: new MemoryTableAdapter(), clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  const executed: string[] = [];
  // Every write the use case makes goes through execute: the store's direct member write refuses.
  const guarded: LedgerStore = Object.assign(Object.create(store) as LedgerStore, {
    execute: ((tenant, command) => {
      executed.push(command.idempotency.key);
      return store.execute(tenant, command);
    }) satisfies LedgerStore['execute'],
    ensureMember: async () => {
      throw new Error('provisioning wrote past the group committer');
    },
  });
  const directory = new FakeDirectory([{ id: 'p1', email: 'pat.doe@x.example', displayName: 'Pat Doe', office: 'Boston', department: 'Architecture' }]);
  const deps: AppDeps = { store: guarded, directory, clock: systemClock, defaultPolicy: DEFAULT_POLICY };
  return { deps, store, executed };
}

describe('first-call provisioning', () => {
  it('makes the member row through the group committer, with the directory fields and the email index', async () => {
    const { deps, store, executed } = setup();
    await ensureCallerMember(deps, pat);
    expect(executed).toHaveLength(1);
    expect((await store.getMember(TENANT, 'p1'))?.member).toMatchObject({ displayName: 'Pat (token)', office: 'Boston', department: 'Architecture', registration: { state: 'not_requested' } });
    expect(await store.findMemberIdByEmail(TENANT, 'pat.doe@x.example')).toBe('p1');
  });

  it('two first calls at once make one member row, and a later call writes nothing', async () => {
    const { deps, store, executed } = setup();
    await Promise.all([ensureCallerMember(deps, pat), ensureCallerMember(deps, pat)]);
    expect((await store.listMembers(TENANT, {}, {})).items.map((m) => m.member.id)).toEqual(['p1']);
    const before = executed.length;
    await ensureCallerMember(deps, pat);
    expect(executed).toHaveLength(before);
  });

  it('is no change of the audit trail', async () => {
    const { deps, store } = setup();
    await ensureCallerMember(deps, pat);
    expect((await store.listAudit(TENANT, {})).items).toEqual([]);
  });
});
