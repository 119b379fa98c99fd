/**
 * The Teams host stand-in (dev only, /hosts/teams.html): frames the tab as Teams desktop and web do and
 * answers teams-js's postMessage protocol (requests `{id, uuidAsString, func, args}`, answers
 * `{id, uuidAsString, args}`, host events `{func, args}`): `initialize` with the runtime configuration
 * (`isNAAChannelRecommended`, `supports.nestedAppAuth`), `getContext`, theme changes,
 * `authentication.authenticate` (Teams opens the sign-in window and relays its `notifySuccess` /
 * `notifyFailure`, or `CancelledByUser` when the person closes it), and the nested app auth bridge
 * (`nestedAppAuth.execute`, answered with the dev issuer's tokens).
 *
 * Switches (query): `as` (the signed-in person), `naa=off` (a Teams client without nested app auth),
 * `theme=default|dark|contrast`, `page` (a deep link's subEntityId), `tokenSeconds` (token lifetime), `cloud` (the accounts'
 * environment: the Entra ID stand-in's host when the app signs in there).
 * teams-js accepts messages from its own origin only besides Microsoft's, so the stand-in is served by
 * the same server as the tab.
 */
import type { BridgeHostOptions } from './naa-bridge-host.js';
import { answerBridgeRequest, defaultUser, hostLog, hostSwitches } from './naa-bridge-host.js';

interface TeamsRequest {
  id?: number;
  uuidAsString?: string;
  func?: string;
  args?: unknown[];
  data?: unknown;
}

/**
 * The teams-js version the stand-in says it supports (the one in package.json). Teams answers initialize
 * with `[frameContext, clientType, sdkVersion, runtimeConfig]`: teams-js reads either order, but builds its
 * nested app auth bridge from the fourth.
 */
const HOST_SDK_VERSION = '2.58.0';
const THEMES = ['default', 'dark', 'contrast'] as const;

const record = hostLog();
const switches = hostSwitches();
let theme = THEMES.find((t) => t === switches.params.get('theme')) ?? 'default';

/** The runtime configuration Teams hands teams-js at initialize (where isNAAChannelRecommended lives). */
function runtimeConfig(): string {
  return JSON.stringify({
    apiVersion: 4,
    isNAAChannelRecommended: switches.nestedAuth,
    supports: {
      app: {},
      appInstallDialog: {},
      pages: { appButton: {}, tabs: {}, config: {}, backStack: {} },
      teams: { fullTrust: {} },
      ...(switches.nestedAuth ? { nestedAppAuth: {} } : {}),
    },
  });
}

const reply = (target: Window, request: TeamsRequest, args: unknown[]) => target.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, location.origin);

async function start(): Promise<void> {
  const user = switches.user || (await defaultUser((roles) => roles.length === 0));
  const bridge: BridgeHostOptions = { user, tokenSeconds: switches.tokenSeconds, environment: switches.environment, record };
  const frame = document.querySelector<HTMLIFrameElement>('#app')!;
  const status = document.querySelector('#status')!;
  status.textContent = `Signed in as ${user} · nested app auth ${switches.nestedAuth ? 'on' : 'off'}`;

  const context = () => ({
    locale: 'en-us',
    theme,
    entityId: 'credit-desk',
    subEntityId: switches.params.get('page') ?? undefined,
    hostName: 'Teams',
    hostClientType: 'web',
    frameContext: 'content',
    loginHint: user,
    userPrincipalName: user,
    sessionId: 'host-stand-in',
    appSessionId: 'host-stand-in',
  });

  // Teams' sign-in window: the tab's request waiting for its answer.
  let signIn: { window: Window; request: TeamsRequest; closedCheck: ReturnType<typeof setInterval> } | undefined;
  const finishSignIn = (args: unknown[]) => {
    if (!signIn) return;
    clearInterval(signIn.closedCheck);
    reply(frame.contentWindow!, signIn.request, args);
    if (!signIn.window.closed) signIn.window.close();
    signIn = undefined;
  };

  const fromTab = async (request: TeamsRequest) => {
    const tab = frame.contentWindow!;
    switch (request.func) {
      case 'initialize':
        return reply(tab, request, ['content', 'web', HOST_SDK_VERSION, runtimeConfig()]);
      case 'getContext':
        return reply(tab, request, [context()]);
      case 'nestedAppAuth.execute':
        return reply(tab, request, [null, await answerBridgeRequest(String(request.data), bridge)]);
      case 'authentication.authenticate': {
        const [url, width, height] = (request.args ?? []) as [string, number?, number?];
        if (signIn) return reply(tab, request, [false, 'Another sign-in window is open.']);
        const opened = window.open(url, 'credit-desk-teams-sign-in', `popup,width=${width ?? 600},height=${height ?? 535}`);
        if (!opened) return reply(tab, request, [false, 'FailedToOpenWindow']);
        // Teams watches its window: closed before the page answered is the person cancelling.
        const closedCheck = setInterval(() => opened.closed && finishSignIn([false, 'CancelledByUser']), 250);
        signIn = { window: opened, request, closedCheck };
        return;
      }
      default:
        return;
    }
  };

  const fromSignInWindow = (request: TeamsRequest) => {
    if (request.func === 'initialize') return reply(signIn!.window, request, ['authentication', 'web', HOST_SDK_VERSION, runtimeConfig()]);
    if (request.func === 'authentication.authenticate.success') return finishSignIn([true, request.args?.[0]]);
    if (request.func === 'authentication.authenticate.failure') return finishSignIn([false, request.args?.[0]]);
  };

  window.addEventListener('message', (event: MessageEvent<TeamsRequest>) => {
    if (event.origin !== location.origin || typeof event.data !== 'object' || !event.data?.func) return;
    record(`${event.source === frame.contentWindow ? '' : 'sign-in window: '}${event.data.func}`);
    if (event.source === frame.contentWindow) void fromTab(event.data);
    else if (signIn && event.source === signIn.window) fromSignInWindow(event.data);
  });

  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-theme]')) {
    button.setAttribute('aria-pressed', String(button.dataset.theme === theme));
    button.addEventListener('click', () => {
      theme = THEMES.find((t) => t === button.dataset.theme) ?? 'default';
      for (const other of document.querySelectorAll('[data-theme]')) other.setAttribute('aria-pressed', String(other === button));
      record(`themeChange ${theme}`);
      frame.contentWindow?.postMessage({ func: 'themeChange', args: [theme] }, location.origin);
    });
  }
  document.body.dataset.theme = theme;
  frame.src = '/';
}

void start();
