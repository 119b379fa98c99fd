import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../../server/adapters/secrets/file-secret-store.js';

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((folder) => rmSync(folder, { recursive: true, force: true })));

describe('the local secret store', () => {
  it('keeps secrets across restarts in a file only its owner reads, and forgets deleted ones', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'credit-desk-secrets-'));
    folders.push(folder);
    const store = FileSecretStore.inFolder(folder);
    await Promise.all([store.set('a', 'one'), store.set('b', 'two'), store.set('a', 'three')]);
    await store.delete('b');
    const again = FileSecretStore.inFolder(folder);
    expect(await again.get('a')).toBe('three');
    expect(await again.get('b')).toBeUndefined();
    if (process.platform !== 'win32') expect(statSync(path.join(folder, 'secrets.json')).mode & 0o077).toBe(0);
  });
});
