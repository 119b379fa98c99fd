import type { Notification, Notifier, NotifyResult } from '../../server/ports/notifier.js';

/**
 * Records each notification; answers `result`, or throws when told to (an adapter breaking its promise).
 * `onNotify` runs first, for tests that look at the world as the notification goes out.
 */
export class FakeNotifier implements Notifier {
  readonly sent: Notification[] = [];
  result: NotifyResult | 'throw' = 'teams';
  onNotify: ((n: Notification) => Promise<void>) | undefined;

  async notify(_tenant: string, n: Notification): Promise<NotifyResult> {
    await this.onNotify?.(n);
    this.sent.push(n);
    if (this.result === 'throw') throw new Error('Graph exploded');
    return this.result;
  }
}
