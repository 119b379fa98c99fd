import { describe, expect, it } from 'vitest';
import { ANONYMOUS_FEED_FORMS, wordsFor } from '../../../src/core/feed/index.js';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { disconnectedAlert } from '../../../src/core/usage-pull/index.js';

/** The feed's "Autodesk disconnected" alert: once per connection, in words, with the fix. */
describe('disconnectedAlert', () => {
  const words = wordsFor({ ...DEFAULT_POLICY, timeZone: 'UTC' });
  const connection = { kind: 'usage_insights' as const, connectedAt: '2026-11-02T10:00:00.000Z', disconnectedAt: '2026-12-07T04:00:12.000Z' };

  it('says which connection, since when, and how IT fixes it, with no code', () => {
    const alert = disconnectedAlert(connection, words);
    expect(alert.kind).toBe('alert_autodesk_disconnected');
    expect(alert.message).toMatch(/^Autodesk usage insights is disconnected since Dec 7, 2026: /);
    expect(alert.message).toContain('IT connects Autodesk again in Settings → Autodesk; the next pull then brings the days missed.');
    expect(alert.message).not.toMatch(/invalid_grant|usage_insights/);
  });

  it('has one key per connection: a later refusal of the same connection is the same alert, a new connection another', () => {
    const key = disconnectedAlert(connection, words).key;
    expect(disconnectedAlert({ ...connection, disconnectedAt: '2026-12-08T04:00:00.000Z' }, words).key).toBe(key);
    expect(disconnectedAlert({ ...connection, connectedAt: '2026-12-07T09:00:00.000Z' }, words).key).not.toBe(key);
    expect(disconnectedAlert({ ...connection, kind: 'token_flex' }, words).key).not.toBe(key);
  });

  it('shows employees only that usage is not coming in', () => {
    const alert = disconnectedAlert(connection, words);
    const event = { id: 'e', postingId: 'p', at: connection.disconnectedAt, actor: 'system:alerts', poolAfter: 0, kind: alert.kind, message: alert.message };
    expect(ANONYMOUS_FEED_FORMS.alert_autodesk_disconnected(event, words).message).toBe('Usage from Autodesk is not coming in until IT connects Autodesk again.');
  });
});
