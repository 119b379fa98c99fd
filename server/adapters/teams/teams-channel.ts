import type { DigestWindow, FeedEvent, Words } from '../../../src/core/feed/index.js';
import type { ChannelResult, FeedChannel } from '../../ports/feed-channel.js';
import type { CardOptions } from './cards.js';
import { digestCardPayload, eventCardPayload } from './cards.js';
import type { PostOptions } from './webhook-channel.js';
import { postToWebhook } from './webhook-channel.js';

/** IT's Teams channel: Adaptive Cards posted to the Workflows webhook. */
export class TeamsWebhookChannel implements FeedChannel {
  constructor(
    private readonly cards: CardOptions,
    private readonly post: PostOptions = {},
  ) {}

  sendEvent(webhookUrl: string, event: FeedEvent, words: Words): Promise<ChannelResult> {
    return postToWebhook(webhookUrl, eventCardPayload(event, { ...this.cards, words }), this.post);
  }

  sendDigest(webhookUrl: string, events: readonly FeedEvent[], window: DigestWindow, words: Words): Promise<ChannelResult> {
    return postToWebhook(webhookUrl, digestCardPayload(events, { from: window.from, to: window.to, label: window.mode }, { ...this.cards, words }), this.post);
  }
}
