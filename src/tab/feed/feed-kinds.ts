import type { BadgeProps } from '@fluentui/react-components';
import type { FluentIcon } from '@fluentui/react-icons';
import { ArrowTrendingDownRegular, ArrowUndoRegular, CartRegular, ErrorCircleFilled, PersonAddRegular, WarningFilled } from '@fluentui/react-icons';
import type { ResponseOf } from '../../contract/routes.js';
import type { FeedEventKind } from '../../core/feed-event.js';

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
};

export interface FeedFilter {
  id: string;
  label: string;
  kinds: readonly FeedEventKind[];
}

/** The chips above the feed; both alert kinds share one, since IT acts on them the same way. */
export const FEED_FILTERS: readonly FeedFilter[] = [
  { id: 'alerts', label: 'Alerts', kinds: ['alert_pool_low', 'alert_pool_negative'] },
  { id: 'purchases', label: 'Purchases', kinds: ['purchase_step'] },
  { id: 'draws', label: 'Pool draws', kinds: ['pool_draw'] },
  { id: 'joined', label: 'Joined the pool', kinds: ['pool_joined'] },
  { id: 'corrections', label: 'Corrections', kinds: ['reversal'] },
];

/** The entries the chosen chips let through; no chip chosen means everything. */
export function applyFilters(items: readonly FeedEntry[], chosen: ReadonlySet<string>): FeedEntry[] {
  if (chosen.size === 0) return [...items];
  const kinds = new Set(FEED_FILTERS.filter((f) => chosen.has(f.id)).flatMap((f) => f.kinds));
  return items.filter((item) => kinds.has(item.kind));
}
