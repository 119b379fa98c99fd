import { newMember } from '../../src/core/ledger/index.js';
import type { Policy } from '../../src/core/policy/index.js';
import { DEFAULT_POLICY, withUnit } from '../../src/core/policy/index.js';
import type { AppResult, WriteRequest } from '../app/app-result.js';
import type { Caller } from '../app/caller.js';
import type { AppDeps } from '../app/deps.js';
import { postHold } from '../app/holds.js';
import { purchaseEvent, startPurchase } from '../app/purchases.js';
import { registrationEvent, requestRegistration } from '../app/registrations.js';
import { postUsage } from '../app/usage.js';
import { putSettings } from '../app/settings.js';
import type { EntityTable } from '../adapters/table-storage/entity-table.js';
import { TableFeedOutbox } from '../adapters/table-storage/table-feed-outbox.js';
import { TableLedgerStore } from '../adapters/table-storage/table-ledger-store.js';
import type { Clock } from '../ports/clock.js';
import { newestFirstIds } from '../ports/ids.js';
import type { DemoUser } from './demo-users.js';
import { DEMO_TENANT, DEMO_USERS } from './demo-users.js';
import { DemoDirectoryAdapter } from './dev-identity.js';

const DAY = 86_400_000;

/** A clock the seed moves by hand, so history spreads over months. */
class SeedClock implements Clock {
  constructor(private time: number) {}
  now() {
    return new Date(this.time);
  }
  set(time: number) {
    this.time = time;
  }
}

/** Small deterministic generator so every fresh start shows the same demo. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const byName = (name: string): DemoUser => {
  const user = DEMO_USERS.find((u) => u.displayName.startsWith(name));
  if (!user) throw new Error(`No demo user ${name}`);
  return user;
};

/** Usage a person logs themself in the Flex demo: what Autodesk's usage APIs (the stand-in) later report. */
export interface SelfLoggedUsage {
  email: string;
  service: string;
  tokens: number;
  /** YYYY-MM-DD. */
  date: string;
}

export interface SeedOptions {
  webhookUrl?: string;
  /**
   * The Flex tokens demo (DESIGN 3.6: no allotment, packs expiring after 12 months): the usage comes from
   * Autodesk's usage APIs, so the only self-logged usage is `selfLogged`, which their pulls settle.
   */
  flex?: { selfLogged: readonly SelfLoggedUsage[] };
}

const callerOf = (user: DemoUser): Caller => ({ tenant: DEMO_TENANT, id: user.id, email: user.email, displayName: user.displayName, roles: user.roles });

/**
 * Demo data through the real use cases: people in every registration state, usage over five months,
 * some people past their own 100 credits drawing on the pool, purchases in every state. In Flex mode
 * (`options.flex`) packs four times as large, and the usage is what people logged of the last days.
 */
