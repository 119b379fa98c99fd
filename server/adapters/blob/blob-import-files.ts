import { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import { BlobServiceClient } from '@azure/storage-blob';
import type { ImportFilePart, ImportFiles } from '../../ports/import-files.js';

const CONTENT_TYPES: Record<ImportFilePart, string> = { upload: 'text/csv', report: 'text/csv; charset=utf-8', summary: 'application/json' };

/** Counts what passes through, so the size is known once the upload has streamed. */
async function* counted(source: AsyncIterable<Uint8Array>, seen: { bytes: number }): AsyncIterable<Buffer> {
  for await (const chunk of source) {
    seen.bytes += chunk.byteLength;
    yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/**
 * Import files as block blobs in the `imports` container, one folder per tenant and import. A block blob is
 * committed only once the whole upload arrived, so a broken upload leaves nothing behind.
 */
export class BlobImportFiles implements ImportFiles {
  constructor(private readonly container: ContainerClient) {}

  static fromConnectionString(connectionString: string, containerName = 'imports'): BlobImportFiles {
    const service = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 4, retryDelayInMs: 200, maxRetryDelayInMs: 5_000 } });
    return new BlobImportFiles(service.getContainerClient(containerName));
  }

  private blob(tenant: string, importId: string, part: ImportFilePart) {
    return this.container.getBlockBlobClient(`${tenant}/${importId}/${part}`);
  }

  async prepare(): Promise<void> {
    await this.container.createIfNotExists();
  }

  async save(tenant: string, importId: string, part: ImportFilePart, body: AsyncIterable<Uint8Array>): Promise<{ sizeBytes: number }> {
    const seen = { bytes: 0 };
    // 4 MiB blocks, two in flight: the upload holds a few blocks in memory, whatever the file's size.
    await this.blob(tenant, importId, part).uploadStream(Readable.from(counted(body, seen)), 4 * 1024 * 1024, 2, {
      blobHTTPHeaders: { blobContentType: CONTENT_TYPES[part] },
    });
    return { sizeBytes: seen.bytes };
  }

  async head(tenant: string, importId: string, part: ImportFilePart, bytes: number): Promise<Uint8Array> {
    const blob = this.blob(tenant, importId, part);
    const size = (await blob.getProperties()).contentLength ?? 0;
    if (size === 0) return new Uint8Array(0);
    return blob.downloadToBuffer(0, Math.min(bytes, size));
  }

  async open(tenant: string, importId: string, part: ImportFilePart): Promise<AsyncIterable<Uint8Array> | undefined> {
    const blob = this.blob(tenant, importId, part);
    if (!(await blob.exists())) return undefined;
    if (((await blob.getProperties()).contentLength ?? 0) === 0) return (async function* () {})();
    const response = await blob.download(0);
    if (!response.readableStreamBody) throw new Error(`Import file ${importId}/${part} has no content.`);
    return response.readableStreamBody as Readable;
  }

  async delete(tenant: string, importId: string): Promise<void> {
    await Promise.all((['upload', 'report', 'summary'] as const).map((part) => this.blob(tenant, importId, part).deleteIfExists()));
  }
}
