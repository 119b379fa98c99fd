import { fileURLToPath } from 'node:url';

/** One PNG the package or the web host needs, and the SVG it is rendered from by `npm run icons`. */
export interface IconFile {
  file: string;
  size: number;
  source: string;
  /** Teams wants the outline icon white on transparent; the render step forces that. */
  whiteOnTransparent?: boolean;
}

export const ICONS_DIR = fileURLToPath(new URL('./icons/', import.meta.url));

/** Inside the zip, next to manifest.json (Teams: color 192×192, outline 32×32). */
export const COLOR_ICON: IconFile = { file: 'color.png', size: 192, source: 'icon.svg' };
export const OUTLINE_ICON: IconFile = { file: 'outline.png', size: 32, source: 'outline.svg', whiteOnTransparent: true };

/**
 * The Outlook ribbon takes icons by absolute URL, not from the zip, so these are served by the web
 * host under RIBBON_ICON_URL_PATH (vite.config.ts publishes them there in the web build).
 */
export const RIBBON_ICON_SIZES = [16, 32, 80] as const;
// At 16 px the two stacks blur together, so that size has its own simpler drawing.
export const RIBBON_ICONS: IconFile[] = RIBBON_ICON_SIZES.map((size) => ({ file: `ribbon-${size}.png`, size, source: size === 16 ? 'ribbon-16.svg' : 'ribbon.svg' }));
export const RIBBON_ICON_URL_PATH = 'icons';

export const ALL_ICONS: IconFile[] = [COLOR_ICON, OUTLINE_ICON, ...RIBBON_ICONS];
