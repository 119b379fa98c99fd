import type { Theme } from '@fluentui/react-components';
import { teamsLightTheme } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ThemeName } from './host.js';

/** The light theme comes with the first load; dark and high contrast only to those who use them. */
export async function loadTheme(name: ThemeName): Promise<Theme> {
  if (name === 'light') return teamsLightTheme;
  const { DARK_THEMES } = await import('./dark-themes.js');
  return DARK_THEMES[name];
}

/**
 * The Fluent theme for `name`. The theme shown before stays until the one asked for has loaded (the
 * shells load it beside the person's data at start, so the first screen comes in its theme).
 */
export function useFluentTheme(name: ThemeName): Theme {
  const [shown, setShown] = useState<Theme>(teamsLightTheme);
  useEffect(() => {
    let current = true;
    loadTheme(name).then(
      (theme) => current && setShown(theme),
      // Not loaded (the network failed): the theme shown stays.
      () => {},
    );
    return () => {
      current = false;
    };
  }, [name]);
  return shown;
}
