/**
 * The ARM JSON template syntax main.json relies on, written here from Microsoft's documentation (no schema
 * file is copied): a zod schema of the structure, then the cross-references a schema cannot express.
 * Sources, all under learn.microsoft.com/azure/azure-resource-manager/templates/: syntax ("Understand the
 * structure and syntax of ARM templates"), data-types, parameters, outputs, resource-declaration,
 * child-resource-name-type, copy-resources, conditional-resource-deployment, resource-dependency,
 * template-expressions, template-functions and best-practices ("Template limits").
 *
 * Only what this product uses: the 2019-04-01 resource-group template in its first language version
 * (`resources` an array, child resources declared at the top level as Bicep writes them). Not checked: each
 * resource type's own properties (the providers' schemas), and expressions are parsed, never evaluated.
 */
import { z } from 'zod';
import { type ArmExpression, parseArmString } from './arm-expression.js';

export const DEPLOYMENT_TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** best-practices, "Template limits" (variables: 512 there, 256 on error-job-size-exceeded; the lower is kept). */
const LIMITS = { parameters: 256, variables: 256, resources: 800, outputs: 64, expressionChars: 24_576, copyCount: 800 };

/** data-types: the documented set (ARM reads type names without regard to case). */
const DATA_TYPES = ['array', 'bool', 'int', 'object', 'secureObject', 'securestring', 'string'];

/** template-functions: every documented function, by category. Names are case-insensitive; `list*` is a family. */
const FUNCTIONS = new Set(
  [
    // array
    'array concat contains createArray empty first indexFromEnd indexOf intersection last lastIndexOf length max min range skip take tryGet tryIndexFromEnd union',
    // comparison, date, deployment
    'coalesce equals greater greaterOrEquals less lessOrEquals dateTimeAdd dateTimeFromEpoch dateTimeToEpoch utcNow deployer deployment environment parameters variables',
    // lambda, logical, numeric
    'filter groupBy map mapValues reduce sort toObject and bool false if not or true add copyIndex div float int mod mul sub',
    // object
    'createObject items json null objectKeys shallowMerge',
    // resource, scope
    'extensionResourceId listAccountSas listKeys listSecrets pickZones providers reference references resourceId subscriptionResourceId tenantResourceId managementGroupResourceId managementGroup resourceGroup subscription tenant',
    // string
    'base64 base64ToJson base64ToString dataUri dataUriToString endsWith format guid join lastIndexOf newGuid padLeft replace split startsWith string substring toLower toUpper trim uniqueString uri uriComponent uriComponentToString',
  ]
    .join(' ')
    .split(' ')
    .map((name) => name.toLowerCase()),
);
const isFunction = (name: string) => FUNCTIONS.has(name.toLowerCase()) || /^list/i.test(name);

/** template-expressions: `[…]` is an expression, `[[…` an escaped literal. */
export const isExpression = (value: unknown): boolean => typeof value === 'string' && value.startsWith('[') && !value.startsWith('[[') && value.endsWith(']');
const expression = z.string().refine(isExpression, 'an expression: "[…]"');

const dataType = z.string().refine((type) => DATA_TYPES.some((known) => known.toLowerCase() === type.toLowerCase()), `one of ${DATA_TYPES.join(', ')}`);

