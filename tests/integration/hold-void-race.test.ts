/**
 * A void racing a usage of the same person, over real HTTP against Azurite. The usage frees the own credits
 * the hold locks and re-backs the hold from the pool's lots, so the hold the void read beforehand (own
 * credits only) is not the hold it applies to. Each void must then either release the hold as it is now
 * (its pool part back to the lots), never fail inside the ledger's writer, and the ledger stays sound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { voidHoldFor } from '../../server/app/holds.js';
import { postUsage } from '../../server/app/usage.js';
import type { AppDeps } from '../../server/app/deps.js';
import type { LedgerStore } from '../../server/ports/ledger-store.js';
import type { Caller } from '../../server/app/caller.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { MANAGER, startTestApi } from '../support/api.js';

const ROUNDS = 4;
const PER_ROUND = 3;
let api: TestApi;

function person(i: number): DemoUser {
  return { id: `d0000000-0000-4000-8000-${String(i).padStart(12, '0')}`, email: `race${i}@contoso.example`, displayName: `Race ${i}`, office: 'Boston', roles: [] };
}
const people = Array.from({ length: ROUNDS * PER_ROUND + 1 }, (_, i) => person(i + 1));
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  api = await startTestApi();
  await Promise.all(people.map((p) => api.register(p)));
  await api.fillPool(5);
}, 120_000);

afterAll(async () => {
  await api?.stack.stop();
});

describe('voiding a hold while a usage of the same person re-backs it from the pool', () => {
  it('voids every hold as the usage left it and leaves the ledger and the holds consistent', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const group = people.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
      // Each holds 30 of their own 100 credits: a hold without any pool lot.
      const placed = await Promise.all(group.map((p) => api.call(p, 'POST', '/api/holds', { body: { service: 'simulation', credits: 30 } })));
      for (const answer of placed) {
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        expect(answer.body.hold).toMatchObject({ fromOwn: 30, fromPool: 0 });
      }
      // A usage of 80 needs 10 more than the 70 left own: it takes them from the hold, which the pool re-backs.
      const raced = await Promise.all(
        group.map((p, i) =>
          Promise.all([
            api.call(p, 'POST', `/api/holds/${placed[i]!.body.hold.id}/void`, {}),
            api.call(p, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits: 80, date: today() } }),
          ]),
        ),
      );
      for (const [i, [voided, usage]] of raced.entries()) {
        expect(usage.status, JSON.stringify(usage.body)).toBe(201);
        // Nothing else closes the hold (the usage takes 10 of its 30): the void must release it, as it is by then.
        expect(voided.status, JSON.stringify(voided.body)).toBe(200);
        expect(voided.body.hold).toMatchObject({ id: placed[i]!.body.hold.id, state: 'voided' });
        expect(voided.body.hold.fromOwn + voided.body.hold.fromPool).toBe(30);
        // Whichever came first, the person ends with 100 - 80 of their own and nothing held.
        const me = (await api.call(group[i], 'GET', '/api/me')).body.credits;
        expect(me).toMatchObject({ own: 20, held: 0 });
      }
    }
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
    expect((await api.call(MANAGER, 'GET', '/api/holds?state=held')).body.items).toEqual([]);
  });

  it('releases the hold as the usage left it when the usage lands between the void reading the hold and applying it', async () => {
    const who = people[people.length - 1]!;
    const caller: Caller = { tenant: DEMO_TENANT, id: who.id, email: who.email, displayName: who.displayName, roles: [] };
    const placed = await api.call(who, 'POST', '/api/holds', { body: { service: 'simulation', credits: 30 } });
    expect(placed.body.hold).toMatchObject({ fromOwn: 30, fromPool: 0 });
    const { deps } = api.stack;
    // The void reads the hold (own credits only); the usage re-backs it from the pool before the void goes on.
    let usage: ReturnType<typeof postUsage> | undefined;
    const store: LedgerStore = Object.create(deps.store, {
      getHold: {
        value: async (tenant: string, id: string) => {
          const hold = await deps.store.getHold(tenant, id);
          usage = postUsage(deps, caller, { idempotency: { caller: who.id, key: 'race-usage', fingerprint: 'race-usage' } }, { service: 'cloud_rendering', credits: 80, date: today() });
          await usage;
          return hold;
        },
      },
    });
    const gated: AppDeps = { ...deps, store };
    const voided = await voidHoldFor(gated, caller, { idempotency: { caller: who.id, key: 'race-void', fingerprint: 'race-void' } }, placed.body.hold.id);
    expect((await usage)?.ok).toBe(true);
    expect(voided.ok && voided.value.hold, JSON.stringify(voided)).toMatchObject({ id: placed.body.hold.id, state: 'voided', fromOwn: 20, fromPool: 10 });
    expect((await api.call(who, 'GET', '/api/me')).body.credits).toMatchObject({ own: 20, held: 0 });
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
  });
});
