/** `npm run package [-- --env-file <path>] [--out <zip>]`: writes the Teams + Outlook app package. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAppPackage } from './app-package.js';
import { describeSettings, displayPath, parseCliArgs, runCli, settingsForCli } from './cli.js';

const DEFAULT_OUT = fileURLToPath(new URL('../dist/appPackage/credit-desk.zip', import.meta.url));

runCli(async () => {
  const options = parseCliArgs(process.argv.slice(2), true);
  const loaded = settingsForCli(options);
  const { zip } = await buildAppPackage(loaded.settings);
  const out = path.resolve(options.out ?? DEFAULT_OUT);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, zip);
  console.log(`wrote ${displayPath(out)}\nsettings:\n${describeSettings(loaded)}`);
});
