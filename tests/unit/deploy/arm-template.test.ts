/**
 * The checked deployment without a Bicep compiler (none installs from npm or Debian): main.json, the ARM
 * JSON build of main.bicep, follows the template syntax Microsoft documents (arm-template-syntax.ts, our own
 * schema written from the docs), declares what main.bicep declares, and sets the security properties the
 * product depends on. The resource types' own property schemas are not checked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArmString } from './arm-expression.js';
import { type ArmResource, type ArmTemplate, armTemplateProblems, calls, DEPLOYMENT_TEMPLATE_SCHEMA, idType } from './arm-template-syntax.js';
import { bicepOutputs, bicepParams, bicepResources, stripBicepComments } from './bicep-text.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const template = JSON.parse(read('manifest/azure/main.json')) as ArmTemplate;
const bicep = stripBicepComments(read('manifest/azure/main.bicep'));

const IDENTITY = 'Microsoft.ManagedIdentity/userAssignedIdentities';

/** The one resource of a type (a second one would make the checks below ambiguous). */
function only(type: string): ArmResource & { properties: Record<string, unknown> } {
  const found = template.resources.filter((r) => r.type === type);
  expect(found.map((r) => r.type), type).toEqual([type]);
  return found[0] as ArmResource & { properties: Record<string, unknown> };
}

/** Whether a template string refers to a resource of `type` through resourceId(…) anywhere in it. */
function refersTo(text: unknown, type: string): boolean {
  const tree = typeof text === 'string' ? parseArmString(text) : undefined;
  return !!tree && calls(tree).some((call) => call.name === 'resourceId' && call.args.some((arg) => arg.kind === 'string' && arg.value === type));
}

/** A copy of main.json with one thing broken, for the checks' own tests. */
function broken(change: (t: ArmTemplate & Record<string, unknown>) => void): unknown {
  const copy = structuredClone(template) as ArmTemplate & Record<string, unknown>;
  change(copy);
  return copy;
}
const resourceOf = (t: ArmTemplate, type: string) => t.resources.find((r) => r.type === type)!;

