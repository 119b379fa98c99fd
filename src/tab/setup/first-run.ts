import { useEffect, useState } from 'react';
import type { MeResponse } from '../../contract/schemas.js';
import type { ApiClient } from '../../platform/api-client.js';
import { goTo } from '../router.js';

/**
 * When the tab opens the Setup page by itself: for IT, opening the tab without a deep link (on its landing page),
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

const hashPage = () => location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';

/** `landing`: the id of the person's first page, where the shell puts a tab opened without a deep link. */
export function useFirstRunSetup(api: ApiClient, me: MeResponse, landing: string): void {
  const it = me.roles.includes('ITAdmin');
  // Read at the first render, before the shell writes the landing page into the hash: a deep link is kept.
  const [openedWithoutLink] = useState(() => hashPage() === '');
  useEffect(() => {
    const onLanding = () => ['', landing].includes(hashPage());
    if (!it || !openedWithoutLink || !onLanding() || stored(() => sessionStorage, SHOWN_THIS_SESSION) || stored(() => localStorage, QUIET)) return;
    // Remembered before asking, so a second mount (React's strict mode) does not ask again; not aborted on
    // unmount for the same reason: the one answer decides.
    remember(() => sessionStorage, SHOWN_THIS_SESSION);
    api('setupReadiness', {})
      .then((readiness) => {
        // Not if IT went elsewhere meanwhile.
        if (readiness.needsAttention && onLanding()) goTo('setup');
      })
      .catch(() => undefined); // the page itself shows what failed; here nothing is owed
    // Once, when the shell first shows: not on every page change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
