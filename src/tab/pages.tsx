import type { ComponentType, LazyExoticComponent } from 'react';
import { lazy } from 'react';
import type { MeResponse } from '../contract/schemas.js';
import { MyCreditsPage } from './my-credits/index.js';

export type Audience = 'everyone' | 'managers' | 'it';

export interface PageDef {
  id: string;
  label: string;
  /** The label in Flex mode, where the page names tokens instead of credits. */
  flexLabel?: string;
  audience: Audience;
  component: ComponentType | LazyExoticComponent<ComponentType>;
}

/** Every page once; role decides which appear. Pages past the landing one load on demand. */
export const PAGES: PageDef[] = [
  { id: 'my-credits', label: 'My credits', flexLabel: 'My tokens', audience: 'everyone', component: MyCreditsPage },
  { id: 'registration', label: 'Registration', audience: 'everyone', component: lazy(() => import('./registration/index.js')) },
  { id: 'history', label: 'History', audience: 'everyone', component: lazy(() => import('./history/index.js')) },
  { id: 'registrations', label: 'Requests', audience: 'managers', component: lazy(() => import('./registrations/index.js')) },
  { id: 'purchases', label: 'Purchases', audience: 'managers', component: lazy(() => import('./purchases/index.js')) },
  { id: 'members', label: 'Members', audience: 'managers', component: lazy(() => import('./members/index.js')) },
  { id: 'pool', label: 'Pool', audience: 'everyone', component: lazy(() => import('./pool/index.js')) },
  { id: 'imports', label: 'Imports', audience: 'managers', component: lazy(() => import('./imports/index.js')) },
  { id: 'reports', label: 'Reports', audience: 'managers', component: lazy(() => import('./reports/index.js')) },
  { id: 'audit', label: 'Audit', audience: 'managers', component: lazy(() => import('./audit/index.js')) },
  { id: 'feed', label: 'Feed', audience: 'managers', component: lazy(() => import('./feed/index.js')) },
  { id: 'setup', label: 'Setup', audience: 'it', component: lazy(() => import('./setup/index.js')) },
  { id: 'settings', label: 'Settings', audience: 'it', component: lazy(() => import('./settings/index.js')) },
];

/**
 * Employees see their own pages; account managers and IT see the firm's as well; settings are IT's. In Flex
 * mode the pages that name the unit are labelled with tokens.
 */
export function pagesFor(me: MeResponse, flex = false): PageDef[] {
  const it = me.roles.includes('ITAdmin');
  const manager = it || me.roles.includes('AccountManager');
  return PAGES.filter((p) => p.audience === 'everyone' || (p.audience === 'managers' && manager) || (p.audience === 'it' && it)).map((p) =>
    flex && p.flexLabel ? { ...p, label: p.flexLabel } : p,
  );
}
