/**
 * After `vite build`: lets the pages call the API by adding the Function App's origin to connect-src in
 * dist/web/staticwebapp.config.json (the Static Web App sends it as the Content-Security-Policy header).
 *
 *   npx tsx manifest/azure/write-swa-config.ts --api https://<function app host>   (default: $VITE_API_BASE_URL)
 *   npx tsx manifest/azure/write-swa-config.ts --file <path to staticwebapp.config.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SwaConfig } from './swa-config.js';
import { apiOrigin, cspOf, withConnectSource } from './swa-config.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    api: { type: 'string' },
    file: { type: 'string', default: path.join(root, 'dist', 'web', 'staticwebapp.config.json') },
  },
});

const api = values.api ?? process.env.VITE_API_BASE_URL;
if (!api) {
  console.error('Give the API address: --api https://<function app host> (or set VITE_API_BASE_URL).');
  process.exit(2);
}

try {
  const file = values.file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file} is missing: build the pages first (npx vite build copies it from src/public).`);
  }
  const origin = apiOrigin(api);
  const config = withConnectSource(JSON.parse(text) as SwaConfig, origin);
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  console.log(`${path.relative(process.cwd(), file)}: connect-src ${(cspOf(config).get('connect-src') ?? []).join(' ')}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
