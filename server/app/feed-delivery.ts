import type { ResponseOf } from '../../src/contract/index.js';
import { DELIVERY_TUNING, isStalled, wordsFor } from '../../src/core/feed/index.js';
import type { OutboxEntry, Words } from '../../src/core/feed/index.js';
import type { FeedOutbox } from '../ports/feed-outbox.js';
import type { AppResult } from './app-result.js';
import { failure, success } from './app-result.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';
import { policyOf } from './deps.js';
import { feedItem } from './views.js';

export interface FeedDeliveryDeps extends AppDeps {
  outbox: FeedOutbox;
}

const PENDING_COUNT_LIMIT = 1000;
const SHOWN = 20;

const entryView = (words: Words) => (e: OutboxEntry) => ({ event: feedItem(e.event, true, words), attempts: e.attempts, nextAttemptAt: e.nextAttemptAt, lastError: e.lastError });

/** For IT: what is waiting for the Teams channel, what was parked, and what the webhook last said. */
export async function getFeedDelivery(deps: FeedDeliveryDeps, caller: Caller): Promise<AppResult<ResponseOf<'feedDelivery'>>> {
  const [policy, pending, parked, health] = await Promise.all([
    policyOf(deps, caller.tenant),
    deps.outbox.pending(caller.tenant, PENDING_COUNT_LIMIT),
    deps.outbox.parked(caller.tenant, 100),
    deps.outbox.health(caller.tenant),
  ]);
  const configured = policy.teamsWebhookUrl !== null;
  const view = entryView(wordsFor(policy));
  return success({
    webhookConfigured: configured,
    digest: policy.feedDigest,
    pending: pending.length,
    pendingCountLimit: PENDING_COUNT_LIMIT,
    oldestPendingAt: pending[0]?.event.at ?? null,
    // Without a webhook nothing is meant to go out, so waiting is not a fault.
    stalled: configured && isStalled(pending, deps.clock.now().toISOString(), policy.feedDigest, DELIVERY_TUNING),
    waiting: pending.slice(0, SHOWN).map(view),
    lastError: health.lastError,
    lastErrorAt: health.lastErrorAt,
    lastDeliveredAt: health.lastDeliveredAt,
    parked: parked.map((p) => ({ ...view(p), parkedAt: p.parkedAt })),
  });
}

/** IT sends a parked event again; asking twice, or for one already waiting, changes nothing more. */
export async function requeueParkedEvent(deps: FeedDeliveryDeps, caller: Caller, eventId: string): Promise<AppResult<ResponseOf<'requeueParkedEvent'>>> {
  const outcome = await deps.outbox.requeue(caller.tenant, eventId);
  if (outcome === 'missing') return failure('NOT_FOUND', `No parked or waiting feed event ${eventId}.`);
  return success({ eventId, requeued: true });
}
