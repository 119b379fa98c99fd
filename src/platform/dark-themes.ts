import type { Theme } from '@fluentui/react-components';
import { teamsDarkTheme, teamsHighContrastTheme } from '@fluentui/react-components';
import type { ThemeName } from './host.js';

/** Loaded by themes.ts only when a person's theme is dark or high contrast. */
export const DARK_THEMES: Record<Exclude<ThemeName, 'light'>, Theme> = { dark: teamsDarkTheme, contrast: teamsHighContrastTheme };
