import path from 'node:path';
import { parseArgs } from 'node:util';
import { InvalidManifestError } from './app-package.js';
import { EXAMPLE_SETTINGS_FILE, loadSettings, SettingsError, SETTING_NAMES, type LoadedSettings } from './settings.js';

export interface CliOptions {
  envFile?: string;
  out?: string;
}

export function parseCliArgs(argv: string[], allowOut: boolean): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: { 'env-file': { type: 'string' }, ...(allowOut ? { out: { type: 'string' as const } } : {}) },
    strict: true,
  });
  return { envFile: values['env-file'], out: typeof values.out === 'string' ? values.out : undefined };
}

/** Settings from the environment and the file; warns on stderr about every example value it fell back to. */
export function settingsForCli(options: CliOptions): LoadedSettings {
  const loaded = loadSettings(process.env, options.envFile);
  if (loaded.fromExample.length > 0) {
    console.warn(
      `warning: using the example values from ${displayPath(EXAMPLE_SETTINGS_FILE)} for ${loaded.fromExample.join(', ')}.\n` +
        '         Fine for trying things out; for your tenant set them in the environment or pass --env-file <path>.',
    );
  }
  return loaded;
}

export function describeSettings(loaded: LoadedSettings): string {
  const example = new Set<string>(loaded.fromExample);
  return Object.entries(SETTING_NAMES)
    .map(([key, name]) => `  ${name}=${loaded.settings[key as keyof typeof SETTING_NAMES]}${example.has(name) ? '  (example)' : ''}`)
    .join('\n');
}

/** Runs a CLI: expected failures print their problems and exit 1, anything else prints its stack. */
export function runCli(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    if (error instanceof SettingsError) console.error(`error: bad settings:\n${indent(error.problems)}`);
    else if (error instanceof InvalidManifestError) console.error(`error: the manifest is invalid:\n${indent(error.errors)}`);
    else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) console.error(`error: ${error.message}`);
    else console.error(error);
    process.exitCode = 1;
  });
}

/** Relative to the working directory when inside it, absolute otherwise. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export function indent(lines: string[]): string {
  return lines.map((line) => `  - ${line}`).join('\n');
}
