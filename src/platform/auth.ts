import { clientConfig } from './config.js';
import type { HostInfo } from './host.js';
import type { OutlookHost } from './office-host.js';
import { SignInError, signInErrorOf } from './sign-in-error.js';
import type { WindowToken } from './sign-in-window.js';
import { signInPageUrl, tokenThroughOfficeDialog, tokenThroughTeamsWindow } from './sign-in-window.js';

/** Gets bearer tokens for the Credit Desk API. */
export interface AuthProvider {
  /** The local dev identity, or Entra ID through MSAL. */
  kind: 'dev' | 'entra';
  getToken(): Promise<string>;
  /**
   * A delegated token for other resources, e.g. Microsoft Graph for the quarantine helper. Asked for only
   * when a feature needs it, so the person consents to those scopes then, not at sign-in.
   */
  getTokenFor(scopes: readonly string[]): Promise<string>;
  /** Entra ID: starts the host's interactive sign-in; run it from the person's click (see SignInError). */
  signIn?(): Promise<void>;
  /** A plain browser's way out (Teams and Outlook sign the person in and out themselves). */
  signOut?(): Promise<void>;
}

/**
 * `?as=<email>`: sign in as that demo person with the local stack's dev identity, whatever the build names
 * (tests and scripts open a person's page directly; `npm start` otherwise signs in through the Entra ID stand-in).
 * Only the local stack answers the dev routes, so elsewhere it changes nothing.
 */
export function devSignInAsked(): boolean {
  return new URLSearchParams(location.search).has('as');
}

export interface DevUser {
  id: string;
  email: string;
  displayName: string;
  office: string;
  roles: string[];
}

const DEV_USER_KEY = 'credit-desk.dev-user';

export interface DevUserChoice {
  /** Where the last chosen user is remembered (the tab and the pane each remember their own). */
  storageKey?: string;
  /** Who signs in when nobody was chosen yet: an employee in the tab, an account manager in the pane. */
  prefer?: (user: DevUser) => boolean;
}

/** Dev mode: the local issuer signs tokens for demo users (only the local stack has these routes). */
export class DevAuthProvider implements AuthProvider {
  readonly kind = 'dev' as const;
  private token: { email: string; value: string; expires: number } | undefined;
  /** The token request in flight, shared by the calls that start together (me and settings at sign-in). */
  private pending: Promise<string> | undefined;

  constructor(
    readonly users: DevUser[],
    private email: string,
    private readonly storageKey = DEV_USER_KEY,
  ) {}

  static async discover(baseUrl: string, choice: DevUserChoice = {}): Promise<DevAuthProvider | undefined> {
    const { storageKey = DEV_USER_KEY, prefer = (u: DevUser) => u.roles.length === 0 } = choice;
    try {
      const response = await fetch(`${baseUrl}/api/dev/users`);
      if (!response.ok) return undefined;
      const users = (await response.json()) as DevUser[];
      const wanted = new URLSearchParams(location.search).get('as') ?? localStorage.getItem(storageKey);
      const first = users.find((u) => u.email === wanted) ?? users.find(prefer) ?? users[0];
      return first ? new DevAuthProvider(users, first.email, storageKey) : undefined;
    } catch {
      return undefined;
    }
  }

  get currentEmail(): string {
    return this.email;
  }

  switchTo(email: string): void {
    this.email = email;
    this.token = undefined;
    this.pending = undefined;
    localStorage.setItem(this.storageKey, email);
  }

  /** Dev mode has no other resources: the local Graph stand-in takes the dev identity's own token. */
  getTokenFor(_scopes: readonly string[]): Promise<string> {
    return this.getToken();
  }

