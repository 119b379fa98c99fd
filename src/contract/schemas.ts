import { z } from 'zod';
import { CHARGEBACK_GROUPS } from '../core/reports/chargeback.js';
import { DIGEST_MODES } from '../core/feed/delivery.js';
import { FEED_EVENT_KINDS } from '../core/feed/feed-event.js';
import { FORECAST_CONFIDENCES, FORECAST_METHODS } from '../core/forecast/forecast-input.js';
import { HOLD_STATES } from '../core/holds/hold-types.js';
import { hasAtMostTwoDecimals } from '../core/ledger/money.js';
import type { PublicPolicyField } from '../core/policy/policy.js';
import { PUBLIC_POLICY_FIELDS, isTimeZone } from '../core/policy/policy.js';
import { REGISTRATION_STATES } from '../core/ledger/member.js';
import { PURCHASE_STATES } from '../core/purchases/purchase-types.js';
import { PURCHASE_EVENTS } from '../core/purchases/purchase-rules.js';
import { REGISTRATION_EVENTS } from '../core/registration/registration-rules.js';
import { TRANSFER_CODES } from '../core/ledger/transfer.js';
import {
  CreditAmount,
  Credits,
  Cursor,
  Email,
  EntityId,
  IsoDay,
  Limit,
  LongText,
  PastOrTodayDay,
  ShortText,
  Slug,
  page,
} from './primitives.js';

export const ROLES = ['AccountManager', 'ITAdmin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const RegistrationState = z.enum(REGISTRATION_STATES);
export const PurchaseState = z.enum(PURCHASE_STATES);

export const MemberSummary = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  office: z.string().nullable(),
});

export const RegistrationView = z.object({
  state: RegistrationState,
  since: z.string(),
  requestedBy: z.string().nullable(),
  reason: z.string().nullable(),
  stuck: z.boolean(),
  /**
   * When the person told the account managers they cannot find the Autodesk email, while this account is
   * created; absent otherwise. Their own action: on their own record, and for account managers and IT.
   */
  helpAskedAt: z.string().optional(),
  history: z.array(z.object({ event: z.string(), state: RegistrationState, at: z.string(), by: z.string(), reason: z.string().optional() })),
});

export const Balances = z.object({
  own: CreditAmount,
  pool: CreditAmount,
  held: CreditAmount,
  available: CreditAmount,
});

export const MemberRecord = z.object({
  member: MemberSummary,
  registration: RegistrationView,
  credits: z.object({ own: CreditAmount, held: CreditAmount, poolDrawn: CreditAmount }),
  allotmentGrantedAt: z.string().nullable(),
});
export type MemberRecord = z.infer<typeof MemberRecord>;

export const MeResponse = z.object({
  member: MemberSummary,
  registration: z.object({ state: RegistrationState, since: z.string() }),
  credits: Balances,
  mayDrawFromPool: z.boolean(),
  roles: z.array(Role),
});
export type MeResponse = z.infer<typeof MeResponse>;

// Registrations
export const CreateRegistrationBody = z.strictObject({ email: Email.optional(), displayName: ShortText.optional() });
export const RegistrationEventBody = z.strictObject({ type: z.enum(REGISTRATION_EVENTS), reason: LongText.optional() });
export const RegistrationQuery = z.strictObject({ state: RegistrationState.optional(), cursor: Cursor.optional(), limit: Limit.optional() });
export const MemberPath = z.strictObject({ memberId: EntityId });
/** Asking twice for the same waiting account raises one alert: the second answer says it was already raised. */
export const RegistrationHelpResponse = z.object({ flagged: z.literal(true), alreadyFlagged: z.boolean() });

