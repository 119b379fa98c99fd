import { describe, expect, it } from 'vitest';
import { DirectorySearchQuery } from '../../../src/contract/index.js';
import { newMember, withProfile } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { Caller } from '../../../server/app/caller.js';
import type { AppDeps } from '../../../server/app/deps.js';
import { refreshMembersFromDirectory, searchDirectory } from '../../../server/app/directory.js';
import { ensureCallerMember } from '../../../server/app/me.js';
import { registrationEvent, requestRegistration } from '../../../server/app/registrations.js';
import type { DirectoryPerson } from '../../../server/ports/directory.js';
import { DirectoryUnavailableError } from '../../../server/ports/directory.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { FakeDirectory } from '../../support/directory.js';

const TENANT = 't1';
const DAY = 86_400_000;
const manager: Caller = { tenant: TENANT, id: 'am', email: 'am@x.example', displayName: 'Ari Manager', roles: ['AccountManager'] };
const it_: Caller = { tenant: TENANT, id: 'it', email: 'it@x.example', displayName: 'Ida IT', roles: ['ITAdmin'] };
const pat: Caller = { tenant: TENANT, id: 'p1', email: 'pat.doe@x.example', displayName: 'Pat (token)', roles: [] };

const PAT: DirectoryPerson = { id: 'p1', email: 'pat.doe@x.example', displayName: 'Pat Doe', office: 'Boston', department: 'Architecture', jobTitle: 'Architect' };
const NOOR: DirectoryPerson = { id: 'n1', email: "noor.o'neil@x.example", displayName: "Noor O'Neil", office: 'Denver', department: 'MEP', jobTitle: 'Engineer' };
const NED: DirectoryPerson = { id: 'n2', email: 'ned@x.example', displayName: 'Ned Nobody' };

let counter = 0;
const write = (caller = 'x') => ({ idempotency: { caller, key: `k${++counter}`, fingerprint: `f${counter}` } });

function setup(people: DirectoryPerson[] = [PAT, NOOR, NED]) {
  let now = Date.parse('2026-11-23T09:00:00Z');
  const clock = { now: () => new Date(now) };
  const store = new TableLedgerStore({ table: new MemoryTableAdapter(), clock, ids: newestFirstIds(() => now), defaultPolicy: DEFAULT_POLICY });
  const directory = new FakeDirectory(people);
  const deps: AppDeps = { store, directory, clock, defaultPolicy: DEFAULT_POLICY };
  return { deps, store, directory, advance: (ms: number) => (now += ms) };
}

const memberOf = async (store: TableLedgerStore, id: string) => (await store.getMember(TENANT, id))?.member;

/** The query as the HTTP edge hands it over: parsed by the contract, which sets the default limit. */
const search = (q: string, limit?: number) => DirectorySearchQuery.parse(limit === undefined ? { q } : { q, limit });

describe('directory search (the people picker)', () => {
  it('lists people with their fields and, for members, their registration state', async () => {
    const { deps, store } = setup();
    await ensureCallerMember(deps, pat);
    expect((await requestRegistration(deps, pat, write(), {})).ok).toBe(true);

    const result = await searchDirectory(deps, manager, search('  n '));
    expect(result).toEqual({
      ok: true,
      value: {
        items: [
          { id: 'n1', displayName: "Noor O'Neil", email: "noor.o'neil@x.example", office: 'Denver', department: 'MEP', jobTitle: 'Engineer', member: null },
          { id: 'n2', displayName: 'Ned Nobody', email: 'ned@x.example', office: null, department: null, jobTitle: null, member: null },
        ],
      },
    });
    const withMember = await searchDirectory(deps, it_, search('pat'));
    expect(withMember).toMatchObject({ ok: true, value: { items: [{ id: 'p1', member: { registrationState: 'requested' } }] } });
    expect((await memberOf(store, 'n1'))).toBeUndefined();
  });

  it('caps the limit at 25, defaults it to 10, and does not ask the directory for blank text', async () => {
    const many = Array.from({ length: 40 }, (_, i): DirectoryPerson => ({ id: `a${i}`, email: `a${i}@x.example`, displayName: `Alex ${i}` }));
    const { deps, directory } = setup(many);
    const count = async (limit?: number) => ((await searchDirectory(deps, manager, search('alex', limit))) as { value: { items: unknown[] } }).value.items.length;
    expect(await count()).toBe(10);
    expect(await count(3)).toBe(3);
    expect(await count(25)).toBe(25);
    expect(DirectorySearchQuery.safeParse({ q: 'alex', limit: 99 }).success).toBe(false);
    const calls = directory.calls;
    expect(await searchDirectory(deps, manager, search(' \u200b\u0000 '))).toEqual({ ok: true, value: { items: [] } });
    expect(directory.calls).toBe(calls);
  });

  it('is for account managers and IT only', async () => {
    const { deps, directory } = setup();
    expect(await searchDirectory(deps, pat, search('pat'))).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(directory.calls).toBe(0);
  });

  it('lets a directory outage through as DirectoryUnavailableError (the API answers 503)', async () => {
    const { deps, directory } = setup();
    directory.down();
    await expect(searchDirectory(deps, manager, search('pat'))).rejects.toBeInstanceOf(DirectoryUnavailableError);
  });
});

