import { describe, expect, it } from 'vitest';
import type { Member, RegistrationState } from '../../../src/core/ledger/index.js';
import { newMember } from '../../../src/core/ledger/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { StuckRegistrationsResponse } from '../../../src/contract/schemas.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { Caller } from '../../../server/app/caller.js';
import type { StuckRegistrationDeps } from '../../../server/app/stuck-registrations.js';
import { listStuckRegistrations } from '../../../server/app/stuck-registrations.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import type { MessageTrace, TraceResult } from '../../../server/ports/message-trace.js';
import { FakeDirectory } from '../../support/directory.js';

const TENANT = 't1';
const DAY = 86_400_000;
// Thursday 2026-11-26, 09:00 UTC.
const NOW = Date.parse('2026-11-26T09:00:00Z');
const manager: Caller = { tenant: TENANT, id: 'am', email: 'am@x.example', displayName: 'Ari Manager', roles: ['AccountManager'] };
const it_: Caller = { tenant: TENANT, id: 'it', email: 'it@x.example', displayName: 'Ida IT', roles: ['ITAdmin'] };
const employee: Caller = { tenant: TENANT, id: 'e1', email: 'e1@x.example', displayName: 'Eve', roles: [] };

class FakeTrace implements MessageTrace {
  readonly calls: { tenant: string; recipients: readonly string[]; since: Date; senders: readonly string[] }[] = [];
  constructor(private readonly answers: Record<string, TraceResult>) {}
  async heldMessages(tenant: string, recipients: readonly string[], since: Date, senders: readonly string[]): Promise<ReadonlyMap<string, TraceResult>> {
    this.calls.push({ tenant, recipients, since, senders });
    return new Map(recipients.map((r) => [r, this.answers[r] ?? { kind: 'none' }]));
  }
}

const member = (id: string, state: RegistrationState, sinceDaysAgo: number): Member => {
  const since = new Date(NOW - sinceDaysAgo * DAY).toISOString();
  return { ...newMember({ id, email: `${id}@x.example`, displayName: id.toUpperCase(), office: 'Boston', now: since }), registration: { state, since, history: [] } };
};

/** Message trace is opt-in: these tests are of a tenant that switched it on, unless they say otherwise. */
const TRACE_ON: Policy = { ...DEFAULT_POLICY, features: { ...DEFAULT_POLICY.features, messageTrace: true } };

async function setup(messageTrace?: MessageTrace, policy: Policy = TRACE_ON) {
  const clock = { now: () => new Date(NOW) };
  const store = new TableLedgerStore({ table: new MemoryTableAdapter(), clock, ids: newestFirstIds(() => NOW), defaultPolicy: DEFAULT_POLICY });
  // Stuck after 2 working days: Monday (3 working days) and the Friday before (4) are stuck; Wednesday (1) is not.
  await store.ensureMember(TENANT, member('pat', 'account_created', 3));
  await store.ensureMember(TENANT, member('noor', 'account_created', 6));
  await store.ensureMember(TENANT, member('wes', 'account_created', 1));
  await store.ensureMember(TENANT, member('req', 'requested', 9));
  const deps: StuckRegistrationDeps = { store, directory: new FakeDirectory([]), clock, defaultPolicy: policy, ...(messageTrace ? { messageTrace } : {}) };
  return deps;
}

const HELD: TraceResult = {
  kind: 'found',
  messages: [{ receivedDateTime: '2026-11-23T10:00:00Z', senderAddress: 'noreply@autodesk.com', subject: 'Welcome to Autodesk', status: 'quarantined' }],
};

describe('stuck registrations', () => {
  it('lists people in account_created past the policy, longest waiting first, with working days and the trace finding', async () => {
    const trace = new FakeTrace({ 'pat@x.example': HELD });
    const result = await listStuckRegistrations(await setup(trace), manager);
    expect(result.ok).toBe(true);
    const body = StuckRegistrationsResponse.parse((result as { value: unknown }).value);
    expect(body.items.map((i) => [i.member.id, i.workingDaysWaited, i.trace.kind])).toEqual([
      ['noor', 4, 'none'],
      ['pat', 3, 'found'],
    ]);
    expect(body.items[1]!.trace).toEqual({ kind: 'found', messages: HELD.kind === 'found' ? HELD.messages : [] });
    expect(body.items[1]!.since).toBe(new Date(NOW - 3 * DAY).toISOString());
    expect(body.note).toMatch(/IronPort/);
    expect(body.note).toMatch(/never shows in message trace/);
    // Asked once for everyone stuck, for the last 10 days and the policy's Autodesk senders.
    expect(trace.calls).toHaveLength(1);
    const [call] = trace.calls;
    expect([...call!.recipients].sort()).toEqual(['noor@x.example', 'pat@x.example']);
    expect(call!.tenant).toBe(TENANT);
    expect(call!.since.getTime()).toBe(NOW - 10 * DAY);
    expect(call!.senders).toEqual(DEFAULT_POLICY.quarantine.autodeskSenders);
  });

  it('passes on "not set up" (with the fix for IT) and an outage per person, with their words', async () => {
    const trace = new FakeTrace({
      'pat@x.example': { kind: 'not_set_up', permission: 'ExchangeMessageTrace.Read.All', fix: 'IT: grant the permission.' },
      'noor@x.example': { kind: 'unavailable', message: 'Message trace answered 503.' },
    });
    const result = await listStuckRegistrations(await setup(trace), it_);
    const body = StuckRegistrationsResponse.parse((result as { value: unknown }).value);
    expect(body.items.map((i) => i.trace)).toEqual([
      { kind: 'unavailable', message: 'Message trace answered 503.' },
      { kind: 'not_set_up', permission: 'ExchangeMessageTrace.Read.All', message: 'IT: grant the permission.' },
    ]);
  });

  it('says message trace is not configured when there is none, and still lists everyone stuck', async () => {
    const result = await listStuckRegistrations(await setup(), manager);
    const body = StuckRegistrationsResponse.parse((result as { value: unknown }).value);
    expect(body.items.map((i) => i.member.id)).toEqual(['noor', 'pat']);
    for (const item of body.items) expect(item.trace).toEqual({ kind: 'unavailable', message: 'Message trace is not configured' });
  });

  it('with message trace switched off (a fresh tenant), never asks it and says it is off for each person', async () => {
    const trace = new FakeTrace({ 'pat@x.example': HELD });
    const result = await listStuckRegistrations(await setup(trace, DEFAULT_POLICY), manager);
    const body = StuckRegistrationsResponse.parse((result as { value: unknown }).value);
    expect(body.items.map((i) => [i.member.id, i.trace])).toEqual([
      ['noor', { kind: 'off' }],
      ['pat', { kind: 'off' }],
    ]);
    expect(trace.calls).toHaveLength(0);
  });

  it('is for account managers and IT only', async () => {
    const trace = new FakeTrace({});
    expect(await listStuckRegistrations(await setup(trace), employee)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(trace.calls).toHaveLength(0);
  });
});
