import { readFileSync } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { buildManifest, type AppManifest } from './build-manifest.js';
import { ICONS_DIR } from './icons.js';
import type { AppSettings } from './settings.js';
import { validateManifest } from './validate-manifest.js';

export const MANIFEST_FILE = 'manifest.json';

/** A manifest that failed validation; the zip is not written. */
export class InvalidManifestError extends Error {
  constructor(readonly errors: string[]) {
    super(`the manifest is invalid:\n${errors.join('\n')}`);
    this.name = 'InvalidManifestError';
  }
}

/** The JSON exactly as it goes into the zip, so what validate checked is byte for byte what ships. */
export function manifestJson(manifest: AppManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** manifest.json and the two icons it names, nothing else: validated first, refused when invalid. */
export async function buildAppPackage(settings: AppSettings, iconsDir = ICONS_DIR): Promise<{ manifest: AppManifest; zip: Buffer }> {
  const manifest = buildManifest(settings);
  const errors = await validateManifest(manifest, settings, iconsDir);
  if (errors.length > 0) throw new InvalidManifestError(errors);

  const zip = new AdmZip();
  zip.addFile(MANIFEST_FILE, Buffer.from(manifestJson(manifest), 'utf8'));
  for (const file of [manifest.icons.color, manifest.icons.outline]) zip.addFile(file, readFileSync(path.join(iconsDir, file)));
  return { manifest, zip: zip.toBuffer() };
}
