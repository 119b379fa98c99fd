import type { AccountId } from './accounts.js';
import { isMemberAccount, memberAccount } from './accounts.js';
import type { LedgerState, Posting, PostingContext } from './ledger-state.js';
import { applyPosting, emptyLedgerState, emptyPosting, transferId } from './ledger-state.js';
import type { Member, RegistrationState } from './member.js';
import type { Units } from './money.js';
import type { Lot } from '../purchases/purchase-types.js';
import type { RegistrationEvent } from '../registration/registration-rules.js';
import { allowedRegistrationEvents, applyRegistrationEvent, registrationEventTarget } from '../registration/registration-rules.js';
import type { Result } from '../result.js';
import { fail, ok } from '../result.js';
import type { Transfer, TransferSource } from './transfer.js';
import { EMAIL_PATTERN, parseAmount } from '../usage-import/rows.js';
import type { ColumnMapping, ImportField, RecordBudget, RowProblem, RowProblemCode } from '../usage-import/types.js';

/**
 * Opening balances (DESIGN 3.4): at go-live IT loads what each person has already used of their own
 * credits, their registration state, and the pool's current balance, as `opening_balance` transfers.
 */

/** The claim that makes a member's opening balance happen once. */
export const openingClaim = (memberId: string) => `opening|${memberId}`;
/** The claim (and the lot id) of the pool's opening balance: once per tenant. */
export const POOL_OPENING_CLAIM = 'opening|pool';
export const POOL_OPENING_LOT = 'opening';

/** Registration states as IT's spreadsheets write them; matched lower case, punctuation and spaces ignored. */
const STATE_WORDS: Record<string, RegistrationState> = {
  registered: 'registered',
  active: 'registered',
  alreadyregistered: 'registered',
  requested: 'requested',
  pending: 'requested',
  accountcreated: 'account_created',
  created: 'account_created',
  invited: 'account_created',
  notrequested: 'not_requested',
  none: 'not_requested',
  notregistered: 'not_requested',
  declined: 'declined',
  rejected: 'declined',
  left: 'left',
  leaver: 'left',
  departed: 'left',
};

/** The registration state a cell names, or null. */
export function parseRegistrationState(text: string): RegistrationState | null {
  const key = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  return STATE_WORDS[key] ?? null;
}

/** One valid line of an opening-balances file. */
export interface OpeningRow {
  line: number;
  email: string;
  name?: string;
  /** Own credits already used, in units (0 allowed). */
  used: Units;
  state: RegistrationState;
}

export interface OpeningRowContext {
  mapping: ColumnMapping;
  columns: number;
  /** The individual allotment in units: nobody has used more of their own credits than that. */
  allotment: Units;
}

type Refusal = { ok: false; problem: RowProblem };

const refuse = (line: number, code: RowProblemCode, message: string, field?: ImportField): Refusal => ({
  ok: false,
  problem: field ? { line, code, message, field } : { line, code, message },
});

// eslint-disable-next-line no-control-regex
const clean = (cell: string | undefined) => (cell ?? '').replace(/[\u0000-\u001f\u007f\u00a0]+/g, ' ').replace(/ {2,}/g, ' ').trim();

/** Does the registration state grant the individual allotment (a leaver had it too: what is left is stranded)? */
export const stateHasAllotment = (state: RegistrationState) => state === 'registered' || state === 'left';

/** One record of an opening-balances file as a row, or the reason it is refused. */
export function normalizeOpeningRow(cells: readonly string[], line: number, ctx: OpeningRowContext): { ok: true; row: OpeningRow } | Refusal {
  const highest = Math.max(...Object.values(ctx.mapping));
  if (cells.length <= highest) return refuse(line, 'WRONG_COLUMN_COUNT', `This line has ${cells.length} values but the header has ${ctx.columns} columns: a value is missing.`);
  const cell = (field: ImportField) => (ctx.mapping[field] === undefined ? '' : clean(cells[ctx.mapping[field]]));

  const emailText = cell('email');
  if (!emailText) return refuse(line, 'MISSING_VALUE', 'The email is empty.', 'email');
  const email = emailText.toLowerCase().replace(/^mailto:/, '');
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) return refuse(line, 'BAD_EMAIL', `"${emailText}" is not an email address.`, 'email');

  const stateText = cell('state');
  if (!stateText) return refuse(line, 'MISSING_VALUE', 'The registration state is empty.', 'state');
  const state = parseRegistrationState(stateText);
  if (!state) return refuse(line, 'BAD_STATE', `"${stateText}" is not a registration state (write registered, requested, account created, not requested, declined or left).`, 'state');

  const usedText = cell('amount');
  let used: Units = 0;
  if (usedText) {
    const amount = parseAmount(usedText);
    if (amount.ok) used = amount.units;
    else if (amount.code === 'NEGATIVE_AMOUNT') return refuse(line, 'NEGATIVE_AMOUNT', `The credits used are negative (${usedText}).`, 'amount');
    else if (amount.code !== 'ZERO_AMOUNT') return refuse(line, amount.code, amount.message, 'amount');
  }
  if (used > ctx.allotment) {
    return refuse(line, 'OVER_ALLOTMENT', `${usedText} credits used is more than the individual allotment of ${ctx.allotment / 100}: own credits cannot cover it.`, 'amount');
  }
  if (used > 0 && !stateHasAllotment(state)) {
    return refuse(line, 'OVER_ALLOTMENT', `Someone who is "${stateText}" has no own credits yet, so cannot have used ${usedText}.`, 'amount');
  }
  const name = cell('name') || [cell('firstName'), cell('lastName')].filter((s) => s !== '').join(' ');
  return { ok: true, row: { line, email, used, state, ...(name ? { name } : {}) } };
}

