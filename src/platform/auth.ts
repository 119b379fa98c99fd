import { clientConfig } from './config.js';
import type { HostName } from './host.js';

/** Gets bearer tokens for the Credit Desk API. */
export interface AuthProvider {
  kind: 'dev' | 'nested' | 'browser';
  getToken(): Promise<string>;
  /**
   * A delegated token for other resources, e.g. Microsoft Graph for the quarantine helper. Asked for only
   * when a feature needs it, so the person consents to those scopes then, not at sign-in.
   */
  getTokenFor(scopes: readonly string[]): Promise<string>;
  signOut?(): void;
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
 * Entra ID through MSAL: nested app authentication inside Teams and Outlook (the host brokers the token,
 * no pop-up), the standard redirect flow in a plain browser.
 */
export async function createMsalProvider(host: HostName): Promise<AuthProvider> {
  const msal = await import('@azure/msal-browser');
  const configuration = { auth: { clientId: clientConfig.clientId, authority: clientConfig.authority, redirectUri: location.origin + location.pathname } };
  const nested = host !== 'browser';
  const pca = nested ? await msal.createNestablePublicClientApplication(configuration) : await msal.createStandardPublicClientApplication(configuration);
  if (!nested) await pca.handleRedirectPromise();
  const scopes = [clientConfig.apiScope];
  const silently = async (wanted: string[]) => {
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    return (await pca.acquireTokenSilent({ scopes: wanted, ...(account ? { account } : {}) })).accessToken;
  };
  return {
    kind: nested ? 'nested' : 'browser',
    async getToken() {
      try {
        return await silently(scopes);
      } catch (error) {
        if (!(error instanceof msal.InteractionRequiredAuthError)) throw error;
        if (nested) return (await pca.acquireTokenPopup({ scopes })).accessToken;
        await pca.acquireTokenRedirect({ scopes });
        throw new Error('Signing in…');
      }
    },
    // Consent to extra scopes happens in a pop-up in every host: a redirect would lose the page the person is on.
    async getTokenFor(extra) {
      const wanted = [...extra];
      try {
        return await silently(wanted);
      } catch (error) {
        if (!(error instanceof msal.InteractionRequiredAuthError)) throw error;
        return (await pca.acquireTokenPopup({ scopes: wanted })).accessToken;
      }
    },
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
