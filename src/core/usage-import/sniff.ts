import type { Delimiter, FileProblem, FileSniff, TextEncoding } from './types.js';

/** How much of the file the caller reads to sniff it. */
export const SNIFF_BYTES = 64 * 1024;

const SAVE_AS_CSV = 'Open it in Excel and choose File › Save As › "CSV UTF-8 (Comma delimited) (*.csv)", then upload that file.';

/** A ZIP archive: an Excel workbook (.xlsx) is one. */
const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** An OLE compound file: an old Excel workbook (.xls), or an .xlsx encrypted with a password. */
const COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** The stream a password-protected .xlsx keeps its encrypted workbook in, as its directory names it (UTF-16). */
const ENCRYPTED_PACKAGE = [...'EncryptedPackage'].flatMap((c) => [c.charCodeAt(0), 0]);

/** Known binary formats by their first bytes, with what to tell the person. */
const MAGIC: { bytes: number[]; message: string }[] = [
  { bytes: COMPOUND_FILE, message: `This looks like an old Excel workbook (.xls). Open it in Excel and save it as "Excel Workbook (*.xlsx)" or as "CSV UTF-8", then upload that file.` },
  { bytes: [0x25, 0x50, 0x44, 0x46], message: 'This is a PDF, not a CSV file. Export the usage report from Autodesk Account as CSV and upload that file.' },
  { bytes: [0x1f, 0x8b], message: 'This is a compressed (gzip) file. Unpack it and upload the CSV file inside.' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], message: 'This is a PNG image, not a CSV file. Upload the usage export from Autodesk Account.' },
  { bytes: [0xff, 0xd8, 0xff], message: 'This is a JPEG image, not a CSV file. Upload the usage export from Autodesk Account.' },
  { bytes: [0x47, 0x49, 0x46, 0x38], message: 'This is a GIF image, not a CSV file. Upload the usage export from Autodesk Account.' },
];

const problem = (code: FileProblem['code'], message: string, extra: Partial<FileProblem> = {}): FileSniff => ({ ok: false, problem: { code, message, ...extra } });

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

function contains(head: Uint8Array, bytes: readonly number[]): boolean {
  const first = bytes[0];
  for (let i = head.indexOf(first ?? 0); i !== -1 && i + bytes.length <= head.length; i = head.indexOf(first ?? 0, i + 1)) {
    if (bytes.every((b, k) => head[i + k] === b)) return true;
  }
  return false;
}

/**
 * Reads the first bytes of an upload (up to SNIFF_BYTES) and says how to decode and split the file, that it
 * is an Excel workbook, or why it cannot be read: empty, binary, encrypted, or not UTF-8 (Excel's plain
 * "CSV" is Windows-1252).
 */
export function sniffFile(head: Uint8Array, sizeBytes: number): FileSniff {
  if (sizeBytes === 0 || head.length === 0) {
    return problem('EMPTY_FILE', 'The file is empty (0 bytes). Export the usage report from Autodesk Account again and upload the new file.');
  }
  if (startsWith(head, ZIP)) return { ok: true, workbook: true };
  if (startsWith(head, COMPOUND_FILE) && contains(head, ENCRYPTED_PACKAGE)) {
    return problem('ENCRYPTED_WORKBOOK', 'This Excel workbook is protected with a password, so it cannot be read. Open it in Excel, remove the password (File › Info › Protect Workbook › Encrypt with Password, then clear it), save it and upload it again.');
  }
  for (const magic of MAGIC) if (startsWith(head, magic.bytes)) return problem('BINARY_FILE', magic.message);

  const truncated = head.length < sizeBytes;
  const utf16 = utf16Encoding(head);
  if (utf16) {
    const text = new TextDecoder(utf16.encoding).decode(head.subarray(utf16.bomLength));
    if (text.includes('\u0000')) return binary();
    return withDelimiter(utf16.encoding, utf16.bomLength, text);
  }

  const bomLength = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  const body = head.subarray(bomLength);
  if (looksBinary(body)) return binary();
  const bad = firstInvalidUtf8(body, truncated);
  if (bad !== null) {
    const offset = bad + bomLength;
    const line = lineAt(head, offset);
    const byte = (head[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return problem(
      'BAD_ENCODING',
      `The file is not UTF-8 text: line ${line} has a byte (0x${byte}) UTF-8 cannot read, usually an accented letter saved by Excel as plain "CSV". ${SAVE_AS_CSV}`,
      { byteOffset: offset, line },
    );
  }
  return withDelimiter('utf-8', bomLength, new TextDecoder('utf-8').decode(body));
}

function binary(): FileSniff {
  return problem('BINARY_FILE', 'This is not a text file (it contains binary data). Upload the usage export from Autodesk Account as a CSV file.');
}

function withDelimiter(encoding: TextEncoding, bomLength: number, text: string): FileSniff {
  const header = headerLine(text);
  if (header === null) return problem('NO_HEADER', 'The file has only blank lines at its start: the first line should name the columns (Date, Email, …). Upload the export as Autodesk Account produced it.');
  return { ok: true, encoding, bomLength, delimiter: delimiterOf(header) };
}

/** A BOM, or the NUL pattern of BOM-less UTF-16 (ASCII text with every other byte zero). */
function utf16Encoding(head: Uint8Array): { encoding: TextEncoding; bomLength: number } | null {
  if (startsWith(head, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2 };
  if (startsWith(head, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2 };
  const pairs = Math.min(256, Math.floor(head.length / 2));
  if (pairs < 2) return null;
  let le = 0;
  let be = 0;
  for (let i = 0; i < pairs; i++) {
    const a = head[2 * i] ?? 0;
    const b = head[2 * i + 1] ?? 0;
    if (a !== 0 && b === 0) le++;
    else if (a === 0 && b !== 0) be++;
  }
  // Mostly, not all: a few non-ASCII characters break the pattern.
  if (le >= pairs * 0.8) return { encoding: 'utf-16le', bomLength: 0 };
  if (be >= pairs * 0.8) return { encoding: 'utf-16be', bomLength: 0 };
  return null;
}

/** NUL bytes, or many control characters, do not occur in a CSV export. */
function looksBinary(bytes: Uint8Array): boolean {
  let control = 0;
  for (const b of bytes) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control > bytes.length / 100;
}

/**
 * Offset of the first byte that breaks UTF-8, or null. When the bytes are only the head of a longer file, a
 * character cut by the end of the head is not an error.
 */
export function firstInvalidUtf8(bytes: Uint8Array, truncated: boolean): number | null {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return truncated ? null : i;
      const c = bytes[i + k] ?? 0;
      if ((c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return i;
    i += need + 1;
  }
  return null;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** The first non-blank line, ending at the first line break outside double quotes. */
function headerLine(text: string): string | null {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (text.slice(start, end).trim() !== '') break;
    start = end + 1;
  }
  if (start >= text.length) return null;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) return text.slice(start, i);
  }
  return text.slice(start);
}

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

/** The delimiter used most in the header outside quotes; a comma on ties or when none appears. */
export function delimiterOf(header: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const c of header) {
    if (c === '"') quoted = !quoted;
    else if (!quoted) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}
