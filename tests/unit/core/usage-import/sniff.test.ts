import { describe, expect, it } from 'vitest';
import { delimiterOf, firstInvalidUtf8, sniffFile } from '../../../../src/core/usage-import/index.js';
import { fixtureBytes, utf8 } from './fixtures.js';

const sniff = (bytes: Uint8Array, size = bytes.length) => sniffFile(bytes.subarray(0, 64 * 1024), size);
const refused = (bytes: Uint8Array, size = bytes.length) => {
  const result = sniff(bytes, size);
  if (result.ok) throw new Error('expected a refusal');
  return result.problem;
};
const concat = (...parts: (number[] | Uint8Array)[]) => new Uint8Array(parts.flatMap((p) => [...p]));

function utf16(text: string, order: 'le' | 'be', bom: boolean): Uint8Array {
  const bytes: number[] = bom ? (order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (order === 'le') bytes.push(code & 0xff, code >> 8);
    else bytes.push(code >> 8, code & 0xff);
  }
  return new Uint8Array(bytes);
}

describe('sniffFile: how to read an upload, or why it cannot be read', () => {
  it('reads each sample export as UTF-8 with commas', () => {
    for (const name of ['cloud-services-usage.csv', 'flex-token-usage.csv', 'flex-token-usage-hashed.csv']) {
      expect(sniff(fixtureBytes(name))).toEqual({ ok: true, encoding: 'utf-8', bomLength: 0, delimiter: ',' });
    }
  });

  it('refuses a 0-byte file as empty', () => {
    expect(refused(new Uint8Array(0)).code).toBe('EMPTY_FILE');
  });

  it('takes a ZIP archive for an Excel workbook (.xlsx), read as one', () => {
    expect(sniff(concat([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], utf8('[Content_Types].xml')), 100)).toEqual({ ok: true, workbook: true });
  });

  it('refuses a workbook protected with a password, saying how to remove it', () => {
    const directory = concat(new Array(512).fill(0), [...'EncryptedPackage'].flatMap((c) => [c.charCodeAt(0), 0]));
    const problem = refused(concat([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], directory), 4096);
    expect(problem.code).toBe('ENCRYPTED_WORKBOOK');
    expect(problem.message).toMatch(/password/);
  });

  it('recognises a PDF, gzip, old Excel and images', () => {
    expect(refused(utf8('%PDF-1.7\n%âãÏÓ')).message).toMatch(/PDF/);
    expect(refused(new Uint8Array([0x1f, 0x8b, 0x08, 0x00])).message).toMatch(/gzip/);
    expect(refused(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0])).message).toMatch(/\.xls\)/);
    expect(refused(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])).message).toMatch(/PNG/);
    expect(refused(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])).code).toBe('BINARY_FILE');
  });

  it('refuses bytes with NULs that are not UTF-16 text as binary', () => {
    expect(refused(concat(utf8('Date,Email\n'), [0, 0, 0, 1, 2, 3, 0, 0, 0x90, 0x80, 0, 0, 0, 0])).code).toBe('BINARY_FILE');
  });

  it('takes a UTF-8 byte-order mark out of the text', () => {
    expect(sniff(concat([0xef, 0xbb, 0xbf], utf8('Date,Email,Service,Credits\n')))).toEqual({ ok: true, encoding: 'utf-8', bomLength: 3, delimiter: ',' });
  });

  it('reads UTF-16 with a BOM (little and big endian) and without one, by the NUL pattern', () => {
    const text = 'Date;Email;Service;Credits\r\n2026-06-01;a@b.co;Simulation;12\r\n';
    expect(sniff(utf16(text, 'le', true))).toEqual({ ok: true, encoding: 'utf-16le', bomLength: 2, delimiter: ';' });
    expect(sniff(utf16(text, 'be', true))).toEqual({ ok: true, encoding: 'utf-16be', bomLength: 2, delimiter: ';' });
    expect(sniff(utf16(text, 'le', false))).toEqual({ ok: true, encoding: 'utf-16le', bomLength: 0, delimiter: ';' });
    expect(sniff(utf16(text, 'be', false))).toEqual({ ok: true, encoding: 'utf-16be', bomLength: 0, delimiter: ';' });
  });

  it('refuses Windows-1252 bytes (Excel\'s plain CSV) with the line and what to do', () => {
    // "José" saved as Windows-1252: é is the single byte 0xE9.
    const bytes = concat(utf8('Date,Email,First Name\n2026-06-01,jose@x.com,Jos'), [0xe9], utf8('\n'));
    const problem = refused(bytes);
    expect(problem).toMatchObject({ code: 'BAD_ENCODING', line: 2, byteOffset: bytes.indexOf(0xe9) });
    expect(problem.message).toMatch(/line 2/);
    expect(problem.message).toMatch(/CSV UTF-8/);
  });

  it('counts the BOM in the offset of a bad byte', () => {
    const bytes = concat([0xef, 0xbb, 0xbf], utf8('A,B\nx,'), [0xfc]);
    expect(refused(bytes)).toMatchObject({ code: 'BAD_ENCODING', byteOffset: 9, line: 2 });
  });

  it('does not flag a multi-byte character cut by the end of the 64 KiB head', () => {
    const line = 'Date,Email,First Name\n';
    const filler = 'x'.repeat(64 * 1024 - line.length - 1);
    const bytes = concat(utf8(line + filler), utf8('€ and more text after it\n'));
    expect(sniffFile(bytes.subarray(0, 64 * 1024), bytes.length)).toMatchObject({ ok: true, encoding: 'utf-8' });
    // A file that really ends in the middle of a character is broken.
    expect(sniffFile(bytes.subarray(0, 64 * 1024), 64 * 1024)).toMatchObject({ ok: false, problem: { code: 'BAD_ENCODING' } });
  });

  it('accepts real UTF-8 text, accents and all', () => {
    expect(sniff(utf8('Date,Email,Nom\n2026-06-01,a@b.co,Zoë Müller-Éluard 日本\n'))).toMatchObject({ ok: true });
  });

  it('rejects overlong forms and surrogates', () => {
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xc0, 0xaf]), false)).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0xe0, 0x80, 0xaf]), false)).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]), false)).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]), false)).toBe(0);
    expect(firstInvalidUtf8(new Uint8Array([0xf0, 0x9f, 0x98, 0x80]), false)).toBeNull();
  });

  it('finds the header past blank lines, and refuses a file of blank lines', () => {
    expect(sniff(utf8('\n\r\n  \nDate|Email|Service|Credits\n'))).toMatchObject({ ok: true, delimiter: '|' });
    expect(refused(utf8('\n\n   \n')).code).toBe('NO_HEADER');
  });
});

describe('delimiterOf: the most frequent of , ; tab | outside quotes', () => {
  it('picks semicolons, tabs and pipes', () => {
    expect(delimiterOf('Date;Email;Service;Credits')).toBe(';');
    expect(delimiterOf('Date\tEmail\tService\tCredits')).toBe('\t');
    expect(delimiterOf('Date|Email|Service|Credits')).toBe('|');
  });

  it('ignores delimiters inside quoted names', () => {
    expect(delimiterOf('"Credits; used, total";Date;Email')).toBe(';');
    expect(delimiterOf('"a;b;c;d",Date,Email')).toBe(',');
  });

  it('falls back to a comma on ties and when there is none', () => {
    expect(delimiterOf('Date;Email,Service')).toBe(',');
    expect(delimiterOf('Date')).toBe(',');
  });
});
