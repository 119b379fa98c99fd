import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { validateManifest as officeAddinValidateManifest } from 'office-addin-manifest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildManifest, MANIFEST_VERSION, SCHEMA_URL } from '../../../manifest/build-manifest.js';
import { ALL_ICONS, ICONS_DIR } from '../../../manifest/icons.js';
import { AppManifestUtils, bundledSchemaFile, validateAgainstBundledSchema } from '../../../manifest/schema-validation.js';
import { validateManifest } from '../../../manifest/validate-manifest.js';
import { TEAMS_ACTIVITY_TYPES } from '../../../server/adapters/graph/activity-types.js';
import { goodSettings } from './fixtures.js';

// Validation must never go online: any fetch fails the test.
const fetchSpy = vi.fn(async (url: unknown) => {
  throw new Error(`network used: ${String(url)}`);
});
beforeEach(() => {
  fetchSpy.mockClear();
  vi.stubGlobal('fetch', fetchSpy);
});
afterEach(() => {
  expect(fetchSpy).not.toHaveBeenCalled();
  vi.unstubAllGlobals();
});

const settings = goodSettings();
const manifest = () => structuredClone(buildManifest(settings));

describe('the built manifest', () => {
  it('uses a manifest version ≥ 1.24 whose schema is bundled locally', () => {
    expect(Number(MANIFEST_VERSION.split('.')[1])).toBeGreaterThanOrEqual(24);
    const file = bundledSchemaFile(SCHEMA_URL);
    expect(file).toMatch(new RegExp(`json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json$`));
    expect(existsSync(file ?? '')).toBe(true);
  });

  it("is found by the library's own schema lookup without the network (office-addin-manifest validate)", async () => {
    const schema = (await AppManifestUtils.fetchSchema(SCHEMA_URL)) as { properties?: { manifestVersion?: unknown } };
    expect(schema.properties?.manifestVersion).toBeDefined();
  });

  it('validates against the bundled schema and our own rules', async () => {
    expect(await validateManifest(manifest(), settings)).toEqual([]);
  });

  it('carries the settings, the tab, the Outlook button and the mailbox permission', () => {
    const m = manifest();
    expect(m.id).toBe(settings.appId);
    // Autodesk's consent page opens in Teams' authentication window (Settings, Connect Autodesk).
    expect(m.validDomains).toEqual(['desk.fabrikam.example', 'developer.api.autodesk.com']);
    expect(m.staticTabs[0]).toMatchObject({ contentUrl: 'https://desk.fabrikam.example/credits/index.html', scopes: ['personal'], context: ['personalTab'] });
    const [extension] = m.extensions;
    expect(extension?.runtimes[0]).toMatchObject({ type: 'general', lifetime: 'short', code: { page: 'https://desk.fabrikam.example/credits/pane.html' } });
    // The pane can be pinned and follows the selected message (ItemChanged needs Mailbox 1.5).
    expect(extension?.runtimes[0]?.actions[0]).toMatchObject({ type: 'openPage', pinnable: true });
    expect(extension?.requirements.capabilities).toEqual([{ name: 'Mailbox', minVersion: '1.5' }]);
    const button = extension?.ribbons[0]?.tabs[0]?.groups[0]?.controls[0];
    expect(button).toMatchObject({ label: 'Credit Desk', actionId: 'openCreditDeskPane' });
    expect(button?.icons.map((i) => i.size)).toEqual([16, 32, 80]);
    expect(m.authorization.permissions.resourceSpecific).toEqual([{ name: 'MailboxItem.Read.User', type: 'Delegated' }]);
    expect(m.webApplicationInfo).toEqual({ id: settings.aadClientId, resource: settings.apiResource });
  });

  it('declares the Teams activity types the notifier sends, each template naming exactly its parameters', () => {
    const declared = manifest().activities.activityTypes;
    expect(declared.map((a) => a.type)).toEqual(['autodeskAccountCreated', 'registrationRequested', 'usageUnconfirmed']);
    expect(declared).toContainEqual({
      type: 'usageUnconfirmed',
      description: 'Autodesk’s usage export did not confirm usage you logged',
      templateText: 'Autodesk’s usage export for {period} does not show {entries} you logged ({amount})',
    });
    for (const { type, templateText, parameters } of TEAMS_ACTIVITY_TYPES) {
      const placeholders = [...templateText.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(placeholders.sort(), type).toEqual([...parameters].sort());
    }
  });

  it('also passes office-addin-manifest validateManifest on the written file, offline', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'credit-desk-manifest-')), 'manifest.json');
    writeFileSync(file, JSON.stringify(manifest()));
    expect(await officeAddinValidateManifest(file)).toMatchObject({ isValid: true });
  });
});

