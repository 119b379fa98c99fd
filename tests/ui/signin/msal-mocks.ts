/**
 * The real msal-browser and teams-js, watched: the public client MSAL creates is the real one (it throws the
 * real `no_account_error` with nobody signed in), captured so a test can stand in for what needs
 * Microsoft's sign-in (a redirect, a pop-up); teams-js's `authentication.authenticate` is replaced, since
 * it opens a window only a Teams host can open. Each test file registers these with `vi.mock`.
 */
import type { IPublicClientApplication } from '@azure/msal-browser';
import { vi } from 'vitest';

export const watched: {
  factory?: 'standard' | 'nestable';
  pca?: IPublicClientApplication;
  /** Runs on the client before the code under test uses it (e.g. to stand in for handleRedirectPromise). */
  onCreated?: (pca: IPublicClientApplication) => void;
} = {};

export const teamsAuthenticate = vi.fn<(parameters: { url: string; width?: number; height?: number }) => Promise<string>>();

export const TEST_CONFIG = {
  apiBaseUrl: '',
  clientId: '3b1e2a8c-7f57-4c1a-9a53-0c6f3f1d2e10',
  apiScope: 'api://desk.fabrikam.example/3b1e2a8c-7f57-4c1a-9a53-0c6f3f1d2e10/access_as_user',
  authority: 'https://login.microsoftonline.com/organizations',
  knownAuthorities: [],
  graphBaseUrl: undefined,
  teamsAppId: undefined,
};

export async function watchedMsal(importOriginal: () => Promise<typeof import('@azure/msal-browser')>) {
  const real = await importOriginal();
  const capture =
    (factory: 'standard' | 'nestable', create: typeof real.createStandardPublicClientApplication): typeof real.createStandardPublicClientApplication =>
    async (configuration) => {
      const pca = await create(configuration);
      Object.assign(watched, { factory, pca });
      watched.onCreated?.(pca);
      return pca;
    };
  return {
    ...real,
    createStandardPublicClientApplication: capture('standard', real.createStandardPublicClientApplication),
    createNestablePublicClientApplication: capture('nestable', real.createNestablePublicClientApplication),
  };
}

export async function watchedTeams(importOriginal: () => Promise<typeof import('@microsoft/teams-js')>) {
  const real = await importOriginal();
  return { ...real, authentication: { ...real.authentication, authenticate: teamsAuthenticate } };
}

/** What MSAL answers with a token (only the fields the code reads). */
export function tokenResult(accessToken: string, expiresInMs = 60 * 60 * 1000) {
  return {
    accessToken,
    expiresOn: new Date(Date.now() + expiresInMs),
    account: { homeAccountId: 'uid.utid', environment: 'login.microsoftonline.com', tenantId: 'utid', username: 'ada@fabrikam.example', localAccountId: 'uid' },
  } as unknown as Awaited<ReturnType<IPublicClientApplication['acquireTokenSilent']>>;
}

export function resetWatched() {
  delete watched.factory;
  delete watched.pca;
  delete watched.onCreated;
  teamsAuthenticate.mockReset();
  localStorage.clear();
  sessionStorage.clear();
}