  async getToken(): Promise<string> {
    if (this.token && this.token.email === this.email && this.token.expires > Date.now()) return this.token.value;
    this.pending ??= this.fetchToken(this.email).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(email: string): Promise<string> {
    const response = await fetch(`${clientConfig.apiBaseUrl}/api/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: email }),
    });
    if (!response.ok) throw new Error(`The dev token route answered ${response.status}.`);
    const { token } = (await response.json()) as { token: string };
    this.token = { email, value: token, expires: Date.now() + 60 * 60 * 1000 };
    return token;
  }
}

/**
 * How a host signs people in with Entra ID:
 * - `nested`: nested app authentication, where Teams (`isNAAChannelRecommended`) or Outlook (NestedAppAuth
 *   1.1) brokers the token and shows its own sign-in and consent;
 * - `teams-window` / `office-dialog`: the host cannot broker, so the sign-in page runs in Teams' sign-in
 *   window or in Office's dialog (both need the person's click to open);
 * - `redirect`: a plain browser, MSAL's standard client with a full-page redirect.
 */
export type SignInRoute = 'nested' | 'teams-window' | 'office-dialog' | 'redirect';

/** The tab's route: a browser redirects; in a host, nested app authentication where the host recommends it, else Teams' sign-in window. */
export const tabSignInRoute = (host: Pick<HostInfo, 'host' | 'nestedAuth'>): SignInRoute => (host.host === 'browser' ? 'redirect' : host.nestedAuth ? 'nested' : 'teams-window');

/** The pane's route in Outlook: nested app authentication with NestedAppAuth 1.1, else Office's dialog. */
export const paneSignInRoute = (outlook: Pick<OutlookHost, 'nestedAuth'>): SignInRoute => (outlook.nestedAuth ? 'nested' : 'office-dialog');

/** Entra ID sign-in; `signIn` starts the host's interactive sign-in and must run from the person's click. */
export interface EntraAuthProvider extends AuthProvider {
  kind: 'entra';
  route: SignInRoute;
  signIn(): Promise<void>;
}

/**
 * The one MSAL configuration of the tab, the pane and the sign-in page. The authority comes from the
 * build's settings (VITE_AAD_AUTHORITY), so it can name any OpenID Connect authority, a local one included.
 */
export function msalConfiguration() {
  return {
    auth: { clientId: clientConfig.clientId, authority: clientConfig.authority, knownAuthorities: clientConfig.knownAuthorities, redirectUri: signInPageUrl() },
    // Shared with the sign-in page, which may run in a window of its own (Teams' window, Office's dialog).
    cache: { cacheLocation: 'localStorage' as const },
  };
}

/** A token is renewed this long before it runs out, so no request leaves with one about to expire. */
const RENEW_BEFORE_MS = 5 * 60 * 1000;

const scopeKey = (scopes: readonly string[]) => [...scopes].sort().join(' ');

/** Needs the person rather than a retry: nobody signed in, the sign-in lapsed, or consent is missing. */
const needsPerson = (error: SignInError) => error.problem === 'needed' || error.problem === 'consent';

/**
 * Entra ID through MSAL on the given route. Tokens come silently whenever MSAL can (cached, refreshed, or
 * brokered by the host); when the person has to act, the routes that open no window of ours (nested, and
 * redirect) start the interaction themselves, the others answer with a SignInError whose "Sign in" button
 * calls `signIn` from the click. Every failure is a SignInError (see sign-in-error.ts).
 */
export async function createMsalProvider(route: SignInRoute): Promise<EntraAuthProvider> {
  const msal = await import('./msal.js');
  const configuration = msalConfiguration();
  const pca = route === 'nested' ? await msal.createNestablePublicClientApplication(configuration) : await msal.createStandardPublicClientApplication(configuration);
  // A redirect that came back with a failure (cancelled, consent refused) is shown once, with "Sign in".
  let cameBack: SignInError | undefined;
  if (route === 'redirect') {
    await pca.handleRedirectPromise().then(
      (result) => result && pca.setActiveAccount(result.account),
      (error: unknown) => {
        cameBack = signInErrorOf(error);
      },
    );
  }
  const fromWindows = new Map<string, WindowToken>();
  const interactions = new Map<string, Promise<string>>();

  const silently = async (scopes: string[]) => {
    const kept = fromWindows.get(scopeKey(scopes));
    if (kept && kept.expiresOn - RENEW_BEFORE_MS > Date.now()) return kept.accessToken;
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    return (await pca.acquireTokenSilent({ scopes, ...(account ? { account } : {}) })).accessToken;
  };

  const fromWindow = async (scopes: string[], token: WindowToken) => {
    fromWindows.set(scopeKey(scopes), token);
    return token.accessToken;
  };

  const interact = async (scopes: string[], redirect: boolean): Promise<string> => {
    if (route === 'teams-window') return fromWindow(scopes, await tokenThroughTeamsWindow(scopes));
    if (route === 'office-dialog') return fromWindow(scopes, await tokenThroughOfficeDialog(scopes));
    if (route === 'redirect' && redirect) {
      // The page leaves for Microsoft's sign-in and comes back through the sign-in page.
      await pca.acquireTokenRedirect({ scopes });
      throw new SignInError('needed', 'redirect_not_started');
    }
    // Nested: the host shows its own sign-in. A browser's consent to extra scopes: a pop-up keeps the page.
    const result = await pca.acquireTokenPopup({ scopes });
    if (route === 'redirect') pca.setActiveAccount(result.account);
    return result.accessToken;
  };

  /** One interaction per scopes at a time: the calls that start together (me and settings) share it. */
  const interactOnce = (scopes: string[], redirect: boolean) => {
    const key = scopeKey(scopes);
    let pending = interactions.get(key);
    if (!pending) {
      pending = interact(scopes, redirect)
        .catch((error: unknown) => {
          throw signInErrorOf(error);
        })
        .finally(() => interactions.delete(key));
      interactions.set(key, pending);
    }
    return pending;
  };

  const token = async (scopes: string[], startsInteraction: boolean, redirect: boolean) => {
    if (cameBack) {
      const failure = cameBack;
      cameBack = undefined;
      throw failure;
    }
    try {
      return await silently(scopes);
    } catch (error) {
      const failure = signInErrorOf(error);
      if (!needsPerson(failure) || !startsInteraction) throw failure;
      return interactOnce(scopes, redirect);
    }
  };

  const apiScopes = [clientConfig.apiScope];
  const opensOwnWindow = route === 'teams-window' || route === 'office-dialog';
  return {
    kind: 'entra',
    route,
    getToken: () => token(apiScopes, !opensOwnWindow, true),
    // Asked for when the person uses a feature (a click), so any route may open its window; never a
    // redirect, which would lose the page they are on.
    getTokenFor: (scopes) => token([...scopes], true, false),
    async signIn() {
      cameBack = undefined;
      await interactOnce(apiScopes, true);
    },
    ...(route === 'redirect'
      ? {
          async signOut() {
            const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
            await pca.logoutRedirect({ ...(account ? { account } : {}), postLogoutRedirectUri: location.origin + location.pathname });
          },
        }
      : {}),
  };
}

/** Where and with which token the tab calls Microsoft Graph as the signed-in person. */
export interface DelegatedGraph {
  /** Without `/v1.0`. */
  baseUrl: string;
  token(scopes: readonly string[]): Promise<string>;
}

export const GRAPH_URL = 'https://graph.microsoft.com';
/** The dev server's path to the local Graph stand-in. */
export const DEV_GRAPH_PATH = '/graph';

export function delegatedGraph(auth: AuthProvider, configured: string | undefined = clientConfig.graphBaseUrl): DelegatedGraph {
  return {
    baseUrl: (configured ?? (auth.kind === 'dev' ? DEV_GRAPH_PATH : GRAPH_URL)).replace(/\/+$/, ''),
    token: (scopes) => auth.getTokenFor(scopes),
  };
}
