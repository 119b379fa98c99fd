import type { DigestWindow, FeedEvent } from '../../src/core/index.js';

export type ChannelResult =
  | { ok: true; status: number }
  | { ok: false; status: number | null; error: string; retryable: boolean; retryAfterMs?: number };

/** IT's Teams channel, reached through the Workflows webhook in settings. Never throws: failures are results. */
export interface FeedChannel {
  sendEvent(webhookUrl: string, event: FeedEvent): Promise<ChannelResult>;
  sendDigest(webhookUrl: string, events: readonly FeedEvent[], window: DigestWindow): Promise<ChannelResult>;
}