describe('main.json follows Microsoft’s documented template syntax', () => {
  it('names the 2019-04-01 deployment-template schema and follows the syntax', () => {
    expect(template.$schema).toBe(DEPLOYMENT_TEMPLATE_SCHEMA);
    expect(armTemplateProblems(template)).toEqual([]);
  });

  const BREAKS: [string, (t: ArmTemplate & Record<string, unknown>) => void, RegExp][] = [
    ['another $schema', (t) => ((t as { $schema: string }).$schema = 'https://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#'), /^\$schema:/],
    ['no contentVersion', (t) => delete (t as { contentVersion?: string }).contentVersion, /^contentVersion:/],
    ['an element the syntax does not have', (t) => (t.resource = []), /Unrecognized key: "resource"/],
    ['a parameter type outside the data types', (t) => (t.parameters!.location!.type = 'text'), /^parameters\.location\.type:/],
    ['a default of another type', (t) => (t.parameters!.maximumInstanceCount!.defaultValue = '40'), /maximumInstanceCount\.defaultValue: the default is not of type int/],
    ['a default outside allowedValues', (t) => (t.parameters!.storageSku!.defaultValue = 'Premium_LRS'), /storageSku\.defaultValue: the default is not one of allowedValues/],
    ['a default outside the limits', (t) => (t.parameters!.namePrefix!.defaultValue = 'ab'), /namePrefix\.defaultValue: the default is outside minLength/],
    ['minValue on a string', (t) => (t.parameters!.namePrefix!.minValue = 1), /namePrefix\.minValue: minValue and maxValue are for int/],
    ['a resource type as an expression', (t) => (t.resources[0]!.type = "[variables('identityType')]"), /^resources\.0\.type:/],
    ['an API version that is no date', (t) => (t.resources[0]!.apiVersion = '2023-1-31'), /^resources\.0\.apiVersion:/],
    ['a condition that is neither true/false nor an expression', (t) => (t.resources[0]!.condition = 'true' as never), /^resources\.0\.condition:/],
    ['a copy loop over the limit', (t) => (t.resources.find((r) => r.copy)!.copy!.count = 801), /copy\.count:/],
    ['a copy mode the docs do not have', (t) => (t.resources.find((r) => r.copy)!.copy!.mode = 'sequential' as never), /copy\.mode:/],
    ['an output without a value', (t) => delete t.outputs!.functionAppName!.value, /outputs\.functionAppName\.value: an output has a value/],
    ['an undeclared parameter', (t) => (t.resources[0]!.location = "[parameters('region')]"), /parameters\('region'\) is not declared/],
    ['an undeclared variable', (t) => (t.resources[0]!.name = "[variables('identity')]"), /variables\('identity'\) is not declared/],
    ['a function that does not exist', (t) => (t.resources[0]!.name = "[fromat('{0}', variables('identityName'))]"), /fromat\(\) is not a template function/],
    ['an expression that does not parse', (t) => (t.resources[0]!.name = "[variables('identityName']"), /ARM expression: expected/],
    ['a child name without its parent', (t) => (resourceOf(t, 'Microsoft.Storage/storageAccounts/blobServices').name = 'default'), /blobServices: the name has 1 segment\(s\), the type 2 level\(s\)/],
    ['a dependency outside the template', (t) => resourceOf(t, 'Microsoft.Web/sites').dependsOn!.push("[resourceId('Microsoft.Sql/servers', 'db')]"), /Microsoft\.Web\/sites: depends on .*Microsoft\.Sql\/servers/],
    ['a dependency on an unknown loop', (t) => resourceOf(t, 'Microsoft.Web/sites').dependsOn!.push('blobContainer'), /depends on blobContainer, not in this template/],
  ];

  it.each(BREAKS)('refuses %s', (_, change, problem) => {
    const problems = armTemplateProblems(broken(change));
    expect(problems.some((p) => problem.test(p)), problems.join('\n')).toBe(true);
  });
});

