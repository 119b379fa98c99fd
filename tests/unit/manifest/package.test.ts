import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildAppPackage, InvalidManifestError, manifestJson, MANIFEST_FILE } from '../../../manifest/app-package.js';
import { buildManifest } from '../../../manifest/build-manifest.js';
import { ALL_ICONS, ICONS_DIR } from '../../../manifest/icons.js';
import { readPngSize } from '../../../manifest/png.js';
import { validateManifest } from '../../../manifest/validate-manifest.js';
import { goodSettings } from './fixtures.js';

const fetchSpy = vi.fn();
beforeEach(() => vi.stubGlobal('fetch', fetchSpy));
afterEach(() => {
  expect(fetchSpy).not.toHaveBeenCalled();
  vi.unstubAllGlobals();
});

const settings = goodSettings();

describe('the app package', () => {
  it('holds exactly manifest.json and the two icons it names, at the right sizes', async () => {
    const { zip } = await buildAppPackage(settings);
    const entries = new AdmZip(zip).getEntries();
    expect(entries.map((e) => e.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const inside = JSON.parse(entries.find((e) => e.entryName === MANIFEST_FILE)!.getData().toString('utf8'));
    expect(inside.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    for (const [file, size] of [['color.png', 192], ['outline.png', 32]] as const) {
      const data = entries.find((e) => e.entryName === file)!.getData();
      expect(readPngSize(data)).toEqual({ width: size, height: size });
      expect(data.equals(readFileSync(path.join(ICONS_DIR, file)))).toBe(true);
    }
  });

  it('carries byte for byte the manifest that validation checked', async () => {
    const { zip, manifest } = await buildAppPackage(settings);
    const text = new AdmZip(zip).readAsText(MANIFEST_FILE);
    expect(text).toBe(manifestJson(buildManifest(settings)));
    expect(JSON.parse(text)).toEqual(manifest);
    expect(await validateManifest(JSON.parse(text), settings)).toEqual([]);
  });

  it('is refused when the manifest is invalid, with the errors', async () => {
    const iconsDir = mkdtempSync(path.join(tmpdir(), 'credit-desk-icons-'));
    for (const icon of ALL_ICONS) copyFileSync(path.join(ICONS_DIR, icon.file), path.join(iconsDir, icon.file));
    copyFileSync(path.join(ICONS_DIR, 'color.png'), path.join(iconsDir, 'outline.png'));
    const attempt = buildAppPackage(settings, iconsDir);
    await expect(attempt).rejects.toBeInstanceOf(InvalidManifestError);
    await expect(attempt).rejects.toMatchObject({ errors: ['icons.outline (outline.png): is 192×192 pixels, must be 32×32'] });
  });
});