/** Whether a literal value has the JSON form of a data type. */
function hasType(value: unknown, type: string): boolean {
  switch (type.toLowerCase()) {
    case 'string':
    case 'securestring':
      return typeof value === 'string';
    case 'int':
      return Number.isInteger(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

const metadata = z.record(z.string(), z.unknown());

/** parameters: the elements of a parameter, each only with the types it applies to. */
const parameter = z
  .strictObject({
    type: dataType,
    defaultValue: z.unknown().optional(),
    allowedValues: z.array(z.unknown()).min(1).optional(),
    minValue: z.int().optional(),
    maxValue: z.int().optional(),
    minLength: z.int().nonnegative().optional(),
    maxLength: z.int().nonnegative().optional(),
    metadata: metadata.optional(),
  })
  .superRefine((p, ctx) => {
    const type = p.type.toLowerCase();
    const problem = (message: string, key: string) => ctx.addIssue({ code: 'custom', message, path: [key] });
    if ((p.minValue !== undefined || p.maxValue !== undefined) && type !== 'int') problem('minValue and maxValue are for int parameters', 'minValue');
    if ((p.minLength !== undefined || p.maxLength !== undefined) && !['string', 'securestring', 'array'].includes(type)) problem('minLength and maxLength are for string and array parameters', 'minLength');
    if (p.minValue !== undefined && p.maxValue !== undefined && p.minValue > p.maxValue) problem('minValue is above maxValue', 'minValue');
    if (p.minLength !== undefined && p.maxLength !== undefined && p.minLength > p.maxLength) problem('minLength is above maxLength', 'minLength');
    for (const allowed of p.allowedValues ?? []) {
      if (!hasType(allowed, type)) problem(`allowed value ${JSON.stringify(allowed)} is not of type ${p.type}`, 'allowedValues');
    }
    const fallback = p.defaultValue;
    if (fallback === undefined || isExpression(fallback)) return;
    if (!hasType(fallback, type)) return problem(`the default is not of type ${p.type}`, 'defaultValue');
    if (p.allowedValues && !p.allowedValues.some((allowed) => JSON.stringify(allowed) === JSON.stringify(fallback))) problem('the default is not one of allowedValues', 'defaultValue');
    const size = typeof fallback === 'string' || Array.isArray(fallback) ? fallback.length : undefined;
    if (size !== undefined && ((p.minLength !== undefined && size < p.minLength) || (p.maxLength !== undefined && size > p.maxLength))) problem('the default is outside minLength…maxLength', 'defaultValue');
    if (typeof fallback === 'number' && ((p.minValue !== undefined && fallback < p.minValue) || (p.maxValue !== undefined && fallback > p.maxValue))) problem('the default is outside minValue…maxValue', 'defaultValue');
  });

/** resource-declaration: the type is written out (no expression), `Namespace.Provider/type[/child…]`. */
const resourceType = z.string().regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+(\/[A-Za-z][A-Za-z0-9]*)+$/, 'Namespace.Provider/type[/child…], written out');
/** An API version is the date of the provider's REST API, `yyyy-mm-dd`, with `-preview` (or similar) for previews. */
const apiVersion = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(-[a-z]+)?$/, 'yyyy-mm-dd[-preview]');
const countOrExpression = (max: number) => z.union([z.int().min(0).max(max), expression]);

/** copy-resources: the copy element of a resource. */
const resourceCopy = z.strictObject({
  name: z.string().min(1),
  count: countOrExpression(LIMITS.copyCount),
  mode: z.enum(['serial', 'parallel']).optional(),
  batchSize: z.union([z.int().min(1), expression]).optional(),
});

/** syntax, "Resources": the elements of a resource. */
const resource = z.strictObject({
  condition: z.union([z.boolean(), expression]).optional(),
  type: resourceType,
  apiVersion,
  name: z.string().min(1),
  comments: z.string().optional(),
  location: z.string().min(1).optional(),
  dependsOn: z.array(z.string().min(1)).optional(),
  tags: z.union([z.record(z.string(), z.string()), expression]).optional(),
  identity: z.record(z.string(), z.unknown()).optional(),
  sku: z.record(z.string(), z.unknown()).optional(),
  kind: z.string().optional(),
  scope: z.string().min(1).optional(),
  copy: resourceCopy.optional(),
  plan: z.record(z.string(), z.unknown()).optional(),
  properties: z.union([z.record(z.string(), z.unknown()), expression]).optional(),
});

/** outputs: a value of a data type (or a copy loop of them), optionally conditional. */
const output = z
  .strictObject({
    type: dataType,
    value: z.unknown().optional(),
    condition: z.union([z.boolean(), expression]).optional(),
    copy: z.strictObject({ count: countOrExpression(LIMITS.copyCount), input: z.unknown() }).optional(),
    metadata: metadata.optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.value === undefined) === (o.copy === undefined)) ctx.addIssue({ code: 'custom', message: 'an output has a value or a copy loop', path: ['value'] });
    else if (o.value !== undefined && !isExpression(o.value) && !hasType(o.value, o.type)) ctx.addIssue({ code: 'custom', message: `the value is not of type ${o.type}`, path: ['value'] });
  });

const limited = <T extends z.ZodType>(item: T, max: number, what: string) =>
  z.record(z.string(), item).refine((entries) => Object.keys(entries).length <= max, `at most ${max} ${what}`);

/** syntax, "Template format": the elements of the template itself. */
export const armTemplateSchema = z.strictObject({
  $schema: z.literal(DEPLOYMENT_TEMPLATE_SCHEMA),
  contentVersion: z.string().min(1),
  apiProfile: z.string().optional(),
  metadata: metadata.optional(),
  parameters: limited(parameter, LIMITS.parameters, 'parameters').optional(),
  variables: limited(z.unknown(), LIMITS.variables, 'variables').optional(),
  functions: z.array(z.unknown()).optional(),
  resources: z.array(resource).max(LIMITS.resources),
  outputs: limited(output, LIMITS.outputs, 'outputs').optional(),
});

export type ArmTemplate = z.infer<typeof armTemplateSchema>;
export type ArmResource = ArmTemplate['resources'][number];

