import type { Member, MemberProfile, ProfileField } from '../../src/core/ledger/index.js';
import { emptyPosting, withProfile } from '../../src/core/ledger/index.js';
import { fail } from '../../src/core/result.js';
import type { DirectoryPersonView, MemberLookupResponse, ResponseOf } from '../../src/contract/index.js';
import type { DirectoryPerson } from '../ports/directory.js';
import { DirectoryUnavailableError, normaliseDirectoryQuery } from '../ports/directory.js';
import type { AppResult } from './app-result.js';
import { failure, success } from './app-result.js';
import type { Caller } from './caller.js';
import { seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { policyOf } from './deps.js';
import { memberRecord } from './views.js';

/** Who writes the daily refresh, on the idempotency markers and in the members' rows' history. */
export const DIRECTORY_ACTOR = 'system:directory';
const REFRESH_PAGE = 200;
const REFRESH_CONCURRENCY = 4;

/** The directory's office, department and job title of a person. */
export function profileOf(person: DirectoryPerson | undefined): MemberProfile {
  return person ? { office: person.office, department: person.department, jobTitle: person.jobTitle } : {};
}

/**
 * A look-up that only fills fields in: when the directory cannot answer, carry on without it (the token's
 * name and email are enough for the ledger). Anything else is a bug and still throws.
 */
export async function lookUpQuietly(lookup: () => Promise<DirectoryPerson | undefined>): Promise<DirectoryPerson | undefined> {
  try {
    return await lookup();
  } catch (error) {
    if (error instanceof DirectoryUnavailableError) return undefined;
    throw error;
  }
}

/** The person behind a member id, by id first and then by address (fill-in only: undefined when the directory is down). */
export function directoryEntryOf(deps: AppDeps, tenant: string, id: string, email: string): Promise<DirectoryPerson | undefined> {
  return lookUpQuietly(async () => (await deps.directory.findById(tenant, id)) ?? (await deps.directory.findByEmail(tenant, email)));
}

/**
 * The people picker: people in the directory whose name or address starts with `q`, each with their
 * registration state when they are already a member. Throws DirectoryUnavailableError (503) when the
 * directory cannot answer: the picker says so and the manager can still type an address.
 */
export async function searchDirectory(deps: AppDeps, caller: Caller, query: { q: string; limit: number }): Promise<AppResult<ResponseOf<'directorySearch'>>> {
  if (!seesEveryone(caller)) return failure('FORBIDDEN', 'Only account managers and IT can search the directory.');
  const q = normaliseDirectoryQuery(query.q);
  if (!q) return success({ items: [] });
  const { limit } = query;
  const people = (await deps.directory.search(caller.tenant, q, limit)).slice(0, limit);
  const members = await Promise.all(people.map((p) => deps.store.getMember(caller.tenant, p.id)));
  const items = people.map(
    (person, i): DirectoryPersonView => ({
      ...personView(person),
      member: members[i] ? { registrationState: members[i].member.registration.state } : null,
    }),
  );
  return success({ items });
}

/** A directory entry as the API shows it (the picker and the pane's look-up). */
function personView(person: DirectoryPerson): Omit<DirectoryPersonView, 'member'> {
  return { id: person.id, displayName: person.displayName, email: person.email, office: person.office ?? null, department: person.department ?? null, jobTitle: person.jobTitle ?? null };
}

/**
 * One person by address, for the Outlook pane: their member record when Credit Desk knows them, and the
 * directory's entry. A directory that cannot answer is reported, not fatal: the member record still shows.
 */
export async function lookUpMember(deps: AppDeps, caller: Caller, query: { email: string }): Promise<AppResult<ResponseOf<'memberLookup'>>> {
  if (!seesEveryone(caller)) return failure('FORBIDDEN', 'Only account managers and IT can look people up.');
  const email = query.email.trim().toLowerCase();
  const [memberId, directory, policy] = await Promise.all([deps.store.findMemberIdByEmail(caller.tenant, email), directoryByEmail(deps, caller.tenant, email), policyOf(deps, caller.tenant)]);
  const stored = memberId ? await deps.store.getMember(caller.tenant, memberId) : undefined;
  return success({
    email,
    member: stored ? memberRecord(stored.member, stored.own, policy, deps.clock.now()) : null,
    directory,
  });
}

async function directoryByEmail(deps: AppDeps, tenant: string, email: string): Promise<MemberLookupResponse['directory']> {
  try {
    const person = await deps.directory.findByEmail(tenant, email);
    if (!person) return { status: 'not_found', person: null };
    return { status: 'found', person: personView(person) };
  } catch (error) {
    if (error instanceof DirectoryUnavailableError) return { status: 'unavailable', person: null };
    throw error;
  }
}

export interface DirectoryRefreshReport {
  /** Members looked up in the directory. */
  checked: number;
  updated: { memberId: string; changed: ProfileField[] }[];
  unchanged: number;
  /** Members the directory does not know (any more): left alone. */
  notInDirectory: number;
  /** Changes another run wrote today already (two machines, or a rerun). */
  alreadyRefreshed: number;
  /** Set when the directory stopped answering: the walk ended there and the next run picks it up. */
  stoppedBy?: string;
}

async function inTurns<T>(items: readonly T[], workers: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(workers, items.length) }, worker));
}