describe('main.json sets what the product depends on', () => {
  it('the Function App runs as the template’s user-assigned identity, over HTTPS only, TLS 1.2 at least', () => {
    const site = only('Microsoft.Web/sites');
    only(IDENTITY);
    expect(site.kind).toBe('functionapp,linux');
    expect(site.identity?.type).toBe('UserAssigned');
    const identities = Object.keys(site.identity?.userAssignedIdentities as Record<string, unknown>);
    expect(identities.length).toBe(1);
    expect(refersTo(identities[0], IDENTITY), identities[0]).toBe(true);
    expect(refersTo(site.properties.keyVaultReferenceIdentity, IDENTITY)).toBe(true);
    expect(site.properties.httpsOnly).toBe(true);
    expect((site.properties.siteConfig as { minTlsVersion?: string }).minTlsVersion).toBe('1.2');
  });

  it('the Function App takes its code from a blob container with that identity, not a storage key', () => {
    const config = only('Microsoft.Web/sites').properties.functionAppConfig as { deployment: { storage: { type: string; authentication: { type: string; userAssignedIdentityResourceId: string } } }; runtime: { name: string } };
    expect(config.deployment.storage.type).toBe('blobContainer');
    expect(config.deployment.storage.authentication.type).toBe('UserAssignedIdentity');
    expect(refersTo(config.deployment.storage.authentication.userAssignedIdentityResourceId, IDENTITY)).toBe(true);
    expect(config.runtime.name).toBe('node');
  });

  it('the storage account refuses anonymous blob access and plain HTTP, takes TLS 1.2 at least; every container is private', () => {
    const account = only('Microsoft.Storage/storageAccounts').properties;
    expect([account.allowBlobPublicAccess, account.supportsHttpsTrafficOnly, account.minimumTlsVersion]).toEqual([false, true, 'TLS1_2']);
    const containers = template.resources.filter((r) => r.type === 'Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) expect((container.properties as { publicAccess?: string }).publicAccess).toBe('None');
  });

  it('Key Vault authorizes with Azure RBAC (no access policies) and keeps deleted secrets; the identity reads them (app settings) and writes Autodesk’s through roles on the vault', () => {
    const vault = only('Microsoft.KeyVault/vaults').properties;
    expect(vault.enableRbacAuthorization).toBe(true);
    expect(vault.accessPolicies).toBeUndefined();
    expect(vault.enableSoftDelete).toBe(true);
    const onVault = template.resources.filter((r) => r.type === 'Microsoft.Authorization/roleAssignments' && r.scope?.includes("'Microsoft.KeyVault/vaults/"));
    expect(onVault.map((r) => /roles'\)\.(\w+)\)/.exec((r.properties as { roleDefinitionId: string }).roleDefinitionId)?.[1]).sort()).toEqual(['keyVaultSecretsOfficer', 'keyVaultSecretsUser']);
    for (const { properties } of onVault) {
      const assignment = properties as { principalId: string; principalType: string };
      expect(refersTo(assignment.principalId, IDENTITY), assignment.principalId).toBe(true);
      expect(assignment.principalType).toBe('ServicePrincipal');
    }
  });

  it('every role assignment goes to the template’s identity, on a resource of the template', () => {
    const assignments = template.resources.filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(assignments.length).toBeGreaterThan(0);
    const types = new Set(template.resources.map((r) => r.type));
    for (const assignment of assignments) {
      expect(refersTo((assignment.properties as { principalId: string }).principalId, IDENTITY)).toBe(true);
      const scopeType = /^\[format\('([^']+)\/\{0\}'/.exec(assignment.scope ?? '')?.[1];
      expect(types.has(scopeType ?? ''), assignment.scope).toBe(true);
      expect(assignment.dependsOn?.map(idType)).toContain(scopeType);
    }
  });
});

describe('main.json declares what main.bicep declares', () => {
  it('the same parameters, with the same types, defaults, allowed values and limits', () => {
    const fromBicep = bicepParams(bicep);
    expect(fromBicep.length).toBeGreaterThan(10);
    const parameters = template.parameters ?? {};
    expect(Object.keys(parameters).sort()).toEqual(fromBicep.map((p) => p.name).sort());
    for (const param of fromBicep) {
      const arm = parameters[param.name]!;
      expect(arm.type, param.name).toBe(param.type);
      expect(arm.allowedValues, param.name).toEqual(param.allowed);
      expect([arm.minLength, arm.maxLength, arm.minValue, arm.maxValue], param.name).toEqual([param.minLength, param.maxLength, param.minValue, param.maxValue]);
      expect(armDefault(arm.defaultValue), param.name).toEqual(param.fallback);
    }
  });

  it('the same resources: type, API version, condition and loop', () => {
    const describeBicep = bicepResources(bicep).map((r) => `${r.type}@${r.apiVersion}${r.conditional ? ' if' : ''}${r.loop ? ' for' : ''}`);
    const describeArm = template.resources.map((r) => `${r.type}@${r.apiVersion}${r.condition ? ' if' : ''}${r.copy ? ' for' : ''}`);
    expect(describeBicep.length).toBeGreaterThan(10);
    expect(describeArm.sort()).toEqual(describeBicep.sort());
  });

  it('the same outputs, with the same types', () => {
    const outputs = Object.fromEntries(Object.entries(template.outputs ?? {}).map(([name, output]) => [name, output.type]));
    expect(outputs).toEqual(Object.fromEntries(bicepOutputs(bicep)));
  });
});

/** A JSON default in the form Bicep writes it: `'text'`, `40`, `[]`, `resourceGroup().location`, or `{` for an object (written over lines). */
function armDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return /^\[.*\]$/.test(value) ? value.slice(1, -1) : `'${value}'`;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '{';
}
