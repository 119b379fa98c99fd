import { useSyncExternalStore } from 'react';

/** Pages are addressed by the hash (#/history), so deep links and the back button work in any host. */
function current(): string {
  return location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useHashPage(): string {
  return useSyncExternalStore(subscribe, current);
}

export function goTo(page: string): void {
  location.hash = `#/${page}`;
}
