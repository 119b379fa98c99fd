import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Delimiter, TextEncoding } from '../../../src/core/usage-import/index.js';

const LINE_BREAKS = /\r\n|\r|\n/g;

/** A CSV record with the physical line it starts on. */
export interface ExportRecord {
  cells: string[];
  line: number;
}

/** The file cannot be read at all (a quote never closed, bytes that are not text, a damaged workbook): nothing is imported. */
export class UnreadableExportError extends Error {
  constructor(
    readonly code: 'BAD_ENCODING' | 'MALFORMED_CSV' | 'BROKEN_WORKBOOK',
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableExportError';
  }
}

/** Decodes as the bytes arrive; a byte sequence that is not valid in the encoding stops the read with its line. */
async function* decode(bytes: AsyncIterable<Uint8Array>, encoding: TextEncoding, bomLength: number): AsyncIterable<string> {
  const decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  let skip = bomLength;
  let lines = 1;
  for await (const raw of bytes) {
    let chunk = raw;
    if (skip > 0) {
      const cut = Math.min(skip, chunk.byteLength);
      chunk = chunk.subarray(cut);
      skip -= cut;
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new UnreadableExportError('BAD_ENCODING', `Line ${lines} has bytes that are not ${encoding.toUpperCase()} text. Save the export again as "CSV UTF-8" and upload that.`);
    }
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    if (text) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new UnreadableExportError('BAD_ENCODING', `The file ends in the middle of a character (line ${lines}). Save the export again as "CSV UTF-8" and upload that.`);
  }
}

/**
 * The records of an export as they are read: decoded, split by the delimiter, quoted newlines kept inside
 * their cell, blank lines given as records of one empty cell (the caller skips them, keeping line numbers).
 */
export async function* readExport(bytes: AsyncIterable<Uint8Array>, format: { encoding: TextEncoding; bomLength: number; delimiter: Delimiter }): AsyncIterable<ExportRecord> {
  const parser = Readable.from(decode(bytes, format.encoding, format.bomLength)).pipe(
    parse({ delimiter: format.delimiter, raw: true, relax_column_count: true, skip_empty_lines: false, relax_quotes: true }),
  );
  // Line numbers from the raw text: the parser's own count takes a CRLF inside quotes for two lines.
  let lastLine = 0;
  try {
    for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      yield { cells: record, line: lastLine + 1 };
      lastLine += raw.match(LINE_BREAKS)?.length ?? 0;
    }
  } catch (error) {
    if (error instanceof UnreadableExportError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'CSV_QUOTE_NOT_CLOSED') throw new UnreadableExportError('MALFORMED_CSV', `A quoted value that starts on line ${lastLine + 1} is never closed, so the rest of the file cannot be read. Check that line for a stray quote (").`);
    throw new UnreadableExportError('MALFORMED_CSV', `The file cannot be read as CSV after line ${lastLine}: ${(error as Error).message}`);
  }
}
