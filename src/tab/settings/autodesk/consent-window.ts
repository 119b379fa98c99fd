import type { HostName } from '../../../platform/host.js';

/** A window opened from the click, before the consent's address is known (one opened later is blocked). */
export interface ConsentWindow {
  /** Sends the window to Autodesk and resolves once it is closed (the callback page closes itself). */
  go(authorizeUrl: string): Promise<void>;
  /** The API refused to start: the empty window goes away. */
  cancel(): void;
}

const FEATURES = 'popup,width=600,height=720';

/**
 * In Teams, Teams' authentication window (`authentication.authenticate`; Autodesk's sign-in domain must
 * be among the app's valid domains); in a browser a pop-up. Either way the connections are read again
 * afterwards: they, not the window, say whether Autodesk is connected.
 */
export function openConsentWindow(host: HostName, view: Window = window): ConsentWindow {
  if (host === 'teams') {
    return {
      async go(authorizeUrl) {
        const { authentication } = await import('@microsoft/teams-js');
        // The callback page closes the window instead of answering Teams: Teams then reports it closed.
        await authentication.authenticate({ url: authorizeUrl, width: 600, height: 720 }).catch(() => undefined);
      },
      cancel: () => undefined,
    };
  }
  const popup = view.open('', 'credit-desk-autodesk', FEATURES);
  return {
    go(authorizeUrl) {
      if (!popup) {
        // Pop-ups blocked: this page goes to Autodesk itself and the callback page says how it went.
        view.location.assign(authorizeUrl);
        return Promise.resolve();
      }
      popup.location.href = authorizeUrl;
      return new Promise((resolve) => {
        const timer = view.setInterval(() => {
          if (popup.closed) {
            view.clearInterval(timer);
            resolve();
          }
        }, 500);
      });
    },
    cancel: () => popup?.close(),
  };
}