const fingerprintOf = (profile: MemberProfile) => JSON.stringify([profile.office ?? null, profile.department ?? null, profile.jobTitle ?? null]);

/**
 * The daily refresh: walks the members (not those who left), looks each up in the directory and writes
 * the office, department and job title that changed, one command per member. The idempotency key is the
 * member and the day, so a rerun the same day, or a second machine, changes nothing twice.
 */
export async function refreshMembersFromDirectory(deps: AppDeps, tenant: string): Promise<DirectoryRefreshReport> {
  const day = deps.clock.now().toISOString().slice(0, 10);
  const report: DirectoryRefreshReport = { checked: 0, updated: [], unchanged: 0, notInDirectory: 0, alreadyRefreshed: 0 };
  let stopped: DirectoryUnavailableError | undefined;

  const refresh = async (member: Member) => {
    if (stopped) return;
    let person: DirectoryPerson | undefined;
    try {
      person = await deps.directory.findById(tenant, member.id);
    } catch (error) {
      if (!(error instanceof DirectoryUnavailableError)) throw error;
      stopped ??= error;
      return;
    }
    report.checked += 1;
    if (!person) {
      report.notInDirectory += 1;
      return;
    }
    const profile = profileOf(person);
    if (withProfile(member, profile).changed.length === 0) {
      report.unchanged += 1;
      return;
    }
    const outcome = await deps.store.execute(tenant, {
      actor: DIRECTORY_ACTOR,
      idempotency: { caller: DIRECTORY_ACTOR, key: `directory|${day}|${member.id}`, fingerprint: fingerprintOf(profile) },
      needs: { members: [member.id] },
      decide: (state, ctx) => {
        const current = state.members[member.id];
        if (!current) return fail('NOT_FOUND', `No member ${member.id}.`);
        // Decided against the stored row: a change made since the walk read it is kept.
        const { member: next, changed } = withProfile(current, profile);
        const posting = emptyPosting(ctx.postingId);
        if (changed.length > 0) posting.members.push(next);
        return { ok: true, value: { posting, answer: { memberId: member.id, changed } } };
      },
    });
    if (outcome.kind === 'committed' && !outcome.replayed) {
      const { changed } = outcome.answer;
      if (changed.length > 0) report.updated.push({ memberId: member.id, changed });
      else report.unchanged += 1;
    } else if (outcome.kind === 'committed' || outcome.kind === 'idempotency_conflict') {
      report.alreadyRefreshed += 1;
    }
  };

  let cursor: string | undefined;
  do {
    const page = await deps.store.listMembers(tenant, {}, { cursor, limit: REFRESH_PAGE });
    await inTurns(
      page.items.map((m) => m.member).filter((m) => m.registration.state !== 'left'),
      REFRESH_CONCURRENCY,
      refresh,
    );
    cursor = page.nextCursor ?? undefined;
  } while (cursor && !stopped);
  if (stopped) report.stoppedBy = stopped.message;
  return report;
}