/**
 * The registration events that take a member from `from` to `to` (breadth first over the transitions).
 * Someone already registered in Credit Desk keeps their state; a leaver goes through `registered` first,
 * so that their allotment is granted and what is left of it shows as stranded.
 */
export function openingRegistrationPath(from: RegistrationState, to: RegistrationState, allotmentGranted: boolean): RegistrationEvent[] {
  if (from === to || from === 'registered' || to === 'not_requested') return [];
  if (to === 'left' && !allotmentGranted) {
    const toRegistered = shortestPath(from, 'registered');
    return toRegistered ? [...toRegistered, 'left'] : [];
  }
  return shortestPath(from, to) ?? [];
}

function shortestPath(from: RegistrationState, to: RegistrationState): RegistrationEvent[] | null {
  const queue: { state: RegistrationState; path: RegistrationEvent[] }[] = [{ state: from, path: [] }];
  const seen = new Set<RegistrationState>([from]);
  while (queue.length > 0) {
    const { state, path } = queue.shift()!;
    if (state === to) return path;
    for (const event of allowedRegistrationEvents(state)) {
      if (event === 'left' && to !== 'left') continue;
      const next = registrationEventTarget(event);
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push({ state: next, path: [...path, event] });
    }
  }
  return null;
}

/** What a member will own once the opening balance moves them to `state`: their balance plus an allotment not yet granted. */
export function ownAfterOpening(member: Pick<Member, 'allotmentGrantedAt' | 'registration'> | undefined, own: Units, state: RegistrationState, allotment: Units): Units {
  const current = member?.registration.state ?? 'not_requested';
  const reachesRegistered = current !== 'registered' && openingRegistrationPath(current, state, Boolean(member?.allotmentGrantedAt)).some((e) => registrationEventTarget(e) === 'registered');
  return own + (reachesRegistered && !member?.allotmentGrantedAt ? allotment : 0);
}

export interface OpeningRowToPost {
  line: number;
  memberId: string;
  used: Units;
  state: RegistrationState;
  /** Someone the directory knows and Credit Desk does not: made a member in the posting that loads their row. */
  newcomer?: Member;
}

export interface OpeningBatchInput {
  importId: string;
  /** The go-live day (YYYY-MM-DD): the date on the opening transfers. */
  day: string;
  rows: OpeningRowToPost[];
  budget: RecordBudget;
}

export interface OpeningBatchOutcome {
  posting: Posting;
  /** Rows decided (loaded, already loaded or refused), from the start of `rows`. */
  rowsTaken: number;
  loaded: { line: number; memberId: string }[];
  alreadyLoaded: { line: number; memberId: string }[];
  refused: { line: number; memberId: string; message: string }[];
  used: Units;
  allotments: number;
}

/**
 * Loads opening balances (DESIGN 3.4), as many members as the record budget allows, in one posting. Per
 * member, at most once (claim `opening|{memberId}`): the registration moves to the file's state by the usual
 * rules (reaching `registered` grants the allotment in the same posting), then an `opening_balance` transfer
 * takes the credits already used from the member's own credits. A member already loaded is skipped.
 */
