import type { DigestWindow, FeedEvent, Words } from '../../src/core/feed/index.js';

export type ChannelResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retryable: boolean; retryAfterMs?: number };

/** IT's Teams channel, reached through the Workflows webhook in settings. Never throws: failures are results. */
export interface FeedChannel {
  /** `words`: the firm's unit, service names, time zone and locale, for what people read on the card. */
  sendEvent(webhookUrl: string, event: FeedEvent, words: Words): Promise<ChannelResult>;
  sendDigest(webhookUrl: string, events: readonly FeedEvent[], window: DigestWindow, words: Words): Promise<ChannelResult>;
}
