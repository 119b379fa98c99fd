import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Everything that differs between tenants. The manifest is built from these; it is never edited by hand. */
export interface AppSettings {
  appId: string;
  appVersion: string;
  /** https origin plus optional path, without a trailing slash. */
  webUrl: string;
  aadClientId: string;
  apiResource: string;
  developerName: string;
  developerUrl: string;
  privacyUrl: string;
  termsUrl: string;
}

export const SETTING_NAMES = {
  appId: 'CREDIT_DESK_APP_ID',
  appVersion: 'CREDIT_DESK_APP_VERSION',
  webUrl: 'CREDIT_DESK_WEB_URL',
  aadClientId: 'CREDIT_DESK_AAD_CLIENT_ID',
  apiResource: 'CREDIT_DESK_API_RESOURCE',
  developerName: 'CREDIT_DESK_DEVELOPER_NAME',
  developerUrl: 'CREDIT_DESK_DEVELOPER_URL',
  privacyUrl: 'CREDIT_DESK_PRIVACY_URL',
  termsUrl: 'CREDIT_DESK_TERMS_URL',
} as const satisfies Record<keyof AppSettings, string>;

export type SettingName = (typeof SETTING_NAMES)[keyof AppSettings];
type RawSettings = Partial<Record<SettingName, string>>;

export const EXAMPLE_SETTINGS_FILE = fileURLToPath(new URL('./app.env.example', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../package.json', import.meta.url));

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Teams wants semver; the Outlook side turns it into a four-part number, so no pre-release tags.
const APP_VERSION = /^\d{1,5}\.\d{1,5}\.\d{1,5}$/;
const DEVELOPER_NAME_MAX = 32;

/** Every problem found, so one run tells the operator all they must fix. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SettingsError';
  }
}

export interface LoadedSettings {
  settings: AppSettings;
  /** Names whose value came from the committed example file rather than the operator. */
  fromExample: SettingName[];
  /** Where the file values came from, for the printout. */
  file: string;
}

/**
 * Environment first, then a file: the one given with --env-file, else the committed example
 * (a clean checkout packages offline; the caller warns about every example value used).
 */
export function loadSettings(env: NodeJS.ProcessEnv, envFile?: string): LoadedSettings {
  const file = envFile ?? EXAMPLE_SETTINGS_FILE;
  const fileValues = readSettingsFile(file);
  const raw: RawSettings = {};
  const fromExample: SettingName[] = [];
  for (const name of Object.values(SETTING_NAMES)) {
    const value = env[name] ?? fileValues[name];
    if (value === undefined) continue;
    raw[name] = value;
    if (env[name] === undefined && envFile === undefined) fromExample.push(name);
  }
  return { settings: checkSettings(raw), fromExample, file };
}

export function readSettingsFile(file: string): RawSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SettingsError([`cannot read the settings file ${file}`]);
  }
  return parseSettingsText(text, file);
}

/** KEY=VALUE lines, # comments, optional quotes. Unknown CREDIT_DESK_ names are typos: refuse them. */
export function parseSettingsText(text: string, file: string): RawSettings {
  const known = new Set<string>(Object.values(SETTING_NAMES));
  const values: RawSettings = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Z0-9_]+)\s*=\s*(.*)$/.exec(trimmed);
    if (!match) {
      problems.push(`${file}:${index + 1}: expected NAME=value`);
      return;
    }
    const [, name = '', rawValue = ''] = match;
    if (!known.has(name)) {
      problems.push(`${file}:${index + 1}: unknown setting ${name}`);
      return;
    }
    values[name as SettingName] = rawValue.replace(/^(["'])(.*)\1$/, '$2');
  });
  if (problems.length > 0) throw new SettingsError(problems);
  return values;
}

/** Turns raw strings into settings, or throws a SettingsError naming every bad setting. */
export function checkSettings(raw: RawSettings): AppSettings {
  const problems: string[] = [];
  const N = SETTING_NAMES;

  const text = (name: SettingName, fallback?: string): string => {
    const value = raw[name]?.trim() ?? fallback;
    if (value === undefined) problems.push(`${name} is missing`);
    else if (value === '') problems.push(`${name} is empty`);
    return value ?? '';
  };
  const guid = (name: SettingName): string => {
    const value = text(name);
    if (value !== '' && !GUID.test(value)) problems.push(`${name} must be a GUID like 6f1c0a9e-1234-4abc-9def-0123456789ab (got "${value}")`);
    return value.toLowerCase();
  };
  const httpsUrl = (name: SettingName): string => {
    const value = text(name);
    if (value !== '' && !isHttpsUrl(value)) problems.push(`${name} must be an https:// URL (got "${value}")`);
    return value;
  };

  const appId = guid(N.appId);
  const appVersion = text(N.appVersion, packageVersion());
  if (appVersion !== '' && !APP_VERSION.test(appVersion)) problems.push(`${N.appVersion} must be MAJOR.MINOR.PATCH, e.g. 1.2.0 (got "${appVersion}")`);

  const webUrl = httpsUrl(N.webUrl).replace(/\/+$/, '');
  if (isHttpsUrl(webUrl)) {
    const url = new URL(webUrl);
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      problems.push(`${N.webUrl} must be a plain base URL without query, fragment or credentials (got "${webUrl}")`);
    }
  }

  const aadClientId = guid(N.aadClientId);
  const apiResource = text(N.apiResource);
  // Entra application ID URIs are api://<client id> or api://<host>/<client id>: one ending in another
  // app's id is a copy-paste slip that would make every sign-in fail.
  if (apiResource !== '' && !/^(api|https):\/\/\S+$/.test(apiResource)) {
    problems.push(`${N.apiResource} must be an api:// (or https://) application ID URI (got "${apiResource}")`);
  } else if (apiResource !== '' && GUID.test(aadClientId) && !apiResource.toLowerCase().endsWith(aadClientId)) {
    problems.push(`${N.apiResource} must end with ${N.aadClientId} (${aadClientId}), e.g. api://creditdesk.contoso.com/${aadClientId} (got "${apiResource}")`);
  }

  const developerName = text(N.developerName);
  if (developerName.length > DEVELOPER_NAME_MAX) problems.push(`${N.developerName} must be at most ${DEVELOPER_NAME_MAX} characters (got ${developerName.length})`);

  const settings: AppSettings = {
    appId,
    appVersion,
    webUrl,
    aadClientId,
    apiResource,
    developerName,
    developerUrl: httpsUrl(N.developerUrl),
    privacyUrl: httpsUrl(N.privacyUrl),
    termsUrl: httpsUrl(N.termsUrl),
  };
  if (problems.length > 0) throw new SettingsError(problems);
  return settings;
}

export function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: string };
  return version ?? '';
}
