import { createContext, useContext } from 'react';
import type { MeResponse, PublicPolicy } from '../contract/schemas.js';
import type { ApiClient } from '../platform/api-client.js';

export interface PaneContextValue {
  api: ApiClient;
  me: MeResponse;
  /** The policy everyone may read (GET /api/policy). */
  settings: PublicPolicy;
  /** The signed-in person's mail domains: people at these are the firm's. */
  firmDomains: string[];
  /** A link to a page of the tab (Teams deep link in production, the local tab in dev). */
  tabLink: (page: TabPage) => string;
}

/** The tab's pages the pane links to (src/tab/pages.tsx ids). */
export type TabPage = 'my-credits' | 'registrations' | 'purchases' | 'pool' | 'members';

export const PaneContext = createContext<PaneContextValue | undefined>(undefined);

export function usePane(): PaneContextValue {
  const value = useContext(PaneContext);
  if (!value) throw new Error('usePane outside the pane');
  return value;
}
