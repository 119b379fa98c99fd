import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Whether the module at `moduleUrl` is the script node was started with (a stand-in run on its own). */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return moduleUrl === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

/** The port from `--port N`, else the environment variable, else the default; refused when not a port. */
export function portArgument(envName: string, fallback: number): number {
  const flag = process.argv.indexOf('--port');
  const port = Number(flag >= 0 ? process.argv[flag + 1] : (process.env[envName] ?? fallback));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('The port must be a whole number 0–65535');
  return port;
}

/** Runs a stand-in's `main` when the module is the started script; Ctrl-C (or SIGTERM) stops what it returns. */
export function runIfMain(moduleUrl: string, main: () => Promise<{ stop(): Promise<void> }>): void {
  if (!isMain(moduleUrl)) return;
  main().then(
    (running) => {
      const stop = () => {
        running.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
