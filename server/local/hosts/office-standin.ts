/**
 * A stand-in for Office.js (dev and tests only, /hosts/office.js): the real library comes only from
 * Microsoft's CDN and needs a real Office client, neither of which the local stack has. It provides the
 * `Office` global the pane and the sign-in page use, with the behaviour Microsoft documents:
 * - `Office.onReady()` resolves with `{ host: null, platform: null }` outside Office (no host frame or
 *   opener), else with Outlook on the web once the host has answered;
 * - `context.requirements.isSetSupported(name, version)`: Mailbox up to the host's version, NestedAppAuth
 *   1.1 only where the host switch says so, DialogApi 1.1–1.2;
 * - `context.mailbox`: the host's message, read-mode (src/addin/dev/sample-mailbox.ts), `userProfile`, and
 *   `addHandlerAsync(ItemChanged)`; `context.officeTheme` (Mailbox 1.14);
 * - `context.ui.displayDialogAsync(url)`: the host opens the page in a window of its own (as Outlook on the
 *   web does); only one at a time (12007); same origin only (12004); the Dialog's `DialogMessageReceived`
 *   gets `{ message, origin }`, `DialogEventReceived` `{ error: 12006 }` when the person closes it;
 * - `context.ui.messageParent(message)` in the dialog;
 * - where the host brokers tokens (NestedAppAuth 1.1), `window.nestedAppAuthBridge` for MSAL, relayed to
 *   the host, as Office.js provides it in Outlook.
 * Loaded by pane.html and auth.html as Office.js is in production (VITE_OFFICE_JS_URL).
 */
import { sampleMailbox } from '../../../src/addin/dev/sample-mailbox.js';
import type { OutlookState, ToAddIn, ToHost } from './office-protocol.js';
import { isOfficeMessage } from './office-protocol.js';

type Handler = (arg: unknown) => void;

const EventType = { ItemChanged: 'olkItemSelectedChanged', DialogMessageReceived: 'dialogMessageReceived', DialogEventReceived: 'dialogEventReceived' } as const;
const AsyncResultStatus = { Succeeded: 'succeeded', Failed: 'failed' } as const;
/** How long a page in a frame or window waits for a host that may not be Office. */
const HOST_ANSWER_MS = 3000;

const hostWindow: Window | null = window.parent !== window ? window.parent : (window.opener as Window | null);
const toHost = (message: ToHost) => hostWindow?.postMessage(message, location.origin);

const versionAtMost = (wanted: string | undefined, highest: string) => {
  const [wMajor = 1, wMinor = 0] = (wanted ?? '1.1').split('.').map(Number);
  const [hMajor = 1, hMinor = 0] = highest.split('.').map(Number);
  return wMajor < hMajor || (wMajor === hMajor && wMinor <= hMinor);
};

