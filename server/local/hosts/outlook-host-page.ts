/**
 * The Outlook host stand-in (dev only, /hosts/outlook.html): frames the pane at the task pane's width as
 * Outlook on the web does, and answers the Office.js stand-in in it (office-standin.ts): the requirement
 * sets, the open message, the theme, Office dialogs (opened in a window of their own, their
 * `messageParent` relayed back) and, with NestedAppAuth 1.1, the nested app auth bridge's token requests
 * (answered with the dev issuer's tokens).
 *
 * Switches (query): `as` (the signed-in mailbox), `naa=off` (a client without NestedAppAuth 1.1: older
 * builds, Outlook.com accounts), `sample` (the open message, src/addin/dev/samples.ts), `theme=dark`,
 * `mailbox` (the highest Mailbox requirement set, 1.14 by default), `tokenSeconds` (token lifetime), `cloud` (the accounts'
 * environment: the Entra ID stand-in's host when the app signs in there).
 */
import { SAMPLE_MESSAGES } from '../../../src/addin/dev/samples.js';
import type { BridgeHostOptions } from './naa-bridge-host.js';
import { answerBridgeRequest, defaultUser, hostLog, hostSwitches } from './naa-bridge-host.js';
import type { OutlookState, ToAddIn, ToHost } from './office-protocol.js';
import { isOfficeMessage } from './office-protocol.js';

const THEMES: Record<'light' | 'dark', OutlookState['theme']> = {
  light: { bodyBackgroundColor: '#FFFFFF', bodyForegroundColor: '#242424', controlBackgroundColor: '#FFFFFF', controlForegroundColor: '#242424' },
  dark: { bodyBackgroundColor: '#292929', bodyForegroundColor: '#FFFFFF', controlBackgroundColor: '#333333', controlForegroundColor: '#FFFFFF' },
};

const record = hostLog();
const switches = hostSwitches();

async function start(): Promise<void> {
  const user = switches.user || (await defaultUser((roles) => roles.includes('AccountManager')));
  const bridge: BridgeHostOptions = { user, tokenSeconds: switches.tokenSeconds, environment: switches.environment, record };
  const frame = document.querySelector<HTMLIFrameElement>('#app')!;
  const picker = document.querySelector<HTMLSelectElement>('#sample')!;
  document.querySelector('#status')!.textContent = `Mailbox ${user} · NestedAppAuth 1.1 ${switches.nestedAuth ? 'supported' : 'not supported'}`;
  for (const sample of SAMPLE_MESSAGES) picker.add(new Option(sample.message.subject, sample.id));
  picker.value = SAMPLE_MESSAGES.find((s) => s.id === switches.params.get('sample'))?.id ?? SAMPLE_MESSAGES[0]!.id;
  const message = () => SAMPLE_MESSAGES.find((s) => s.id === picker.value)!.message;

  const state = (role: OutlookState['role']): OutlookState => ({
    role,
    mailbox: switches.params.get('mailbox') ?? '1.14',
    nestedAppAuth: switches.nestedAuth,
    userEmail: user,
    theme: THEMES[switches.params.get('theme') === 'dark' ? 'dark' : 'light'],
    message: message(),
  });

  const toPane = (message: ToAddIn) => frame.contentWindow?.postMessage(message, location.origin);
  let dialog: { window: Window; closedCheck: ReturnType<typeof setInterval> } | undefined;
  const endDialog = () => {
    if (!dialog) return;
    clearInterval(dialog.closedCheck);
    if (!dialog.window.closed) dialog.window.close();
    dialog = undefined;
  };

  const fromPane = async (request: ToHost) => {
    switch (request.officeStandIn) {
      case 'hello':
        return toPane({ officeStandIn: 'welcome', state: state('pane') });
      case 'naa':
        // Only a client with NestedAppAuth 1.1 brokers tokens.
        if (switches.nestedAuth) toPane({ officeStandIn: 'naa', answer: await answerBridgeRequest(request.request, bridge) });
        return;
      case 'displayDialog': {
        const opened = window.open(request.url, 'credit-desk-office-dialog', `popup,width=${Math.round((screen.width * (request.width ?? 30)) / 100)},height=${Math.round((screen.height * (request.height ?? 60)) / 100)}`);
        // 12009: the person (or the browser) blocked the dialog.
        if (!opened) return toPane({ officeStandIn: 'dialogFailed', code: 12009 });
        const closedCheck = setInterval(() => {
          if (!opened.closed) return;
          endDialog();
          // 12006: the person closed the dialog.
          toPane({ officeStandIn: 'dialogEvent', error: 12006 });
        }, 250);
        dialog = { window: opened, closedCheck };
        return toPane({ officeStandIn: 'dialogOpened' });
      }
      case 'closeDialog':
        return endDialog();
      default:
        return;
    }
  };

  window.addEventListener('message', (event: MessageEvent<ToHost>) => {
    if (event.origin !== location.origin || !isOfficeMessage(event.data)) return;
    const fromDialog = dialog && event.source === dialog.window;
    record(`${fromDialog ? 'dialog: ' : ''}${event.data.officeStandIn}`);
    if (event.source === frame.contentWindow) void fromPane(event.data);
    else if (fromDialog && event.data.officeStandIn === 'hello') dialog!.window.postMessage({ officeStandIn: 'welcome', state: state('dialog') } satisfies ToAddIn, location.origin);
    else if (fromDialog && event.data.officeStandIn === 'messageParent') toPane({ officeStandIn: 'dialogMessage', message: event.data.message, origin: location.origin });
  });

  picker.addEventListener('change', () => {
    record('itemChanged');
    toPane({ officeStandIn: 'itemChanged', message: message() });
  });
  frame.src = '/pane.html';
}

void start();
