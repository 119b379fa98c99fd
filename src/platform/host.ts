import type { Theme } from '@fluentui/react-components';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/react-components';

export type ThemeName = 'light' | 'dark' | 'contrast';
export type HostName = 'teams' | 'outlook' | 'browser';

export const THEMES: Record<ThemeName, Theme> = { light: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

export interface HostInfo {
  host: HostName;
  theme: ThemeName;
  /** Calls back when the host's theme changes while the tab is open (Teams only). */
  onThemeChange(listener: (theme: ThemeName) => void): void;
  /** A deep link's target page (Teams subEntityId), if any. */
  page?: string | undefined;
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

/** Inside an iframe, Teams or Outlook may be hosting us: ask teams-js, briefly; otherwise it is a browser. */
export async function detectHost(timeoutMs = 1500): Promise<HostInfo> {
  const browser: HostInfo = { host: 'browser', theme: savedBrowserTheme(), onThemeChange: () => {} };
  if (window.parent === window && !window.opener) return browser;
  try {
    const { app, HostName: TeamsHostName } = await import('@microsoft/teams-js');
    await Promise.race([app.initialize(), new Promise((_, reject) => setTimeout(() => reject(new Error('no host')), timeoutMs))]);
    const context = await app.getContext();
    const hostName = context.app.host.name === TeamsHostName.outlook ? 'outlook' : 'teams';
    void app.notifySuccess();
    return {
      host: hostName,
      theme: themeFromTeams(context.app.theme),
      onThemeChange: (listener) => app.registerOnThemeChangeHandler((name) => listener(themeFromTeams(name))),
      page: context.page.subPageId,
    };
  } catch {
    return browser;
  }
}
