/**
 * The Microsoft 365 Agents Toolkit project (m365agents.yml, env/.env.dev, manifest/aad.manifest.json and the
 * toolkit's parameters file), offline: the yml against the toolkit's published schema (vendored in
 * manifest/schemas/), every file an action reads, every ${{VAR}} defined before it is read, and the Entra app
 * manifest against what the server checks in a token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSettings, SETTING_NAMES, type SettingName } from '../../../manifest/settings.js';
import { API_SCOPE } from '../../../server/functions/auth.js';
import { TAB_ENTITY_ID } from '../../../src/addin/tab-link.js';
import { ROLES } from '../../../src/contract/index.js';
import { describeErrors, newDraft07Validator } from '../../support/json-schema.js';
import { bicepOutputs, bicepParams, stripBicepComments } from './bicep-text.js';

// js-yaml: the parser the toolkit itself reads m365agents.yml with (no types shipped; this is the slice used).
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const exists = (file: string) => existsSync(path.join(ROOT, file));

interface Action {
  uses: string;
  name?: string;
  env?: Record<string, string>;
  with: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

interface Project {
  version: string;
  environmentFolderPath: string;
  provision: Action[];
  deploy: Action[];
  publish: Action[];
}

interface EntraManifest {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: string;
  identifierUris: string[];
  api: { requestedAccessTokenVersion: number; oauth2PermissionScopes: { id: string; value: string; type: string; isEnabled: boolean }[] };
  appRoles: { id: string; value: string; allowedMemberTypes: string[]; isEnabled: boolean }[];
  spa: { redirectUris: string[] };
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
}

const STAGES = ['provision', 'deploy', 'publish'] as const;
const PROJECT_FILE = 'm365agents.yml';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Microsoft Graph's delegated User.Read: sign-in and the signed-in person's profile. */
const GRAPH_USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const project = yaml.load(read(PROJECT_FILE)) as Project;
const envTemplatePath = path.join(project.environmentFolderPath, '.env.dev');
const envTemplate = parseEnvFile(read(envTemplatePath));
const bicep = stripBicepComments(read('manifest/azure/main.bicep'));
const entraManifest = JSON.parse(read('manifest/aad.manifest.json')) as EntraManifest;
const actions = (uses: string) => STAGES.flatMap((stage) => project[stage].filter((action) => action.uses === uses));
const only = (uses: string, stage?: (typeof STAGES)[number]) => {
  const found = stage ? project[stage].filter((action) => action.uses === uses) : actions(uses);
  if (found.length !== 1) throw new Error(`expected one ${uses}, found ${found.length}`);
  return found[0]!;
};

function parseEnvFile(text: string): Map<string, string> {
  return new Map(
    text
      .split(/\r?\n/)
      .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!, match[2]!]),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]!);

/** Replaces ${{NAME}} with the given values (as the toolkit does before an action runs). */
const resolve = (text: string, values: Record<string, string>) => text.replace(/\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, name: string) => values[name] ?? `<${name} unset>`);

/** What an action reads besides its own text: the files whose placeholders the toolkit fills in. */
function filesWithPlaceholders(action: Action): string[] {
  if (action.uses === 'arm/deploy') return (action.with.templates as { parameters?: string }[]).flatMap((t) => (t.parameters ? [t.parameters] : []));
  if (action.uses === 'aadApp/update') return [String(action.with.manifestPath)];
  return [];
}

/** What an action writes to the environment file. arm/deploy writes each template output, upper-cased. */
function written(action: Action): string[] {
  const outputs = action.uses === 'arm/deploy' ? [...bicepOutputs(bicep).keys()].map((name) => name.toUpperCase()) : [];
  return [...outputs, ...Object.values(action.writeToEnvironmentFile ?? {})];
}

/**
 * Each ${{NAME}} read before the environment file or an earlier action defines it, as "stage[i] uses: NAME".
 * A name some action writes counts only from that action on, even where the environment file lists it.
 */
