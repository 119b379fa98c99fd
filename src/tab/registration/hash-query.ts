import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** Whether the page's address carries a flag after the page name, as in `#/registration?helper`. */
export function hashHasFlag(hash: string, flag: string): boolean {
  const query = hash.split('?')[1];
  return query !== undefined && new URLSearchParams(query).has(flag);
}

/** Follows a flag in the hash, so a deep link (or the back button) opens and closes a panel. */
export function useHashFlag(flag: string): boolean {
  return useSyncExternalStore(subscribe, () => hashHasFlag(location.hash, flag));
}
