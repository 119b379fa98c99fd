import type { TransferView } from '../contract/schemas.js';

type Described = Pick<TransferView, 'code' | 'source' | 'note' | 'reason'>;

export const isImported = (t: Pick<TransferView, 'source'>): boolean => t.source.startsWith('import:');

/** A self-logged entry an import replaced is undone, not confirmed: the export's row counts instead. */
export const REPLACED_BY_IMPORT = "Replaced by the same usage in Autodesk's usage export (counted once)";

/** An import's own id and line (in reasons written before imports stopped naming them) mean nothing to a reader. */
const IMPORT_REFERENCE = /\s*\(import [^)]*\)/g;

/** The note a person reads for an entry: theirs, or the reason for a correction, without internal ids. */
export function transferNote(t: Described): string | null {
  if (t.code === 'reversal' && isImported(t)) return REPLACED_BY_IMPORT;
  const text = t.note ?? t.reason;
  return text ? text.replace(IMPORT_REFERENCE, '') : null;
}