// Usage
export const UsageBody = z.strictObject({
  service: Slug,
  credits: Credits,
  date: PastOrTodayDay,
  project: ShortText.optional(),
  note: LongText.optional(),
  memberId: EntityId.optional(),
});
export type UsageBody = z.infer<typeof UsageBody>;
export const UsageResponse = z.object({
  postingId: z.string(),
  fromOwn: CreditAmount,
  fromPool: CreditAmount,
  balanceAfter: CreditAmount,
  /** Open holds this usage settled (DESIGN 3.5): released in the same change. */
  settledHolds: z.array(z.object({ id: z.string(), credits: CreditAmount, service: z.string() })).optional(),
});
export const TransferView = z.object({
  id: z.string(),
  postingId: z.string(),
  code: z.enum(TRANSFER_CODES),
  debit: z.string(),
  credit: z.string(),
  credits: CreditAmount,
  memberId: z.string().nullable(),
  lotId: z.string().nullable(),
  service: z.string().nullable(),
  office: z.string().nullable(),
  project: z.string().nullable(),
  note: z.string().nullable(),
  date: z.string().nullable(),
  source: z.string(),
  actor: z.string(),
  at: z.string(),
  reverses: z.string().nullable(),
  reason: z.string().nullable(),
});
export type TransferView = z.infer<typeof TransferView>;
export const UsageQuery = z.strictObject({ memberId: EntityId.optional(), cursor: Cursor.optional(), limit: Limit.optional() });

// Pool
export const LotView = z.object({
  id: z.string(),
  purchaseId: z.string(),
  appliedAt: z.string(),
  credits: CreditAmount,
  remaining: CreditAmount,
  /** Where the credits came from: a purchase, or the pool's opening balance (IT's go-live import). */
  source: z.enum(['purchase', 'opening_balance']).optional(),
  /** The purchase's reason, its title in the tab: for account managers and IT, who read purchases (null: none given). */
  title: z.string().nullable().optional(),
  /** When the purchase was asked for (null for an opening balance). */
  requestedAt: z.string().nullable().optional(),
  /** What the lot cost: for account managers and IT only, absent for everyone else (null: no price, as for opening balances). */
  price: z.number().nullable().optional(),
  currency: z.string().nullable().optional(),
  /** Flex mode: when the pack expires, when it did (null while live), and what it lost then. */
  expiresAt: z.string().nullable().optional(),
  expiredAt: z.string().nullable().optional(),
  expired: CreditAmount.optional(),
});
export const DrawView = z.object({
  at: z.string(),
  credits: CreditAmount,
  count: z.number().int(),
  service: z.string().nullable(),
  office: z.string().nullable(),
  memberId: z.string().nullable(),
  memberName: z.string().nullable(),
});
export const PoolResponse = z.object({
  /** What the pool can still give: its credits less those held for planned jobs. */
  balance: CreditAmount,
  /** Pool credits held for planned jobs (DESIGN 3.5): back in the pool when a hold is voided or expires. */
  held: CreditAmount,
  lots: z.array(LotView),
  eligibleMembers: z.number().int(),
  recentDraws: z.array(DrawView),
  /**
   * The pool below zero: Autodesk charged pool use the pool did not have. Since when, and the usage days;
   * who and which imports for account managers and IT only.
   */
  overdraft: z
    .object({
      credits: CreditAmount,
      since: z.string(),
      usedFrom: IsoDay.nullable(),
      usedTo: IsoDay.nullable(),
      people: z.array(z.object({ memberId: z.string(), name: z.string().nullable(), credits: CreditAmount })).optional(),
      imports: z.array(z.object({ fileName: z.string(), uploadedAt: z.string() })).optional(),
    })
    .nullable(),
});

// Holds (DESIGN 3.5): credits reserved before a big job; own credits first, then the pool.
export const HoldState = z.enum(HOLD_STATES);
/** `memberId`: an account manager reserving for someone. */
export const PlaceHoldBody = z.strictObject({
  service: Slug,
  credits: Credits,
  note: LongText.optional(),
  memberId: EntityId.optional(),
});
export type PlaceHoldBody = z.infer<typeof PlaceHoldBody>;
export const HoldView = z.object({
  id: z.string(),
  memberId: z.string(),
  credits: CreditAmount,
  /** Of which from the person's own credits, and from the shared pool. */
  fromOwn: CreditAmount,
  fromPool: CreditAmount,
  service: z.string(),
  note: z.string().nullable(),
  placedAt: z.string(),
  placedBy: z.string(),
  expiresAt: z.string(),
  state: HoldState,
  closedAt: z.string().nullable(),
  closedBy: z.string().nullable(),
  /** The change that closed it (for a settled hold: the usage). */
  closedIn: z.string().nullable(),
  /** For a settled hold, the usage that settled it: logged (by the person or a manager) or imported from Autodesk's export. */
  settledBy: z.object({ service: z.string(), date: z.string(), credits: CreditAmount, source: z.enum(['self', 'manager', 'import']) }).nullable(),
});
export type HoldView = z.infer<typeof HoldView>;
export const HoldResponse = z.object({ hold: HoldView });
export const HoldPath = z.strictObject({ id: EntityId });
export const HoldsQuery = z.strictObject({ memberId: EntityId.optional(), state: HoldState.optional(), cursor: Cursor.optional(), limit: Limit.optional() });

