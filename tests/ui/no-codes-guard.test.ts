/**
 * A net under the UI tests of issue 19, item 8: no screen puts an error's code into its text. The code is
 * shown only by the Details disclosure (src/ui/support-details.tsx), for IT.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SCREENS = ['src/tab', 'src/addin', 'src/ui'];
const DETAILS = 'src/ui/support-details.tsx';

/** `{error.code}` in JSX text (not a prop), or `${error.code}` in a template: an error's code on its way to the screen. */
const CODE_SHOWN = [/(?<!=)\{\s*[\w.?]*(?:error|Error)\??\.code\s*\}/, /\$\{[^}]*(?:error|Error)\??\.code[^}]*\}/];

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return files(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('no error code on a screen', () => {
  it('no screen renders an error code outside the Details disclosure', () => {
    const shown = SCREENS.flatMap(files)
      .filter((file) => file !== DETAILS)
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (CODE_SHOWN.some((pattern) => pattern.test(line)) ? [`${relative(ROOT, join(ROOT, file))}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(shown).toEqual([]);
  });
});
