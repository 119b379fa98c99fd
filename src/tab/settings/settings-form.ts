import { Settings } from '../../contract/schemas.js';

/** The settings being edited: the shape of `Settings`, except that a number may be NaN while its box is empty. */
export type Draft = Settings;

/** How pool draws reach the Teams channel: one card each, or a digest card per hour or day. */
export const DIGEST_OPTIONS: readonly { value: Settings['feedDigest']; label: string }[] = [
  { value: 'off', label: 'One card per draw' },
  { value: 'hourly', label: 'Hourly digest' },
  { value: 'daily', label: 'Daily digest' },
];

/** The digest mode a select's value names; anything unknown is one card per draw. */
export function digestMode(value: string): Settings['feedDigest'] {
  return DIGEST_OPTIONS.find((o) => o.value === value)?.value ?? 'off';
}

/** A problem with one value, named by its dotted path (`services.2.slug`), as the API reports them too. */
export interface FieldIssue {
  path: string;
  message: string;
}

type ErrorMap = NonNullable<NonNullable<Parameters<typeof Settings.safeParse>[1]>['error']>;
type RawIssue = Parameters<ErrorMap>[0];

/** Plain words for zod's default messages; a message the schema spells out itself (refinements) wins. */
export function plainMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number') return 'Enter a number';
      if (issue.expected === 'int') return 'Must be a whole number';
      return undefined;
    case 'too_small':
      if (issue.origin === 'number') return issue.inclusive ? `Must be at least ${String(issue.minimum)}` : `Must be more than ${String(issue.minimum)}`;
      if (issue.origin === 'string') return 'Required';
      if (issue.origin === 'array') return `Add at least ${String(issue.minimum)}`;
      return undefined;
    case 'too_big':
      if (issue.origin === 'number') return issue.inclusive ? `Must be at most ${String(issue.maximum)}` : `Must be less than ${String(issue.maximum)}`;
      if (issue.origin === 'string') return `At most ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `At most ${String(issue.maximum)} entries`;
      return undefined;
    case 'invalid_format':
      if (issue.format === 'url') return 'Must be a web address starting with https://';
      if (issue.format === 'email') return 'Not an email address';
      return undefined;
    case 'invalid_value':
      return 'Choose one of the options';
    default:
      return undefined;
  }
}

export interface Validation {
  /** The settings as they will be sent (trimmed), when every value is acceptable. */
  data: Settings | undefined;
  issues: FieldIssue[];
}

/** Checks the draft with the API's own schema. */
export function validateDraft(draft: Draft): Validation {
  const parsed = Settings.safeParse(draft, { error: plainMessage });
  const issues: FieldIssue[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return { data: parsed.success ? parsed.data : undefined, issues };
}

type Service = Draft['services'][number];

/** The internal id of a new service, from its name: "Fluid simulation" → `fluid_simulation`, unique among `taken`. */
export function slugFrom(name: string, taken: readonly string[]): string {
  const words = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const base = (/^[a-z]/.test(words) ? words : `service${words ? `_${words}` : ''}`).slice(0, 36).replace(/_+$/, '');
  let slug = base;
  for (let n = 2; taken.includes(slug); n++) slug = `${base}_${n}`;
  return slug;
}

/** The services with one renamed: a service not saved yet takes its id from the new name; a saved one keeps its id. */
export function renameService(services: readonly Service[], index: number, name: string, savedSlugs: readonly string[]): Service[] {
  return services.map((service, i) => {
    if (i !== index) return service;
    if (savedSlugs.includes(service.slug)) return { ...service, name };
    const taken = services.filter((_other, j) => j !== index).map((other) => other.slug);
    return { ...service, name, slug: slugFrom(name, taken) };
  });
}

/** Every path the form shows a message next to. */
const PLACED: readonly RegExp[] = [
  /^(unitName|individualAllotment|allotmentRenewal|blockSize|packExpiryMonths|workingDays|holidays|stuckAfterWorkingDays|holdExpiryDays|maxPoolHeldPerPerson|services|accountManagers|homeUseKbUrl|teamsWebhookUrl|feedDigest|timeZone)$/,
  /^(leadTimeDays|applyDays)(\.(min|max))?$/,
  /^holidays\.\d+$/,
  /^services\.\d+\.(slug|name|typicalCredits)$/,
  /^accountManagers\.\d+\.(name|email)$/,
  /^reseller\.(name|emailDomain)$/,
  /^quarantine\.(autodeskSenders(\.\d+)?|digestSender|digestSubject)$/,
  /^alerts\.(poolLowPercentOfLastPurchase|safetyMarginDays|forecastHorizonDays)$/,
  /^notifications\.(teams|mail|mailSender)$/,
  /^(rateLimit|readRateLimit)\.(perMinute|burst)$/,
];

/** The field (or list) where an issue is shown: its own path, else the nearest shown ancestor; undefined for none. */
export function placeOf(path: string): string | undefined {
  let segments = path ? path.split('.') : [];
  while (segments.length > 0) {
    const key = segments.join('.');
    if (PLACED.some((pattern) => pattern.test(key))) return key;
    segments = segments.slice(0, -1);
  }
  return undefined;
}

export interface IssueIndex {
  /** The message to show next to a field, if any (the first one found for it). */
  at: (key: string) => string | undefined;
  /** Issues with no field to stand next to (the whole object, an unknown key). */
  unplaced: FieldIssue[];
  /** Distinct fields with a problem, plus the unplaced ones. */
  count: number;
}

export function indexIssues(issues: readonly FieldIssue[]): IssueIndex {
  const byField = new Map<string, string>();
  const unplaced: FieldIssue[] = [];
  for (const issue of issues) {
    const key = placeOf(issue.path);
    if (key === undefined) unplaced.push(issue);
    else if (!byField.has(key)) byField.set(key, issue.message);
  }
  return { at: (key) => byField.get(key), unplaced, count: byField.size + unplaced.length };
}

function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const segment of path ? path.split('.') : []) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** An issue the API reported, with the value it was about, so it goes away once that value is changed. */
export interface ServerIssue extends FieldIssue {
  about: string | undefined;
}

/**
 * Reads a VALIDATION_FAILED answer's issues: the schema's `{ issues: [{ path, message }] }`, or the rules
 * across fields as `{ problems: [{ field, message }] }`.
 */
export function readServerIssues(details: unknown, draft: Draft): ServerIssue[] {
  const { issues, problems } = (details ?? {}) as { issues?: unknown; problems?: unknown };
  const list = Array.isArray(issues) ? issues : Array.isArray(problems) ? problems : [];
  return list.flatMap((raw: unknown) => {
    const { path: given, field, message } = (raw ?? {}) as { path?: unknown; field?: unknown; message?: unknown };
    const path = given ?? field;
    if (typeof message !== 'string') return [];
    const key = Array.isArray(path) ? path.map(String).join('.') : typeof path === 'string' ? path : '';
    return [{ path: key, message, about: JSON.stringify(valueAt(draft, key)) }];
  });
}

export function stillStands(issue: ServerIssue, draft: Draft): boolean {
  return JSON.stringify(valueAt(draft, issue.path)) === issue.about;
}

export const sameSettings = (a: Draft, b: Draft): boolean => JSON.stringify(a) === JSON.stringify(b);
