import { describe, expect, it } from 'vitest';
import { newMember } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableFeedOutbox } from '../../../server/adapters/table-storage/table-feed-outbox.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import { raiseAlerts } from '../../../server/app/alerts.js';
import type { Caller } from '../../../server/app/caller.js';
import type { AppDeps } from '../../../server/app/deps.js';
import { purchaseEvent, startPurchase } from '../../../server/app/purchases.js';
import { registrationEvent, requestRegistration } from '../../../server/app/registrations.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { NO_DIRECTORY } from '../../support/directory.js';

const TENANT = 't1';
const DAY = 86_400_000;
const manager: Caller = { tenant: TENANT, id: 'am', email: 'am@x.example', displayName: 'AM', roles: ['AccountManager', 'ITAdmin'] };
const person: Caller = { tenant: TENANT, id: 'p1', email: 'p1@x.example', displayName: 'Pat Doe', roles: [] };
let counter = 0;
const write = (caller = 'x') => ({ idempotency: { caller, key: `k${++counter}`, fingerprint: `f${counter}` } });

function setup() {
  // Monday 23 November 2026.
  let now = Date.parse('2026-11-23T09:00:00Z');
  const clock = { now: () => new Date(now) };
  const table = new MemoryTableAdapter();
  const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(() => now), defaultPolicy: DEFAULT_POLICY });
  const deps: AppDeps = { store, directory: NO_DIRECTORY, clock, defaultPolicy: DEFAULT_POLICY };
  return { deps, store, outbox: new TableFeedOutbox(table), advance: (ms: number) => (now += ms) };
}

describe('hourly alerts', () => {
  it('raise a slow purchase and a stuck registration once each, and again only when the condition changes', async () => {
    const { deps, store, outbox, advance } = setup();
    const created = await startPurchase(deps, manager, write(), { blocks: 2 });
    const id = (created as { value: { purchase: { id: string } } }).value.purchase.id;
    expect((await purchaseEvent(deps, manager, write(), id, { type: 'quote_requested' })).ok).toBe(true);
    await store.ensureMember(TENANT, newMember({ id: person.id, email: person.email, displayName: person.displayName, now: new Date().toISOString() }));
    expect((await requestRegistration(deps, person, write(), {})).ok).toBe(true);
    expect((await registrationEvent(deps, manager, write(), person.id, { type: 'account_created' })).ok).toBe(true);

    expect((await raiseAlerts(deps, TENANT)).raised).toEqual([]);
    advance(4 * DAY); // Friday: 4 working days at quote_requested, 4 since the account was created.
    const first = await raiseAlerts(deps, TENANT);
    expect(first.raised.map((a) => a.kind).sort()).toEqual(['alert_purchase_slow', 'alert_registration_stuck']);
    const second = await raiseAlerts(deps, TENANT);
    expect(second.due).toHaveLength(2);
    expect(second.raised).toEqual([]);

    const feed = await store.listEvents(TENANT, { limit: 50 });
    expect(feed.items.filter((e) => e.kind === 'alert_purchase_slow')).toHaveLength(1);
    expect(feed.items.find((e) => e.kind === 'alert_registration_stuck')).toMatchObject({ memberId: person.id, memberName: 'Pat Doe', actor: 'system:alerts' });
    // Alerts go to the Teams channel like every other event.
    const waiting = await outbox.pending(TENANT, 50);
    expect(waiting.filter((e) => e.event.kind.startsWith('alert_'))).toHaveLength(2);

    // The purchase moves on and stalls at its next step: that is a new condition.
    expect((await purchaseEvent(deps, manager, write(), id, { type: 'quote_received', quoteNumber: 'Q1', price: 100, currency: 'USD' })).ok).toBe(true);
    advance(7 * DAY);
    const third = await raiseAlerts(deps, TENANT);
    expect(third.raised).toMatchObject([{ kind: 'alert_purchase_slow', key: `purchase-slow|${id}|quote_received` }]);
  });
});