describe('member records filled from the directory', () => {
  it('on first sight: office, department and job title from the directory, name and email from the token', async () => {
    const { deps, store } = setup();
    await ensureCallerMember(deps, pat);
    expect(await memberOf(store, 'p1')).toMatchObject({ displayName: 'Pat (token)', email: 'pat.doe@x.example', office: 'Boston', department: 'Architecture', jobTitle: 'Architect' });
  });

  it('on first sight with the directory down: the member is made from the token alone', async () => {
    const { deps, store, directory } = setup();
    directory.down('timeout');
    await ensureCallerMember(deps, pat);
    const member = await memberOf(store, 'p1');
    expect(member).toMatchObject({ id: 'p1', displayName: 'Pat (token)', email: 'pat.doe@x.example' });
    expect(member).not.toHaveProperty('office');
    expect(member).not.toHaveProperty('department');
  });

  it('an own request brings the fields up to date, and goes ahead when the directory is down', async () => {
    const { deps, store, directory } = setup();
    directory.down();
    await ensureCallerMember(deps, pat);
    directory.up();
    directory.put({ ...PAT, office: 'Chicago', jobTitle: 'Senior Architect' });
    expect(await requestRegistration(deps, pat, write(), {})).toMatchObject({ ok: true, value: { member: { member: { office: 'Chicago' } } } });
    expect(await memberOf(store, 'p1')).toMatchObject({ office: 'Chicago', department: 'Architecture', jobTitle: 'Senior Architect', registration: { state: 'requested' } });

    // Declined, then asked again with Graph down: the request still goes through, the fields stay.
    expect((await registrationEvent(deps, manager, write(), 'p1', { type: 'declined', reason: 'Not this year' })).ok).toBe(true);
    directory.down();
    expect(await requestRegistration(deps, pat, write(), {})).toMatchObject({ ok: true });
    expect(await memberOf(store, 'p1')).toMatchObject({ office: 'Chicago', registration: { state: 'requested' } });
  });

  it('a manager raising a request for someone new makes their member row from the directory', async () => {
    const { deps, store } = setup();
    const result = await requestRegistration(deps, manager, write(), { email: "NOOR.O'NEIL@x.example" });
    expect(result).toMatchObject({ ok: true, value: { member: { member: { id: 'n1', displayName: "Noor O'Neil", office: 'Denver' } } } });
    expect(await memberOf(store, 'n1')).toMatchObject({ department: 'MEP', jobTitle: 'Engineer', registration: { state: 'requested', requestedBy: 'am' } });
  });

  it('a manager raising a request for someone new needs the directory: an outage is an error and nothing is written', async () => {
    const { deps, store, directory } = setup();
    directory.down();
    await expect(requestRegistration(deps, manager, write(), { email: "noor.o'neil@x.example" })).rejects.toBeInstanceOf(DirectoryUnavailableError);
    expect(await store.findMemberIdByEmail(TENANT, "noor.o'neil@x.example")).toBeUndefined();
  });

  it('a manager raising a request for a known member works with the directory down', async () => {
    const { deps, store, directory } = setup();
    await ensureCallerMember(deps, pat);
    directory.down();
    expect(await requestRegistration(deps, manager, write(), { email: 'pat.doe@x.example' })).toMatchObject({ ok: true });
    expect(await memberOf(store, 'p1')).toMatchObject({ office: 'Boston', registration: { state: 'requested' } });
  });
});