export async function seedDemoData(table: EntityTable, now: Date, log: (line: string) => void = () => {}, options: SeedOptions = {}): Promise<boolean> {
  const clock = new SeedClock(now.getTime() - 150 * DAY);
  const store = new TableLedgerStore({ table, clock, ids: newestFirstIds(() => clock.now().getTime()), defaultPolicy: DEFAULT_POLICY });
  const existing = await store.listMembers(DEMO_TENANT, {}, { limit: 1 });
  if (existing.items.length > 0) return false;

  const deps: AppDeps = { store, directory: new DemoDirectoryAdapter(), clock, defaultPolicy: DEFAULT_POLICY };
  let n = 0;
  const write = (): WriteRequest => ({ idempotency: { caller: 'seed', key: `seed-${++n}`, fingerprint: `seed-${n}` } });
  const must = async <T>(what: string, result: Promise<AppResult<T>>): Promise<T> => {
    const answer = await result;
    if (!answer.ok) throw new Error(`Seeding failed at ${what}: ${JSON.stringify(answer)}`);
    return answer.value;
  };
  const at = (daysAgo: number) => clock.set(now.getTime() - daysAgo * DAY);
  const unitName: Policy['unitName'] = options.flex ? 'Flex tokens' : 'Cloud Credits';
  // A Flex contract draws everyone's use on the pool: packs large enough for months of it.
  const packScale = options.flex ? 4 : 1;
  const riley = callerOf(byName('Riley'));
  const taylor = callerOf(byName('Taylor'));

  for (const user of DEMO_USERS) {
    await store.ensureMember(DEMO_TENANT, newMember({ id: user.id, email: user.email, displayName: user.displayName, office: user.office, now: clock.now().toISOString() }));
  }

  // IT names the account managers, so people know whom to ask.
  at(150);
  await must(
    'settings',
    putSettings(deps, taylor, write(), {
      ...withUnit(DEFAULT_POLICY, unitName),
      teamsWebhookUrl: options.webhookUrl ?? null,
      // The demo's Graph stand-in grants every permission: show the opt-in features too.
      notifications: { ...DEFAULT_POLICY.notifications, teams: true },
      features: { messageTrace: true, mailboxHelper: true },
      accountManagers: DEMO_USERS.filter((u) => u.roles.includes('AccountManager')).map((u) => ({ name: u.displayName, email: u.email })),
    }),
  );

  // Everything is scheduled on a timeline and run oldest first, so ids and the feed follow the story.
  const timeline: { daysAgo: number; run: () => Promise<unknown> }[] = [];
  const schedule = (daysAgo: number, run: () => Promise<unknown>) => timeline.push({ daysAgo, run });

  // Purchases: two applied long ago, then one in every later state.
  const purchase = (daysAgo: number, blocks: number, steps: string[], reason: string) => {
    let id = '';
    schedule(daysAgo, async () => {
      id = (await must('purchase', startPurchase(deps, riley, write(), { blocks: blocks * packScale, reason }))).purchase.id;
    });
    for (const [i, type] of steps.entries()) {
      schedule(daysAgo - (i + 1), () => {
        const extra =
          type === 'quote_received' ? { quoteNumber: `IMT-Q-${4400 + n}`, price: blocks * packScale * 550, currency: 'USD' } : type === 'ordered' ? { poNumber: `PO-${7100 + n}` } : type === 'cancelled' ? { reason: 'Quote superseded' } : {};
        return must(`purchase ${type}`, purchaseEvent(deps, type === 'approved' ? taylor : riley, write(), id, { type: type as never, ...extra }));
      });
    }
  };
  const allSteps = ['quote_requested', 'quote_received', 'approved', 'ordered', 'applied'];
  purchase(140, 3, allSteps, 'Initial pool for rendering season');
  purchase(45, 2, allSteps, 'Pool running low after the Denver bid');
  purchase(20, 1, ['quote_requested', 'cancelled'], 'Duplicate request');
  purchase(12, 2, ['quote_requested', 'quote_received', 'approved', 'ordered'], 'Q4 top-up');
  purchase(9, 1, ['quote_requested', 'quote_received', 'approved'], 'Simulation course');
  purchase(6, 2, ['quote_requested', 'quote_received'], 'Generative design pilot');
  purchase(4, 1, ['quote_requested'], 'Seattle office');
  purchase(2, 1, [], 'Spare block for December');

  // Registrations: most registered months ago; the rest in every other state.
  const registered = ['Avery', 'Blake', 'Casey', 'Devon', 'Emery', 'Finley', 'Harper', 'Morgan', 'Riley', 'Taylor'];
  for (const [i, name] of registered.entries()) {
    const user = byName(name);
    schedule(148 - i * 3, () => must(`request ${name}`, requestRegistration(deps, callerOf(user), write(), {})));
    schedule(147 - i * 3, () => must(`created ${name}`, registrationEvent(deps, riley, write(), user.id, { type: 'account_created' })));
    schedule(146 - i * 3, () => must(`completed ${name}`, registrationEvent(deps, callerOf(user), write(), user.id, { type: 'completed' })));
  }
  schedule(30, () => must('Morgan left', registrationEvent(deps, riley, write(), byName('Morgan').id, { type: 'left', reason: 'Moved to another firm' })));
  schedule(9, () => must('request Jordan', requestRegistration(deps, callerOf(byName('Jordan')), write(), {})));
  schedule(8, () => must('created Jordan', registrationEvent(deps, riley, write(), byName('Jordan').id, { type: 'account_created' })));
  schedule(6, () => must('request Logan', requestRegistration(deps, callerOf(byName('Logan')), write(), {})));
  schedule(5, () => must('decline Logan', registrationEvent(deps, riley, write(), byName('Logan').id, { type: 'declined', reason: 'Contractor: not covered by the Autodesk contract' })));
  schedule(1, () => must('request Kai', requestRegistration(deps, riley, write(), { email: byName('Kai').email })));
  // Kai and Quinn wait for the Autodesk email (the Graph stand-in's mailboxes: a quarantine digest, a Junk message).
  schedule(1, () => must('created Kai', registrationEvent(deps, riley, write(), byName('Kai').id, { type: 'account_created' })));
  schedule(3, () => must('request Quinn', requestRegistration(deps, callerOf(byName('Quinn')), write(), {})));
  schedule(1, () => must('created Quinn', registrationEvent(deps, riley, write(), byName('Quinn').id, { type: 'account_created' })));

  if (options.flex) scheduleSelfLogged(options.flex.selfLogged, now, schedule, (entry) => postUsage(deps, callerOf(byEmail(entry.email)), write(), { service: entry.service, credits: entry.tokens, date: entry.date }));
  // Usage over four months; three heavy users go past their own 100 credits and draw on the pool.
  const random = generator(42);
  const services = ['cloud_rendering', 'simulation', 'generative_design', 'other'];
  const heavy = new Set(['Avery', 'Casey', 'Harper']);
  for (let daysAgo = 120; daysAgo >= 1 && !options.flex; daysAgo -= 2) {
    for (const name of registered.slice(0, 8)) {
      const chance = heavy.has(name) ? 0.55 : 0.12;
      if (random() > chance) continue;
      const service = services[Math.floor(random() * services.length)]!;
      const credits = Math.round((heavy.has(name) ? 3 + random() * 9 : 1 + random() * 5) * 100) / 100;
      const project = `P-${100 + Math.floor(random() * 8)}`;
      const day = new Date(now.getTime() - daysAgo * DAY).toISOString().slice(0, 10);
      schedule(daysAgo, async () => {
        // Morgan has left by the later days: those entries are refused, as the rules say.
        const result = await postUsage(deps, callerOf(byName(name)), write(), { service, credits, date: day, project });
        if (!result.ok && result.code !== 'POOL_INSUFFICIENT' && result.code !== 'NOT_REGISTERED') throw new Error(`Seeding usage failed: ${JSON.stringify(result)}`);
      });
    }
  }

  // Avery reserves credits for a study next week (a hold, DESIGN 3.5): their own are used up, so from the pool.
  schedule(1, async () => {
    const result = await postHold(deps, callerOf(byName('Avery')), write(), { service: 'generative_design', credits: 30, note: 'Lobby massing options for the Denver bid' });
    if (!result.ok && result.code !== 'POOL_INSUFFICIENT') throw new Error(`Seeding a hold failed: ${JSON.stringify(result)}`);
  });

  // Oldest first; the sort is stable, so same-day steps keep the order they were scheduled in.
  for (const step of [...timeline].sort((a, b) => b.daysAgo - a.daysAgo)) {
    at(step.daysAgo);
    await step.run();
  }
  await markHistoryPosted(table);
  log(`Seeded ${DEMO_USERS.length} demo people, ${n} changes.`);
  return true;
}

