import { FluentProvider, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { MeResponse, PublicPolicy } from '../contract/schemas.js';
import type { ApiClient } from '../platform/api-client.js';
import { createApiClient } from '../platform/api-client.js';
import type { AuthProvider } from '../platform/auth.js';
import { DevAuthProvider, createMsalProvider, devSignInAsked, paneSignInRoute } from '../platform/auth.js';
import { clientConfig } from '../platform/config.js';
import type { ThemeName } from '../platform/host.js';
import { saveBrowserTheme, savedBrowserTheme } from '../platform/host.js';
import type { OutlookHost } from '../platform/office-host.js';
import { connectToOutlook } from '../platform/office-host.js';
import { loadTheme, useFluentTheme } from '../platform/themes.js';
import { ShowsSupportDetails } from '../ui/shows-support-details.js';
import type { SampleMessage } from './dev/samples.js';
import { MessagePane } from './MessagePane.js';
import type { PaneContextValue } from './pane-context.js';
import { PaneContext } from './pane-context.js';
import { tabLinkFor } from './tab-link.js';

// Each loaded only where it shows: the local stack's bar (never in Outlook), what an employee sees instead
// of the pane, and the bar of a failed start.
const DevBar = lazy(() => import('./dev/DevBar.js').then((m) => ({ default: m.DevBar })));
const NotForEmployees = lazy(() => import('./NotForEmployees.js').then((m) => ({ default: m.NotForEmployees })));
const StartErrorBar = lazy(() => import('../ui/StartErrorBar.js').then((m) => ({ default: m.StartErrorBar })));

const useStyles = makeStyles({
  page: { minHeight: '100vh', boxSizing: 'border-box', backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  centered: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXL },
  padded: { padding: tokens.spacingHorizontalM },
});

/** Dev mode's sample messages, and the stand-in mailbox that holds one: loaded only on the local stack. */
interface DevSamples {
  messages: SampleMessage[];
  mailbox: (message: SampleMessage['message'], userEmail: string) => Office.Mailbox;
}

type Session = { api: ApiClient } & ({ kind: 'outlook'; outlook: OutlookHost; auth: AuthProvider } | { kind: 'dev'; auth: AuthProvider; samples: DevSamples });

const PANE_DEV_USER_KEY = 'credit-desk.pane.dev-user';

/**
 * In Outlook: nested app authentication where Outlook offers it, else Office's sign-in dialog. In a browser,
 * only on the local stack (it has the dev routes): MSAL through its Entra ID stand-in when the build names
 * an Entra app (npm start), else the dev identity, as an account manager.
 */
async function startSession(): Promise<Session> {
  const outlook = await connectToOutlook();
  if (outlook) {
    const auth = await createMsalProvider(paneSignInRoute(outlook));
    return { kind: 'outlook', outlook, auth, api: createApiClient(auth, clientConfig.apiBaseUrl) };
  }
  const dev = await DevAuthProvider.discover(clientConfig.apiBaseUrl, { storageKey: PANE_DEV_USER_KEY, prefer: (u) => u.roles.includes('AccountManager') });
  if (!dev) throw new Error('Open Credit Desk from the ribbon of an email in Outlook. Outside Outlook the pane works only with the local stack (npm start).');
  const auth = clientConfig.clientId && !devSignInAsked() ? await createMsalProvider('redirect') : dev;
  const [{ SAMPLE_MESSAGES }, { sampleMailbox }] = await Promise.all([import('./dev/samples.js'), import('./dev/sample-mailbox.js')]);
  return { kind: 'dev', auth, samples: { messages: SAMPLE_MESSAGES, mailbox: sampleMailbox }, api: createApiClient(auth, clientConfig.apiBaseUrl) };
}

const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/** The sample the address asks for, else the first. */
function initialSample(samples: DevSamples): string {
  const wanted = new URLSearchParams(location.search).get('sample');
  return samples.messages.find((s) => s.id === wanted)?.id ?? samples.messages[0]!.id;
}

function initialTheme(): ThemeName {
  const wanted = new URLSearchParams(location.search).get('theme');
  return wanted === 'dark' || wanted === 'light' || wanted === 'contrast' ? wanted : savedBrowserTheme();
}

/** Connects to Outlook (or dev mode), signs in, loads the person and the policy everyone may read, then reads the open message. */
export function PaneRoot() {
  const styles = useStyles();
  const [session, setSession] = useState<Session>();
  const [me, setMe] = useState<MeResponse>();
  const [policy, setPolicy] = useState<PublicPolicy>();
  const [theme, setTheme] = useState<ThemeName>(initialTheme);
  const fluentTheme = useFluentTheme(theme);
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const [sampleId, setSampleId] = useState('');
  // Bumped when Outlook opens another message in a pinned pane: the message is read again.
  const [itemVersion, setItemVersion] = useState(0);

  // Kept across "Try again" and "Sign in": Outlook is connected by then, and the provider holds what signing in brought.
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
        if (current.kind === 'outlook') {
          setTheme(current.outlook.theme);
          current.outlook.onItemChanged(() => setItemVersion((v) => v + 1));
        } else {
          setSampleId(initialSample(current.samples));
        }
      }
      // The theme beside the data, so the first screen shows in it (a theme that fails to load leaves light).
      const startTheme = current.kind === 'outlook' ? current.outlook.theme : initialTheme();
      const [loadedMe, loadedPolicy] = await Promise.all([current.api('me', {}), current.api('getPolicy', {}), loadTheme(startTheme).catch(() => undefined)]);
      if (cancelled) return;
      setMe(loadedMe);
      setPolicy(loadedPolicy);
    };
    start().catch((reason: unknown) => !cancelled && setError(reason));
    return () => {
      cancelled = true;
    };
  }, [attempt]);

  /** From the person's click: Office's dialog opens only from one. */
  const signIn = useCallback(async () => {
    const current = started.current;
    if (current?.kind !== 'outlook' || !current.auth.signIn) return;
    try {
      await current.auth.signIn();
      setAttempt((a) => a + 1);
    } catch (reason) {
      setError(reason);
    }
  }, []);

  const switchUser = useCallback(
    async (email: string) => {
      if (session?.kind !== 'dev' || !(session.auth instanceof DevAuthProvider)) return;
      session.auth.switchTo(email);
      setMe(undefined);
      try {
        setMe(await session.api('me', {}));
      } catch (reason) {
        setError(reason);
      }
    },
    [session],
  );

  const mailbox = useMemo(() => {
    if (!session || !me) return undefined;
    if (session.kind === 'outlook') return session.outlook.mailbox;
    const sample = session.samples.messages.find((s) => s.id === sampleId);
    return sample && session.samples.mailbox(sample.message, me.member.email);
  }, [session, me, sampleId]);

  const context = useMemo((): PaneContextValue | undefined => {
    if (!session || !me || !policy) return undefined;
    const domains = new Set([domainOf(me.member.email)]);
    if (session.kind === 'outlook') domains.add(domainOf(session.outlook.userEmail));
    return { api: session.api, me, settings: policy, firmDomains: [...domains], tabLink: tabLinkFor(clientConfig.teamsAppId, location.origin) };
  }, [session, me, policy]);

  const mayAct = me ? me.roles.length > 0 : false;

  return (
    <FluentProvider theme={fluentTheme}>
      <div className={styles.page}>
        {session?.kind === 'dev' && me && (
          <Suspense fallback={<span aria-busy="true" />}>
            <DevBar
              auth={session.auth instanceof DevAuthProvider ? session.auth : undefined}
              sampleId={sampleId}
              onSample={setSampleId}
              onSwitchUser={(email) => void switchUser(email)}
              theme={theme}
              onTheme={(next) => {
                saveBrowserTheme(next);
                setTheme(next);
              }}
            />
          </Suspense>
        )}
        {error ? (
          <div className={styles.padded}>
            <Suspense fallback={<Spinner size="small" />}>
              <StartErrorBar error={error} onRetry={() => setAttempt((a) => a + 1)} onSignIn={() => void signIn()} />
            </Suspense>
          </div>
        ) : context && mailbox ? (
          <PaneContext.Provider value={context}>
            <ShowsSupportDetails.Provider value={context.me.roles.includes('ITAdmin')}>
              {mayAct ? (
                <MessagePane key={`${sampleId}:${itemVersion}:${me?.member.id}`} mailbox={mailbox} />
              ) : (
                <Suspense fallback={<Spinner size="small" />}>
                  <NotForEmployees />
                </Suspense>
              )}
            </ShowsSupportDetails.Provider>
          </PaneContext.Provider>
        ) : (
          <div className={styles.centered}>
            <Spinner size="small" label="Signing in…" />
          </div>
        )}
      </div>
    </FluentProvider>
  );
}
