import { GraphError } from '@microsoft/microsoft-graph-client';
import { tabLink } from '../../../src/contract/tab-link.js';
import type { NotificationSettings } from '../../../src/core/policy/index.js';
import { unitsToCredits } from '../../../src/core/ledger/index.js';
import { unitWord } from '../../../src/core/policy/index.js';
import type { Notification, Notifier, NotifyResult } from '../../ports/notifier.js';
import type { GraphCallOptions } from './graph-client.js';
import { GraphCalls } from './graph-client.js';
import type { TeamsActivityType } from './activity-types.js';

/** The app's identity needs TeamsActivity.Send and Mail.Send; a call's budget 5 s, 2 retries by default. */
export interface GraphNotifierOptions extends GraphCallOptions {
  /**
   * Where a notification opens the tab. A Teams deep link to the tab
   * (`https://teams.microsoft.com/l/entity/{appId}/{entityId}`) gets the page as `context.subEntityId`;
   * any other address (the tab's web address) gets it as the hash (`#/registration?helper`).
   */
  tabUrl: string;
  /** The tenant's notification settings (Policy.notifications), read at each notification. */
  settingsOf: (tenant: string) => Promise<NotificationSettings>;
  /** Where failures are logged (default console.warn). */
  log?: (line: string) => void;
}

interface Message {
  /** Declared in the app manifest from TEAMS_ACTIVITY_TYPES, with a template of the same parameters. */
  activityType: TeamsActivityType;
  preview: string;
  templateParameters: { name: string; value: string }[];
  /** The tab page it opens (`page?flag`, as in the tab's hash). */
  page: string;
  subject: string;
  text: string;
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** "1 entry", "3 entries". */
const entryCount = (entries: number) => `${number.format(entries)} ${entries === 1 ? 'entry' : 'entries'}`;

/** The days of an import: "2026-03-02", or "2026-03-01 to 2026-03-31". */
const period = (range: { from: string; to: string }) => (range.from === range.to ? range.from : `${range.from} to ${range.to}`);

function messageOf(n: Notification): Message {
  switch (n.kind) {
    case 'account_created':
      return {
        activityType: 'autodeskAccountCreated',
        preview: 'Your Autodesk account exists — look for the email, it is probably in quarantine',
        templateParameters: [{ name: 'email', value: n.to.email }],
        page: 'registration?helper',
        subject: 'Your Autodesk account exists',
        text: `Hello ${n.to.displayName},\n\nYour Autodesk account (${n.to.email}) has been created. Autodesk has sent you an email to activate it; it is probably in quarantine or your Junk Email folder. The quarantine helper in Credit Desk finds it for you:`,
      };
    case 'request_arrived':
      return {
        activityType: 'registrationRequested',
        preview: `${n.about.displayName} asked for an Autodesk account`,
        templateParameters: [{ name: 'person', value: n.about.displayName }],
        page: 'registrations',
        subject: `Autodesk account request: ${n.about.displayName}`,
        text: `Hello ${n.to.displayName},\n\n${n.about.displayName} (${n.about.email}) asked for an Autodesk account. The request is waiting in Credit Desk:`,
      };
    case 'usage_unconfirmed': {
      const credits = unitsToCredits(n.amount);
      const amount = `${number.format(credits)} ${unitWord(n, credits)}`;
      const days = period(n.range);
      const entries = entryCount(n.entries);
      const one = n.entries === 1;
      return {
        activityType: 'usageUnconfirmed',
        preview: `Autodesk’s usage export for ${days} does not show ${entries} you logged (${amount})`,
        templateParameters: [
          { name: 'period', value: days },
          { name: 'entries', value: entries },
          { name: 'amount', value: amount },
        ],
        page: 'history',
        subject: `Usage you logged is not in Autodesk’s export (${entries})`,
        text:
          `Hello ${n.to.displayName},\n\nAutodesk’s usage export for ${days} does not show ${entries} you logged yourself in Credit Desk (${amount}${one ? '' : ' in all'}); ` +
          `${one ? 'it still counts' : 'they still count'} as used. Check that the usage was real and that the service and date are right; if not, ask an account manager to correct ${one ? 'it' : 'them'}. ` +
          'Your history in Credit Desk lists what you logged:',
      };
    }
  }
}

/** Teams could not deliver to this person (the app is not installed for them, or not set up): mail instead. */
const TEAMS_NOT_SET_UP = new Set([403, 404]);

const describe = (error: unknown) =>
  error instanceof GraphError ? `Graph answered ${error.statusCode}${error.code ? ` (${error.code})` : ''}: ${error.message}` : error instanceof Error ? error.message : String(error);

/**
 * Notifications through Microsoft Graph: a Teams activity-feed notification (TeamsActivity.Send), and
 * where Teams answers 403 or 404 a plain-text mail from the configured sender mailbox (Mail.Send). Both
 * can be turned off in settings. Never throws.
 */
export class GraphNotifier implements Notifier {
  private readonly log: (line: string) => void;

  private readonly graph: GraphCalls;

  constructor(private readonly options: GraphNotifierOptions) {
    this.log = options.log ?? ((line) => console.warn(line));
    this.graph = new GraphCalls(options, { timeoutMs: 5_000, maxRetries: 2, noToken: () => new Error('No token for Microsoft Graph.') });
  }

  async notify(tenant: string, n: Notification): Promise<NotifyResult> {
    try {
      const settings = await this.options.settingsOf(tenant);
      const sender = settings.mail ? settings.mailSender?.trim() || null : null;
      if (!settings.teams && !sender) return 'skipped';
      const message = messageOf(n);
      const link = tabLink(this.options.tabUrl, message.page);
      if (settings.teams) {
        try {
          await this.post(tenant, `/users/${encodeURIComponent(n.to.id)}/teamwork/sendActivityNotification`, {
            topic: { source: 'text', value: 'Credit Desk', webUrl: link },
            activityType: message.activityType,
            previewText: { content: message.preview },
            templateParameters: message.templateParameters,
          });
          return 'teams';
        } catch (error) {
          const notSetUp = error instanceof GraphError && TEAMS_NOT_SET_UP.has(error.statusCode);
          if (!notSetUp || !sender) {
            this.log(`Credit Desk: the ${n.kind} Teams notification to ${n.to.id} failed${notSetUp ? ' and no mail sender is set' : ''}: ${describe(error)}`);
            return 'failed';
          }
        }
      }
      await this.post(tenant, `/users/${encodeURIComponent(sender!)}/sendMail`, {
        message: {
          subject: message.subject,
          body: { contentType: 'text', content: `${message.text}\n${link}\n\nCredit Desk` },
          toRecipients: [{ emailAddress: { name: n.to.displayName, address: n.to.email } }],
        },
        saveToSentItems: false,
      });
      return 'mail';
    } catch (error) {
      this.log(`Credit Desk: the ${n.kind} notification to ${n.to.id} failed: ${describe(error)}`);
      return 'failed';
    }
  }

  private async post(tenant: string, path: string, body: unknown): Promise<void> {
    const budget = this.graph.budget(() => new Error(`Graph did not answer within ${this.graph.timeoutMs / 1000} s.`));
    try {
      await Promise.race([budget.prepare(this.graph.for(tenant).api(path)).post(body), budget.expired]);
    } finally {
      budget.dispose();
    }
  }

}