export function planOpeningBalances(state: LedgerState, input: OpeningBatchInput, ctx: PostingContext): Result<OpeningBatchOutcome> {
  if (input.rows.length === 0) return fail('VALIDATION_FAILED', 'An opening-balances batch needs at least one row.');
  const source: TransferSource = `import:${input.importId}`;
  const posting: Posting = { ...emptyPosting(ctx.postingId), packed: true };
  const outcome: Omit<OpeningBatchOutcome, 'posting' | 'rowsTaken'> = { loaded: [], alreadyLoaded: [], refused: [], used: 0, allotments: 0 };
  const seen = new Set<string>();
  const system = new Set<AccountId>();
  let work = state;
  let records = 0;
  let rowsTaken = 0;

  for (const row of input.rows) {
    if (!Number.isSafeInteger(row.used) || row.used < 0) return fail('VALIDATION_FAILED', `Line ${row.line}: credits used are a whole number of units, zero or more.`, { line: row.line });
    const joining = work.members[row.memberId] ? undefined : row.newcomer?.id === row.memberId ? row.newcomer : undefined;
    const member = work.members[row.memberId] ?? joining;
    if (!member) return fail('NOT_FOUND', `No member ${row.memberId}.`, { memberId: row.memberId, line: row.line });
    if (member.openingBalance || seen.has(member.id)) {
      outcome.alreadyLoaded.push({ line: row.line, memberId: member.id });
      rowsTaken++;
      continue;
    }

    // The registration, step by step, by the usual rules (one member's view, so each step sees the last).
    let view: LedgerState = { ...emptyLedgerState(), balances: { [memberAccount(member.id)]: work.balances[memberAccount(member.id)] ?? 0 }, members: { [member.id]: member } };
    const transfers: Transfer[] = [];
    let moved = true;
    for (const event of openingRegistrationPath(member.registration.state, row.state, Boolean(member.allotmentGrantedAt))) {
      const reason = event === 'declined' ? 'Recorded as declined at go-live (opening balances).' : undefined;
      const step = applyRegistrationEvent(view, { memberId: member.id, event, ...(reason ? { reason } : {}) }, ctx);
      if (!step.ok) {
        moved = false;
        break;
      }
      transfers.push(...step.value.posting.transfers.map((t) => ({ ...t, source })));
      view = applyPosting(view, step.value.posting);
    }
    if (!moved) return fail('INVALID_TRANSITION', `Line ${row.line}: ${member.id}'s registration cannot reach ${row.state}.`, { line: row.line });
    const own = view.balances[memberAccount(member.id)] ?? 0;
    if (row.used > own) {
      outcome.refused.push({ line: row.line, memberId: member.id, message: `${row.used / 100} credits used is more than the ${own / 100} they own.` });
      rowsTaken++;
      continue;
    }
    if (row.used > 0) {
      transfers.push({
        id: '',
        postingId: ctx.postingId,
        debit: memberAccount(member.id),
        credit: 'usage',
        amount: row.used,
        code: 'opening_balance',
        memberId: member.id,
        ...(member.office ? { office: member.office } : {}),
        date: input.day,
        note: 'Own credits used before Credit Desk (go-live)',
        source,
        actor: ctx.actor,
        at: ctx.now,
      });
    }

    const accounts = new Set<AccountId>();
    for (const t of transfers) for (const a of [t.debit, t.credit]) if (!isMemberAccount(a) && !system.has(a)) accounts.add(a);
    // A newcomer also gets the row that finds them by their address.
    const cost = transfers.length + 2 + 1 + accounts.size + (joining ? 1 : 0);
    if (records + cost > input.budget.max) {
      if (rowsTaken === 0) return fail('VALIDATION_FAILED', `One opening balance needs ${cost} records but the budget is ${input.budget.max}.`, { needed: cost, max: input.budget.max });
      break;
    }
    records += cost;
    for (const a of accounts) system.add(a);
    const final: Member = { ...view.members[member.id]!, openingBalance: { importId: input.importId, at: ctx.now, used: row.used } };
    const numbered = transfers.map((t, i) => ({ ...t, id: transferId(ctx.postingId, posting.transfers.length + i), postingId: ctx.postingId }));
    posting.transfers.push(...numbered);
    posting.members.push(final);
    if (joining) (posting.joined ??= []).push(joining);
    posting.claims.push(openingClaim(member.id));
    work = applyPosting(work, { ...emptyPosting(ctx.postingId), transfers: numbered, members: [final] });
    seen.add(member.id);
    outcome.loaded.push({ line: row.line, memberId: member.id });
    outcome.used += row.used;
    outcome.allotments += numbered.filter((t) => t.code === 'allotment_granted').length;
    rowsTaken++;
  }
  return ok({ posting, rowsTaken, ...outcome });
}

/**
 * The pool's opening balance: once per tenant (claim `opening|pool`), from the contract into the pool as a
 * lot of its own (no price: bought before Credit Desk), applied now.
 */
export function planPoolOpening(state: LedgerState, input: { importId: string; units: Units; day: string }, ctx: PostingContext): Result<Posting> {
  if (!Number.isSafeInteger(input.units) || input.units <= 0) return fail('VALIDATION_FAILED', "The pool's opening balance is a positive amount with at most two decimals.", { field: 'poolCredits' });
  if (state.lots.some((l) => l.id === POOL_OPENING_LOT)) return fail('INVALID_TRANSITION', "The pool's opening balance was already loaded.", { lotId: POOL_OPENING_LOT });
  const lot: Lot = { id: POOL_OPENING_LOT, purchaseId: POOL_OPENING_LOT, appliedAt: ctx.now, units: input.units, remaining: input.units };
  const posting = emptyPosting(ctx.postingId);
  posting.transfers.push({
    id: transferId(ctx.postingId, 0),
    postingId: ctx.postingId,
    debit: 'contract',
    credit: 'pool',
    amount: input.units,
    code: 'opening_balance',
    lotId: lot.id,
    date: input.day,
    note: "The pool's balance at go-live",
    source: `import:${input.importId}`,
    actor: ctx.actor,
    at: ctx.now,
  });
  posting.lots.push(lot);
  posting.claims.push(POOL_OPENING_CLAIM);
  return ok(posting);
}
