import { ICONS_DIR } from './icons.js';
import { checkManifestRules } from './manifest-rules.js';
import { validateAgainstBundledSchema } from './schema-validation.js';
import type { AppSettings } from './settings.js';

/** All problems with a manifest: the bundled schema's first, then our own rules. Empty means valid. */
export async function validateManifest(manifest: object, settings: AppSettings, iconsDir = ICONS_DIR): Promise<string[]> {
  return [...(await validateAgainstBundledSchema(manifest)), ...checkManifestRules(manifest, settings, iconsDir)];
}