function officeFor(state: OutlookState | undefined, ready: Promise<{ host: string | null; platform: string | null }>) {
  const itemHandlers = new Set<Handler>();
  const mailbox = state ? (sampleMailbox(state.message, state.userEmail) as unknown as Record<string, unknown>) : undefined;
  if (mailbox) {
    mailbox.addHandlerAsync = (type: string, handler: Handler, callback?: (result: unknown) => void) => {
      if (type === EventType.ItemChanged) itemHandlers.add(handler);
      callback?.({ status: AsyncResultStatus.Succeeded });
    };
  }
  let dialog: { handlers: Map<string, Set<Handler>>; opened: (result: unknown) => void } | undefined;

  window.addEventListener('message', (event: MessageEvent<ToAddIn>) => {
    if (event.origin !== location.origin || event.source !== hostWindow || !isOfficeMessage(event.data)) return;
    const message = event.data;
    const fire = (type: string, arg: unknown) => dialog?.handlers.get(type)?.forEach((handler) => handler(arg));
    if (message.officeStandIn === 'itemChanged' && mailbox && state) {
      mailbox.item = (sampleMailbox(message.message, state.userEmail) as unknown as { item: unknown }).item;
      itemHandlers.forEach((handler) => handler({ type: EventType.ItemChanged }));
    } else if (message.officeStandIn === 'dialogOpened' && dialog) {
      const handlers = dialog.handlers;
      dialog.opened({
        status: AsyncResultStatus.Succeeded,
        value: {
          addEventHandler: (type: string, handler: Handler) => handlers.set(type, (handlers.get(type) ?? new Set()).add(handler)),
          close: () => {
            dialog = undefined;
            toHost({ officeStandIn: 'closeDialog' });
          },
        },
      });
    } else if (message.officeStandIn === 'dialogFailed' && dialog) {
      const { opened } = dialog;
      dialog = undefined;
      opened({ status: AsyncResultStatus.Failed, error: { code: message.code, name: 'Dialog', message: `Dialog error ${message.code}` } });
    } else if (message.officeStandIn === 'dialogMessage') {
      fire(EventType.DialogMessageReceived, { message: message.message, origin: message.origin, type: EventType.DialogMessageReceived });
    } else if (message.officeStandIn === 'dialogEvent') {
      fire(EventType.DialogEventReceived, { error: message.error, type: EventType.DialogEventReceived });
      dialog = undefined;
    }
  });

  return {
    HostType: { Outlook: 'Outlook' },
    PlatformType: { OfficeOnline: 'OfficeOnline' },
    CoercionType: { Text: 'text', Html: 'html' },
    EventType,
    AsyncResultStatus,
    onReady(callback?: (info: { host: string | null; platform: string | null }) => void) {
      return ready.then((info) => {
        callback?.(info);
        return info;
      });
    },
    context: {
      mailbox,
      officeTheme: state?.theme,
      requirements: {
        isSetSupported(name: string, version?: string) {
          if (!state) return false;
          const set = name.toLowerCase();
          if (set === 'mailbox') return versionAtMost(version, state.mailbox);
          if (set === 'nestedappauth') return state.nestedAppAuth && versionAtMost(version, '1.1');
          if (set === 'dialogapi') return versionAtMost(version, '1.2');
          return false;
        },
      },
      ui: {
        displayDialogAsync(url: string, options: { height?: number; width?: number } | ((result: unknown) => void), callback?: (result: unknown) => void) {
          const done = typeof options === 'function' ? options : (callback ?? (() => {}));
          const failed = (code: number) => setTimeout(() => done({ status: AsyncResultStatus.Failed, error: { code, name: 'Dialog', message: `Dialog error ${code}` } }), 0);
          if (dialog) return failed(12007);
          if (new URL(url, location.href).origin !== location.origin) return failed(12004);
          dialog = { handlers: new Map(), opened: done };
          const size = typeof options === 'function' ? {} : options;
          toHost({ officeStandIn: 'displayDialog', url: new URL(url, location.href).href, ...(size.height ? { height: size.height } : {}), ...(size.width ? { width: size.width } : {}) });
        },
        messageParent(message: string) {
          toHost({ officeStandIn: 'messageParent', message });
        },
      },
    },
  };
}

/** Installs the relay MSAL finds at `window.nestedAppAuthBridge` (NestedAppAuth 1.1 only). */
function installBridge(): void {
  const listeners = new Set<(response: string) => void>();
  window.addEventListener('message', (event: MessageEvent<ToAddIn>) => {
    if (event.origin === location.origin && event.source === hostWindow && isOfficeMessage(event.data) && event.data.officeStandIn === 'naa') {
      const { answer } = event.data;
      listeners.forEach((listener) => listener(answer));
    }
  });
  (window as unknown as { nestedAppAuthBridge: unknown }).nestedAppAuthBridge = {
    addEventListener: (type: string, listener: (response: string) => void) => type === 'message' && listeners.add(listener),
    removeEventListener: (_type: string, listener: (response: string) => void) => listeners.delete(listener),
    postMessage: (request: string) => toHost({ officeStandIn: 'naa', request }),
  };
}

/** Asks the host who it is; no answer in time means the page is not in Outlook. */
function askHost(): Promise<OutlookState | undefined> {
  if (!hostWindow) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), HOST_ANSWER_MS);
    window.addEventListener('message', (event: MessageEvent<ToAddIn>) => {
      if (event.origin !== location.origin || event.source !== hostWindow || !isOfficeMessage(event.data) || event.data.officeStandIn !== 'welcome') return;
      clearTimeout(timer);
      resolve(event.data.state);
    });
    toHost({ officeStandIn: 'hello' });
  });
}

// The global exists at once, as Office.js's does; its context fills in when the host has answered, before onReady resolves.
const office: { current: ReturnType<typeof officeFor> | undefined } = { current: undefined };
const ready = askHost().then((state) => {
  if (state?.role === 'pane' && state.nestedAppAuth) installBridge();
  office.current = officeFor(state, ready);
  return state ? { host: 'Outlook', platform: 'OfficeOnline' } : { host: null, platform: null };
});
office.current = officeFor(undefined, ready);
(window as unknown as { Office: unknown }).Office = new Proxy({}, { get: (_target, key) => (office.current as Record<string | symbol, unknown> | undefined)?.[key] });
