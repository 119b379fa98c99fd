import type { Feature } from './features.js';
import { MAIL_SEND_SCOPED, MESSAGE_TRACE_APP_ID } from './features.js';

/**
 * One line of IT's first-run page: `ready` (green), `not_set_up` (red: `fix` says what to do, `command` is
 * the command), `off` (switched off in Settings: nothing to do), `unknown` (Credit Desk cannot see it from
 * where it runs; `fix` says how IT checks it).
 */
export type ReadinessStatus = 'ready' | 'not_set_up' | 'off' | 'unknown';

export interface ReadinessItem {
  id: string;
  title: string;
  status: ReadinessStatus;
  detail: string;
  fix: string | null;
  command: string | null;
}

/**
 * What the server saw of a feature's permission:
 * - `probe`: a cheap read of the feature's own Graph API answered (or was refused with 401/403, or failed otherwise);
 * - `roles`: the application permissions the backend's own Graph token carries (its `roles` claim), for
 *   features with no read-only call to try (sending mail, Teams notifications);
 * - `not_observable`: nothing the backend may read shows it (a delegated grant);
 * - `no_graph`: the deployment has no Graph access configured at all.
 */
export type PermissionObservation =
  | { kind: 'probe'; result: 'granted' }
  | { kind: 'probe'; result: 'refused'; status: 401 | 403; message: string }
  | { kind: 'probe'; result: 'failed'; message: string }
  | { kind: 'roles'; roles: readonly string[] }
  | { kind: 'roles_unavailable'; message: string }
  | { kind: 'not_observable' }
  | { kind: 'no_graph' };

const NO_GRAPH_FIX =
  'Give the Function App its Graph identity: CREDIT_DESK_GRAPH_MANAGED_IDENTITY=1 with CREDIT_DESK_GRAPH_CLIENT_ID (the deployment template sets them), or a client secret (README, Deploying to Azure, step 5).';

const item = (feature: Feature, status: ReadinessStatus, detail: string, fix: string | null = null, command: string | null = null): ReadinessItem => ({
  id: `feature:${feature.id}`,
  title: feature.title,
  status,
  detail,
  fix,
  command,
});

const permissionWords = (feature: Feature) => feature.permissions.map((p) => `${p.name} (${p.type})`).join(', ');

function grantFix(feature: Feature): string {
  const what = `Grant Credit Desk's backend ${permissionWords(feature)}.`;
  if (feature.id === 'messageTrace') return `${what} The tenant also needs the service principal of Microsoft's message trace application (${MESSAGE_TRACE_APP_ID}); it can take several hours to reach message trace.`;
  if (feature.id === 'mailNotifications') return `${what} Exchange Online RBAC for Applications limits it to the sender mailbox (run in Exchange Online PowerShell).`;
  return what;
}

/** A switched-on feature's line from what was seen of its permission; a switched-off feature is `off` whatever was seen. */
export function featureReadiness(feature: Feature, on: boolean, seen: PermissionObservation): ReadinessItem {
  if (!on) return item(feature, 'off', `Switched off in Settings. ${feature.adds} Needs ${permissionWords(feature)}.`, null, feature.grant);
  const [permission] = feature.permissions;
  switch (seen.kind) {
    case 'no_graph':
      return item(feature, 'not_set_up', 'The backend has no Microsoft Graph identity configured.', NO_GRAPH_FIX);
    case 'probe':
      if (seen.result === 'granted') return item(feature, 'ready', `Graph answered with ${permissionWords(feature)}.`);
      if (seen.result === 'refused') return item(feature, 'not_set_up', `Graph refused (${seen.status}): ${seen.message}`, grantFix(feature), feature.grant);
      return item(feature, 'unknown', `Graph could not be asked: ${seen.message}`, 'Try again in a few minutes; if it lasts, see Application Insights → Failures.');
    case 'roles_unavailable':
      return item(feature, 'unknown', `The backend could not get its Graph token: ${seen.message}`, NO_GRAPH_FIX);
    case 'roles':
      if (permission && seen.roles.includes(permission.name)) {
        return feature.id === 'mailNotifications'
          ? item(feature, 'ready', 'Mail.Send is granted in Entra ID, which lets the backend send as any mailbox in the tenant.', 'Narrow it to the sender mailbox with Exchange RBAC for Applications, then remove the Entra ID grant.', MAIL_SEND_SCOPED)
          : item(feature, 'ready', `The backend's Graph token carries ${permission.name}.`);
      }
      if (feature.id === 'mailNotifications') {
        return item(
          feature,
          'unknown',
          "The backend's Graph token carries no Mail.Send. That is right when Exchange RBAC for Applications grants it for the sender mailbox only, which Credit Desk cannot see from here.",
          'Check it in Exchange Online PowerShell: Test-ServicePrincipalAuthorization -Identity $CLIENT_ID -Resource $SENDER. If it is not granted, run the command.',
          feature.grant,
        );
      }
      if (feature.id === 'teamsNotifications') {
        return item(
          feature,
          'unknown',
          "The backend's Graph token carries no TeamsActivity.Send. With resource-specific consent (TeamsActivity.Send.User in the app manifest) each person grants it when the app is installed for them, which Credit Desk cannot see from here.",
          `${grantFix(feature)} ${feature.narrower ?? ''}`.trim(),
          feature.grant,
        );
      }
      return item(feature, 'not_set_up', `The backend's Graph token does not carry ${permissionWords(feature)}.`, grantFix(feature), feature.grant);
    case 'not_observable':
      return item(
        feature,
        'unknown',
        `${permissionWords(feature)} is granted to the tab's sign-in, per person: the backend cannot see it without a directory permission it does not have. A person who was not granted it is asked to consent (or told to ask IT) when they first use the feature.`,
        `If it was not granted yet: ${grantFix(feature)}`,
        feature.grant,
      );
  }
}

/** The page's summary: red when anything is not set up; the first-run page opens on its own only then. */
export function needsAttention(items: readonly ReadinessItem[]): boolean {
  return items.some((i) => i.status === 'not_set_up');
}
