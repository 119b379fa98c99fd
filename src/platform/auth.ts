import { clientConfig } from './config.js';
import type { HostName } from './host.js';

/** Gets bearer tokens for the Credit Desk API. */
export interface AuthProvider {
  kind: 'dev' | 'nested' | 'browser';
  getToken(): Promise<string>;
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

/** Dev mode: the local issuer signs tokens for demo users (only the local stack has these routes). */
export class DevAuthProvider implements AuthProvider {
  readonly kind = 'dev' as const;
  private token: { email: string; value: string; expires: number } | undefined;
  /** The token request in flight, shared by the calls that start together (me and settings at sign-in). */
  private pending: Promise<string> | undefined;

  constructor(
    readonly users: DevUser[],
    private email: string,
  ) {}

  static async discover(baseUrl: string): Promise<DevAuthProvider | undefined> {
    try {
      const response = await fetch(`${baseUrl}/api/dev/users`);
      if (!response.ok) return undefined;
      const users = (await response.json()) as DevUser[];
      const wanted = new URLSearchParams(location.search).get('as') ?? localStorage.getItem(DEV_USER_KEY);
      const first = users.find((u) => u.email === wanted) ?? users.find((u) => u.roles.length === 0) ?? users[0];
      return first ? new DevAuthProvider(users, first.email) : undefined;
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
    localStorage.setItem(DEV_USER_KEY, email);
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
  return {
    kind: nested ? 'nested' : 'browser',
    async getToken() {
      const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
      try {
        const result = await pca.acquireTokenSilent({ scopes, ...(account ? { account } : {}) });
        return result.accessToken;
      } catch (error) {
        if (!(error instanceof msal.InteractionRequiredAuthError)) throw error;
        if (nested) return (await pca.acquireTokenPopup({ scopes })).accessToken;
        await pca.acquireTokenRedirect({ scopes });
        throw new Error('Signing in…');
      }
    },
  };
}