// Pool forecast (DESIGN 3.6): amounts in credits, days as YYYY-MM-DD (UTC).
export const PoolForecastQuery = z.strictObject({ horizonDays: z.coerce.number().int().min(7).max(365).optional() });
export const PoolForecastResponse = z.object({
  /** The day the forecast is made for (at its start). */
  today: IsoDay,
  poolBalance: CreditAmount,
  method: z.enum(FORECAST_METHODS),
  confidence: z.enum(FORECAST_CONFIDENCES),
  /** Expected pool draws per day over the coming week, from the draw history. */
  dailyRate: CreditAmount,
  /** Expected extra draws per day from members about to use up their own credits, and how many they are. */
  joiningRate: CreditAmount,
  joiningSoon: z.number().int().min(0),
  /** The first day the pool cannot cover (expected, and the band's earliest and latest); null beyond the horizon. */
  zeroDate: IsoDay.nullable(),
  zeroDateEarliest: IsoDay.nullable(),
  zeroDateLatest: IsoDay.nullable(),
  /** The pool runs out before a purchase on its way lands. */
  shortBeforeIncoming: z.boolean(),
  /** The last day to order so that a new purchase lands in time; null when no order is needed within the horizon. */
  orderByDate: IsoDay.nullable(),
  orderNow: z.boolean(),
  recommendedBlocks: z.number().int().min(0),
  recommendedCredits: CreditAmount,
  /**
   * The pool below zero now: by how much, since when (ISO time, when known), the day the purchases on their
   * way bring it back to zero or more (null: not within the horizon), the draws expected until a purchase
   * ordered today lands, and the whole blocks that cover both (the recommendation is never less).
   */
  overdraft: z
    .object({ credits: CreditAmount, since: z.string().nullable(), coveredOn: IsoDay.nullable(), leadDemand: CreditAmount, minimumBlocks: z.number().int().min(0) })
    .nullable(),
  blockSize: z.number(),
  /** Working days from order to credits in the pool, and where that figure comes from. */
  leadTimeDays: z.number().int().min(0),
  leadTimeSource: z.enum(['policy', 'history']),
  safetyMarginDays: z.number().int().min(0),
  horizonDays: z.number().int().min(1),
  /** Days of draw history the rate was computed from. */
  historyDays: z.number().int().min(0),
  /** Purchases in progress, each on the day the projection steps up for it (expectedArrival, after today). */
  incoming: z.array(z.object({ credits: CreditAmount, expectedDate: IsoDay })),
  /** Expected pool balance at the end of each day from today, with the band (low = heavier demand). */
  projection: z.array(z.object({ date: IsoDay, expected: CreditAmount, low: CreditAmount, high: CreditAmount })),
  /** Pool balance at the end of each past day of the history window, oldest first; the last row (today) is now. */
  balanceHistory: z.array(z.object({ date: IsoDay, balance: CreditAmount })),
});
export type PoolForecastResponse = z.infer<typeof PoolForecastResponse>;

// Purchases
export const CreatePurchaseBody = z.strictObject({ blocks: z.number().int().min(1).max(1000), reason: LongText.optional() });
export const PurchaseEventBody = z.strictObject({
  type: z.enum(PURCHASE_EVENTS),
  quoteNumber: ShortText.optional(),
  price: z.number().gt(0).lte(100_000_000).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as USD').optional(),
  poNumber: ShortText.optional(),
  reason: LongText.optional(),
});
export const PurchaseView = z.object({
  id: z.string(),
  blocks: z.number().int(),
  credits: CreditAmount,
  state: PurchaseState,
  reason: z.string().nullable(),
  quoteNumber: z.string().nullable(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  poNumber: z.string().nullable(),
  requestedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.array(z.object({ type: PurchaseState, at: z.string(), by: z.string() }).loose()),
});
export type PurchaseView = z.infer<typeof PurchaseView>;
export const PurchaseResponse = z.object({ purchase: PurchaseView });
export const PurchaseQuery = z.strictObject({ state: PurchaseState.optional(), cursor: Cursor.optional(), limit: Limit.optional() });
export const PurchasePath = z.strictObject({ id: EntityId });

// Members
export const MembersQuery = z.strictObject({ cursor: Cursor.optional(), limit: Limit.optional() });
export const MemberResponse = z.object({ member: MemberRecord });

// Directory (the people picker): `q` is matched by the start of the name, given name, surname or address.
export const DIRECTORY_SEARCH_LIMIT = { default: 10, max: 25 } as const;
export const DirectorySearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(DIRECTORY_SEARCH_LIMIT.max).default(DIRECTORY_SEARCH_LIMIT.default),
});
export const DirectoryPersonView = z.object({
  id: z.string(),
  displayName: z.string(),
  email: z.string(),
  office: z.string().nullable(),
  department: z.string().nullable(),
  jobTitle: z.string().nullable(),
  /** Null when the person has never been a member of Credit Desk. */
  member: z.object({ registrationState: RegistrationState }).nullable(),
});
export type DirectoryPersonView = z.infer<typeof DirectoryPersonView>;
export const DirectorySearchResponse = z.object({ items: z.array(DirectoryPersonView) });

