/** Shared builders for the core unit and property tests. Not a test file itself. */
import type { FeedEvent } from '../../../src/core/feed/index.js';
import type {
  LedgerSnapshot,
  LedgerState,
  Member,
  Posting,
  PostingContext,
  RegistrationState,
  Transfer,
} from '../../../src/core/ledger/index.js';
import type { Policy } from '../../../src/core/policy/index.js';
import type { Purchase, PurchaseEventInput } from '../../../src/core/purchases/index.js';
import type { Result } from '../../../src/core/result.js';
import { applyPosting, emptyLedgerState, emptyPosting, newMember } from '../../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { applyPurchaseEvent, createPurchase } from '../../../src/core/purchases/index.js';
import { applyRegistrationEvent } from '../../../src/core/registration/index.js';

export const NOW = '2026-11-02T10:00:00.000Z';
export const MANAGER = 'manager-1';

export function ctx(postingId: string, overrides: Partial<PostingContext> = {}): PostingContext {
  return { postingId, now: NOW, actor: MANAGER, policy: DEFAULT_POLICY, ...overrides };
}

export function policyWith(overrides: Partial<Policy>): Policy {
  return { ...DEFAULT_POLICY, ...overrides };
}

/** Unwraps an ok result, failing the test with the error when it is not. */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Unwraps a refused result's error, failing the test when the result is ok. */
export function refusal<T>(result: Result<T>): { code: string; message: string; details?: Record<string, unknown> } {
  if (result.ok) throw new Error('expected a refusal, got ok');
  return result.error;
}

/** A member placed directly in the given registration state (no allotment, no history). */
export function memberIn(id: string, state: RegistrationState, extra: Partial<Member> = {}): Member {
  const m = newMember({ id, email: `${id}@example.com`, displayName: `Name ${id}`, now: '2026-10-01T09:00:00.000Z' });
  return { ...m, registration: { ...m.registration, state }, ...extra };
}

/**
 * A ledger that keeps what a store would: the decision state plus every transfer, event and claim, so a
 * full snapshot can be checked. `commit` refuses a posting whose claims already exist, as the store does.
 */
export class Ledger {
  state: LedgerState = emptyLedgerState();
  transfers: Transfer[] = [];
  events: FeedEvent[] = [];
  claims = new Set<string>();
  private seq = 0;

  nextId(): string {
    this.seq += 1;
    return `p${this.seq}`;
  }

  ctx(overrides: Partial<PostingContext> = {}): PostingContext {
    return ctx(this.nextId(), overrides);
  }

  commit(posting: Posting): void {
    for (const c of posting.claims) if (this.claims.has(c)) throw new Error(`claim ${c} already exists`);
    for (const c of posting.claims) this.claims.add(c);
    this.state = applyPosting(this.state, posting);
    this.transfers.push(...posting.transfers);
    this.events.push(...posting.events);
  }

  snapshot(): LedgerSnapshot {
    return {
      balances: { ...this.state.balances },
      members: Object.values(this.state.members),
      lots: [...this.state.lots],
      purchases: Object.values(this.state.purchases),
      transfers: [...this.transfers],
      events: [...this.events],
      holds: Object.values(this.state.holds),
    };
  }

  addMember(id: string, office?: string): Member {
    const member = newMember({ id, email: `${id}@Example.com`, displayName: `Name ${id}`, now: NOW, ...(office ? { office } : {}) });
    const posting = emptyPosting(this.nextId());
    posting.members.push(member);
    this.commit(posting);
    return member;
  }

  /** Adds a member and registers them (already_registered), which grants the allotment. */
  addRegistered(id: string, office?: string, policy: Policy = DEFAULT_POLICY): Member {
    this.addMember(id, office);
    const { posting, member } = unwrap(applyRegistrationEvent(this.state, { memberId: id, event: 'already_registered' }, this.ctx({ policy })));
    this.commit(posting);
    return member;
  }

  /** Creates a purchase and walks it to `applied`, so its credits land in the pool as a lot. */
  applyPurchase(id: string, blocks: number, now = NOW, policy: Policy = DEFAULT_POLICY): Purchase {
    this.commit(unwrap(createPurchase(this.state, { purchaseId: id, blocks }, this.ctx({ now, policy }))).posting);
    return this.walkPurchase(id, ['quote_requested', 'quote_received', 'approved', 'ordered', 'applied'], now, policy);
  }

  walkPurchase(id: string, steps: PurchaseEventInput['type'][], now = NOW, policy: Policy = DEFAULT_POLICY): Purchase {
    let purchase: Purchase | undefined = this.state.purchases[id];
    for (const type of steps) {
      const input: PurchaseEventInput = { purchaseId: id, type, ...STEP_FIELDS[type] };
      const value = unwrap(applyPurchaseEvent(this.state, input, this.ctx({ now, policy })));
      this.commit(value.posting);
      purchase = value.purchase;
    }
    if (!purchase) throw new Error(`no purchase ${id}`);
    return purchase;
  }
}

/** The fields each purchase step needs to be valid. */
export const STEP_FIELDS: Record<PurchaseEventInput['type'], Partial<PurchaseEventInput>> = {
  quote_requested: {},
  quote_received: { quoteNumber: 'Q-1', price: 1500, currency: 'USD' },
  approved: {},
  ordered: { poNumber: 'PO-9' },
  applied: {},
  cancelled: { reason: 'no longer needed' },
};
