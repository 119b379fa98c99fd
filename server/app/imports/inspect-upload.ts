import type { FileSniff, ImportKind } from '../../../src/core/usage-import/index.js';
import { isBlankRecord } from '../../../src/core/usage-import/index.js';
import type { ImportRecord } from '../../ports/import-records.js';
import type { ImportDeps } from './import-deps.js';
import { UnreadableExportError, readExport } from './read-export.js';
import { findWorkbookHeader } from './read-workbook.js';

/** How the stored upload is read (text or workbook), its header, and its first records. */
export interface InspectedUpload {
  source: Pick<ImportRecord, 'encoding' | 'bomLength' | 'delimiter' | 'workbook'>;
  headers: string[] | undefined;
  samples: string[][];
}

/** Records looked at besides the header: enough to see that personal data is masked. */
const SAMPLE_RECORDS = 100;

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

/**
 * Reads an upload's header and first records: a text file's from its first bytes, a workbook's from the
 * sheet whose header reads as an export's (the whole workbook is streamed once to find it).
 */
export async function inspectUpload(deps: ImportDeps, tenant: string, id: string, head: Uint8Array, sizeBytes: number, sniff: Exclude<FileSniff, { ok: false }>, kind: ImportKind): Promise<InspectedUpload> {
  if ('workbook' in sniff) {
    const bytes = await deps.importFiles.open(tenant, id, 'upload');
    if (!bytes) throw new Error(`The file of import ${id} is missing.`);
    const found = await findWorkbookHeader(bytes, kind, await deps.importRecords.rememberedSignatures(tenant, kind));
    // Encoding and delimiter mean nothing in a workbook; the record's text fields keep their defaults.
    const text = { encoding: 'utf-8', bomLength: 0, delimiter: ',' } as const;
    if (!found) return { source: text, headers: undefined, samples: [] };
    const { headers, samples, ...workbook } = found;
    return { source: { ...text, workbook }, headers, samples };
  }
  const source = { encoding: sniff.encoding, bomLength: sniff.bomLength, delimiter: sniff.delimiter };
  const records: string[][] = [];
  const truncated = head.length < sizeBytes;
  try {
    for await (const { cells } of readExport(once(head), source)) {
      if (!isBlankRecord(cells)) records.push(cells);
      if (records.length > SAMPLE_RECORDS) break;
    }
  } catch (error) {
    // The head of a longer file may end inside a quoted value or a character: what came before stands.
    if (!(error instanceof UnreadableExportError && truncated && records.length > 0)) throw error;
  }
  // The head may end in the middle of a record: that one is no sample.
  if (truncated && records.length > 1 && records.length <= SAMPLE_RECORDS) records.pop();
  const [header, ...samples] = records;
  return { source, headers: header?.map((c) => c.trim()), samples };
}
