import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { describe, expect, it } from 'vitest';
import { envWithout, GOOD_SETTINGS } from './fixtures.js';

const ROOT = path.join(import.meta.dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
// Generous for a loaded 2-core machine, but far below "hangs waiting for a prompt".
const CLI_TIMEOUT_MS = 20_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a manifest CLI the way CI does, with an empty HOME (no usage-data opt-in file, the case where a
 * tool would ask) and stdin left open (a prompt would wait forever, so the timeout would fail the test).
 */
function runCli(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [path.join(ROOT, 'manifest', script), ...args], {
      cwd: ROOT,
      env: { ...env, HOME: mkdtempSync(path.join(tmpdir(), 'credit-desk-home-')), CI: 'true' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish in ${CLI_TIMEOUT_MS} ms (waiting for input?)\n${stdout}\n${stderr}`));
    }, CLI_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the CLIs', () => {
  it('validate: exit 0 and one OK line on good settings, without prompting or hanging', { timeout: CLI_TIMEOUT_MS + 5_000 }, async () => {
    const run = await runCli('validate.ts', [], envWithout(GOOD_SETTINGS));
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('OK: Credit Desk 2.3.4 manifest (schema v1.24) is valid for https://desk.fabrikam.example/credits\n');
    expect(run.code).toBe(0);
  });

  it('validate: exit 1 naming the setting on bad settings', { timeout: CLI_TIMEOUT_MS + 5_000 }, async () => {
    const run = await runCli('validate.ts', [], envWithout({ ...GOOD_SETTINGS, CREDIT_DESK_WEB_URL: 'http://desk.fabrikam.example' }));
    expect(run.stderr).toContain('CREDIT_DESK_WEB_URL must be an https:// URL (got "http://desk.fabrikam.example")');
    expect(run.code).toBe(1);
  });

  it('package: with no settings at all, warns, uses the example values and writes the zip', { timeout: CLI_TIMEOUT_MS + 5_000 }, async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'credit-desk-package-')), 'credit-desk.zip');
    const run = await runCli('package.ts', ['--out', out], envWithout());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^warning: using the example values from manifest\/app\.env\.example for CREDIT_DESK_APP_ID, /);
    expect(run.stdout).toContain(`wrote ${out}`);
    expect(run.stdout).toContain('CREDIT_DESK_WEB_URL=https://creditdesk.contoso.com  (example)');
    expect(existsSync(out)).toBe(true);
    expect(new AdmZip(out).getEntries().map((e) => e.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });
});
