import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
// Icons of the first screen from their own modules: the package's shared icon modules hold many more.
import { SignOutRegular } from '@fluentui/react-icons/svg/sign-out';
import { WalletCreditCardFilled } from '@fluentui/react-icons/svg/wallet-credit-card';
import { Suspense, lazy, useEffect, useState } from 'react';
import { useFirstRunSetup } from './setup/first-run.js';
import type { DevAuthProvider } from '../platform/auth.js';
import type { ThemeName } from '../platform/host.js';
import { AfterFirstPaint } from '../ui/AfterFirstPaint.js';
import { useApp, useUnit } from './app-context.js';
import { pagesFor } from './pages.js';
import { goTo, useHashPage } from './router.js';

// Only the landing page comes with the first load: the tabs (with their overflow menu), the demo user
// switcher and the theme button load once it is on screen, so the balance does not wait for them.
const PageTabs = lazy(() => import('./PageTabs.js').then((m) => ({ default: m.PageTabs })));
const DevUserSwitcher = lazy(() => import('../ui/DevUserSwitcher.js').then((m) => ({ default: m.DevUserSwitcher })));
// Shown only after a link to a page the person cannot open.
const NotYoursNotice = lazy(() => import('./NotYoursNotice.js').then((m) => ({ default: m.NotYoursNotice })));
const ThemeButton = lazy(() => import('./ThemeButton.js').then((m) => ({ default: m.ThemeButton })));

const useStyles = makeStyles({
  shell: { display: 'flex', flexDirection: 'column', minHeight: '100vh' },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, marginRight: 'auto', color: tokens.colorBrandForeground1 },
  switcher: { minWidth: '200px', maxWidth: '100%' },
  // As tall as the tabs, so nothing moves when they arrive.
  nav: { backgroundColor: tokens.colorNeutralBackground1, minHeight: '44px' },
  main: { flexGrow: 1, padding: tokens.spacingHorizontalL, maxWidth: '1200px', width: '100%', boxSizing: 'border-box', margin: '0 auto' },
  loading: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXL },
});

/** Where a part of the shell will be while its code loads (marked busy, as the page is not complete yet). */
const LOADING = <span aria-busy="true" />;

/** While a page's code loads (pages past the landing one load when first opened). */
function PageLoading() {
  const styles = useStyles();
  return (
    <div className={styles.loading}>
      <Spinner label="Loading…" />
    </div>
  );
}

/** Header (dev user switcher, theme in a browser), role-based navigation, and the current page. */
export function AppShell(props: {
  devAuth: DevAuthProvider | undefined;
  onSwitchUser: (email: string) => void;
  onThemeChange: ((theme: ThemeName) => void) | undefined;
  /** A plain browser signed in with Entra ID: the way out (and to another person). */
  onSignOut?: (() => void) | undefined;
}) {
  const styles = useStyles();
  const { api, me, theme } = useApp();
  const pages = pagesFor(me, useUnit().flex);
  const pageId = useHashPage();
  // IT's first visit while something is red opens the Setup page, once (first-run.ts says when).
  useFirstRunSetup(api, me, pages[0]!.id);
  const page = pages.find((p) => p.id === pageId) ?? pages[0]!;
  // The page a link asked for that this person cannot open, and the page they were shown instead.
  const [refused, setRefused] = useState<{ asked: string; shown: string }>();

  useEffect(() => {
    if (pageId !== page.id) {
      if (pageId) setRefused({ asked: pageId, shown: page.id });
      goTo(page.id);
    } else if (refused && pageId !== refused.shown) setRefused(undefined);
  }, [pageId, page.id, refused]);

  const Page = page.component;

  return (
    <div className={styles.shell}>
      <header className={styles.header}>
        <div className={styles.brand}>
          <WalletCreditCardFilled fontSize={24} aria-hidden />
          <Text weight="semibold" size={400}>
            Credit Desk
          </Text>
        </div>
        {props.devAuth ? (
          <AfterFirstPaint fallback={LOADING}>
            <DevUserSwitcher
              className={styles.switcher}
              auth={props.devAuth}
              label="Demo user"
              shown={(u) => `${u.displayName} (demo)`}
              order={['Employees', 'Account managers', 'IT']}
              onSwitch={props.onSwitchUser}
            />
          </AfterFirstPaint>
        ) : null}
        {props.onSignOut ? (
          <Button appearance="subtle" icon={<SignOutRegular />} onClick={props.onSignOut}>
            Sign out
          </Button>
        ) : null}
        {props.onThemeChange ? (
          <AfterFirstPaint fallback={LOADING}>
            <ThemeButton theme={theme} onChange={props.onThemeChange} />
          </AfterFirstPaint>
        ) : null}
      </header>
      <nav className={styles.nav} aria-label="Credit Desk pages">
        <AfterFirstPaint fallback={LOADING}>
          <PageTabs pages={pages} selected={page.id} onSelect={goTo} />
        </AfterFirstPaint>
      </nav>
      <main className={styles.main}>
        {refused && refused.shown === page.id ? (
          <Suspense fallback={LOADING}>
            <NotYoursNotice asked={refused.asked} shown={page} />
          </Suspense>
        ) : null}
        <Suspense fallback={<PageLoading />}>
          <Page />
        </Suspense>
      </main>
    </div>
  );
}
