import type { ResponseOf } from '../../contract/routes.js';

export type FeedItem = ResponseOf<'feed'>['items'][number];

export interface PoolPoint {
  x: Date;
  y: number;
}

/**
 * The pool balance over time from feed events (which come newest first): one point per event, its time and
 * the pool balance after it, oldest to newest. Events at the same instant keep their order.
 */
export function poolSeries(items: readonly Pick<FeedItem, 'at' | 'poolAfter'>[]): PoolPoint[] {
  return [...items]
    .reverse()
    .map((item) => ({ item, time: Date.parse(item.at) }))
    .filter(({ time }) => Number.isFinite(time))
    .sort((a, b) => a.time - b.time)
    .map(({ item, time }) => ({ x: new Date(time), y: item.poolAfter }));
}
