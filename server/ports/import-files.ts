/**
 * Where uploaded usage exports and their reports are kept (Blob Storage; DESIGN 4.1: files never go in
 * the table). Everything streams: a 200 MB export is never held in memory.
 */
export interface ImportFiles {
  /** Creates the container when it does not exist. */
  prepare(): Promise<void>;
  /** Stores a file as it arrives; a failed upload leaves nothing under the name. Returns its size. */
  save(tenant: string, importId: string, part: ImportFilePart, body: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }>;
  /** The first `bytes` of a stored file (to sniff its encoding and delimiter). */
  head(tenant: string, importId: string, part: ImportFilePart, bytes: number): Promise<Uint8Array>;
  /** A stored file from the start, as it is read; undefined when there is none. */
  open(tenant: string, importId: string, part: ImportFilePart): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Removes an import's files (a refused upload keeps nothing). */
  delete(tenant: string, importId: string): Promise<void>;
}

/** The upload itself, the report of every row that was not posted, and the validation summary (JSON). */
export type ImportFilePart = 'upload' | 'report' | 'summary';
