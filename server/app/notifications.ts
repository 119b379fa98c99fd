import type { Units } from '../../src/core/ledger/index.js';
import type { ProvisionalUsage } from '../../src/core/usage-import/index.js';
import type { Notification } from '../ports/notifier.js';
import type { Caller } from './caller.js';
import type { AppDeps } from './deps.js';
import { policyOf } from './deps.js';

/**
 * Best-effort notifications after a write has committed (a registration step, an import's completion).
 * Nothing here throws or changes the API's answer: a failure (storage read, directory, Graph) is logged
 * and forgotten.
 */

async function send(deps: AppDeps, tenant: string, notification: Notification): Promise<void> {
  try {
    await deps.notifier!.notify(tenant, notification);
  } catch (error) {
    // The port says notify never throws; an adapter that does must still not fail the write.
    console.warn(`Credit Desk: the ${notification.kind} notification to ${notification.to.id} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function quietly(what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    console.warn(`Credit Desk: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The member's Autodesk account exists: tell them to look for Autodesk's email (probably in quarantine). */
export async function notifyAccountCreated(deps: AppDeps, tenant: string, memberId: string): Promise<void> {
  if (!deps.notifier) return;
  await quietly('notifying the member of their account', async () => {
    const member = (await deps.store.getMember(tenant, memberId))?.member;
    if (!member) return;
    await send(deps, tenant, { kind: 'account_created', to: { id: member.id, email: member.email, displayName: member.displayName } });
  });
}

/**
 * A request for an account was raised: tell each account manager named in settings. Their member id comes
 * from the directory; a manager the directory does not know (or cannot look up now) is skipped, and so is
 * the manager who raised the request.
 */
export async function notifyRequestArrived(deps: AppDeps, caller: Caller, memberId: string): Promise<void> {
  if (!deps.notifier) return;
  await quietly('notifying the account managers of a request', async () => {
    const [policy, stored] = await Promise.all([policyOf(deps, caller.tenant), deps.store.getMember(caller.tenant, memberId)]);
    if (!stored || policy.accountManagers.length === 0) return;
    const about = { displayName: stored.member.displayName, email: stored.member.email };
    const seen = new Set<string>([caller.id]);
    for (const manager of policy.accountManagers) {
      const person = await deps.directory.findByEmail(caller.tenant, manager.email).catch(() => undefined);
      if (!person || seen.has(person.id)) continue;
      seen.add(person.id);
      await send(deps, caller.tenant, { kind: 'request_arrived', to: { id: person.id, email: person.email, displayName: person.displayName || manager.name }, about });
    }
  });
}

/** People told at once of an import's unconfirmed usage: a slow Graph then holds the job's end for a few rounds, not one per person. */
const UNCONFIRMED_AT_ONCE = 4;

/**
 * A usage import did not confirm self-logged entries dated in its `range` (unconfirmedProvisional): tell
 * each owner once, with how many entries and what they add up to, in the tenant's unit. A member the
 * ledger no longer knows is skipped; one failure does not keep the others from being told.
 */
export async function notifyUsageUnconfirmed(deps: AppDeps, tenant: string, range: { from: string; to: string }, unconfirmed: readonly ProvisionalUsage[]): Promise<void> {
  if (!deps.notifier || unconfirmed.length === 0) return;
  await quietly('notifying people of their unconfirmed usage', async () => {
    const { unitName } = await policyOf(deps, tenant);
    const byMember = new Map<string, { entries: number; amount: Units }>();
    for (const p of unconfirmed) {
      const mine = byMember.get(p.memberId) ?? { entries: 0, amount: 0 };
      mine.entries++;
      mine.amount += p.transfers.reduce((sum, t) => sum + t.amount, 0);
      byMember.set(p.memberId, mine);
    }
    const queue = [...byMember];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [memberId, { entries, amount }] = next;
        await quietly(`notifying ${memberId} of their unconfirmed usage`, async () => {
          const member = (await deps.store.getMember(tenant, memberId))?.member;
          if (!member) return;
          await send(deps, tenant, { kind: 'usage_unconfirmed', to: { id: member.id, email: member.email, displayName: member.displayName }, entries, amount, unitName, range });
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(UNCONFIRMED_AT_ONCE, queue.length) }, worker));
  });
}
