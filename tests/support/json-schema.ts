/**
 * The JSON Schema validator for the toolkit project's test: Ajv 8 (draft-07, the toolkit's yaml schema),
 * loaded from @microsoft/app-manifest, the validator the app package already goes through
 * (manifest/schema-validation.ts loads it the same way). The root node_modules/ajv is ESLint's Ajv 6, so a
 * plain `import 'ajv'` would get the wrong major version.
 */
import { createRequire } from 'node:module';

export interface SchemaError {
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}

export interface Ajv {
  compile(schema: object): ValidateFunction;
}

type AjvClass = new (options: { allErrors?: boolean; strict?: boolean; validateFormats?: boolean }) => Ajv;

const requireFromOfficeAddinManifest = createRequire(createRequire(import.meta.url).resolve('office-addin-manifest'));
const requireFromAppManifest = createRequire(requireFromOfficeAddinManifest.resolve('@microsoft/app-manifest/package.json'));

/** Schemas of other tools use keywords and formats Ajv's strict mode refuses; they are data here, not ours to fix. */
const OPTIONS = { allErrors: true, strict: false, validateFormats: false };

export const newDraft07Validator = (): Ajv => new (requireFromAppManifest('ajv') as { default: AjvClass }).default(OPTIONS);

export function describeErrors(errors: SchemaError[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`);
}
