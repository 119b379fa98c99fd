import { describe, expect, it } from 'vitest';
import type { FeedEvent, FeedEventKind, OutboxEntry } from '../../../src/core/feed/index.js';
import {
  DELIVERY_TUNING,
  afterFailure,
  digestWindow,
  isStalled,
  nextDelivery,
  retryDelayMs,
} from '../../../src/core/feed/index.js';

let n = 0;
function entry(kind: FeedEventKind, at: string, delivery: Partial<OutboxEntry> = {}): OutboxEntry {
  const event: FeedEvent = { id: `e${++n}`, postingId: `p${n}`, kind, at, actor: 'a', poolAfter: 1000, message: kind };
  return { event, attempts: 0, nextAttemptAt: null, lastError: null, ...delivery };
}

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap, with jitter between half and one and a half times', () => {
    expect(retryDelayMs(1, 0.5)).toBe(DELIVERY_TUNING.baseDelayMs);
    expect(retryDelayMs(2, 0.5)).toBe(DELIVERY_TUNING.baseDelayMs * 2);
    expect(retryDelayMs(3, 0.5)).toBe(DELIVERY_TUNING.baseDelayMs * 4);
    expect(retryDelayMs(50, 0.5)).toBe(DELIVERY_TUNING.maxDelayMs);
    expect(retryDelayMs(1, 0)).toBe(DELIVERY_TUNING.baseDelayMs / 2);
    expect(retryDelayMs(1, 1)).toBe(DELIVERY_TUNING.baseDelayMs * 1.5);
    expect(retryDelayMs(1, 7)).toBe(DELIVERY_TUNING.baseDelayMs * 1.5);
  });
});

describe('afterFailure', () => {
  const now = '2026-11-27T10:00:00.000Z';
  it('schedules the next attempt and keeps the error', () => {
    const next = afterFailure(entry('pool_draw', now), now, 'HTTP 503', 0.5);
    expect(next.park).toBe(false);
    expect(next.entry.attempts).toBe(1);
    expect(next.entry.nextAttemptAt).toBe('2026-11-27T10:00:05.000Z');
    expect(next.entry.lastError).toBe('HTTP 503');
  });
  it('waits at least as long as the webhook asked with Retry-After', () => {
    const next = afterFailure(entry('pool_draw', now), now, 'HTTP 429', 0.5, 60_000);
    expect(next.entry.nextAttemptAt).toBe('2026-11-27T10:01:00.000Z');
  });
  it('parks the event after the last attempt', () => {
    const tired = entry('purchase_step', now, { attempts: DELIVERY_TUNING.maxAttempts - 1 });
    const next = afterFailure(tired, now, 'HTTP 404', 0.5);
    expect(next.park).toBe(true);
    expect(next.entry.attempts).toBe(DELIVERY_TUNING.maxAttempts);
  });
});

describe('nextDelivery', () => {
  const now = '2026-11-27T10:30:00.000Z';
  it('sends the oldest event first', () => {
    const a = entry('purchase_step', '2026-11-27T10:00:00Z');
    const b = entry('pool_draw', '2026-11-27T10:01:00Z');
    expect(nextDelivery([a, b], now, 'off')).toEqual({ kind: 'send', entry: a });
  });
  it('holds back the events behind one that waits for its retry, and says when to wake', () => {
    const a = entry('purchase_step', '2026-11-27T10:00:00Z', { attempts: 1, nextAttemptAt: '2026-11-27T10:31:00.000Z' });
    const b = entry('pool_draw', '2026-11-27T10:01:00Z');
    expect(nextDelivery([a, b], now, 'off')).toEqual({ kind: 'idle', wakeAt: '2026-11-27T10:31:00.000Z' });
    expect(nextDelivery([a, b], '2026-11-27T10:31:00.001Z', 'off')).toEqual({ kind: 'send', entry: a });
  });
  it('is idle with nothing to wake for when the outbox is empty', () => {
    expect(nextDelivery([], now, 'hourly')).toEqual({ kind: 'idle', wakeAt: null });
  });
  it('keeps draws of an open digest window back without holding other events', () => {
    const draw = entry('pool_draw', '2026-11-27T10:05:00Z');
    const step = entry('purchase_step', '2026-11-27T10:06:00Z');
    expect(nextDelivery([draw, step], now, 'hourly')).toEqual({ kind: 'send', entry: step });
    expect(nextDelivery([draw], now, 'hourly')).toEqual({ kind: 'idle', wakeAt: '2026-11-27T11:00:00.000Z' });
  });
  it('sends the draws of a closed window together, window by window', () => {
    const d1 = entry('pool_draw', '2026-11-27T08:10:00Z');
    const d2 = entry('pool_draw', '2026-11-27T08:50:00Z');
    const d3 = entry('pool_draw', '2026-11-27T09:20:00Z');
    const d4 = entry('pool_draw', '2026-11-27T10:20:00Z');
    const step = nextDelivery([d1, d2, d3, d4], now, 'hourly');
    expect(step).toEqual({ kind: 'digest', entries: [d1, d2], window: { from: '2026-11-27T08:00:00.000Z', to: '2026-11-27T09:00:00.000Z', mode: 'hourly' } });
    expect(nextDelivery([d3, d4], now, 'hourly')).toMatchObject({ kind: 'digest', entries: [d3] });
    expect(nextDelivery([d1, d2, d3], now, 'daily')).toEqual({ kind: 'idle', wakeAt: '2026-11-28T00:00:00.000Z' });
  });
  it('waits with a failed digest until its retry time', () => {
    const d1 = entry('pool_draw', '2026-11-27T08:10:00Z', { attempts: 1, nextAttemptAt: '2026-11-27T10:40:00.000Z' });
    expect(nextDelivery([d1], now, 'hourly')).toEqual({ kind: 'idle', wakeAt: '2026-11-27T10:40:00.000Z' });
  });
});

describe('digestWindow and isStalled', () => {
  it('cuts UTC hours and days', () => {
    expect(digestWindow('2026-11-27T23:59:59.999Z', 'hourly')).toEqual({ from: '2026-11-27T23:00:00.000Z', to: '2026-11-28T00:00:00.000Z', mode: 'hourly' });
    expect(digestWindow('2026-11-27T00:00:00.000Z', 'daily')).toEqual({ from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z', mode: 'daily' });
  });
  it('calls the dispatcher stalled only when an event that was due has waited past the threshold', () => {
    const now = '2026-11-27T10:30:00.000Z';
    const fresh = entry('purchase_step', '2026-11-27T10:20:00Z');
    const old = entry('purchase_step', '2026-11-27T10:14:00Z');
    expect(isStalled([fresh], now, 'off')).toBe(false);
    expect(isStalled([old], now, 'off')).toBe(true);
    // A draw held for the daily digest is not late until its day has ended.
    expect(isStalled([entry('pool_draw', '2026-11-27T01:00:00Z')], now, 'daily')).toBe(false);
    expect(isStalled([entry('pool_draw', '2026-11-27T01:00:00Z')], now, 'off')).toBe(true);
  });
});