describe('daily refresh from the directory', () => {
  async function members(deps: AppDeps, ...callers: Caller[]) {
    for (const c of callers) await ensureCallerMember(deps, c);
  }
  const noor: Caller = { tenant: TENANT, id: 'n1', email: "noor.o'neil@x.example", displayName: "Noor O'Neil", roles: [] };
  const gone: Caller = { tenant: TENANT, id: 'g1', email: 'gone@x.example', displayName: 'Gone Person', roles: [] };

  it('writes the fields that changed, once, and nothing for people the directory no longer has', async () => {
    const { deps, store, directory } = setup([PAT, NOOR, { id: 'g1', email: 'gone@x.example', displayName: 'Gone Person', office: 'Seattle' }]);
    await members(deps, pat, noor, gone);
    directory.put({ ...PAT, office: 'Chicago', department: undefined });
    directory.people.delete('g1');

    const first = await refreshMembersFromDirectory(deps, TENANT);
    expect(first).toEqual({ checked: 3, updated: [{ memberId: 'p1', changed: ['office', 'department'] }], unchanged: 1, notInDirectory: 1, alreadyRefreshed: 0 });
    const updated = await memberOf(store, 'p1');
    expect(updated).toMatchObject({ office: 'Chicago', jobTitle: 'Architect' });
    expect(updated).not.toHaveProperty('department');
    expect(await memberOf(store, 'g1')).toMatchObject({ office: 'Seattle' });

    const again = await refreshMembersFromDirectory(deps, TENANT);
    expect(again.updated).toEqual([]);
    expect(again.unchanged).toBe(2);
  });

  it('a second run the same day does not write a different value twice; the next day it does', async () => {
    const { deps, store, directory, advance } = setup();
    await members(deps, pat);
    directory.put({ ...PAT, office: 'Chicago' });
    expect((await refreshMembersFromDirectory(deps, TENANT)).updated).toHaveLength(1);
    directory.put({ ...PAT, office: 'Denver' });
    const sameDay = await refreshMembersFromDirectory(deps, TENANT);
    expect(sameDay).toMatchObject({ updated: [], alreadyRefreshed: 1 });
    expect(await memberOf(store, 'p1')).toMatchObject({ office: 'Chicago' });
    advance(DAY);
    expect((await refreshMembersFromDirectory(deps, TENANT)).updated).toEqual([{ memberId: 'p1', changed: ['office'] }]);
    expect(await memberOf(store, 'p1')).toMatchObject({ office: 'Denver' });
  });

  it('two refreshes at once write each change once', async () => {
    const { deps, directory } = setup();
    await members(deps, pat, noor);
    directory.put({ ...PAT, jobTitle: 'Associate' });
    directory.put({ ...NOOR, department: 'Structures' });
    const [a, b] = await Promise.all([refreshMembersFromDirectory(deps, TENANT), refreshMembersFromDirectory(deps, TENANT)]);
    expect([...a.updated, ...b.updated].map((u) => u.memberId).sort()).toEqual(['n1', 'p1']);
  });

  it('leaves people who left alone, and stops without throwing when the directory goes down', async () => {
    const { deps, store, directory } = setup();
    await members(deps, pat, noor);
    expect((await registrationEvent(deps, manager, write(), 'n1', { type: 'left', reason: 'Moved on' })).ok).toBe(true);
    directory.put({ ...NOOR, office: 'Seattle' });
    const report = await refreshMembersFromDirectory(deps, TENANT);
    expect(report).toMatchObject({ checked: 1, updated: [] });
    expect(await memberOf(store, 'n1')).toMatchObject({ office: 'Denver' });

    directory.put({ ...PAT, office: 'Seattle' });
    directory.down();
    const stopped = await refreshMembersFromDirectory(deps, TENANT);
    expect(stopped).toMatchObject({ checked: 0, updated: [], stoppedBy: 'Graph is down (fake).' });
    expect(await memberOf(store, 'p1')).toMatchObject({ office: 'Boston' });
  });
});

describe('withProfile (core)', () => {
  it('reports what changed, treats blank as none, and keeps the member when nothing did', () => {
    const member = newMember({ id: 'm', email: 'M@x.example', displayName: 'M', office: 'Boston', now: '2026-01-01T00:00:00Z' });
    expect(withProfile(member, { office: 'Boston' })).toEqual({ member, changed: [] });
    const moved = withProfile(member, { office: ' Denver ', department: '  ', jobTitle: 'Lead' });
    expect(moved.changed).toEqual(['office', 'jobTitle']);
    expect(moved.member).toMatchObject({ office: 'Denver', jobTitle: 'Lead' });
    expect(moved.member).not.toHaveProperty('department');
    expect(withProfile(moved.member, {}).member).not.toHaveProperty('office');
  });
});
