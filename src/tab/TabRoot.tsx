import { FluentProvider, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MeResponse, PublicPolicy } from '../contract/schemas.js';
import type { ApiClient } from '../platform/api-client.js';
import { createApiClient } from '../platform/api-client.js';
import type { AuthProvider } from '../platform/auth.js';
import { DevAuthProvider, createMsalProvider, delegatedGraph, devSignInAsked, tabSignInRoute } from '../platform/auth.js';
import { clientConfig } from '../platform/config.js';
import type { HostInfo, ThemeName } from '../platform/host.js';
import { detectHost, saveBrowserTheme } from '../platform/host.js';
import { loadTheme, useFluentTheme } from '../platform/themes.js';
import { ShowsSupportDetails } from '../ui/shows-support-details.js';
import { AppShell } from './AppShell.js';
import type { AppContextValue } from './app-context.js';
import { AppContext, isIt } from './app-context.js';
import { goTo } from './router.js';

// Needed only when the start fails: it does not come with the first load.
const StartErrorBar = lazy(() => import('../ui/StartErrorBar.js').then((m) => ({ default: m.StartErrorBar })));

const useStyles = makeStyles({
  page: { minHeight: '100%', backgroundColor: tokens.colorNeutralBackground3, color: tokens.colorNeutralForeground1 },
  centered: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXXL },
  error: { padding: tokens.spacingHorizontalL },
});

interface Session {
  host: HostInfo;
  auth: AuthProvider;
  api: ApiClient;
}

async function startSession(): Promise<Session> {
  const host = await detectHost();
  // Without an Entra app (client id), or asked for by `?as=`, the local stack's dev sign-in; else MSAL, the local Entra ID stand-in included.
  const dev = !clientConfig.clientId || devSignInAsked() ? await DevAuthProvider.discover(clientConfig.apiBaseUrl) : undefined;
  const auth = dev ?? (await createMsalProvider(tabSignInRoute(host)));
  return { host, auth, api: createApiClient(auth, clientConfig.apiBaseUrl) };
}

/** Detects the host, signs in, loads the person and the policy everyone may read, then shows the shell. */
export function TabRoot() {
  const styles = useStyles();
  const [session, setSession] = useState<Session>();
  const [theme, setTheme] = useState<ThemeName>('light');
  const fluentTheme = useFluentTheme(theme);
  const [me, setMe] = useState<MeResponse>();
  const [policy, setPolicy] = useState<PublicPolicy>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  // Kept across "Try again" and "Sign in": the host is known by then, and the provider holds what signing in brought.
  const started = useRef<Session>(undefined);

  useEffect(() => {
    let cancelled = false;
    setError(undefined);
    const start = async () => {
      const current = started.current ?? (await startSession());
      if (cancelled) return;
      if (!started.current) {
        started.current = current;
        setSession(current);
        setTheme(current.host.theme);
        current.host.onThemeChange(setTheme);
        if (current.host.page) goTo(current.host.page);
      }
      // The theme beside the data, so the first screen shows in it (a theme that fails to load leaves light).
      const [loadedMe, loadedPolicy] = await Promise.all([current.api('me', {}), current.api('getPolicy', {}), loadTheme(current.host.theme).catch(() => undefined)]);
      if (cancelled) return;
      setMe(loadedMe);
      setPolicy(loadedPolicy);
    };
    start().catch((reason: unknown) => !cancelled && setError(reason));
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  /** From the person's click: the host's sign-in window or dialog opens only from one. */
  const signIn = useCallback(async () => {
    const auth = started.current?.auth;
    if (!auth?.signIn) return;
    try {
      await auth.signIn();
      setAttempt((a) => a + 1);
    } catch (reason) {
      setError(reason);
    }
  }, []);

  const refreshMe = useCallback(async () => {
    if (session) setMe(await session.api('me', {}));
  }, [session]);

  const switchUser = useCallback(
    async (email: string) => {
      if (!(session?.auth instanceof DevAuthProvider)) return;
      session.auth.switchTo(email);
      setMe(undefined);
      try {
        setMe(await session.api('me', {}));
        goTo('my-credits');
      } catch (reason) {
        setError(reason);
      }
    },
    [session],
  );

  const changeTheme = useCallback((next: ThemeName) => {
    saveBrowserTheme(next);
    setTheme(next);
  }, []);

  const context: AppContextValue | undefined = useMemo(
    () =>
      session && me && policy
        ? { api: session.api, me, settings: policy, host: session.host.host, theme, refreshMe, updateSettings: setPolicy, navigate: goTo, graph: delegatedGraph(session.auth) }
        : undefined,
    [session, me, policy, theme, refreshMe],
  );

  return (
    // The page background sits on an inner element: FluentProvider copies its own className onto every
    // portal (menus, dialogs, the chart's tooltip layer), which would cover the page with it.
    <FluentProvider theme={fluentTheme}>
      <div className={styles.page}>
      {error ? (
        <div className={styles.error}>
          <Suspense fallback={<Spinner />}>
            <StartErrorBar error={error} onRetry={() => setAttempt((a) => a + 1)} onSignIn={() => void signIn()} />
          </Suspense>
        </div>
      ) : context && session ? (
        <AppContext.Provider value={context}>
          <ShowsSupportDetails.Provider value={isIt(context.me)}>
            <AppShell
              key={me?.member.id}
              devAuth={session.auth instanceof DevAuthProvider ? session.auth : undefined}
              onSwitchUser={(email) => void switchUser(email)}
              onThemeChange={session.host.host === 'browser' ? changeTheme : undefined}
              onSignOut={session.auth.signOut ? () => void session.auth.signOut?.().catch(setError) : undefined}
            />
          </ShowsSupportDetails.Provider>
        </AppContext.Provider>
      ) : (
        <div className={styles.centered}>
          <Spinner label="Signing in…" />
        </div>
      )}
      </div>
    </FluentProvider>
  );
}
