/**
 * The deployment as code (manifest/azure/) against the code it deploys: the app settings the server reads
 * (in main.bicep and in its ARM JSON build main.json), the storage account's safety settings, the Functions
 * package, and the pages' security headers. Text checks only: no Bicep compiler, no network.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '../../../src/contract/index.js';
import { ROUTES } from '../../../src/contract/index.js';
import { graphAccessFromEnv } from '../../../server/adapters/graph/graph-config.js';
import { configFromEnv } from '../../../server/config.js';
import { MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID } from '../../../server/ports/message-trace.js';
import type { FunctionsPackage } from '../../../manifest/azure/build-functions.js';
import { buildFunctionsPackage } from '../../../manifest/azure/build-functions.js';
import type { SwaConfig } from '../../../manifest/azure/swa-config.js';
import { apiOrigin, cspOf, withConnectSource } from '../../../manifest/azure/swa-config.js';
import { appSettingsFromUnion, armText } from './arm-expression.js';
import { stripBicepComments } from './bicep-text.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/**
 * Every environment variable the server reads outside server/local/, and what the Azure deployment does
 * with it. The one list: a name the server starts reading fails the test until it is placed here.
 * - required: always set in the Function App's settings;
 * - graph: set by one of the `graphIdentity` choices (managed identity or client secret);
 * - optional: the default is right in Azure, so the deployment leaves it out;
 * - never: must not appear in the deployment at all.
 */
const AZURE_SETTINGS: Record<string, 'required' | 'graph' | 'optional' | 'never'> = {
  CREDIT_DESK_STORAGE: 'required',
  // The fallback of CREDIT_DESK_STORAGE; the Functions host itself uses AzureWebJobsStorage__* (identity).
  AzureWebJobsStorage: 'optional',
  CREDIT_DESK_TABLE: 'required',
  // Days the nightly backups are kept; the default (30) is right in Azure.
  CREDIT_DESK_BACKUP_RETENTION_DAYS: 'optional',
  CREDIT_DESK_AUDIENCE: 'required',
  CREDIT_DESK_ALLOWED_TENANTS: 'required',
  CREDIT_DESK_TAB_URL: 'required',
  // Autodesk's secrets (issue 21): the vault and the managed identity that writes them.
  CREDIT_DESK_KEY_VAULT_URL: 'required',
  CREDIT_DESK_KEY_VAULT_CLIENT_ID: 'required',
  // The deployment's APS app for an admin's consent: always set, the id empty when there is none (2-legged only).
  CREDIT_DESK_APS_CLIENT_ID: 'required',
  CREDIT_DESK_APS_CLIENT_SECRET: 'required',
  CREDIT_DESK_APS_CALLBACK_URL: 'required',
  CREDIT_DESK_ISSUER: 'optional',
  CREDIT_DESK_JWKS_URL: 'optional',
  CREDIT_DESK_GRAPH_MANAGED_IDENTITY: 'graph',
  CREDIT_DESK_GRAPH_CLIENT_ID: 'graph',
  CREDIT_DESK_GRAPH_TENANT_ID: 'graph',
  CREDIT_DESK_GRAPH_CLIENT_SECRET: 'graph',
  CREDIT_DESK_GRAPH_BASE_URL: 'optional',
  CREDIT_DESK_GRAPH_TIMEOUT_MS: 'optional',
  CREDIT_DESK_GRAPH_MULTI_TENANT: 'optional',
  // CORS in Azure is the Function App's own (siteConfig.cors: the Static Web App's origin); the pipeline's is for other hosts.
  CREDIT_DESK_ALLOWED_ORIGINS: 'optional',
  // The Teams webhook hosts; the default (the Workflows and Logic Apps hosts) is right in Azure.
  CREDIT_DESK_WEBHOOK_HOSTS: 'optional',
  // The usagePull timer's NCRONTAB (%CREDIT_DESK_USAGE_PULL_SCHEDULE% in server/azure.ts): Azure needs it set.
  CREDIT_DESK_USAGE_PULL_SCHEDULE: 'required',
  // The pulls' settling window (3 days) and first backfill (90 days); the defaults are right in Azure.
  CREDIT_DESK_USAGE_PULL_SETTLING_DAYS: 'optional',
  CREDIT_DESK_USAGE_PULL_BACKFILL_DAYS: 'optional',
  CREDIT_DESK_DEV_MODE: 'never',
  CREDIT_DESK_GRAPH_STATIC_TOKEN: 'never',
};

