/**
 * Vitest global setup of the projects that use storage: one in-memory Azurite per test worker, started once
 * for the run instead of once per test file. A worker runs one file at a time, and each file takes tables
 * of its own (tests/support/api.ts `sharedStorage`), so files never see each other's rows.
 */
import type { TestProject } from 'vitest/node';
import { startAzurite } from '../../server/local/azurite.js';

export interface SharedAzuriteInfo {
  connectionString: string;
  tablePort: number;
  blobPort: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedAzurites: SharedAzuriteInfo[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workers = Math.max(1, project.globalConfig.maxWorkers);
  const started = await Promise.all(Array.from({ length: workers }, () => startAzurite()));
  project.provide(
    'sharedAzurites',
    started.map(({ connectionString, tablePort, blobPort }) => ({ connectionString, tablePort, blobPort })),
  );
  return async () => {
    await Promise.all(started.map((azurite) => azurite.stop()));
  };
}
