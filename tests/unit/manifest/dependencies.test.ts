import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The app-package scripts (npm run package / validate) run only with what package.json declares: every
 * package they load, and every package those load, is declared by its parent or by us. A package found
 * only because npm hoisted someone else's copy (fs-extra came from azurite) is missing on the next install.
 */

const ROOT = path.resolve(import.meta.dirname, '../../..');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
const ours = readJson(path.join(ROOT, 'package.json'));
const declaredByUs = new Set([...Object.keys(ours.dependencies ?? {}), ...Object.keys(ours.devDependencies ?? {})]);

/** `fs-extra/lib/x` → `fs-extra`, `@scope/name/x` → `@scope/name`. */
const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));
const bare = (specifier: string) => !specifier.startsWith('.') && !specifier.startsWith('/') && !isBuiltin(specifier);

const filesUnder = (dir: string, ext: RegExp): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(full, ext);
    return ext.test(entry.name) ? [full] : [];
  });

const requiresIn = (source: string) => [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
const importsIn = (source: string) => [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]!);

/** The packages a package's built code requires that neither it nor we declare. */
function undeclaredBy(packageDir: string): string[] {
  const own = readJson(path.join(packageDir, 'package.json'));
  const declared = new Set([...Object.keys(own.dependencies ?? {}), ...declaredByUs]);
  const used = filesUnder(packageDir, /\.c?js$/).flatMap((file) => requiresIn(readFileSync(file, 'utf8'))).filter(bare).map(packageName);
  return [...new Set(used)].filter((name) => !declared.has(name)).sort();
}

describe('the app-package scripts declare what they run with', () => {
  it('every package manifest/ imports is in package.json', () => {
    const used = [...filesUnder(path.join(ROOT, 'manifest'), /\.ts$/)].flatMap((file) => importsIn(readFileSync(file, 'utf8'))).filter(bare).map(packageName);
    expect(used.length).toBeGreaterThan(0);
    expect([...new Set(used)].filter((name) => !declaredByUs.has(name))).toEqual([]);
  });

  it('@microsoft/app-manifest (the schema validation, loaded through office-addin-manifest) finds every package it requires declared', () => {
    const fromOfficeAddinManifest = createRequire(createRequire(import.meta.url).resolve('office-addin-manifest'));
    const appManifestDir = path.dirname(fromOfficeAddinManifest.resolve('@microsoft/app-manifest/package.json'));
    // It requires fs-extra but lists it among its devDependencies only.
    expect(undeclaredBy(appManifestDir)).toEqual([]);
  });
});