/** App settings the Flex Consumption plan refuses (the runtime and its version live in functionAppConfig). */
const FLEX_REFUSES = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
];

/** The hosts that may frame the tab and the pane: Teams, Outlook and Microsoft 365 (commercial cloud). */
const ALLOWED_FRAME_ANCESTORS = new Set([
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.office.com',
  'https://outlook.office.com',
  'https://outlook.office365.com',
]);

// ------------------------------------------------------------------------------------------------ helpers

/** Environment names read in the server's production code (`env.X`, `process.env.X`, `env['X']`). */
function envNamesReadByServer(): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (file !== 'server/local') visit(file);
      } else if (/\.tsx?$/.test(entry.name)) {
        for (const match of read(file).matchAll(/\benv(?:\?\.|\.)([A-Za-z_][A-Za-z0-9_]*)|\benv\[['"]([A-Za-z_][A-Za-z0-9_]*)['"]\]/g)) {
          const name = (match[1] ?? match[2])!;
          names.set(name, [...new Set([...(names.get(name) ?? []), file])]);
        }
      }
    }
  };
  visit('server');
  return names;
}

/** The `{ … }` that follows `marker` (braces counted; interpolations in strings are balanced). */
function blockAfter(text: string, marker: string): string {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`main.bicep has no ${marker}`);
  const open = text.indexOf('{', at);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error(`Unbalanced braces after ${marker}`);
}

/** App setting names: object keys in the style of environment variables (Bicep's own properties are camelCase). */
const SETTING_KEY = /^\s*((?:CREDIT_DESK_|AzureWebJobs|APPLICATIONINSIGHTS_|FUNCTIONS_|WEBSITE_|AZURE_)[A-Za-z0-9_]*)\s*:\s*(.+?)\s*$/gm;

function settingsIn(text: string): Map<string, string> {
  return new Map([...text.matchAll(SETTING_KEY)].map((m) => [m[1]!, m[2]!]));
}

/** `param name type = default` → default (as written), or undefined when the parameter has none. */
function bicepParams(text: string): Map<string, string | undefined> {
  return new Map([...text.matchAll(/^param (\w+) \w+(?: = (.+))?$/gm)].map((m) => [m[1]!, m[2]?.trim()]));
}

const literal = (value: string | undefined) => /^'([^'\\]*)'$/.exec(value ?? '')?.[1];

// -------------------------------------------------------------------------------------------------- tests

const bicepSource = read('manifest/azure/main.bicep');
const bicep = stripBicepComments(bicepSource);
const settings = settingsIn(bicep);
const params = bicepParams(bicep);
const serverEnv = envNamesReadByServer();

