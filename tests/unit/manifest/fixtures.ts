import { checkSettings, SETTING_NAMES, type SettingName } from '../../../manifest/settings.js';

/** A complete, valid set of settings that is not the example file's, so tests see what they set. */
export const GOOD_SETTINGS: Record<SettingName, string> = {
  CREDIT_DESK_APP_ID: '3f2b8c1d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  CREDIT_DESK_APP_VERSION: '2.3.4',
  CREDIT_DESK_WEB_URL: 'https://desk.fabrikam.example/credits/',
  CREDIT_DESK_AAD_CLIENT_ID: 'a1b2c3d4-e5f6-4789-abcd-ef0123456789',
  CREDIT_DESK_API_RESOURCE: 'api://desk.fabrikam.example/a1b2c3d4-e5f6-4789-abcd-ef0123456789',
  CREDIT_DESK_DEVELOPER_NAME: 'Fabrikam IT',
  CREDIT_DESK_DEVELOPER_URL: 'https://fabrikam.example/',
  CREDIT_DESK_PRIVACY_URL: 'https://fabrikam.example/privacy',
  CREDIT_DESK_TERMS_URL: 'https://fabrikam.example/terms',
};

export const goodSettings = () => checkSettings(GOOD_SETTINGS);

/** The environment minus any of our settings the machine running the tests may have. */
export function envWithout(extra: Partial<Record<SettingName, string>> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.values(SETTING_NAMES)) delete env[name];
  return { ...env, ...extra };
}
