import type { Policy } from '../policy/index.js';

/**
 * Least privilege by feature (issue 22): every Microsoft Graph permission Credit Desk uses, tied to the one
 * feature that needs it. The directory look-up is the minimum and always on; every other feature is
 * switched on per tenant in Settings (off for a fresh tenant), and the server never calls Graph for a
 * feature that is off.
 */
export type FeatureId = 'directory' | 'messageTrace' | 'teamsNotifications' | 'mailNotifications' | 'mailboxHelper';

/** Microsoft Graph's application id (the same in every tenant). */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

export interface GraphPermission {
  name: string;
  /** Application: the backend's identity, granted by an admin. Delegated: the signed-in person's own data. */
  type: 'application' | 'delegated';
}

export interface Feature {
  id: FeatureId;
  title: string;
  /** What the feature adds, in words for IT. */
  adds: string;
  /** The Graph permissions it needs (least privileged for the calls it makes). */
  permissions: readonly GraphPermission[];
  /** Off in a fresh tenant; IT switches it on in Settings. The directory look-up is never off. */
  optIn: boolean;
  /** The one command that grants what it needs (bash with the Azure CLI; `$PRINCIPAL_ID`, `$CLIENT_ID` as the README's deployment steps set them). */
  grant: string;
  /** A narrower way Microsoft offers, where there is one (Exchange RBAC for Applications, resource-specific consent). */
  narrower?: string;
}

/**
 * Grants a Graph application permission to the backend's identity (the managed identity's service principal,
 * `graphIdentityPrincipalId` of the deployment, or the app registration's with a client secret): an app-role
 * assignment on Graph's service principal, the role found by its name.
 */
export function grantApplicationPermission(permission: string): string {
  const graphSp = `$(az ad sp show --id ${GRAPH_APP_ID} --query id -o tsv)`;
  const role = `$(az ad sp show --id ${GRAPH_APP_ID} --query "appRoles[?value=='${permission}'].id | [0]" -o tsv)`;
  return `az rest --method POST --uri "https://graph.microsoft.com/v1.0/servicePrincipals/$PRINCIPAL_ID/appRoleAssignments" --body "{\\"principalId\\":\\"$PRINCIPAL_ID\\",\\"resourceId\\":\\"${graphSp}\\",\\"appRoleId\\":\\"${role}\\"}"`;
}

/** Adds a delegated Graph permission to the app registration the tab signs in with, and consents for everyone. */
export function grantDelegatedPermission(permission: string): string {
  const scope = `$(az ad sp show --id ${GRAPH_APP_ID} --query "oauth2PermissionScopes[?value=='${permission}'].id | [0]" -o tsv)`;
  return `az ad app permission add --id "$CLIENT_ID" --api ${GRAPH_APP_ID} --api-permissions ${scope}=Scope && az ad app permission admin-consent --id "$CLIENT_ID"`;
}

/** Microsoft's message trace application: the tenant needs a service principal for it before the API answers. */
export const MESSAGE_TRACE_APP_ID = '8bd644d1-64a1-4d4b-ae52-2e0cbf64e373';

/**
 * Exchange Online RBAC for Applications (which replaces application access policies): the identity may send
 * only as the sender mailbox. Run in Exchange Online PowerShell; `$SENDER` is the mailbox of Settings →
 * Send mail from. Grant no Mail.Send in Entra ID as well: Entra's grant is tenant-wide and adds to this one.
 */
export const MAIL_SEND_SCOPED =
  'Connect-ExchangeOnline; ' +
  'New-ServicePrincipal -AppId $CLIENT_ID -ObjectId $PRINCIPAL_ID -DisplayName "Credit Desk"; ' +
  'New-ManagementScope -Name "Credit Desk sender" -RecipientRestrictionFilter "PrimarySmtpAddress -eq \'$SENDER\'"; ' +
  'New-ManagementRoleAssignment -App $CLIENT_ID -Role "Application Mail.Send" -CustomResourceScope "Credit Desk sender"';

