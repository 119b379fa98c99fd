import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const here = import.meta.dirname;
const apiTarget = process.env.CREDIT_DESK_API ?? 'http://127.0.0.1:7071';

/** The tab (and later the Outlook pane) are pages of one Vite build rooted at src/. */
export default defineConfig({
  root: path.join(here, 'src'),
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy: { '/api': apiTarget } },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy: { '/api': apiTarget } },
  build: {
    outDir: path.join(here, 'dist', 'web'),
    emptyOutDir: true,
    rollupOptions: { input: { tab: path.join(here, 'src', 'index.html'), blank: path.join(here, 'src', 'blank.html') } },
  },
  test: {
    dir: here,
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    setupFiles: [path.join(here, 'tests', 'ui', 'setup.ts')],
    reporters: ['default', path.join(here, 'tests', 'support', 'summary-reporter.ts')],
  },
});