// One person by address (the Outlook pane): what Credit Desk and the directory each know about them.
export const DIRECTORY_STATUSES = ['found', 'not_found', 'unavailable'] as const;
export const MemberLookupQuery = z.strictObject({ email: Email });
export const MemberLookupResponse = z.object({
  email: z.string(),
  /** Null when the person has never been a member of Credit Desk. */
  member: MemberRecord.nullable(),
  directory: z.object({ status: z.enum(DIRECTORY_STATUSES), person: DirectoryPersonView.omit({ member: true }).nullable() }),
});
export type MemberLookupResponse = z.infer<typeof MemberLookupResponse>;

// Stuck registrations: people in account_created past the policy's time, with what Exchange message trace says.
/** `off`: message trace is switched off in Settings (an opt-in feature): nothing was asked. */
export const TRACE_KINDS = ['found', 'none', 'not_set_up', 'unavailable', 'off'] as const;
export const HeldMessageView = z.object({
  receivedDateTime: z.string(),
  senderAddress: z.string(),
  subject: z.string(),
  status: z.enum(['quarantined', 'filteredAsSpam']),
});
export const TraceView = z.object({
  kind: z.enum(TRACE_KINDS),
  /** found: the held Autodesk messages, newest first. */
  messages: z.array(HeldMessageView).optional(),
  /** not_set_up: the Graph permission message trace needs. */
  permission: z.string().optional(),
  /** not_set_up: what IT does to set message trace up (words); unavailable: why there is no answer. */
  message: z.string().optional(),
});
export type TraceView = z.infer<typeof TraceView>;
export const StuckRegistration = z.object({
  member: MemberSummary,
  /** When the account was marked created. */
  since: z.string(),
  workingDaysWaited: z.number().int().min(0),
  trace: TraceView,
});
export type StuckRegistration = z.infer<typeof StuckRegistration>;
export const StuckRegistrationsResponse = z.object({
  items: z.array(StuckRegistration),
  /** How far back message trace looks, in days. */
  traceDays: z.number().int(),
  /** What message trace cannot see (mail stopped at the gateway before Exchange). */
  note: z.string(),
});
export type StuckRegistrationsResponse = z.infer<typeof StuckRegistrationsResponse>;

// Reversals
export const ReversalBody = z.strictObject({ reason: LongText });
export const TransferPath = z.strictObject({ id: EntityId });
export const ReversalResponse = z.object({ postingId: z.string(), reversal: TransferView });