function undefinedVariables(stages: Pick<Project, (typeof STAGES)[number]>, envNames: Iterable<string>): string[] {
  const generated = new Set(STAGES.flatMap((stage) => stages[stage].flatMap(written)));
  const known = new Set([...envNames].filter((name) => !generated.has(name)));
  const problems: string[] = [];
  for (const stage of STAGES) {
    stages[stage].forEach((action, index) => {
      const texts = [JSON.stringify({ ...action, writeToEnvironmentFile: undefined }), ...filesWithPlaceholders(action).map(read)];
      for (const name of texts.flatMap(placeholders)) {
        if (!known.has(name)) problems.push(`${stage}[${index}] ${action.uses}: ${name}`);
      }
      for (const name of written(action)) known.add(name);
    });
  }
  return problems;
}

describe('m365agents.yml against the Microsoft 365 Agents Toolkit’s yaml schema (vendored, offline)', () => {
  const schemaFile = `manifest/schemas/m365agents/${project.version}/yaml.schema.json`;
  const validate = () => newDraft07Validator().compile(JSON.parse(read(schemaFile)) as object);

  it('has the schema of its version, and conforms to it', () => {
    expect(exists(schemaFile), schemaFile).toBe(true);
    const schema = JSON.parse(read(schemaFile)) as { properties: { version: { const: string } } };
    expect(schema.properties.version.const).toBe(project.version);
    expect(read(PROJECT_FILE)).toContain(`$schema=https://aka.ms/m365-agents-toolkits/${project.version}/yaml.schema.json`);
    const check = validate();
    expect(check(project), describeErrors(check.errors).join('\n')).toBe(true);
  });

  it('the schema refuses an action the toolkit does not have and an action missing what it writes', () => {
    const check = validate();
    const unknownAction = structuredClone(project);
    unknownAction.deploy.push({ uses: 'azureFunctions/flexDeploy', with: {} });
    expect(check(unknownAction)).toBe(false);
    const noOutput = structuredClone(project);
    delete noOutput.provision.find((action) => action.uses === 'teamsApp/create')!.writeToEnvironmentFile;
    expect(check(noOutput)).toBe(false);
  });

  it('provisions, deploys and publishes with the toolkit’s standard actions', () => {
    expect(project.provision.map((a) => a.uses)).toEqual(
      expect.arrayContaining(['teamsApp/create', 'aadApp/create', 'arm/deploy', 'aadApp/update', 'teamsApp/validateAppPackage', 'teamsApp/update']),
    );
    expect(project.deploy.map((a) => a.uses)).toEqual(expect.arrayContaining(['cli/runNpmCommand', 'azureStaticWebApps/getDeploymentToken', 'cli/runNpxCommand']));
    expect(project.publish.map((a) => a.uses)).toEqual(expect.arrayContaining(['teamsApp/validateAppPackage', 'teamsApp/update', 'teamsApp/publishAppPackage']));
    // Flex Consumption refuses Kudu zip deploy, which azureFunctions/zipDeploy uses.
    expect(actions('azureFunctions/zipDeploy')).toEqual([]);
    expect(read('manifest/azure/main.bicep')).toMatch(/tier: 'FlexConsumption'/);
  });
});