export const FEATURES: readonly Feature[] = [
  {
    id: 'directory',
    title: 'Directory look-up',
    adds: "People's names, addresses, office and department: the account managers' people picker, member records on first sign-in and on a request, and the nightly directory refresh.",
    permissions: [{ name: 'User.Read.All', type: 'application' }],
    optIn: false,
    grant: grantApplicationPermission('User.Read.All'),
  },
  {
    id: 'messageTrace',
    title: 'Message trace for stuck registrations',
    adds: 'The Stuck registrations list shows whether Exchange quarantined or filtered the Autodesk email to a person whose account was created days ago.',
    permissions: [{ name: 'ExchangeMessageTrace.Read.All', type: 'application' }],
    optIn: true,
    grant: `${grantApplicationPermission('ExchangeMessageTrace.Read.All')} && az ad sp create --id ${MESSAGE_TRACE_APP_ID}`,
  },
  {
    id: 'teamsNotifications',
    title: 'Notifications in Teams',
    adds: "People get a Teams activity-feed notification when their Autodesk account exists, account managers when a request arrives, and people when Autodesk's export did not show usage they logged.",
    permissions: [{ name: 'TeamsActivity.Send', type: 'application' }],
    optIn: true,
    grant: grantApplicationPermission('TeamsActivity.Send'),
    narrower:
      'Resource-specific consent: declare TeamsActivity.Send.User (type Application) under authorization.permissions.resourceSpecific in the app manifest; each person consents for themself when the app is installed for them, and no tenant-wide grant is needed.',
  },
  {
    id: 'mailNotifications',
    title: 'Notifications by mail',
    adds: 'The same notifications by mail, from the sender mailbox in Settings, where Teams notifications are off or not set up.',
    permissions: [{ name: 'Mail.Send', type: 'application' }],
    optIn: true,
    grant: MAIL_SEND_SCOPED,
    narrower: `Without Exchange Online PowerShell: ${grantApplicationPermission('Mail.Send')} grants Mail.Send for every mailbox in the tenant; the Exchange command above limits it to the sender.`,
  },
  {
    id: 'mailboxHelper',
    title: 'Mailbox helper',
    adds: "An employee waiting for the Autodesk email can search their own Junk Email folder and IronPort digests from the tab and move the email to the Inbox. Delegated: only the signed-in person's own mailbox.",
    permissions: [{ name: 'Mail.ReadWrite', type: 'delegated' }],
    optIn: true,
    grant: grantDelegatedPermission('Mail.ReadWrite'),
  },
];

export function featureOf(id: FeatureId): Feature {
  const feature = FEATURES.find((f) => f.id === id);
  if (!feature) throw new RangeError(`No feature ${id}`);
  return feature;
}

/**
 * Whether a feature is on for a tenant: the directory always; message trace and the mailbox helper by their
 * switch; the notifications by the notification settings (mail only with a sender mailbox to send from).
 */
export function isFeatureOn(policy: Pick<Policy, 'features' | 'notifications'>, id: FeatureId): boolean {
  switch (id) {
    case 'directory':
      return true;
    case 'messageTrace':
      return policy.features.messageTrace;
    case 'mailboxHelper':
      return policy.features.mailboxHelper;
    case 'teamsNotifications':
      return policy.notifications.teams;
    case 'mailNotifications':
      return policy.notifications.mail && policy.notifications.mailSender !== null;
  }
}

/** The features on for a tenant, in FEATURES' order. */
export function featuresOn(policy: Pick<Policy, 'features' | 'notifications'>): Feature[] {
  return FEATURES.filter((f) => isFeatureOn(policy, f.id));
}

/** The Graph permissions a tenant's switched-on features need, each once (the minimum: User.Read.All alone). */
export function permissionsNeeded(policy: Pick<Policy, 'features' | 'notifications'>): GraphPermission[] {
  const seen = new Map<string, GraphPermission>();
  for (const feature of featuresOn(policy)) for (const p of feature.permissions) seen.set(`${p.type}:${p.name}`, p);
  return [...seen.values()];
}
