import type { Settings, TransferView } from '../../contract/schemas.js';
import type { CsvValue } from '../../ui/csv.js';
import { isImported, transferNote } from '../../ui/transfer-words.js';

export type Code = TransferView['code'];

/** The filter by kind of entry; "all" also shows the rare ones (purchases, expiries). */
export const KIND_FILTERS = {
  all: { label: 'All entries', codes: undefined },
  usage: { label: 'Usage', codes: ['usage_individual', 'usage_pool', 'hold_placed', 'hold_released'] },
  allotment: { label: 'Allotments', codes: ['allotment_granted', 'opening_balance'] },
  reversals: { label: 'Reversals', codes: ['reversal'] },
} as const satisfies Record<string, { label: string; codes: readonly Code[] | undefined }>;
export type KindFilter = keyof typeof KIND_FILTERS;

const CODE_LABEL: Record<Code, string> = {
  allotment_granted: 'Allotment',
  purchase_applied: 'Purchase',
  usage_individual: 'Usage',
  usage_pool: 'Usage',
  hold_placed: 'Hold placed',
  hold_released: 'Hold released',
  pack_expired: 'Expired',
  opening_balance: 'Opening balance',
  reversal: 'Reversal',
};

/** Whose balance an entry moves, from the person's point of view. */
export type Side = 'own' | 'pool' | 'other';

export interface HistoryRow {
  id: string;
  code: Code;
  label: string;
  /** The day it concerns (the usage date where known), YYYY-MM-DD or an ISO time. */
  day: string;
  /** The day the credits were used, for usage and its corrections; null for allotments and the like. */
  usedOn: string | null;
  /** When Credit Desk recorded it. */
  at: string;
  /** Brought in from Autodesk's usage export. */
  imported: boolean;
  service: string | null;
  serviceName: string | null;
  project: string | null;
  note: string | null;
  /** Signed: + adds to what the person has, − takes from it (or from the pool for pool draws). */
  amount: number;
  side: Side;
  reverses: string | null;
}

const isPool = (account: string) => account === 'pool' || account.startsWith('pool:');

/** + for a credit to the person's own account, − for a debit; pool movements count on the pool's side. */
export function perspective(t: Pick<TransferView, 'debit' | 'credit' | 'credits'>, memberId: string): { amount: number; side: Side } {
  const mine = `member:${memberId}`;
  if (t.credit === mine) return { amount: t.credits, side: 'own' };
  if (t.debit === mine) return { amount: -t.credits, side: 'own' };
  if (isPool(t.debit)) return { amount: -t.credits, side: 'pool' };
  if (isPool(t.credit)) return { amount: t.credits, side: 'pool' };
  return { amount: t.credits, side: 'other' };
}

export function toRow(t: TransferView, memberId: string, settings: Pick<Settings, 'services'>): HistoryRow {
  const { amount, side } = perspective(t, memberId);
  return {
    id: t.id,
    code: t.code,
    label: CODE_LABEL[t.code],
    day: t.date ?? t.at,
    usedOn: t.date,
    at: t.at,
    imported: isImported(t),
    service: t.service,
    serviceName: t.service ? (settings.services.find((s) => s.slug === t.service)?.name ?? t.service) : null,
    project: t.project,
    note: transferNote(t),
    amount,
    side,
    reverses: t.reverses,
  };
}

export interface Filters {
  kind: KindFilter;
  /** A service slug, or "" for every service. */
  service: string;
  search: string;
}

export const NO_FILTERS: Filters = { kind: 'all', service: '', search: '' };

export function matches(row: HistoryRow, filters: Filters): boolean {
  const codes: readonly Code[] | undefined = KIND_FILTERS[filters.kind].codes;
  if (codes && !codes.includes(row.code)) return false;
  if (filters.service && row.service !== filters.service) return false;
  const needle = filters.search.trim().toLocaleLowerCase();
  if (needle && !`${row.project ?? ''}\n${row.note ?? ''}`.toLocaleLowerCase().includes(needle)) return false;
  return true;
}

export const SIDE_LABEL: Record<Side, string> = { own: 'Your credits', pool: 'Shared pool', other: 'Other' };

export const CSV_HEADERS = ['Used on', 'Recorded at', 'Entry', 'Code', 'Service', 'Project', 'Note', 'Amount', 'From', 'Reverses'] as const;

export function csvRow(row: HistoryRow): CsvValue[] {
  return [row.usedOn, row.at, row.label, row.code, row.serviceName, row.project, row.note, row.amount, SIDE_LABEL[row.side], row.reverses];
}
