import type { DueAlert } from '../feed/alerts.js';
import type { Words } from '../feed/wording.js';
import type { UsageSourceKindName } from './pull-words.js';
import { SOURCE_NAME } from './pull-words.js';

/**
 * The feed's alert when Autodesk stops accepting a usage connection (invalid_grant: consent revoked, a
 * spent refresh token; invalid_client): what happened and how IT fixes it. Its key names the connection
 * (when it was made), so the alert is raised once per connection however many pulls meet the refusal,
 * and again only after IT has connected anew and that connection is refused in its turn.
 */
export function disconnectedAlert(connection: { kind: UsageSourceKindName; connectedAt: string; disconnectedAt: string }, words: Pick<Words, 'day'>): DueAlert {
  return {
    key: `autodesk_disconnected|${connection.kind}|${connection.connectedAt}`,
    kind: 'alert_autodesk_disconnected',
    message:
      `${SOURCE_NAME[connection.kind]} is disconnected since ${words.day(connection.disconnectedAt)}: Autodesk no longer accepts the connection Credit Desk was given ` +
      "(the consent was revoked or went unused too long, or the app's secret changed), so no usage is pulled. " +
      'To fix it, IT connects Autodesk again in Settings → Autodesk; the next pull then brings the days missed.',
  };
}
