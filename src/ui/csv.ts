import { saveBlob } from '../platform/save-file.js';

export type { CsvValue } from '../core/reports/csv.js';
export { csvCell, toCsv } from '../core/reports/csv.js';

/** Saves text as a .csv download; the byte-order mark lets Excel read it as UTF-8. */
export function downloadCsv(fileName: string, csv: string): void {
  saveBlob(fileName, new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }));
}
