/**
 * The Teams mobile stand-in (dev only, /hosts/teams-mobile.js): Teams iOS and Android host a tab without a
 * frame. Their web view injects `window.nativeInterface` into the page before its scripts run; teams-js
 * sends requests through `nativeInterface.framelessPostMessage` (JSON) and takes answers on
 * `window.onNativeMessage`. Frameless, teams-js builds no nested app auth bridge itself, so a client that
 * brokers tokens injects `window.nestedAppAuthBridge` too.
 *
 * This script is what the web view injects: run it before the tab's scripts (a test's `addInitScript`)
 * with `window.teamsMobileStandIn = { as, naa, theme, page, tokenSeconds, cloud }` set first.
 */
import type { BridgeHostOptions } from './naa-bridge-host.js';
import { answerBridgeRequest, hostLog } from './naa-bridge-host.js';

interface MobileSwitches {
  as: string;
  naa?: boolean;
  theme?: string;
  page?: string;
  tokenSeconds?: number;
  /** The accounts' environment (the Entra ID stand-in's host when the app signs in there). */
  cloud?: string;
}

interface NativeRequest {
  id: number;
  uuidAsString?: string;
  func: string;
}

type NativePage = Window & {
  teamsMobileStandIn?: MobileSwitches;
  nativeInterface?: { framelessPostMessage(message: string): void };
  onNativeMessage?: (event: { data: unknown }) => void;
  nestedAppAuthBridge?: unknown;
};

function install(page: NativePage, switches: MobileSwitches): void {
  const record = hostLog();
  const nestedAuth = switches.naa !== false;
  const bridge: BridgeHostOptions = { user: switches.as, tokenSeconds: switches.tokenSeconds ?? 3600, ...(switches.cloud ? { environment: switches.cloud } : {}), record };
  const runtime = JSON.stringify({ apiVersion: 4, isNAAChannelRecommended: nestedAuth, supports: { app: {}, pages: { appButton: {}, tabs: {} }, teams: { fullTrust: {} }, ...(nestedAuth ? { nestedAppAuth: {} } : {}) } });
  const answers: Record<string, () => unknown[]> = {
    initialize: () => ['content', 'android', '2.58.0', runtime],
    getContext: () => [{ locale: 'en-us', theme: switches.theme ?? 'default', entityId: 'credit-desk', subEntityId: switches.page, hostName: 'Teams', hostClientType: 'android', frameContext: 'content', loginHint: switches.as, userPrincipalName: switches.as, sessionId: 'host-stand-in' }],
  };
  page.nativeInterface = {
    framelessPostMessage(message: string) {
      const request = JSON.parse(message) as NativeRequest;
      record(request.func);
      const answer = answers[request.func];
      // The native side answers later, never inside the call.
      if (answer) setTimeout(() => page.onNativeMessage?.({ data: { id: request.id, uuidAsString: request.uuidAsString, args: answer() } }), 0);
    },
  };
  if (!nestedAuth) return;
  const listeners = new Set<(response: string) => void>();
  page.nestedAppAuthBridge = {
    addEventListener: (type: string, listener: (response: string) => void) => type === 'message' && listeners.add(listener),
    removeEventListener: (_type: string, listener: (response: string) => void) => listeners.delete(listener),
    postMessage: (request: string) => void answerBridgeRequest(request, bridge).then((answer) => listeners.forEach((listener) => listener(answer))),
  };
}

const page = window as NativePage;
if (page.teamsMobileStandIn && window.top === window) install(page, page.teamsMobileStandIn);