/** Problems with a template; empty when it follows the documented syntax. */
export function armTemplateProblems(data: unknown): string[] {
  const parsed = armTemplateSchema.safeParse(data);
  if (!parsed.success) return parsed.error.issues.map((issue) => `${issue.path.join('.') || '(template)'}: ${issue.message}`);
  return [...expressionProblems(parsed.data), ...childNameProblems(parsed.data), ...dependencyProblems(parsed.data)];
}

/** Every call in an expression tree, depth first. */
export function calls(node: ArmExpression): Extract<ArmExpression, { kind: 'call' }>[] {
  switch (node.kind) {
    case 'call':
      return [node, ...node.args.flatMap(calls)];
    case 'member':
      return calls(node.target);
    case 'index':
      return [...calls(node.target), ...calls(node.index)];
    default:
      return [];
  }
}

/** Every string in a JSON value, object keys included (a key may be an expression), with where it is. */
function strings(value: unknown, at: string): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => [...strings(key, `${at}.${key} (the key)`), ...strings(item, `${at}.${key}`)]);
  return [];
}

/** The tree of an expression string; undefined for a literal or an expression that does not parse (reported by expressionProblems). */
function tree(text: string): ArmExpression | undefined {
  try {
    return parseArmString(text);
  } catch {
    return undefined;
  }
}

const firstString = (node: ArmExpression | undefined) => (node?.kind === 'string' ? node.value : undefined);

/** template-expressions and template-functions: each expression parses, within the length limit, calling documented functions on declared names. */
function expressionProblems(template: ArmTemplate): string[] {
  const declared = { parameters: new Set(Object.keys(template.parameters ?? {})), variables: new Set(Object.keys(template.variables ?? {})) };
  const problems: string[] = [];
  for (const [at, text] of strings(template, '')) {
    if (!isExpression(text)) continue;
    if (text.length > LIMITS.expressionChars) problems.push(`${at}: an expression is at most ${LIMITS.expressionChars} characters`);
    let parsed: ArmExpression | undefined;
    try {
      parsed = parseArmString(text);
    } catch (error) {
      problems.push(`${at}: ${(error as Error).message}`);
      continue;
    }
    for (const call of calls(parsed!)) {
      if (!isFunction(call.name)) problems.push(`${at}: ${call.name}() is not a template function`);
      const kind = call.name.toLowerCase();
      const name = firstString(call.args[0]);
      if ((kind === 'parameters' || kind === 'variables') && name !== undefined && !declared[kind].has(name)) problems.push(`${at}: ${kind}('${name}') is not declared`);
    }
  }
  return problems;
}

/** The type levels below the namespace: `Microsoft.Storage/storageAccounts/blobServices` → 2. */
export const typeLevels = (type: string) => type.split('/').length - 1;

/** The name's segments when they can be counted: a literal, or a `format('…/…', …)` expression. */
function nameSegments(name: string): number | undefined {
  if (!isExpression(name)) return name.split('/').length;
  const node = tree(name);
  const pattern = node?.kind === 'call' && node.name.toLowerCase() === 'format' ? firstString(node.args[0]) : undefined;
  return pattern === undefined ? undefined : pattern.split('/').length;
}

/** child-resource-name-type: a child declared outside its parent names its parents, one segment per type level. */
function childNameProblems(template: ArmTemplate): string[] {
  return template.resources.flatMap((resource) => {
    const levels = typeLevels(resource.type);
    const segments = nameSegments(resource.name);
    if (segments === undefined) return levels > 1 ? [`${resource.type}: a child's name must show its segments (a literal or format('…/…'))`] : [];
    return segments === levels ? [] : [`${resource.type}: the name has ${segments} segment(s), the type ${levels} level(s)`];
  });
}

/** The resource type a resourceId/extensionResourceId expression names. */
export function idType(text: string): string | undefined {
  const node = tree(text);
  if (node?.kind !== 'call') return undefined;
  const name = node.name.toLowerCase();
  if (name === 'extensionresourceid') return firstString(node.args[1]);
  if (name === 'resourceid') return node.args.map(firstString).find((arg) => arg?.includes('/'));
  return undefined;
}

/** resource-dependency: dependsOn names a copy loop or a resource of this template, by name or by id. */
function dependencyProblems(template: ArmTemplate): string[] {
  const loops = new Set(template.resources.flatMap((r) => (r.copy ? [r.copy.name] : [])));
  const names = new Set(template.resources.map((r) => r.name));
  const types = new Set(template.resources.map((r) => r.type.toLowerCase()));
  return template.resources.flatMap((resource) =>
    (resource.dependsOn ?? []).flatMap((dependency) => {
      if (!isExpression(dependency)) return loops.has(dependency) || names.has(dependency) ? [] : [`${resource.type}: depends on ${dependency}, not in this template`];
      const type = idType(dependency);
      return type && types.has(type.toLowerCase()) ? [] : [`${resource.type}: depends on ${dependency.slice(0, 80)}, which is no resource id of this template's types`];
    }),
  );
}