describe('a broken manifest', () => {
  it('missing a required field: the schema error names it', async () => {
    const { developer: _developer, ...broken } = manifest();
    const errors = await validateManifest(broken, settings);
    expect(errors.some((e) => e.startsWith('schema:') && e.includes("required property 'developer'"))).toBe(true);
  });

  it('with a bad GUID: the schema error names /id, our rule names the setting', async () => {
    const errors = await validateManifest({ ...manifest(), id: 'not-a-guid' }, settings);
    expect(errors.some((e) => e.startsWith('schema: /id must match pattern'))).toBe(true);
    expect(errors).toContain(`id is "not-a-guid", but CREDIT_DESK_APP_ID is "${settings.appId}"`);
  });

  it('with an unbundled $schema: refuses rather than fetching', async () => {
    const errors = await validateAgainstBundledSchema({ ...manifest(), $schema: 'https://example.com/schema.json' });
    expect(errors[0]).toMatch(/is not bundled with @microsoft\/app-manifest/);
  });

  it('with an http URL, a URL off the valid domains, or pages off WEB_URL: our rules say so', async () => {
    const m = manifest();
    m.staticTabs[0]!.websiteUrl = 'http://desk.fabrikam.example/credits/index.html';
    m.extensions[0]!.runtimes[0]!.code.page = 'https://elsewhere.example/pane.html';
    const errors = await validateManifest(m, settings);
    expect(errors).toContain('staticTabs[0].websiteUrl: http://desk.fabrikam.example/credits/index.html must be https');
    expect(errors).toContain('extensions[0].runtimes[0].code.page: https://elsewhere.example/pane.html is not on a validDomain (desk.fabrikam.example, developer.api.autodesk.com)');
    expect(errors.some((e) => e.startsWith("the pane runtime's code.page must be https://desk.fabrikam.example/credits/pane.html"))).toBe(true);
  });

  it('with a button whose action no runtime defines', async () => {
    const m = manifest();
    m.extensions[0]!.ribbons[0]!.tabs[0]!.groups[0]!.controls[0]!.actionId = 'missing';
    expect(await validateManifest(m, settings)).toContain('ribbon button creditDeskOpenPane runs action missing, which no runtime defines');
  });

  it('with icons of the wrong size or colour, or missing', async () => {
    const iconsDir = mkdtempSync(path.join(tmpdir(), 'credit-desk-icons-'));
    for (const icon of ALL_ICONS) copyFileSync(path.join(ICONS_DIR, icon.file), path.join(iconsDir, icon.file));
    copyFileSync(path.join(ICONS_DIR, 'ribbon-32.png'), path.join(iconsDir, 'color.png'));
    copyFileSync(path.join(ICONS_DIR, 'ribbon-32.png'), path.join(iconsDir, 'outline.png'));
    copyFileSync(path.join(ICONS_DIR, 'ribbon-16.png'), path.join(iconsDir, 'ribbon-80.png'));
    const errors = await validateManifest(manifest(), settings, iconsDir);
    expect(errors).toContain('icons.color (color.png): is 32×32 pixels, must be 192×192');
    expect(errors).toContain('icons.outline (outline.png): must be white on transparent, but has a coloured pixel');
    expect(errors).toContain('ribbon group creditDeskGroup icon (ribbon-80.png): is 16×16 pixels, must be 80×80');

    const missing = await validateManifest(manifest(), settings, path.join(iconsDir, 'nowhere'));
    expect(missing.some((e) => e.startsWith('icons.color (color.png):') && e.includes('does not exist'))).toBe(true);
  });
});
