import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSettings, loadSettings, parseSettingsText, SettingsError, SETTING_NAMES } from '../../../manifest/settings.js';
import { envWithout, GOOD_SETTINGS } from './fixtures.js';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  throw new Error('expected a SettingsError');
}

describe('checkSettings', () => {
  it('accepts good settings and drops the trailing slash of the web URL', () => {
    const settings = checkSettings(GOOD_SETTINGS);
    expect(settings.webUrl).toBe('https://desk.fabrikam.example/credits');
    expect(settings.appVersion).toBe('2.3.4');
  });

  it('defaults the app version to the one in package.json', () => {
    const { version } = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../package.json'), 'utf8'));
    expect(checkSettings({ ...GOOD_SETTINGS, CREDIT_DESK_APP_VERSION: undefined }).appVersion).toBe(version);
  });

  it('refuses a web URL that is not https, naming the setting', () => {
    expect(problemsOf(() => checkSettings({ ...GOOD_SETTINGS, CREDIT_DESK_WEB_URL: 'http://desk.fabrikam.example' }))).toEqual([
      'CREDIT_DESK_WEB_URL must be an https:// URL (got "http://desk.fabrikam.example")',
    ]);
    expect(problemsOf(() => checkSettings({ ...GOOD_SETTINGS, CREDIT_DESK_WEB_URL: 'https://desk.fabrikam.example/?x=1' }))[0]).toMatch(/^CREDIT_DESK_WEB_URL must be a plain base URL/);
  });

  it('refuses ids that are not GUIDs', () => {
    const problems = problemsOf(() => checkSettings({ ...GOOD_SETTINGS, CREDIT_DESK_APP_ID: 'credit-desk', CREDIT_DESK_AAD_CLIENT_ID: '1234' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^CREDIT_DESK_APP_ID must be a GUID/);
    expect(problems[1]).toMatch(/^CREDIT_DESK_AAD_CLIENT_ID must be a GUID/);
  });

  it('names every missing or empty setting at once', () => {
    const problems = problemsOf(() => checkSettings({ CREDIT_DESK_WEB_URL: ' ' }));
    expect(problems).toContain('CREDIT_DESK_WEB_URL is empty');
    for (const name of Object.values(SETTING_NAMES).filter((n) => n !== 'CREDIT_DESK_WEB_URL' && n !== 'CREDIT_DESK_APP_VERSION')) {
      expect(problems).toContain(`${name} is missing`);
    }
  });

  it('refuses other bad values: version, API resource of another app, long developer name, http developer pages', () => {
    const problems = problemsOf(() =>
      checkSettings({
        ...GOOD_SETTINGS,
        CREDIT_DESK_APP_VERSION: '1.0.0-beta',
        CREDIT_DESK_API_RESOURCE: 'api://desk.fabrikam.example/00000000-0000-4000-8000-000000000000',
        CREDIT_DESK_DEVELOPER_NAME: 'Fabrikam Information Technology Department',
        CREDIT_DESK_PRIVACY_URL: 'http://fabrikam.example/privacy',
      }),
    );
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'CREDIT_DESK_APP_VERSION',
      'CREDIT_DESK_API_RESOURCE',
      'CREDIT_DESK_DEVELOPER_NAME',
      'CREDIT_DESK_PRIVACY_URL',
    ]);
  });
});

describe('settings files', () => {
  it('reads NAME=value lines, comments, quotes and export', () => {
    expect(parseSettingsText('# c\n\nexport CREDIT_DESK_APP_ID="x"\nCREDIT_DESK_WEB_URL = \'https://a\'\n', 'f')).toEqual({
      CREDIT_DESK_APP_ID: 'x',
      CREDIT_DESK_WEB_URL: 'https://a',
    });
  });

  it('refuses unknown names (typos) and lines that are not settings, with the line number', () => {
    expect(problemsOf(() => parseSettingsText('CREDIT_DESK_WEBURL=https://a\nnonsense\n', 'app.env'))).toEqual([
      'app.env:1: unknown setting CREDIT_DESK_WEBURL',
      'app.env:2: expected NAME=value',
    ]);
  });

  it('falls back to the example file with no environment, and says which values came from it', () => {
    const loaded = loadSettings(envWithout());
    expect(loaded.settings.webUrl).toBe('https://creditdesk.contoso.com');
    expect(loaded.fromExample).toContain('CREDIT_DESK_APP_ID');
    expect(loaded.fromExample).not.toContain('CREDIT_DESK_APP_VERSION'); // from package.json
  });

  it('prefers the environment to the file', () => {
    const loaded = loadSettings(envWithout({ CREDIT_DESK_WEB_URL: 'https://other.contoso.com' }));
    expect(loaded.settings.webUrl).toBe('https://other.contoso.com');
    expect(loaded.fromExample).not.toContain('CREDIT_DESK_WEB_URL');
  });

  it('with --env-file, reads only that file: missing values are errors, not example values', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'credit-desk-settings-'));
    const file = path.join(dir, 'app.env');
    writeFileSync(file, `CREDIT_DESK_APP_ID=${GOOD_SETTINGS.CREDIT_DESK_APP_ID}\n`);
    expect(problemsOf(() => loadSettings(envWithout(), file))).toContain('CREDIT_DESK_WEB_URL is missing');

    writeFileSync(file, Object.entries(GOOD_SETTINGS).map(([name, value]) => `${name}=${value}`).join('\n'));
    const loaded = loadSettings(envWithout(), file);
    expect(loaded.fromExample).toEqual([]);
    expect(loaded.settings.appId).toBe(GOOD_SETTINGS.CREDIT_DESK_APP_ID);
  });

  it('names a settings file it cannot read', () => {
    expect(problemsOf(() => loadSettings(envWithout(), '/nonexistent/app.env'))).toEqual(['cannot read the settings file /nonexistent/app.env']);
  });
});
