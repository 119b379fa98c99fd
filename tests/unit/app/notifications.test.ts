import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { Caller } from '../../../server/app/caller.js';
import type { AppDeps } from '../../../server/app/deps.js';
import { ensureCallerMember } from '../../../server/app/me.js';
import { registrationEvent, requestRegistration } from '../../../server/app/registrations.js';
import { putSettings } from '../../../server/app/settings.js';
import type { DirectoryPerson } from '../../../server/ports/directory.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { FakeDirectory } from '../../support/directory.js';
import { FakeNotifier } from '../../support/notifier.js';

const TENANT = 't1';
const ari: Caller = { tenant: TENANT, id: 'am', email: 'ari@x.example', displayName: 'Ari Manager', roles: ['AccountManager'] };
const pat: Caller = { tenant: TENANT, id: 'p1', email: 'pat.doe@x.example', displayName: 'Pat Doe', roles: [] };
const ARI: DirectoryPerson = { id: 'am', email: 'ari@x.example', displayName: 'Ari Manager' };
const BO: DirectoryPerson = { id: 'bo', email: 'bo@x.example', displayName: 'Bo Manager' };
const PAT: DirectoryPerson = { id: 'p1', email: 'pat.doe@x.example', displayName: 'Pat Doe' };

let counter = 0;
const write = (caller: string, key = `k${++counter}`) => ({ idempotency: { caller, key, fingerprint: `f-${key}` } });

async function setup(managers = [{ name: 'Ari Manager', email: ARI.email }, { name: 'Bo Manager', email: BO.email }, { name: 'Cy Gone', email: 'cy@x.example' }]) {
  const now = Date.parse('2026-11-23T09:00:00Z');
  const clock = { now: () => new Date(now) };
  const store = new TableLedgerStore({ table: new MemoryTableAdapter(), clock, ids: newestFirstIds(() => now), defaultPolicy: DEFAULT_POLICY });
  const notifier = new FakeNotifier();
  const deps: AppDeps = { store, directory: new FakeDirectory([ARI, BO, PAT]), clock, defaultPolicy: DEFAULT_POLICY, notifier };
  expect((await putSettings(deps, { ...ari, roles: ['ITAdmin'] }, write('it'), { ...DEFAULT_POLICY, accountManagers: managers })).ok).toBe(true);
  await ensureCallerMember(deps, pat);
  return { deps, notifier };
}

describe('notifications after registration writes', () => {
  it('tells each account manager the directory knows when someone asks, except the one who raised it', async () => {
    const { deps, notifier } = await setup();
    expect(await requestRegistration(deps, pat, write(pat.id), {})).toMatchObject({ ok: true });
    const about = { displayName: 'Pat Doe', email: 'pat.doe@x.example' };
    expect(notifier.sent).toEqual([
      { kind: 'request_arrived', to: { id: 'am', email: ARI.email, displayName: 'Ari Manager' }, about },
      { kind: 'request_arrived', to: { id: 'bo', email: BO.email, displayName: 'Bo Manager' }, about },
    ]);

    // Raised by Ari for Pat after a decline: only Bo hears of it.
    expect((await registrationEvent(deps, ari, write(ari.id), pat.id, { type: 'declined', reason: 'no' })).ok).toBe(true);
    notifier.sent.length = 0;
    expect((await requestRegistration(deps, ari, write(ari.id), { email: pat.email })).ok).toBe(true);
    expect(notifier.sent.map((n) => n.to.id)).toEqual(['bo']);
  });

  it('tells the member once when their account is created, and not again on a replay', async () => {
    const { deps, notifier } = await setup([]);
    expect((await requestRegistration(deps, pat, write(pat.id), {})).ok).toBe(true);
    expect(notifier.sent).toEqual([]);
    const request = write(ari.id);
    const first = await registrationEvent(deps, ari, request, pat.id, { type: 'account_created' });
    expect(first).toMatchObject({ ok: true });
    expect(notifier.sent).toEqual([{ kind: 'account_created', to: { id: 'p1', email: 'pat.doe@x.example', displayName: 'Pat Doe' } }]);

    const replay = await registrationEvent(deps, ari, request, pat.id, { type: 'account_created' });
    expect(replay).toEqual(first);
    expect(notifier.sent).toHaveLength(1);
  });

  it('sends nothing for a refused step or other steps', async () => {
    const { deps, notifier } = await setup([]);
    expect(await registrationEvent(deps, ari, write(ari.id), pat.id, { type: 'account_created' })).toMatchObject({ ok: false });
    expect((await registrationEvent(deps, ari, write(ari.id), pat.id, { type: 'already_registered' })).ok).toBe(true);
    expect(notifier.sent).toEqual([]);
  });

  it('answers and writes the same when the notifier fails or throws', async () => {
    for (const result of ['failed', 'throw'] as const) {
      const { deps, notifier } = await setup();
      notifier.result = result;
      expect(await requestRegistration(deps, pat, write(pat.id), {})).toMatchObject({ ok: true });
      const created = await registrationEvent(deps, ari, write(ari.id), pat.id, { type: 'account_created' });
      expect(created).toMatchObject({ ok: true, value: { member: { registration: { state: 'account_created' } } } });
      expect((await deps.store.getMember(TENANT, pat.id))?.member.registration.state).toBe('account_created');
      expect(notifier.sent.map((n) => n.kind)).toEqual(['request_arrived', 'request_arrived', 'account_created']);
    }
  });

  it('still writes when the directory is down while looking the managers up', async () => {
    const { deps, notifier } = await setup();
    (deps.directory as FakeDirectory).down();
    // Pat's own request goes ahead without the directory (fill-in only); the managers cannot be found.
    expect(await requestRegistration(deps, pat, write(pat.id), {})).toMatchObject({ ok: true });
    expect(notifier.sent).toEqual([]);
  });

  it('works without a notifier', async () => {
    const { deps } = await setup();
    delete deps.notifier;
    expect(await requestRegistration(deps, pat, write(pat.id), {})).toMatchObject({ ok: true });
  });
});
