/**
 * Just enough of a Teams mobile host for teams-js in jsdom: Teams iOS and Android host a tab without a frame
 * and talk to teams-js through `window.nativeInterface.framelessPostMessage` (requests, JSON) and
 * `window.onNativeMessage` (answers), as teams-js's own communication module does. It answers `initialize`
 * with a runtime configuration (where `isNAAChannelRecommended` lives) and `getContext` with a context.
 */
interface Request {
  id: number;
  uuidAsString?: string;
  func: string;
  args?: unknown[];
}

export interface NativeHostOptions {
  /** The runtime's `isNAAChannelRecommended`: the host brokers tokens through nested app authentication. */
  naaRecommended: boolean;
  theme?: string;
  /** A deep link's target page (the context's subEntityId). */
  subEntityId?: string;
  /** Where the page runs: a tab's `content`, or Teams' sign-in window, `authentication`. */
  frameContext?: string;
}

type NativePage = Window & { nativeInterface?: { framelessPostMessage(message: string): void }; onNativeMessage?: (event: { data: unknown }) => void };

/** Installs the host on `window`; returns what teams-js asked for and a way to take the host away again. */
export function installTeamsNativeHost(options: NativeHostOptions): { asked: string[]; requests: Request[]; uninstall(): void } {
  const page = window as NativePage;
  const asked: string[] = [];
  const requests: Request[] = [];
  const answers: Record<string, () => unknown[]> = {
    initialize: () => [
      options.frameContext ?? 'content',
      'android',
      JSON.stringify({ apiVersion: 4, isNAAChannelRecommended: options.naaRecommended, supports: { app: {}, nestedAppAuth: {} } }),
      '2.58.0',
    ],
    getContext: () => [{ hostName: 'Teams', hostClientType: 'android', theme: options.theme ?? 'default', locale: 'en-gb', subEntityId: options.subEntityId, entityId: 'credit-desk' }],
  };
  page.nativeInterface = {
    framelessPostMessage(message: string) {
      const request = JSON.parse(message) as Request;
      asked.push(request.func);
      requests.push(request);
      const answer = answers[request.func];
      // A real host answers later, never inside the call: so does this one.
      if (answer) queueMicrotask(() => page.onNativeMessage?.({ data: { id: request.id, uuidAsString: request.uuidAsString, args: answer() } }));
    },
  };
  return {
    asked,
    requests,
    uninstall() {
      delete page.nativeInterface;
      delete page.onNativeMessage;
    },
  };
}
