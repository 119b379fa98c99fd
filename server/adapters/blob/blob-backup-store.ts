import type { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import { BlobServiceClient } from '@azure/storage-blob';
import type { BackupFacts, BackupInfo, BackupStore } from '../../ports/backup-store.js';

/** Blob metadata names (C# identifiers; the service keeps them lower case). */
const META = { tenant: 'tenant', sha256: 'sha256', rows: 'rows', startedAt: 'startedat', format: 'format' } as const;
const BACKUP_FORMAT = 'credit-desk-backup-v1';

function factsOf(metadata: Record<string, string> | undefined): BackupFacts | undefined {
  if (!metadata) return undefined;
  const get = (key: string) => metadata[key] ?? Object.entries(metadata).find(([k]) => k.toLowerCase() === key)?.[1];
  const sha256 = get(META.sha256);
  const rows = Number(get(META.rows));
  const tenant = get(META.tenant);
  if (!sha256 || !/^[0-9a-f]{64}$/.test(sha256) || !Number.isInteger(rows) || rows < 0 || !tenant) return undefined;
  return { tenant, sha256, rows, startedAt: get(META.startedAt) ?? '' };
}

/**
 * Backups as block blobs in one container (`backups`), one folder per tenant. A block blob is committed only
 * when the whole upload arrived, so a failed export leaves nothing behind under its name; the checksum and
 * row count are set as metadata once it has.
 */
export class BlobBackupStore implements BackupStore {
  constructor(private readonly container: ContainerClient) {}

  /** The same storage connection string as the ledger's table (its BlobEndpoint, or the account's default one). */
  static fromConnectionString(connectionString: string, containerName = 'backups'): BlobBackupStore {
    const service = BlobServiceClient.fromConnectionString(connectionString, { retryOptions: { maxTries: 4, retryDelayInMs: 200, maxRetryDelayInMs: 5_000 } });
    return new BlobBackupStore(service.getContainerClient(containerName));
  }

  async prepare(): Promise<void> {
    await this.container.createIfNotExists();
  }

  async upload(name: string, body: Readable): Promise<void> {
    // 4 MiB blocks, two in flight: the upload holds at most a few blocks in memory, whatever the partition's size.
    await this.container.getBlockBlobClient(name).uploadStream(body, 4 * 1024 * 1024, 2, {
      blobHTTPHeaders: { blobContentType: 'application/x-ndjson', blobContentEncoding: 'gzip' },
      metadata: { [META.format]: BACKUP_FORMAT },
    });
  }

  async finish(name: string, facts: BackupFacts): Promise<void> {
    await this.container.getBlockBlobClient(name).setMetadata({
      [META.format]: BACKUP_FORMAT,
      [META.tenant]: facts.tenant,
      [META.sha256]: facts.sha256,
      [META.rows]: String(facts.rows),
      [META.startedAt]: facts.startedAt,
    });
  }

  async list(tenant: string): Promise<BackupInfo[]> {
    const found: BackupInfo[] = [];
    for await (const blob of this.container.listBlobsFlat({ prefix: `${tenant}/`, includeMetadata: true })) {
      found.push({ name: blob.name, createdAt: blob.properties.createdOn ?? blob.properties.lastModified, size: blob.properties.contentLength ?? 0, facts: factsOf(blob.metadata) });
    }
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  async download(name: string, version?: string): Promise<{ body: Readable; version: string; info: BackupInfo }> {
    const blob = this.container.getBlockBlobClient(name);
    const response = await blob.download(0, undefined, version ? { conditions: { ifMatch: version } } : {});
    if (!response.readableStreamBody) throw new Error(`Backup ${name} has no content.`);
    return {
      body: response.readableStreamBody as Readable,
      version: response.etag ?? '',
      info: { name, createdAt: response.createdOn ?? response.lastModified ?? new Date(0), size: response.contentLength ?? 0, facts: factsOf(response.metadata) },
    };
  }

  async delete(name: string): Promise<void> {
    await this.container.getBlockBlobClient(name).deleteIfExists();
  }
}
