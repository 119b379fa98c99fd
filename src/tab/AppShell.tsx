import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Text,
  ToggleButton,
  Tooltip,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DarkThemeRegular, SignOutRegular, WalletCreditCardFilled } from '@fluentui/react-icons';
import { Suspense, useEffect, useState } from 'react';
import { useFirstRunSetup } from './setup/first-run.js';
import type { DevAuthProvider } from '../platform/auth.js';
import { DevUserSwitcher } from '../ui/DevUserSwitcher.js';
import type { ThemeName } from '../platform/host.js';
import { useApp, useUnit } from './app-context.js';
import { PageTabs } from './PageTabs.js';
import type { PageDef } from './pages.js';
import { PAGES, pagesFor } from './pages.js';
import { goTo, useHashPage } from './router.js';

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
  nav: { backgroundColor: tokens.colorNeutralBackground1 },
  main: { flexGrow: 1, padding: tokens.spacingHorizontalL, maxWidth: '1200px', width: '100%', boxSizing: 'border-box', margin: '0 auto' },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalM },
  notice: { marginBottom: tokens.spacingVerticalL },
});

/** Who a page is for, as the notice names them. */
const AUDIENCE_WORDS: Record<PageDef['audience'], string> = { everyone: 'everyone', managers: 'the account managers and IT', it: 'IT' };

/** A link to a page the person cannot open lands them on their first page, with this said, not silently. */
function NotYoursNotice(props: { asked: string; shown: PageDef }) {
  const styles = useStyles();
  const known = PAGES.find((p) => p.id === props.asked);
  return (
    <MessageBar intent="info" layout="multiline" className={styles.notice} data-testid="page-not-yours">
      <MessageBarBody>
        <MessageBarTitle>{known ? `${known.label} is a page for ${AUDIENCE_WORDS[known.audience]}` : 'There is no such page'}</MessageBarTitle>
        {known?.id === 'purchases' ? 'The account managers order more when the pool runs low. ' : ''}You are on {props.shown.label} instead.
      </MessageBarBody>
    </MessageBar>
  );
}

const THEME_ORDER: ThemeName[] = ['light', 'dark', 'contrast'];
const THEME_LABEL: Record<ThemeName, string> = { light: 'Light', dark: 'Dark', contrast: 'High contrast' };

export function PageSkeleton() {
  const styles = useStyles();
  return (
    <Skeleton aria-label="Loading" className={styles.skeleton}>
      <SkeletonItem size={32} />
      <SkeletonItem size={96} />
      <SkeletonItem size={48} />
    </Skeleton>
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
          <DevUserSwitcher
            className={styles.switcher}
            auth={props.devAuth}
            label="Demo user"
            shown={(u) => `${u.displayName} (demo)`}
            order={['Employees', 'Account managers', 'IT']}
            onSwitch={props.onSwitchUser}
          />
        ) : null}
        {props.onSignOut ? (
          <Button appearance="subtle" icon={<SignOutRegular />} onClick={props.onSignOut}>
            Sign out
          </Button>
        ) : null}
        {props.onThemeChange ? (
          <Tooltip content={`Theme: ${THEME_LABEL[theme]} (click to change)`} relationship="label">
            <ToggleButton
              checked={theme !== 'light'}
              icon={<DarkThemeRegular />}
              appearance="subtle"
              onClick={() => props.onThemeChange?.(THEME_ORDER[(THEME_ORDER.indexOf(theme) + 1) % THEME_ORDER.length]!)}
            />
          </Tooltip>
        ) : null}
      </header>
      <nav className={styles.nav} aria-label="Credit Desk pages">
        <PageTabs pages={pages} selected={page.id} onSelect={goTo} />
      </nav>
      <main className={styles.main}>
        {refused && refused.shown === page.id ? <NotYoursNotice asked={refused.asked} shown={page} /> : null}
        <Suspense fallback={<PageSkeleton />}>
          <Page />
        </Suspense>
      </main>
    </div>
  );
}
