import { useSyncExternalStore } from 'react';

/** The open import lives in the address (`#/imports?id=…`), so a reload or a deep link comes back to it. */
const PAGE = 'imports';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function importIdOf(hash: string): string | undefined {
  const query = hash.split('?')[1];
  return (query !== undefined ? new URLSearchParams(query).get('id') : null) ?? undefined;
}

export function useOpenImportId(): string | undefined {
  return useSyncExternalStore(subscribe, () => importIdOf(location.hash));
}

/** Opens an import (or, without an id, goes back to a new upload); the back button undoes it. */
export function openImport(id: string | undefined): void {
  location.hash = id ? `#/${PAGE}?${new URLSearchParams({ id })}` : `#/${PAGE}`;
}