const byEmail = (email: string): DemoUser => {
  const user = DEMO_USERS.find((u) => u.email === email);
  if (!user) throw new Error(`No demo user ${email}`);
  return user;
};

/** Each entry logged on its own day (today's now), as people log what they ran. */
function scheduleSelfLogged(entries: readonly SelfLoggedUsage[], now: Date, schedule: (daysAgo: number, run: () => Promise<unknown>) => void, post: (entry: SelfLoggedUsage) => Promise<AppResult<unknown>>): void {
  const today = Date.parse(now.toISOString().slice(0, 10));
  for (const entry of entries) {
    schedule(Math.max(0, Math.round((today - Date.parse(entry.date)) / DAY)), async () => {
      const result = await post(entry);
      if (!result.ok) throw new Error(`Seeding self-logged usage failed: ${JSON.stringify(result)}`);
    });
  }
}

/** Months of demo history count as posted to the channel already; the last few events are left for the dispatcher to show. */
async function markHistoryPosted(table: EntityTable, keep = 8): Promise<void> {
  const outbox = new TableFeedOutbox(table);
  const pending = await outbox.pending(DEMO_TENANT, 5000);
  await outbox.delivered(DEMO_TENANT, pending.slice(0, Math.max(0, pending.length - keep)).map((e) => e.event));
}
