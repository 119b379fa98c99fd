import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The slice of @microsoft/app-manifest we call; it ships no ESM types we could import without a direct dependency. */
interface AppManifestUtilsApi {
  validateAgainstSchema(manifest: object, schema: object): Promise<string[]>;
  fetchSchema(schemaUrl: string): Promise<object>;
}

// Load @microsoft/app-manifest from where office-addin-manifest (our direct dependency) finds it, so
// we validate with exactly its copy and its bundled schemas whatever npm decides to hoist.
const requireFromOfficeAddinManifest = createRequire(createRequire(import.meta.url).resolve('office-addin-manifest'));
const APP_MANIFEST_DIR = path.dirname(requireFromOfficeAddinManifest.resolve('@microsoft/app-manifest/package.json'));
export const { AppManifestUtils } = requireFromOfficeAddinManifest('@microsoft/app-manifest') as { AppManifestUtils: AppManifestUtilsApi };

const SCHEMA_URL_PREFIX = 'https://developer.microsoft.com/json-schemas/';

/** The bundled copy of a Microsoft schema URL, the same lookup AppManifestUtils.fetchSchema does before it goes online. */
export function bundledSchemaFile(schemaUrl: string): string | undefined {
  if (!schemaUrl.startsWith(SCHEMA_URL_PREFIX)) return undefined;
  const file = path.join(APP_MANIFEST_DIR, 'build', 'json-schemas', ...schemaUrl.slice(SCHEMA_URL_PREFIX.length).split('/'));
  return existsSync(file) ? file : undefined;
}

/**
 * Schema errors as AppManifestUtils words them ("/id must match pattern ..."). The schema is read from
 * disk and handed over, so the library never has a reason to fetch: an unbundled $schema is an error.
 */
export async function validateAgainstBundledSchema(manifest: { $schema?: unknown }): Promise<string[]> {
  const schemaUrl = typeof manifest.$schema === 'string' ? manifest.$schema : '';
  const schemaFile = bundledSchemaFile(schemaUrl);
  if (!schemaFile) {
    return [`$schema "${schemaUrl}" is not bundled with @microsoft/app-manifest; validation is offline only, so use a bundled manifest version`];
  }
  // The same clean-up AppManifestUtils applies: some schema versions carry \a and \v escapes JSON.parse rejects.
  const text = (await readFile(schemaFile, 'utf8')).replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  const schema = JSON.parse(text) as object;
  const errors = await AppManifestUtils.validateAgainstSchema(manifest, schema);
  return errors.map((error) => `schema: ${error.trim()}`);
}
