import { TEAMS_ACTIVITY_TYPES } from '../server/adapters/graph/activity-types.js';
import { TAB_ENTITY_ID } from '../src/addin/tab-link.js';
import { PANE_MAILBOX_MINIMUM } from '../src/platform/office-requirements.js';
import { COLOR_ICON, OUTLINE_ICON, RIBBON_ICON_URL_PATH, RIBBON_ICONS } from './icons.js';
import type { AppSettings } from './settings.js';

/**
 * 1.24: bundled with @microsoft/app-manifest (validation stays offline) and has `extensions` for the
 * Outlook add-in. Moving to a newer version is this line; the tests check its schema is bundled.
 */
export const MANIFEST_VERSION = '1.24';
export const SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** Pages of the web build, relative to CREDIT_DESK_WEB_URL. */
export const TAB_PAGE = 'index.html';
export const PANE_PAGE = 'pane.html';

export const OPEN_PANE_ACTION = 'openCreditDeskPane';

/**
 * Where Autodesk's consent page is (APS authentication v2: GET https://developer.api.autodesk.com/authentication/v2/authorize):
 * Settings opens it in Teams' authentication window, which loads only valid domains.
 */
export const AUTODESK_SIGN_IN_DOMAIN = 'developer.api.autodesk.com';

/** The JSON we write. The schema is the full contract; this type only keeps the builder honest. */
export type AppManifest = ReturnType<typeof buildManifest>;

export function buildManifest(settings: AppSettings) {
  const web = (page: string) => `${settings.webUrl}/${page}`;
  const ribbonIcons = RIBBON_ICONS.map((icon) => ({ size: icon.size, url: web(`${RIBBON_ICON_URL_PATH}/${icon.file}`) }));

  return {
    $schema: SCHEMA_URL,
    manifestVersion: MANIFEST_VERSION,
    version: settings.appVersion,
    id: settings.appId,
    developer: {
      name: settings.developerName,
      websiteUrl: settings.developerUrl,
      privacyUrl: settings.privacyUrl,
      termsOfUseUrl: settings.termsUrl,
    },
    name: { short: 'Credit Desk', full: 'Credit Desk for Autodesk Cloud Credits' },
    description: {
      short: 'Your Autodesk Cloud Credits, account requests and the shared credit pool.',
      full:
        "Credit Desk runs your firm's Autodesk Cloud Credits in Teams: employees request their Autodesk account, " +
        'follow its registration and see their own credits and the shared pool, account managers work the requests ' +
        'and reseller quotes, and IT reads every pool change. ' +
        'In Outlook, the Credit Desk button on an open message lets an account manager act on that email ' +
        '(a registration request or a reseller quote), reading only the message in front of them.',
    },
    icons: { color: COLOR_ICON.file, outline: OUTLINE_ICON.file },
    accentColor: '#5B5FC7',
    staticTabs: [
      {
        // The Outlook pane's deep links into the tab name this id.
        entityId: TAB_ENTITY_ID,
        name: 'Credit Desk',
        contentUrl: web(TAB_PAGE),
        websiteUrl: web(TAB_PAGE),
        scopes: ['personal'],
        context: ['personalTab'],
      },
    ],
    validDomains: [new URL(settings.webUrl).host, AUTODESK_SIGN_IN_DOMAIN],
    webApplicationInfo: { id: settings.aadClientId, resource: settings.apiResource },
    // Teams delivers the activity-feed notifications (account created, request arrived, usage not confirmed) only for declared types.
    activities: { activityTypes: TEAMS_ACTIVITY_TYPES.map(({ type, description, templateText }) => ({ type, description, templateText })) },
    // The pane reads the message it is opened on, nothing else in the mailbox.
    authorization: { permissions: { resourceSpecific: [{ name: 'MailboxItem.Read.User', type: 'Delegated' }] } },
    extensions: [
      {
        // The lowest Mailbox set with every Office.js call the pane makes (src/platform/office-requirements.ts).
        requirements: { scopes: ['mail'], capabilities: [{ name: 'Mailbox', minVersion: PANE_MAILBOX_MINIMUM }] },
        runtimes: [
          {
            id: 'creditDeskPaneRuntime',
            type: 'general',
            code: { page: web(PANE_PAGE) },
            lifetime: 'short',
            actions: [{ id: OPEN_PANE_ACTION, type: 'openPage', displayName: 'Open Credit Desk', pinnable: true }],
          },
        ],
        ribbons: [
          {
            contexts: ['mailRead'],
            tabs: [
              {
                builtInTabId: 'TabDefault',
                groups: [
                  {
                    id: 'creditDeskGroup',
                    label: 'Credit Desk',
                    icons: ribbonIcons,
                    controls: [
                      {
                        id: 'creditDeskOpenPane',
                        type: 'button',
                        label: 'Credit Desk',
                        icons: ribbonIcons,
                        supertip: {
                          title: 'Open Credit Desk',
                          description: 'Act on this email in Credit Desk: a registration request or a reseller quote.',
                        },
                        actionId: OPEN_PANE_ACTION,
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}
