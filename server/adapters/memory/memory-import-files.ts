import type { ImportFilePart, ImportFiles } from '../../ports/import-files.js';

/** Import files in memory, for fast tests of the use cases (the blob adapter has its own integration test). */
export class MemoryImportFiles implements ImportFiles {
  private readonly files = new Map<string, Buffer>();

  async prepare(): Promise<void> {}

  async save(tenant: string, importId: string, part: ImportFilePart, body: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
    const file = Buffer.concat(chunks);
    this.files.set(`${tenant}/${importId}/${part}`, file);
    return { sizeBytes: file.length };
  }

  async head(tenant: string, importId: string, part: ImportFilePart, bytes: number): Promise<Uint8Array> {
    return (this.files.get(`${tenant}/${importId}/${part}`) ?? Buffer.alloc(0)).subarray(0, bytes);
  }

  async open(tenant: string, importId: string, part: ImportFilePart): Promise<AsyncIterable<Uint8Array> | undefined> {
    const file = this.files.get(`${tenant}/${importId}/${part}`);
    if (!file) return undefined;
    return (async function* () {
      for (let i = 0; i < file.length; i += 64 * 1024) yield file.subarray(i, i + 64 * 1024);
    })();
  }

  async delete(tenant: string, importId: string): Promise<void> {
    for (const key of this.files.keys()) if (key.startsWith(`${tenant}/${importId}/`)) this.files.delete(key);
  }
}
