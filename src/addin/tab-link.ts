import { tabLink } from '../contract/tab-link.js';
import type { TabPage } from './pane-context.js';

/** The personal tab's entityId in the app manifest (manifest/). */
export const TAB_ENTITY_ID = 'creditDesk';

/**
 * Where "open in Credit Desk" goes: with the Teams app id configured, a Teams deep link to the personal tab
 * and page (Teams passes the page as subPageId); without it (the local stack), the tab page on this origin.
 */
export function tabLinkFor(teamsAppId: string | undefined, origin: string): (page: TabPage) => string {
  const tabUrl = teamsAppId ? `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/${TAB_ENTITY_ID}` : `${origin}/index.html`;
  return (page) => tabLink(tabUrl, page);
}