describe('main.bicep: the Function App settings are the ones the server reads', () => {
  it('finds the server’s environment reads (the scan works)', () => {
    expect(serverEnv.get('CREDIT_DESK_STORAGE')).toContain('server/config.ts');
    expect(serverEnv.get('CREDIT_DESK_GRAPH_MANAGED_IDENTITY')).toContain('server/adapters/graph/graph-config.ts');
  });

  it('every name the server reads is placed in the list, and the list names nothing the server no longer reads', () => {
    const unplaced = [...serverEnv.keys()].filter((name) => !(name in AZURE_SETTINGS));
    expect(unplaced, `decide in AZURE_SETTINGS what Azure does with: ${unplaced.join(', ')} (read in ${unplaced.map((n) => serverEnv.get(n)?.join(' ')).join('; ')})`).toEqual([]);
    expect(Object.keys(AZURE_SETTINGS).filter((name) => !serverEnv.has(name))).toEqual([]);
  });

  it('sets every required setting and every Graph identity setting', () => {
    const wanted = Object.entries(AZURE_SETTINGS).filter(([, use]) => use === 'required' || use === 'graph').map(([name]) => name);
    expect(wanted.filter((name) => !settings.has(name))).toEqual([]);
  });

  it('never mentions dev mode or the stand-in token outside comments', () => {
    for (const [name, use] of Object.entries(AZURE_SETTINGS)) {
      if (use === 'never') expect(bicep, name).not.toContain(name);
    }
  });

  it('sets no CREDIT_DESK_ name the server does not read (a typo would be silently ignored)', () => {
    expect([...settings.keys()].filter((name) => name.startsWith('CREDIT_DESK_') && !serverEnv.has(name))).toEqual([]);
  });

  it('keeps secrets in Key Vault: the storage connection string and the Graph client secret are Key Vault references', () => {
    expect(settings.get('CREDIT_DESK_STORAGE')).toMatch(/^'@Microsoft\.KeyVault\(/);
    expect(settings.get('CREDIT_DESK_GRAPH_CLIENT_SECRET')).toMatch(/^'@Microsoft\.KeyVault\(/);
    expect(settings.get('CREDIT_DESK_APS_CLIENT_SECRET')).toMatch(/^empty\(apsClientId\) \? '' : '@Microsoft\.KeyVault\(VaultName=\$\{vault\.name\};SecretName=\$\{apsSecretName\}\)'$/);
    expect(settings.get('CREDIT_DESK_APS_CALLBACK_URL')).toContain('/api/usage/sources/autodesk/callback');
    expect(bicep).toMatch(/keyVaultReferenceIdentity: identity\.id/);
  });

  it('the managed identity settings switch the server to the managed identity, with the identity’s client id', () => {
    const managed = settingsIn(blockAfter(bicep, 'managedIdentity: {'));
    expect([...managed.keys()].sort()).toEqual(['CREDIT_DESK_GRAPH_CLIENT_ID', 'CREDIT_DESK_GRAPH_MANAGED_IDENTITY']);
    expect(managed.get('CREDIT_DESK_GRAPH_CLIENT_ID')).toBe('identity.properties.clientId');
    const access = graphAccessFromEnv({
      CREDIT_DESK_GRAPH_MANAGED_IDENTITY: literal(managed.get('CREDIT_DESK_GRAPH_MANAGED_IDENTITY')),
      CREDIT_DESK_GRAPH_CLIENT_ID: '44444444-4444-4444-8444-444444444444',
    });
    expect(access?.credential.constructor.name).toBe('ManagedIdentityCredential');
    expect(params.get('graphIdentity')).toBe("'managedIdentity'");
  });

  it('the client-secret settings are the three the server needs for a client secret', () => {
    const secret = settingsIn(blockAfter(bicep, 'clientSecret: {'));
    expect([...secret.keys()].sort()).toEqual(['CREDIT_DESK_GRAPH_CLIENT_ID', 'CREDIT_DESK_GRAPH_CLIENT_SECRET', 'CREDIT_DESK_GRAPH_TENANT_ID']);
  });

  it('with the deployed ledger settings the server checks Entra tokens and is not in dev mode', () => {
    const config = configFromEnv({
      CREDIT_DESK_STORAGE: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;EndpointSuffix=core.windows.net',
      CREDIT_DESK_TABLE: literal(params.get('tableName')),
      CREDIT_DESK_AUDIENCE: '22222222-2222-4222-8222-222222222222',
      CREDIT_DESK_ALLOWED_TENANTS: '33333333-3333-4333-8333-333333333333',
      CREDIT_DESK_TAB_URL: 'https://example.azurestaticapps.net/',
    });
    expect(config.auth?.issuer).toBe('https://login.microsoftonline.com/{tenant}/v2.0');
    expect(config.devMode).toBe(false);
    expect(settings.get('CREDIT_DESK_AUDIENCE')).toBe('appClientId');
  });

  it('runs Node 20 on the Flex Consumption plan, without the settings Flex refuses', () => {
    expect(bicep).toMatch(/name: 'FC1'\s+tier: 'FlexConsumption'/);
    expect(blockAfter(bicep, 'runtime: {')).toMatch(/name: 'node'\s+version: nodeVersion/);
    expect(params.get('nodeVersion')).toBe("'20'");
    expect(bicep).toMatch(/kind: 'functionapp,linux'/);
    expect(FLEX_REFUSES.filter((name) => settings.has(name))).toEqual([]);
    expect(bicep).not.toMatch(/linuxFxVersion/);
  });

  it('lets only the pages’ origins through CORS', () => {
    const cors = blockAfter(bicep, 'cors: {');
    expect(cors).toMatch(/allowedOrigins: concat\(\[webOrigin\], extraWebOrigins\)/);
    expect(cors).not.toContain("'*'");
    expect(bicep).toMatch(/var webOrigin = 'https:\/\/\$\{staticSite\.properties\.defaultHostname\}'/);
  });
});

describe('main.json (the ARM build): the same Function App settings the server reads', () => {
  const template = JSON.parse(read('manifest/azure/main.json')) as { resources: { type: string; name: string; properties?: unknown }[] };
  const appSettings = template.resources.find((r) => r.type === 'Microsoft.Web/sites/config' && r.name.includes("'appsettings'"));
  const { always, byChoice } = appSettingsFromUnion(String(appSettings?.properties));
  const all = new Set([...always.keys(), ...[...byChoice.values()].flatMap((choice) => [...choice.keys()])]);

  it('sets every required setting always, and the Graph settings per graphIdentity choice, as main.bicep does', () => {
    const required = Object.entries(AZURE_SETTINGS).filter(([, use]) => use === 'required').map(([name]) => name);
    expect(required.filter((name) => !always.has(name))).toEqual([]);
    const graph = Object.entries(AZURE_SETTINGS).filter(([, use]) => use === 'graph').map(([name]) => name);
    expect(graph.filter((name) => !all.has(name))).toEqual([]);
    expect([...all].sort()).toEqual([...settings.keys()].sort());
    expect([...byChoice.keys()].sort()).toEqual(['clientSecret', 'managedIdentity', 'none']);
    expect([...(byChoice.get('managedIdentity')?.keys() ?? [])].sort()).toEqual([...settingsIn(blockAfter(bicep, 'managedIdentity: {')).keys()].sort());
    expect([...(byChoice.get('clientSecret')?.keys() ?? [])].sort()).toEqual([...settingsIn(blockAfter(bicep, 'clientSecret: {')).keys()].sort());
  });

  it('never mentions dev mode or the stand-in token, and sets no CREDIT_DESK_ name the server does not read', () => {
    const text = read('manifest/azure/main.json');
    for (const [name, use] of Object.entries(AZURE_SETTINGS)) {
      if (use === 'never') expect(text, name).not.toContain(name);
    }
    expect([...all].filter((name) => name.startsWith('CREDIT_DESK_') && !serverEnv.has(name))).toEqual([]);
    expect(FLEX_REFUSES.filter((name) => all.has(name))).toEqual([]);
  });

  it('keeps secrets in Key Vault: the storage connection string and the Graph client secret are Key Vault references', () => {
    expect(armText(always.get('CREDIT_DESK_STORAGE')!)).toMatch(/^format\('@Microsoft\.KeyVault\(VaultName=/);
    expect(armText(byChoice.get('clientSecret')!.get('CREDIT_DESK_GRAPH_CLIENT_SECRET')!)).toMatch(/^format\('@Microsoft\.KeyVault\(VaultName=/);
    expect(armText(always.get('CREDIT_DESK_APS_CLIENT_SECRET')!)).toMatch(/^if\(empty\(parameters\('apsClientId'\)\), '', format\('@Microsoft\.KeyVault\(VaultName=/);
    expect(armText(always.get('CREDIT_DESK_AUDIENCE')!)).toBe("parameters('appClientId')");
    expect(armText(byChoice.get('managedIdentity')!.get('CREDIT_DESK_GRAPH_MANAGED_IDENTITY')!)).toBe("'1'");
  });
});

describe('main.bicep: storage', () => {
  const account = blockAfter(bicep, "resource storage 'Microsoft.Storage/storageAccounts@");

  it('forbids public blob access and plain http, and wants TLS 1.2', () => {
    expect(account).toMatch(/allowBlobPublicAccess: false/);
    expect(account).toMatch(/supportsHttpsTrafficOnly: true/);
    expect(account).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    expect(account).toMatch(/kind: 'StorageV2'/);
    expect(bicep).not.toMatch(/publicAccess: '(Blob|Container)'/);
  });

  it('creates the ledger table (named like the setting) and the imports and backups containers', () => {
    expect(params.get('tableName')).toBe("'creditdesk'");
    expect(blockAfter(bicep, "resource ledgerTable 'Microsoft.Storage/storageAccounts/tableServices/tables@")).toMatch(/name: tableName/);
    expect(settings.get('CREDIT_DESK_TABLE')).toBe('tableName');
    const containers = /var blobContainerNames = \[([^\]]*)\]/.exec(bicep)?.[1] ?? '';
    expect(containers).toContain("'imports'");
    expect(containers).toContain("'backups'");
    expect(bicep).toMatch(/for containerName in blobContainerNames: \{\s+parent: blobService/);
  });
});

describe('main.bicep: parameters and outputs', () => {
  it('has the outputs the README uses', () => {
    for (const name of ['functionAppName', 'functionAppHostName', 'staticSiteName', 'staticSiteHostName', 'storageAccountName', 'graphIdentityPrincipalId']) {
      expect(bicep, name).toMatch(new RegExp(`^output ${name} string = `, 'm'));
    }
  });

  it('the example parameters file names only declared parameters, and every parameter without a default', () => {
    const example = JSON.parse(read('manifest/azure/main.parameters.example.json')) as { parameters: Record<string, unknown> };
    const given = Object.keys(example.parameters);
    expect(given.filter((name) => !params.has(name))).toEqual([]);
    const mandatory = [...params].filter(([, fallback]) => fallback === undefined).map(([name]) => name);
    expect(mandatory).toEqual(['appClientId']);
    expect(mandatory.filter((name) => !given.includes(name))).toEqual([]);
  });
});

describe('the Functions app package', () => {
  let built: FunctionsPackage;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'credit-desk-functions-'));
    built = await buildFunctionsPackage({ outDir: path.join(work, 'functions'), zipFile: path.join(work, 'functions.zip') });
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('holds host.json, a package.json whose main is the bundle, and the bundle; nothing to install', () => {
    const zip = new AdmZip(built.zipFile);
    const names = zip.getEntries().map((entry) => entry.entryName);
    expect(names).toEqual(expect.arrayContaining(['host.json', 'package.json', 'dist/azure.js']));
    const pkg = JSON.parse(zip.readAsText('package.json')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ type: 'module', main: 'dist/azure.js' });
    expect(pkg.dependencies).toBeUndefined();
    expect(zip.readAsText('dist/azure.js')).toContain("from 'node:module'");
  });

  it('bundles the Azure registration and never the local host or the dev identity', () => {
    expect(built.sources).toContain('server/azure.ts');
    expect(built.sources).toContain('server/config.ts');
    expect(built.sources.filter((file) => file.startsWith('server/local/'))).toEqual([]);
  });

  it('host.json is Functions v2 schema with the api route prefix the route table assumes', () => {
    const host = JSON.parse(read('manifest/azure/host.json')) as { version: string; extensions?: { http?: { routePrefix?: string } } };
    expect(host.version).toBe('2.0');
    expect(host.extensions?.http?.routePrefix).toBe('api');
    const paths = (Object.values(ROUTES) as RouteDef[]).filter((route) => !route.devOnly).map((route) => route.path);
    expect(paths.filter((p) => !p.startsWith('/api/'))).toEqual([]);
  });
});

describe('staticwebapp.config.json: the pages’ security headers', () => {
  const config = JSON.parse(read('src/public/staticwebapp.config.json')) as SwaConfig & { routes?: { headers?: Record<string, string> }[] };
  const csp = cspOf(config);
  const headerNames = [config.globalHeaders ?? {}, ...(config.routes ?? []).map((route) => route.headers ?? {})].flatMap((headers) => Object.keys(headers).map((name) => name.toLowerCase()));

  it('lets only Teams, Outlook and Microsoft 365 frame the pages', () => {
    const ancestors = csp.get('frame-ancestors') ?? [];
    expect(ancestors.filter((source) => !ALLOWED_FRAME_ANCESTORS.has(source))).toEqual([]);
    expect(ancestors).toEqual(expect.arrayContaining(['https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://outlook.office.com', 'https://*.cloud.microsoft']));
    expect(ancestors).not.toContain('*');
    expect(ancestors).not.toContain("'none'");
  });

  it('sends no X-Frame-Options (it cannot name Teams and would stop the tab from loading there)', () => {
    expect(headerNames).not.toContain('x-frame-options');
  });

  it('runs only its own scripts and Office.js, and talks to Entra ID and Graph', () => {
    const scripts = csp.get('script-src') ?? [];
    expect(scripts).toContain("'self'");
    expect(scripts).toContain('https://appsforoffice.microsoft.com');
    expect(scripts.filter((source) => source === "'unsafe-inline'" || source === "'unsafe-eval'" || source === '*')).toEqual([]);
    expect(csp.get('connect-src')).toEqual(expect.arrayContaining(["'self'", 'https://login.microsoftonline.com', 'https://graph.microsoft.com']));
    // teams-js fetches the list of Teams' origins from there (validOriginsCdnEndpoint), falling back to its own copy.
    expect(csp.get('connect-src')).toContain('https://res.cdn.office.net');
    expect(csp.get('object-src')).toEqual(["'none'"]);
  });

  it('sends nosniff, HSTS and a referrer policy', () => {
    expect(config.globalHeaders?.['X-Content-Type-Options']).toBe('nosniff');
    expect(config.globalHeaders?.['Strict-Transport-Security']).toMatch(/^max-age=\d{7,}/);
    expect(config.globalHeaders?.['Referrer-Policy']).toBeTruthy();
  });

  it('write-swa-config adds the API origin to connect-src once and changes nothing else', () => {
    const origin = apiOrigin('https://creditdesk-api-abc.azurewebsites.net/');
    expect(origin).toBe('https://creditdesk-api-abc.azurewebsites.net');
    const once = withConnectSource(config, origin);
    const twice = withConnectSource(once, origin);
    expect(twice).toEqual(once);
    const after = cspOf(twice);
    expect(after.get('connect-src')).toEqual([...(csp.get('connect-src') ?? []), origin]);
    expect(after.get('frame-ancestors')).toEqual(csp.get('frame-ancestors'));
    expect(twice.routes).toEqual(config.routes);
  });

  it('write-swa-config refuses an API address that is not https', () => {
    expect(() => apiOrigin('http://creditdesk-api-abc.azurewebsites.net')).toThrow(/https/);
    expect(() => apiOrigin('creditdesk-api-abc.azurewebsites.net')).toThrow(/not a URL/);
  });
});

describe('the deployment steps for message trace', () => {
  it('provision the service principal Microsoft documents as the message trace prerequisite, next to the permission', () => {
    const readme = read('README.md');
    expect(readme).toContain(`az ad sp create --id ${MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID}`);
    expect(readme).toContain(`New-MgServicePrincipal -AppId ${MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID}`);
    // Opt-in since issue 22: granted with its feature, next to the service principal.
    expect(readme).toContain(`grant ExchangeMessageTrace.Read.All && az ad sp create --id ${MESSAGE_TRACE_SERVICE_PRINCIPAL_APP_ID}`);
    expect(readme).not.toMatch(/message trace[^|\n]*beta/i);
  });
});
