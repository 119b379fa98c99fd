import type { ImportSummary } from '../../ports/import-records.js';
import type { ImportDeps } from './import-deps.js';

/** What validation found, kept as JSON next to the upload. */
export async function readSummary(deps: ImportDeps, tenant: string, id: string): Promise<ImportSummary | undefined> {
  const file = await deps.importFiles.open(tenant, id, 'summary');
  if (!file) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of file) chunks.push(Buffer.from(chunk));
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as ImportSummary;
}

export async function saveSummary(deps: ImportDeps, tenant: string, id: string, summary: ImportSummary): Promise<void> {
  await deps.importFiles.save(tenant, id, 'summary', (async function* () {
    yield Buffer.from(JSON.stringify(summary));
  })());
}

