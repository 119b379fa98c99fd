/** Table Storage keeps a string property to 64 KiB (32K UTF-16 characters): longer JSON is split over `data`, `data1`, `data2` … */
const CHUNK = 30_000;
/** 1 MiB per entity leaves room for about 15 such columns; more is a bug in the caller. */
const MAX_COLUMNS = 15;

export class RecordTooLargeError extends Error {}

export function packJson(value: unknown): Record<string, string> {
  const text = JSON.stringify(value);
  const columns: Record<string, string> = {};
  for (let i = 0, n = 0; i < text.length || n === 0; i += CHUNK, n++) {
    if (n >= MAX_COLUMNS) throw new RecordTooLargeError(`A record of ${text.length} characters does not fit in one table entity.`);
    columns[n === 0 ? 'data' : `data${n}`] = text.slice(i, i + CHUNK);
  }
  return columns;
}

export function unpackJson<T>(row: Readonly<Record<string, unknown>>): T {
  let text = typeof row.data === 'string' ? row.data : '';
  for (let n = 1; typeof row[`data${n}`] === 'string'; n++) text += row[`data${n}`] as string;
  return JSON.parse(text) as T;
}
