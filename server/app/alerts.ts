import type { DueAlert, FeedEvent } from '../../src/core/feed/index.js';
import type { Member } from '../../src/core/ledger/index.js';
import type { Purchase } from '../../src/core/purchases/index.js';
import { dueAlerts } from '../../src/core/feed/index.js';
import { balanceOf, emptyPosting, eventId } from '../../src/core/ledger/index.js';
import { OPEN_PURCHASE_STATES } from '../../src/core/purchases/index.js';
import type { AppDeps } from './deps.js';
import { allPages } from './paging.js';
import { loadForecast } from './forecast.js';

/** Who raises the timer's alerts, in the feed and on the idempotency markers. */
export const ALERTS_ACTOR = 'system:alerts';
const EVENTS_SCANNED = 1000;


/** Whether a pool-low alert came after the last refill (a draw raises one when it crosses the line). */
async function poolLowRaisedSince(deps: AppDeps, tenant: string, since: string | undefined): Promise<boolean> {
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await deps.store.listEvents(tenant, { cursor, limit: 200 });
    for (const e of page.items) {
      if (since && e.at < since) return false;
      if (e.kind === 'alert_pool_low') return true;
    }
    scanned += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && scanned < EVENTS_SCANNED);
  return false;
}

/**
 * The hourly check: works out the alerts that are due and raises each one once. The alert's key is the
 * idempotency key of its write, so running twice in an hour, or on two machines, raises nothing twice.
 */
export async function raiseAlerts(deps: AppDeps, tenant: string): Promise<{ raised: DueAlert[]; due: DueAlert[] }> {
  const now = deps.clock.now();
  const [loaded, lots, openPurchases, latest, waiting] = await Promise.all([
    loadForecast(deps, tenant, now),
    deps.store.listLots(tenant),
    Promise.all(OPEN_PURCHASE_STATES.map((state) => allPages<Purchase>((cursor) => deps.store.listPurchases(tenant, { state }, { cursor, limit: 200 })))).then((l) => l.flat()),
    deps.store.listPurchases(tenant, {}, { limit: 1 }),
    allPages((cursor) => deps.store.listMembers(tenant, { state: 'account_created' }, { cursor, limit: 200 })),
  ]);
  const lastLot = [...lots].sort((a, b) => a.appliedAt.localeCompare(b.appliedAt)).at(-1);
  const purchases = [...openPurchases, ...latest.items.filter((p) => !openPurchases.some((o) => o.id === p.id))];
  const due = dueAlerts({
    now: now.toISOString(),
    policy: loaded.policy,
    poolBalance: loaded.poolBalance,
    lots,
    purchases,
    members: waiting.map((m): Member => m.member),
    // No usage, no forecast; an overdraft needs an order all the same.
    forecast: loaded.forecast.method === 'no-usage' && !loaded.forecast.overdraft ? null : loaded.forecast,
    poolLowRaisedSinceRefill: await poolLowRaisedSince(deps, tenant, lastLot?.appliedAt),
  });

  const raised: DueAlert[] = [];
  for (const alert of due) if (await raiseAlert(deps, tenant, alert)) raised.push(alert);
  return { raised, due };
}

/**
 * Writes an alert's feed event, once: its key is the idempotency key of the write, so a second call (a
 * retry, another machine) changes nothing. True when this call raised it.
 */
export async function raiseAlert(deps: Pick<AppDeps, 'store'>, tenant: string, alert: DueAlert): Promise<boolean> {
  const outcome = await deps.store.execute(tenant, {
    actor: ALERTS_ACTOR,
    idempotency: { caller: ALERTS_ACTOR, key: `alert|${alert.key}`, fingerprint: alert.key },
    needs: {},
    decide: (state, ctx) => {
      const { key: _key, ...fields } = alert;
      const event: FeedEvent = { ...fields, id: eventId(ctx.postingId, 0), postingId: ctx.postingId, at: ctx.now, actor: ALERTS_ACTOR, poolAfter: balanceOf(state, 'pool') };
      return { ok: true, value: { posting: { ...emptyPosting(ctx.postingId), events: [event] }, answer: { eventId: event.id } } };
    },
  });
  return outcome.kind === 'committed' && !outcome.replayed;
}
