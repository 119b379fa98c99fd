import { useEffect } from 'react';
import type { MeResponse } from '../../contract/schemas.js';
import type { ApiClient } from '../../platform/api-client.js';
import { goTo } from '../router.js';

/**
 * When the tab opens the Setup page by itself: for IT, opening the tab on its landing page (no deep link),
 * while a check is red, at most once per browser session, and never after IT asked it not to. Not nagging:
 * IT is taken there once and can go anywhere from it.
 */
const SHOWN_THIS_SESSION = 'creditDesk.setupShown';
const QUIET = 'creditDesk.setupQuiet';

const stored = (storage: () => Storage, key: string) => {
  try {
    return storage().getItem(key) !== null;
  } catch {
    return true; // no storage (a locked-down host): never open by itself
  }
};
const remember = (storage: () => Storage, key: string) => {
  try {
    storage().setItem(key, '1');
  } catch {
    // nothing to remember with
  }
};

/** IT chose not to have the Setup page opened by itself again (in this browser). */
export function quietSetup(): void {
  remember(() => localStorage, QUIET);
}

export function useFirstRunSetup(api: ApiClient, me: MeResponse, onLanding: boolean): void {
  const it = me.roles.includes('ITAdmin');
  useEffect(() => {
    const landingHash = location.hash.replace(/^#\/?/, '');
    if (!it || !onLanding || stored(() => sessionStorage, SHOWN_THIS_SESSION) || stored(() => localStorage, QUIET)) return;
    // Remembered before asking, so a second mount (React's strict mode) does not ask again; not aborted on
    // unmount for the same reason: the one answer decides.
    remember(() => sessionStorage, SHOWN_THIS_SESSION);
    api('setupReadiness', {})
      .then((readiness) => {
        if (readiness.needsAttention && location.hash.replace(/^#\/?/, '') === landingHash) goTo('setup');
      })
      .catch(() => undefined); // the page itself shows what failed; here nothing is owed
    // Once, when the shell first shows: not on every page change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
