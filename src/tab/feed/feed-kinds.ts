import type { BadgeProps } from '@fluentui/react-components';
import type { FluentIcon } from '@fluentui/react-icons';
import {
  AlertUrgentFilled,
  ArrowTrendingDownRegular,
  ArrowUndoRegular,
  CalendarCancelRegular,
  CalendarClockRegular,
  CalendarQuestionMarkRegular,
  CartRegular,
  CheckmarkLockRegular,
  DismissCircleRegular,
  DocumentArrowUpRegular,
  ErrorCircleFilled,
  HourglassHalfFilled,
  LockClosedRegular,
  PersonAddRegular,
  PersonWarningFilled,
  PlugDisconnectedFilled,
  ScalesFilled,
  TimerOffRegular,
  WarningFilled,
} from '@fluentui/react-icons';
import type { ResponseOf } from '../../contract/routes.js';
import type { FeedEventKind } from '../../core/feed/feed-event.js';

export type FeedEntry = ResponseOf<'feed'>['items'][number];

export type Tone = 'brand' | 'neutral' | 'success' | 'warning' | 'danger';

export interface KindInfo {
  /** A short name, shown as a badge so colour is never the only cue. */
  label: string;
  icon: FluentIcon;
  tone: Tone;
  badge: NonNullable<BadgeProps['color']>;
}

export const KIND_INFO: Record<FeedEventKind, KindInfo> = {
  purchase_step: { label: 'Purchase', icon: CartRegular, tone: 'brand', badge: 'brand' },
  pool_draw: { label: 'Pool draw', icon: ArrowTrendingDownRegular, tone: 'neutral', badge: 'informative' },
  pool_joined: { label: 'Joined the pool', icon: PersonAddRegular, tone: 'success', badge: 'success' },
  reversal: { label: 'Correction', icon: ArrowUndoRegular, tone: 'neutral', badge: 'subtle' },
  alert_pool_low: { label: 'Pool low', icon: WarningFilled, tone: 'warning', badge: 'warning' },
  alert_pool_negative: { label: 'Pool below zero', icon: ErrorCircleFilled, tone: 'danger', badge: 'danger' },
  alert_order_now: { label: 'Order now', icon: AlertUrgentFilled, tone: 'warning', badge: 'warning' },
  alert_purchase_slow: { label: 'Purchase slow', icon: HourglassHalfFilled, tone: 'warning', badge: 'warning' },
  alert_registration_stuck: { label: 'Registration stuck', icon: PersonWarningFilled, tone: 'warning', badge: 'warning' },
  import_committed: { label: 'Usage import', icon: DocumentArrowUpRegular, tone: 'brand', badge: 'brand' },
  alert_reconciliation: { label: 'Reconcile', icon: ScalesFilled, tone: 'danger', badge: 'danger' },
  provisional_unconfirmed: { label: 'Not confirmed', icon: CalendarQuestionMarkRegular, tone: 'warning', badge: 'warning' },
  pack_expired: { label: 'Pack expired', icon: CalendarCancelRegular, tone: 'danger', badge: 'danger' },
  alert_pack_expiring: { label: 'Pack expiring', icon: CalendarClockRegular, tone: 'warning', badge: 'warning' },
  hold_placed: { label: 'Reserved', icon: LockClosedRegular, tone: 'neutral', badge: 'informative' },
  hold_settled: { label: 'Hold settled', icon: CheckmarkLockRegular, tone: 'neutral', badge: 'subtle' },
  hold_voided: { label: 'Hold voided', icon: DismissCircleRegular, tone: 'neutral', badge: 'subtle' },
  hold_expired: { label: 'Hold lapsed', icon: TimerOffRegular, tone: 'neutral', badge: 'subtle' },
  alert_autodesk_disconnected: { label: 'Autodesk disconnected', icon: PlugDisconnectedFilled, tone: 'danger', badge: 'danger' },
};

export interface FeedFilter {
  id: string;
  label: string;
  kinds: readonly FeedEventKind[];
}

/** The chips above the feed; every alert kind shares one, since each asks IT (or a manager) to act. */
export const FEED_FILTERS: readonly FeedFilter[] = [
  { id: 'alerts', label: 'Alerts', kinds: ['alert_pool_low', 'alert_pool_negative', 'alert_order_now', 'alert_purchase_slow', 'alert_registration_stuck', 'alert_reconciliation', 'alert_pack_expiring', 'alert_autodesk_disconnected'] },
  { id: 'purchases', label: 'Purchases', kinds: ['purchase_step', 'pack_expired'] },
  { id: 'draws', label: 'Pool draws', kinds: ['pool_draw'] },
  { id: 'joined', label: 'Joined the pool', kinds: ['pool_joined'] },
  { id: 'holds', label: 'Holds', kinds: ['hold_placed', 'hold_settled', 'hold_voided', 'hold_expired'] },
  { id: 'corrections', label: 'Corrections', kinds: ['reversal'] },
  { id: 'imports', label: 'Usage imports', kinds: ['import_committed', 'provisional_unconfirmed'] },
];

/** The entries the chosen chips let through; no chip chosen means everything. */
export function applyFilters(items: readonly FeedEntry[], chosen: ReadonlySet<string>): FeedEntry[] {
  if (chosen.size === 0) return [...items];
  const kinds = new Set(FEED_FILTERS.filter((f) => chosen.has(f.id)).flatMap((f) => f.kinds));
  return items.filter((item) => kinds.has(item.kind));
}