// Feed
export const FeedItem = z.object({
  id: z.string(),
  kind: z.enum(FEED_EVENT_KINDS),
  at: z.string(),
  message: z.string(),
  credits: CreditAmount.nullable(),
  poolAfter: CreditAmount,
  memberId: z.string().nullable(),
  memberName: z.string().nullable(),
  office: z.string().nullable(),
  service: z.string().nullable(),
  purchaseId: z.string().nullable(),
  actor: z.string().nullable(),
});
// Audit trail: who changed what, one entry per committed change, newest first (account managers and IT).
export const AuditQuery = z.strictObject({ cursor: Cursor.optional(), limit: Limit.optional() });
export const AuditChangeView = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('transfer'),
    transferId: z.string(),
    code: z.enum(TRANSFER_CODES),
    credits: z.number(),
    memberId: z.string().nullable(),
    memberName: z.string().nullable(),
    reverses: z.string().nullable(),
  }),
  z.object({ kind: z.literal('member'), memberId: z.string(), name: z.string(), registrationState: RegistrationState, what: z.enum(['registration', 'help', 'details']) }),
  z.object({ kind: z.literal('purchase'), purchaseId: z.string(), blocks: z.number().int(), state: PurchaseState }),
  z.object({ kind: z.literal('settings') }),
]);
export type AuditChangeView = z.infer<typeof AuditChangeView>;
export const AuditEntryView = z.object({
  id: z.string(),
  at: z.string(),
  /** `name` is the person's, or what a system actor does (the daily directory refresh…). */
  actor: z.object({ id: z.string(), name: z.string() }),
  changes: z.array(AuditChangeView),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;
export const AuditPage = page(AuditEntryView);

export const FeedQuery = z.strictObject({ cursor: Cursor.optional(), limit: Limit.optional() });

// Chargeback (account managers and IT): usage in a date range by office, department, project, service or
// person; own credits vs pool, and the pool use at the price of the purchases it came from.
export const ChargebackGroupBy = z.enum(CHARGEBACK_GROUPS);
/** Both days included, by the day the usage happened; at most 366 days (`RANGE_TOO_LONG`). */
export const ChargebackQuery = z.strictObject({ from: IsoDay, to: IsoDay, groupBy: ChargebackGroupBy });
export const MoneyAmount = z.object({ currency: z.string(), amount: z.number() });
export const ChargebackFigures = z.object({
  /** Credits used from people's own allotments. */
  own: CreditAmount,
  /** Credits drawn from the pool. */
  pool: CreditAmount,
  total: CreditAmount,
  people: z.number().int(),
  /** Pool use at the purchase price of the lots it came from, per currency, to the cent. */
  poolCost: z.array(MoneyAmount),
  /** Pool credits from lots without a price. */
  unpriced: CreditAmount,
});
export const ChargebackGroup = ChargebackFigures.extend({ key: z.string(), label: z.string() });
export type ChargebackGroup = z.infer<typeof ChargebackGroup>;
export const ChargebackResponse = z.object({
  from: IsoDay,
  to: IsoDay,
  groupBy: ChargebackGroupBy,
  groups: z.array(ChargebackGroup),
  totals: ChargebackFigures,
});
export type ChargebackResponse = z.infer<typeof ChargebackResponse>;

// Feed delivery to the Teams channel (IT)
export const DeliveryEntry = z.object({
  event: FeedItem,
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export const FeedDeliveryResponse = z.object({
  webhookConfigured: z.boolean(),
  digest: z.enum(DIGEST_MODES),
  /** Events waiting for the channel (counted up to `pendingCountLimit`). */
  pending: z.number().int(),
  pendingCountLimit: z.number().int(),
  oldestPendingAt: z.string().nullable(),
  /** Events have waited longer than they should: the dispatcher is not making progress. */
  stalled: z.boolean(),
  waiting: z.array(DeliveryEntry),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastDeliveredAt: z.string().nullable(),
  parked: z.array(DeliveryEntry.extend({ parkedAt: z.string() })),
});
export const ParkedEventPath = z.strictObject({ eventId: EntityId });
export const RequeueResponse = z.object({ eventId: z.string(), requeued: z.literal(true) });

// Settings (the policy, DESIGN 3.6)
/** A Teams Workflows webhook: https, or plain http to the local stand-in on this machine. */
const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine((url) => url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(url), 'must start with https:// (plain http only for a local stand-in on 127.0.0.1)');
const Person = z.strictObject({ name: ShortText, email: Email });
export const Settings = z.strictObject({
  unitName: z.enum(['Cloud Credits', 'Flex tokens']),
  individualAllotment: z.number().min(0).max(100_000).refine((n) => Number.isInteger(n * 100), 'at most two decimals'),
  allotmentRenewal: z.enum(['once', 'yearly']),
  blockSize: z.number().int().min(1).max(100_000),
  packExpiryMonths: z.number().int().min(1).max(60).nullable(),
  leadTimeDays: z.strictObject({ min: z.number().int().min(0).max(90), max: z.number().int().min(0).max(90) }).refine((r) => r.min <= r.max, 'min must not exceed max'),
  applyDays: z.strictObject({ min: z.number().int().min(0).max(30), max: z.number().int().min(0).max(30) }).refine((r) => r.min <= r.max, 'min must not exceed max'),
  workingDays: z.array(z.number().int().min(1).max(7)).min(1).max(7),
  holidays: z.array(IsoDay).max(366),
  stuckAfterWorkingDays: z.number().int().min(1).max(60),
  holdExpiryDays: z.number().int().min(1).max(90),
  /**
   * Most pool credits one person may have in open holds (HOLD_LIMIT_REACHED past it); 0: nobody holds pool
   * credits. Absent in settings saved before the limit existed: 100, one block.
   */
  maxPoolHeldPerPerson: z.number().min(0).max(100_000).refine(hasAtMostTwoDecimals, 'at most two decimals').default(100),
  services: z
    .array(z.strictObject({ slug: Slug, name: ShortText, typicalCredits: z.number().min(0).max(100_000) }))
    .min(1)
    .max(50)
    .refine((s) => new Set(s.map((x) => x.slug)).size === s.length, 'service slugs must be unique'),
  accountManagers: z.array(Person).max(50),
  reseller: z.strictObject({ name: ShortText, emailDomain: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, 'a domain such as imaginit.com') }),
  homeUseKbUrl: z.url({ protocol: /^https$/ }),
  quarantine: z.strictObject({ autodeskSenders: z.array(Email).max(20), digestSender: ShortText, digestSubject: ShortText }),
  teamsWebhookUrl: WebhookUrl.nullable(),
  feedDigest: z.enum(DIGEST_MODES),
  /** The firm's IANA time zone for the channel's and the feed's times; absent or null: UTC. */
  timeZone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'not a time zone: use an IANA name such as Europe/London or America/New_York')
    .nullable()
    .default(null),
  /** Absent in settings saved before notifications existed: off (opt-in since issue 22), no sender. */
  notifications: z
    .strictObject({ teams: z.boolean(), mail: z.boolean(), mailSender: Email.nullable() })
    .default({ teams: false, mail: false, mailSender: null }),
  /** The opt-in Graph features without a switch of their own (src/core/setup/features.ts); absent: off. */
  features: z.strictObject({ messageTrace: z.boolean(), mailboxHelper: z.boolean() }).default({ messageTrace: false, mailboxHelper: false }),
  alerts: z.strictObject({
    poolLowPercentOfLastPurchase: z.number().min(0).max(100),
    safetyMarginDays: z.number().int().min(0).max(60),
    forecastHorizonDays: z.number().int().min(1).max(730),
  }),
  /** Changes one person may make (429 past it). Absent in settings saved before the limit existed: 120 a minute, bursts of 30. */
  rateLimit: z
    .strictObject({ perMinute: z.number().int().min(1).max(100_000), burst: z.number().int().min(1).max(10_000) })
    .default({ perMinute: 120, burst: 30 }),
  /** Reads one person may make (429 past it), apart from changes. Absent in settings saved before it existed: 600 a minute, bursts of 100. */
  readRateLimit: z
    .strictObject({ perMinute: z.number().int().min(1).max(100_000), burst: z.number().int().min(1).max(10_000) })
    .default({ perMinute: 600, burst: 100 }),
});
export type Settings = z.infer<typeof Settings>;
/** What every signed-in person may read of the settings (GET /api/policy); the whole of Settings is IT's. */
export const PublicPolicy = Settings.pick(Object.fromEntries(PUBLIC_POLICY_FIELDS.map((field) => [field, true])) as Record<PublicPolicyField, true>);
export type PublicPolicy = z.infer<typeof PublicPolicy>;

export const LedgerCheckResponse = z.object({
  ok: z.boolean(),
  violations: z.array(z.object({ rule: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })),
});

export const HealthResponse = z.object({ ok: z.literal(true), storage: z.literal('up') });

// Dev identity (dev mode on loopback only)
export const DevUser = z.object({ id: z.string(), email: z.string(), displayName: z.string(), office: z.string(), roles: z.array(Role) });
export const DevTokenBody = z.strictObject({ user: Email });
export const DevTokenResponse = z.object({ token: z.string() });

export const EmptyBody = z.strictObject({});
export const NoQuery = z.strictObject({});

export const MembersPage = page(MemberRecord);
export const TransfersPage = page(TransferView);
export const PurchasesPage = page(PurchaseView);
export const FeedPage = page(FeedItem);
export const HoldsPage = page(HoldView);
