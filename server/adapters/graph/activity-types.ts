/**
 * The Teams activity-feed notifications Credit Desk sends (Graph sendActivityNotification). Teams takes only
 * types the app manifest declares, with a template whose `{parameters}` the notification fills in: the
 * manifest builder (manifest/build-manifest.ts) and the notifier both read this list.
 */
export const TEAMS_ACTIVITY_TYPES = [
  {
    type: 'autodeskAccountCreated',
    description: 'Your Autodesk account was created',
    templateText: 'Your Autodesk account for {email} exists: look for Autodesk’s email, it is probably in quarantine',
    parameters: ['email'],
  },
  {
    type: 'registrationRequested',
    description: 'Someone asked for an Autodesk account',
    templateText: '{person} asked for an Autodesk account',
    parameters: ['person'],
  },
  {
    type: 'usageUnconfirmed',
    description: 'Autodesk’s usage export did not confirm usage you logged',
    templateText: 'Autodesk’s usage export for {period} does not show {entries} you logged ({amount})',
    parameters: ['period', 'entries', 'amount'],
  },
] as const;

export type TeamsActivityType = (typeof TEAMS_ACTIVITY_TYPES)[number]['type'];
