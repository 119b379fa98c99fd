/** `npm run validate [-- --env-file <path>]`: builds the manifest from the settings and checks it, offline. */
import { buildManifest, MANIFEST_VERSION } from './build-manifest.js';
import { indent, parseCliArgs, runCli, settingsForCli } from './cli.js';
import { validateManifest } from './validate-manifest.js';

runCli(async () => {
  const { settings } = settingsForCli(parseCliArgs(process.argv.slice(2), false));
  const errors = await validateManifest(buildManifest(settings), settings);
  if (errors.length > 0) {
    console.error(`error: the manifest has ${errors.length} problem(s):\n${indent(errors)}`);
    process.exitCode = 1;
    return;
  }
  console.log(`OK: Credit Desk ${settings.appVersion} manifest (schema v${MANIFEST_VERSION}) is valid for ${settings.webUrl}`);
});