describe('m365agents.yml: files and values', () => {
  it('every file an action reads exists, and every npm script or tool it runs is the project’s', () => {
    const { scripts, devDependencies } = JSON.parse(read('package.json')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(exists(envTemplatePath), envTemplatePath).toBe(true);
    for (const template of only('arm/deploy').with.templates as { path: string; parameters: string }[]) {
      expect(exists(template.path), template.path).toBe(true);
      expect(exists(template.parameters), template.parameters).toBe(true);
    }
    expect(exists(String(only('aadApp/update').with.manifestPath))).toBe(true);
    for (const action of actions('cli/runNpmCommand')) {
      const script = /^run ([\w:-]+)/.exec(String(action.with.args))?.[1];
      if (script) expect(scripts, action.name).toHaveProperty(script);
      else expect(action.with.args).toBe('ci');
    }
    for (const action of actions('cli/runNpxCommand')) {
      const args = String(action.with.args);
      const tsx = /^tsx (\S+)/.exec(args)?.[1];
      if (tsx) expect(exists(tsx), tsx).toBe(true);
      const tool = /^(?:--yes --package )?(@?[\w/.-]+)/.exec(args)?.[1] ?? '';
      if (!args.startsWith('--yes')) expect(devDependencies, args).toHaveProperty(tool);
    }
  });

  it('provision ends its Azure and Entra part by granting the directory look-up and the first ITAdmin, with the ids it created', () => {
    const grant = only('script', 'provision');
    const run = String(grant.with.run);
    const file = /^npx tsx (\S+)/.exec(run)?.[1] ?? '';
    expect(file).toBe('manifest/azure/grant-first-access.ts');
    expect(exists(file), file).toBe(true);
    // After arm/deploy (the identity) and aadApp/update (the app roles), before the package steps.
    const at = (uses: string) => project.provision.findIndex((action) => action.uses === uses);
    expect(project.provision.indexOf(grant)).toBeGreaterThan(Math.max(at('arm/deploy'), at('aadApp/update')));
    expect(project.provision.indexOf(grant)).toBeLessThan(at('cli/runNpmCommand'));
    const args = Object.fromEntries([...run.matchAll(/--(\w+) (\S+)/g)].map((m) => [m[1]!, m[2]!]));
    const create = only('aadApp/create').writeToEnvironmentFile!;
    expect(args).toEqual({
      identity: '${{GRAPHIDENTITYPRINCIPALID}}',
      app: `\${{${create.clientId}}}`,
      tenant: `\${{${create.tenantId}}}`,
    });
    // GRAPHIDENTITYPRINCIPALID is main.bicep's output: the user-assigned identity's service principal.
    expect(bicep).toMatch(/^output graphIdentityPrincipalId string = identity\.properties\.principalId$/m);
    expect(bicep).toMatch(/^resource identity 'Microsoft\.ManagedIdentity\/userAssignedIdentities@/m);
    // The script reads exactly these options.
    const options = [...read(file).matchAll(/(\w+): \{ type: 'string' \}/g)].map((m) => m[1]!);
    expect(options.sort()).toEqual(Object.keys(args).sort());
  });

  it('the schema takes the grant step only as the toolkit’s script action has it', () => {
    const check = newDraft07Validator().compile(JSON.parse(read(`manifest/schemas/m365agents/${project.version}/yaml.schema.json`)) as object);
    const withCommand = structuredClone(project);
    const grant = withCommand.provision.find((action) => action.uses === 'script')!;
    grant.with = { command: grant.with.run };
    expect(check(withCommand)).toBe(false);
  });

  it('the Teams app actions take the zip the package step of the same stage writes', () => {
    for (const stage of ['provision', 'publish'] as const) {
      const packageStep = project[stage].find((action) => /^run package /.test(String(action.with.args)));
      const out = /--out (\S+)/.exec(String(packageStep?.with.args))?.[1];
      expect(out, stage).toMatch(/\.zip$/);
      const teamsActions = project[stage].filter((action) => action.uses.startsWith('teamsApp/') && action.uses !== 'teamsApp/create');
      expect(teamsActions.length, stage).toBeGreaterThan(1);
      for (const action of teamsActions) expect(action.with.appPackagePath, `${stage} ${action.uses}`).toBe(out);
      expect(project[stage].indexOf(packageStep!)).toBeLessThan(project[stage].indexOf(teamsActions[0]!));
    }
  });

  it('every ${{NAME}} (in the yml, the parameters file and the Entra manifest) is defined before it is read', () => {
    expect(undefinedVariables(project, envTemplate.keys())).toEqual([]);
  });

  it('finds a ${{NAME}} nothing defines, and one read before the action that writes it', () => {
    const typo = structuredClone(project);
    typo.deploy[0]!.env = { X: '${{FUNCTION_APP_NAME}}' };
    expect(undefinedVariables(typo, envTemplate.keys())).toEqual(['deploy[0] cli/runNpmCommand: FUNCTION_APP_NAME']);
    const early = structuredClone(project);
    const arm = early.provision.findIndex((action) => action.uses === 'arm/deploy');
    const update = early.provision.findIndex((action) => action.uses === 'aadApp/update');
    [early.provision[arm], early.provision[update]] = [early.provision[update]!, early.provision[arm]!];
    expect(undefinedVariables(early, envTemplate.keys())).toContain(`provision[${arm}] aadApp/update: STATICSITEHOSTNAME`);
  });

  it('env/.env.dev lists every output arm/deploy writes, and nothing the project neither reads nor writes', () => {
    const outputs = [...bicepOutputs(bicep).keys()].map((name) => name.toUpperCase());
    expect(outputs.filter((name) => !envTemplate.has(name))).toEqual([]);
    const readOrWritten = new Set([
      ...placeholders(read(PROJECT_FILE)),
      ...STAGES.flatMap((stage) => project[stage].flatMap((action) => [...written(action), ...filesWithPlaceholders(action).flatMap((file) => placeholders(read(file)))])),
      'TEAMSFX_ENV',
    ]);
    expect([...envTemplate.keys()].filter((name) => !readOrWritten.has(name))).toEqual([]);
    expect([...envTemplate.keys()].filter((name) => name.startsWith('SECRET_'))).toEqual([]);
  });

  it('the toolkit’s parameters file names only main.bicep’s parameters, gives every one without a default, and links the tab', () => {
    const file = (only('arm/deploy').with.templates as { parameters: string }[])[0]!.parameters;
    const given = Object.keys((JSON.parse(read(file)) as { parameters: Record<string, unknown> }).parameters);
    const params = bicepParams(bicep);
    expect(given.filter((name) => !params.some((p) => p.name === name))).toEqual([]);
    expect(params.filter((p) => p.fallback === undefined && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
    expect(read(file)).toContain(`https://teams.microsoft.com/l/entity/\${{TEAMS_APP_ID}}/${TAB_ENTITY_ID}`);
  });
});

describe('m365agents.yml: the app package and the pages get the values provision created', () => {
  const provisioned = {
    TEAMS_APP_ID: '6f1c0a9e-1234-4abc-9def-0123456789ab',
    AAD_APP_CLIENT_ID: '22222222-2222-4222-8222-222222222222',
    AAD_APP_OAUTH_AUTHORITY: 'https://login.microsoftonline.com/33333333-3333-4333-8333-333333333333',
    STATICSITEHOSTNAME: 'gentle-sea-0123.5.azurestaticapps.net',
    FUNCTIONAPPHOSTNAME: 'creditdesk-api-abc.azurewebsites.net',
    PUBLISHER_NAME: 'Contoso IT',
    PUBLISHER_URL: 'https://www.contoso.com/',
    PRIVACY_URL: 'https://www.contoso.com/privacy',
    TERMS_URL: 'https://www.contoso.com/terms',
  };
  const packageSteps = STAGES.flatMap((stage) => project[stage]).filter((action) => /^run package /.test(String(action.with.args)));
  const identifierUri = resolve(entraManifest.identifierUris[0] ?? '', provisioned);

  it('provision and publish build the package with the same settings, each one the package needs', () => {
    expect(packageSteps).toHaveLength(2);
    expect(packageSteps[0]!.env).toEqual(packageSteps[1]!.env);
    // The version defaults to package.json's (or CREDIT_DESK_APP_VERSION in the shell).
    const needed = Object.values(SETTING_NAMES).filter((name) => name !== SETTING_NAMES.appVersion);
    expect(Object.keys(packageSteps[0]!.env ?? {}).sort()).toEqual([...needed].sort());
  });

  it('with values like provision’s, the settings pass the package’s own checks and name the Entra app’s API', () => {
    const raw = Object.fromEntries(Object.entries(packageSteps[0]!.env ?? {}).map(([name, value]) => [name, resolve(value, provisioned)])) as Record<SettingName, string>;
    const settings = checkSettings({ ...raw, CREDIT_DESK_APP_VERSION: '1.0.0' });
    expect(settings.apiResource).toBe(identifierUri);
    expect(settings.webUrl).toBe(`https://${provisioned.STATICSITEHOSTNAME}`);
    expect(settings.aadClientId).toBe(provisioned.AAD_APP_CLIENT_ID);
  });

  it('the pages are built with the API, the client, the scope and the tenant’s authority, names the pages read', () => {
    const build = actions('cli/runNpxCommand').find((action) => action.with.args === 'vite build');
    const env = Object.fromEntries(Object.entries(build?.env ?? {}).map(([name, value]) => [name, resolve(value, provisioned)]));
    expect(env).toEqual({
      VITE_API_BASE_URL: `https://${provisioned.FUNCTIONAPPHOSTNAME}`,
      VITE_AAD_CLIENT_ID: provisioned.AAD_APP_CLIENT_ID,
      VITE_API_SCOPE: `${identifierUri}/${API_SCOPE}`,
      VITE_AAD_AUTHORITY: provisioned.AAD_APP_OAUTH_AUTHORITY,
      VITE_TEAMS_APP_ID: provisioned.TEAMS_APP_ID,
    });
    const pagesConfig = read('src/platform/config.ts');
    for (const name of Object.keys(env)) expect(pagesConfig, name).toContain(`import.meta.env.${name}`);
  });
});

describe('manifest/aad.manifest.json: the Entra app the server trusts', () => {
  const create = only('aadApp/create');

  it('is the app aadApp/create made: its ids, name and audience', () => {
    expect(entraManifest.id).toBe(`\${{${create.writeToEnvironmentFile?.objectId}}}`);
    expect(entraManifest.appId).toBe(`\${{${create.writeToEnvironmentFile?.clientId}}}`);
    // aadApp/update renames the app to the manifest's name: the same name keeps it stable.
    expect(entraManifest.displayName).toBe(create.with.name);
    expect(entraManifest.signInAudience).toBe(create.with.signInAudience);
    expect(create.with.generateClientSecret).toBe(false);
  });

  it('exposes the one scope the server accepts, issues v2 tokens, and declares exactly the server’s roles', () => {
    expect(entraManifest.api.requestedAccessTokenVersion).toBe(2);
    expect(entraManifest.api.oauth2PermissionScopes.map((s) => [s.value, s.type, s.isEnabled])).toEqual([[API_SCOPE, 'User', true]]);
    expect(entraManifest.appRoles.map((r) => r.value).sort()).toEqual([...ROLES].sort());
    for (const role of entraManifest.appRoles) expect([role.allowedMemberTypes, role.isEnabled], role.value).toEqual([['User'], true]);
    const ids = [...entraManifest.api.oauth2PermissionScopes, ...entraManifest.appRoles].map((item) => item.id);
    expect(ids.filter((id) => !GUID.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('its application ID URI is the package’s API resource, and its redirect URIs are the sign-in page and the broker', () => {
    const packageStep = project.provision.find((action) => /^run package /.test(String(action.with.args)));
    expect(entraManifest.identifierUris).toEqual([packageStep?.env?.CREDIT_DESK_API_RESOURCE]);
    expect(entraManifest.spa.redirectUris.sort()).toEqual(['brk-multihub://${{STATICSITEHOSTNAME}}', 'https://${{STATICSITEHOSTNAME}}/auth.html'].sort());
    expect(exists('src/auth.html')).toBe(true);
  });

  it('asks for its own scope and, from Microsoft Graph, only the signed-in person’s profile', () => {
    const scopeId = entraManifest.api.oauth2PermissionScopes[0]!.id;
    expect(entraManifest.requiredResourceAccess).toEqual([
      { resourceAppId: entraManifest.appId, resourceAccess: [{ id: scopeId, type: 'Scope' }] },
      { resourceAppId: GRAPH_APP_ID, resourceAccess: [{ id: GRAPH_USER_READ, type: 'Scope' }] },
    ]);
  });
});
