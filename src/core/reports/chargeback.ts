import type { Member } from '../ledger/member.js';
import type { Units } from '../ledger/money.js';
import type { Lot } from '../purchases/purchase-types.js';
import type { Transfer } from '../ledger/transfer.js';

/** What a chargeback report can group usage by (DESIGN 3.1: a transfer carries its member, service and project). */
export const CHARGEBACK_GROUPS = ['office', 'department', 'project', 'service', 'person'] as const;
export type ChargebackGroupBy = (typeof CHARGEBACK_GROUPS)[number];

/** The group of usage whose key is not known (no office on the member, no project on the entry…). */
export const NO_GROUP = '(none)';

/** The longest range one report covers, in days (both ends counted). */
export const MAX_REPORT_DAYS = 366;

/** Money is the purchase's currency, not credits: a float rounded to cents only when shown. */
export interface CurrencyAmount {
  currency: string;
  amount: number;
}

export interface ChargebackFigures {
  /** Units used from people's own allotments. */
  own: Units;
  /** Units drawn from the pool. */
  pool: Units;
  total: Units;
  /** Different people with usage counted here. */
  people: number;
  /** What the pool draws cost at the price of the purchases they came from, per currency, to the cent. */
  poolCost: CurrencyAmount[];
  /** Pool units drawn from lots without a price (or whose lot is unknown). */
  unpriced: Units;
}

export interface ChargebackLine extends ChargebackFigures {
  key: string;
  label: string;
}

export interface ChargebackReport {
  from: string;
  to: string;
  groupBy: ChargebackGroupBy;
  groups: ChargebackLine[];
  totals: ChargebackFigures;
}

export interface ChargebackInput {
  /** First and last day (YYYY-MM-DD), both included. */
  from: string;
  to: string;
  groupBy: ChargebackGroupBy;
  /**
   * The transfers to report on, with the reversals of any of them (a reversal is written after its
   * original, so reading everything up to now is enough). Transfers outside the range are ignored.
   */
  transfers: readonly Transfer[];
  lots: readonly Lot[];
  members: readonly Member[];
}

/** Days from `from` to `to`, both counted (0 or less when `to` is before `from`). */
export function reportDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** The day a transfer counts on: the day the usage happened, or else the day it was recorded (UTC). */
export function usageDay(t: Transfer): string {
  return t.date ?? t.at.slice(0, 10);
}

/** A usage transfer that counts: in range, and not corrected by a reversal (a reversed usage counts zero). */
function countedUsage(input: ChargebackInput): Transfer[] {
  const reversed = new Set(input.transfers.filter((t) => t.code === 'reversal' && t.reverses).map((t) => t.reverses));
  return input.transfers.filter((t) => {
    if (t.code !== 'usage_individual' && t.code !== 'usage_pool') return false;
    if (reversed.has(t.id)) return false;
    const day = usageDay(t);
    return day >= input.from && day <= input.to;
  });
}

function groupOf(t: Transfer, groupBy: ChargebackGroupBy, members: ReadonlyMap<string, Member>): { key: string; label: string } {
  const member = t.memberId ? members.get(t.memberId) : undefined;
  const known = (value: string | undefined) => {
    const v = value?.trim();
    return v ? { key: v, label: v } : { key: NO_GROUP, label: NO_GROUP };
  };
  switch (groupBy) {
    // The member's record is the source for where people sit; the office stamped on the entry is a fallback.
    case 'office':
      return known(member?.office ?? t.office);
    case 'department':
      return known(member?.department);
    case 'project':
      return known(t.project);
    case 'service':
      return known(t.service);
    case 'person':
      return t.memberId ? { key: t.memberId, label: member?.displayName ?? t.memberId } : { key: NO_GROUP, label: NO_GROUP };
  }
}

/** A running sum of figures; money is summed unrounded and rounded to the cent once, at the end. */
class Tally {
  own = 0;
  pool = 0;
  unpriced = 0;
  readonly people = new Set<string>();
  readonly cost = new Map<string, number>();

  add(t: Transfer, lots: ReadonlyMap<string, Lot>): void {
    if (t.memberId) this.people.add(t.memberId);
    if (t.code === 'usage_individual') {
      this.own += t.amount;
      return;
    }
    this.pool += t.amount;
    const lot = t.lotId ? lots.get(t.lotId) : undefined;
    if (!lot || lot.price === undefined || !lot.currency || lot.units <= 0) {
      this.unpriced += t.amount;
      return;
    }
    // The share of the purchase this draw used: its units over the units the purchase brought.
    this.cost.set(lot.currency, (this.cost.get(lot.currency) ?? 0) + (t.amount * lot.price) / lot.units);
  }

  figures(): ChargebackFigures {
    return {
      own: this.own,
      pool: this.pool,
      total: this.own + this.pool,
      people: this.people.size,
      poolCost: [...this.cost]
        .map(([currency, amount]) => ({ currency, amount: Math.round(amount * 100) / 100 }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
      unpriced: this.unpriced,
    };
  }
}

/**
 * Usage and pool draws in a date range, grouped: own credits vs pool, the number of people, and what the
 * pool use cost at the price of the purchases (lots) it came from. Groups come largest first; the totals
 * are figured from the entries themselves, so they are the same whatever the grouping.
 */
export function chargebackReport(input: ChargebackInput): ChargebackReport {
  const members = new Map(input.members.map((m) => [m.id, m]));
  const lots = new Map(input.lots.map((l) => [l.id, l]));
  const groups = new Map<string, { label: string; tally: Tally }>();
  const totals = new Tally();
  for (const t of countedUsage(input)) {
    const { key, label } = groupOf(t, input.groupBy, members);
    let group = groups.get(key);
    if (!group) {
      group = { label, tally: new Tally() };
      groups.set(key, group);
    }
    group.tally.add(t, lots);
    totals.add(t, lots);
  }
  const lines = [...groups].map(([key, g]): ChargebackLine => ({ key, label: g.label, ...g.tally.figures() }));
  lines.sort((a, b) => b.total - a.total || a.label.localeCompare(b.label) || a.key.localeCompare(b.key));
  return { from: input.from, to: input.to, groupBy: input.groupBy, groups: lines, totals: totals.figures() };
}
