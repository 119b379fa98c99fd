export type ThemeName = 'light' | 'dark' | 'contrast';
export type HostName = 'teams' | 'outlook' | 'browser';

export interface HostInfo {
  host: HostName;
  theme: ThemeName;
  /** Calls back when the host's theme changes while the tab is open (Teams only). */
  onThemeChange(listener: (theme: ThemeName) => void): void;
  /** A deep link's target page (Teams subEntityId), if any. */
  page?: string | undefined;
  /** The host recommends nested app authentication (teams-js `nestedAppAuth.isNAAChannelRecommended`). */
  nestedAuth: boolean;
}

/** Teams names its themes default, dark and contrast. */
export function themeFromTeams(name: string | undefined): ThemeName {
  return name === 'dark' ? 'dark' : name === 'contrast' ? 'contrast' : 'light';
}

const THEME_KEY = 'credit-desk.theme';

export function savedBrowserTheme(): ThemeName {
  const saved = localStorage.getItem(THEME_KEY);
  if (saved === 'light' || saved === 'dark' || saved === 'contrast') return saved;
  return matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function saveBrowserTheme(theme: ThemeName): void {
  localStorage.setItem(THEME_KEY, theme);
}

/**
 * What teams-js needs to reach a host, and so the only signs that one may be there: a parent frame (Teams
 * desktop and web, Outlook, Microsoft 365), an opener (a host's own windows) or Teams mobile's native
 * bridge, `window.nativeInterface` (iOS and Android host tabs without a frame). Without any of them
 * teams-js itself refuses at once ("No Parent window found"), so a plain browser waits for nothing.
 */
export function mayBeInHost(page: Window = window): boolean {
  return page.parent !== page || Boolean(page.opener) || Boolean((page as { nativeInterface?: unknown }).nativeInterface);
}

/**
 * Asks teams-js, within `timeoutMs`, whether a Microsoft 365 host (Teams, Outlook, Microsoft 365) hosts the
 * tab, frame or not; otherwise it is a browser. In a host, also whether the host recommends nested app
 * authentication for signing in.
 */
export async function detectHost(timeoutMs = 1500): Promise<HostInfo> {
  const browser: HostInfo = { host: 'browser', theme: savedBrowserTheme(), onThemeChange: () => {}, nestedAuth: false };
  if (!mayBeInHost()) return browser;
  try {
    const { app, nestedAppAuth, HostName: TeamsHostName } = await import('@microsoft/teams-js');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('No host answered.')), timeoutMs);
    });
    await Promise.race([app.initialize(), gaveUp]).finally(() => clearTimeout(timer));
    const context = await app.getContext();
    const hostName = context.app.host.name === TeamsHostName.outlook ? 'outlook' : 'teams';
    void app.notifySuccess();
    return {
      host: hostName,
      theme: themeFromTeams(context.app.theme),
      onThemeChange: (listener) => app.registerOnThemeChangeHandler((name) => listener(themeFromTeams(name))),
      page: context.page.subPageId,
      nestedAuth: nestedAppAuth.isNAAChannelRecommended(),
    };
  } catch {
    return browser;
  }
}
