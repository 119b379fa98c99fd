/**
 * The one way to address a page of the tab, for the server's notifications and cards and for the pane.
 * A Teams deep link to the tab (`https://teams.microsoft.com/l/entity/{appId}/{entityId}`) carries the page
 * as `context={"subEntityId": page}`, which Teams hands to the tab; any other address (the tab's web page)
 * carries it in the hash (`#/registration?helper`), which the tab routes by.
 */
export function tabLink(tabUrl: string, page: string): string {
  const url = new URL(tabUrl);
  if (url.hostname === 'teams.microsoft.com' && url.pathname.startsWith('/l/entity/')) {
    url.hash = '';
    url.searchParams.set('context', JSON.stringify({ subEntityId: page }));
    return url.href;
  }
  url.hash = `#/${page}`;
  return url.href;
}
