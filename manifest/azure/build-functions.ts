/**
 * Builds the Azure Functions app package from server/azure.ts:
 *
 *   dist/functions/host.json          (manifest/azure/host.json)
 *   dist/functions/package.json       ("type": "module", "main": "dist/azure.js", no dependencies)
 *   dist/functions/dist/azure.js      (the entry and everything it imports, one ES module for Node 20)
 *   dist/functions.zip                (the three above, for `az functionapp deployment source config-zip`)
 *
 * Everything is bundled, so the package needs no `npm install` and no remote build; only
 * `@azure/functions-core` stays outside: the Functions worker provides it. The local host, dev identity
 * and stand-ins (server/local/) are never in the bundle: the build fails if one is reached.
 *
 *   npx tsx manifest/azure/build-functions.ts [--out dist/functions] [--zip dist/functions.zip]
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import AdmZip from 'adm-zip';
import { build } from 'esbuild';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const ENTRY = 'server/azure.ts';
export const MAIN = 'dist/azure.js';
/** Provided by the Functions worker at run time; not an npm package. */
export const WORKER_PROVIDED = ['@azure/functions-core'];

export interface FunctionsPackage {
  outDir: string;
  zipFile: string;
  /** Repository files in the bundle (relative, forward slashes), without node_modules. */
  sources: string[];
  bundleBytes: number;
}

export async function buildFunctionsPackage(options: { outDir?: string; zipFile?: string } = {}): Promise<FunctionsPackage> {
  const outDir = path.resolve(options.outDir ?? path.join(ROOT, 'dist', 'functions'));
  const zipFile = path.resolve(options.zipFile ?? path.join(ROOT, 'dist', 'functions.zip'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, path.dirname(MAIN)), { recursive: true });

  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: path.join(outDir, MAIN),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: WORKER_PROVIDED,
    // CommonJS packages inside an ES module bundle still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __creditDeskRequire } from 'node:module'; const require = __creditDeskRequire(import.meta.url);" },
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });

  const sources = Object.keys(result.metafile.inputs)
    .map((input) => input.replaceAll('\\', '/'))
    .filter((input) => !input.includes('node_modules/'));
  const local = sources.filter((input) => input.startsWith('server/local/'));
  if (local.length > 0) throw new Error(`The Azure bundle must not contain the local host: ${local.join(', ')}`);

  const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const functionsPackage = {
    name: 'credit-desk-functions',
    version: rootPackage.version,
    private: true,
    type: 'module',
    main: MAIN,
    engines: { node: '>=20' },
  };
  writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(functionsPackage, null, 2)}\n`);
  copyFileSync(path.join(import.meta.dirname, 'host.json'), path.join(outDir, 'host.json'));

  mkdirSync(path.dirname(zipFile), { recursive: true });
  rmSync(zipFile, { force: true });
  const zip = new AdmZip();
  zip.addLocalFolder(outDir);
  zip.writeZip(zipFile);

  return { outDir, zipFile, sources, bundleBytes: statSync(path.join(outDir, MAIN)).size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, zip: { type: 'string' } } });
  buildFunctionsPackage({ ...(values.out ? { outDir: values.out } : {}), ...(values.zip ? { zipFile: values.zip } : {}) }).then(
    (built) => {
      console.log(`${path.relative(process.cwd(), built.zipFile)}: ${built.sources.length} source files, ${(built.bundleBytes / 1e6).toFixed(1)} MB bundle`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
