/** Build-time settings (Vite env); every one has a local default so `npm start` needs none. */
export const clientConfig = {
  /** Where the API lives; empty means the same origin (the dev server and `vite preview` proxy /api). */
  apiBaseUrl: (import.meta.env.VITE_API_BASE_URL as string | undefined) ?? '',
  /** Entra app registration of the tab (nested app authentication and the browser flow). */
  clientId: (import.meta.env.VITE_AAD_CLIENT_ID as string | undefined) ?? '',
  /** The product API's scope, e.g. api://credit-desk.example.com/<client id>/access_as_user. */
  apiScope: (import.meta.env.VITE_API_SCOPE as string | undefined) ?? '',
  authority: (import.meta.env.VITE_AAD_AUTHORITY as string | undefined) ?? 'https://login.microsoftonline.com/organizations',
  /**
   * Hosts (host:port) of an authority that is not Microsoft's, which MSAL then trusts without asking
   * Microsoft's instance discovery: the local Entra ID stand-in (npm start). Empty for Entra ID itself.
   */
  knownAuthorities: ((import.meta.env.VITE_AAD_KNOWN_AUTHORITIES as string | undefined) ?? '').split(',').map((h) => h.trim()).filter(Boolean),
  /**
   * Microsoft Graph for the person's own mailbox (the quarantine helper), without `/v1.0`. Unset: Graph
   * itself when signed in with Entra ID, `/graph` with the dev identity (the dev server proxies it to the
   * local Graph stand-in), so a dev token never goes to Microsoft and a real one never to the stand-in.
   */
  graphBaseUrl: (import.meta.env.VITE_GRAPH_BASE_URL as string | undefined) || undefined,
  /** The Teams app id of the app package (CREDIT_DESK_APP_ID): the Outlook pane's links open the tab in Teams. */
  teamsAppId: (import.meta.env.VITE_TEAMS_APP_ID as string | undefined) || undefined,
};
