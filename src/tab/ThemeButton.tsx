import { ToggleButton, Tooltip } from '@fluentui/react-components';
import { DarkThemeRegular } from '@fluentui/react-icons';
import type { ThemeName } from '../platform/host.js';

const THEME_ORDER: ThemeName[] = ['light', 'dark', 'contrast'];
const THEME_LABEL: Record<ThemeName, string> = { light: 'Light', dark: 'Dark', contrast: 'High contrast' };

/** A plain browser's theme button (Teams sets the theme itself): light, dark, high contrast in turn. */
export function ThemeButton({ theme, onChange }: { theme: ThemeName; onChange: (theme: ThemeName) => void }) {
  return (
    <Tooltip content={`Theme: ${THEME_LABEL[theme]} (click to change)`} relationship="label">
      <ToggleButton checked={theme !== 'light'} icon={<DarkThemeRegular />} appearance="subtle" onClick={() => onChange(THEME_ORDER[(THEME_ORDER.indexOf(theme) + 1) % THEME_ORDER.length]!)} />
    </Tooltip>
  );
}
