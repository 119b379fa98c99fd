/**
 * The input fuzzer (issue 8): for every route of the contract, requests generated from the route's zod
 * schemas (through their JSON Schema) and then broken on purpose with fast-check: wrong types, missing
 * and extra fields, boundary and huge numbers, long and odd Unicode strings, Table Storage filter and CSV
 * injection, wrong methods and content types, malformed JSON, bad and duplicate Idempotency-Keys, and
 * request targets no URL parser likes. Every request goes over real HTTP with a valid token.
 *
 * What must hold: never a 5xx; every 4xx is a coded error (`{ error: { code, message } }` with the status
 * of ERROR_STATUS); a request the contract refuses is never answered 2xx; and storage is unchanged by a
 * batch of refused requests (`readSnapshot()` before and after each batch of one route; a batch in which
 * a write was accepted is left out of that comparison and counted).
 *
 * Used by tests/security/fuzz.test.ts (short run in CI) and by the chaos script (≥ 20,000 inputs).
 */
import http from 'node:http';
import { TableClient } from '@azure/data-tables';
import fc from 'fast-check';
import { z } from 'zod';
import type { RouteDef, RouteName } from '../../src/contract/index.js';
import { ERROR_STATUS, IDEMPOTENCY_KEY, ROUTES, compilePath } from '../../src/contract/index.js';

export type FuzzWho = 'employee' | 'manager' | 'it';

export interface FuzzOptions {
  baseUrl: string;
  tokenFor: (who: FuzzWho) => Promise<string>;
  /** How many requests in all, spread evenly over the routes. */
  inputs: number;
  seed: number;
  /** A canonical dump of the stored rows; compared before and after each batch. */
  readSnapshot: () => Promise<string>;
  onProgress?: (done: number) => void;
  /** Mutation labels (see FuzzRequest.mutations, e.g. 'target.raw') not to generate. */
  skipMutations?: readonly string[];
  /** Requests per route batch between two snapshots (default 100) and in flight at once (default 8). */
  batchSize?: number;
  concurrency?: number;
}

/** One request as sent, minus the token (`who` says whose it was). */
export interface FuzzRequest {
  who: FuzzWho;
  method: string;
  target: string;
  headers: Record<string, string | string[]>;
  body?: string;
  /** What was done to the generated request, e.g. ['body.field:credits', 'idem.bad']. */
  mutations: string[];
  /** The contract refuses it (schema, method, content type, key or role): it must not get a 2xx. */
  mustRefuse: boolean;
}

export interface FuzzFailure {
  route: string;
  kind: '5xx' | 'uncoded-4xx' | 'accepted-invalid' | 'no-answer' | 'storage-changed';
  request: FuzzRequest | FuzzRequest[];
  status: number;
  body: string;
}

export interface FuzzReport {
  fuzz_inputs: number;
  fuzz_5xx: number;
  fuzz_uncoded_4xx: number;
  /** Batches of refused requests after which storage was not as before (target 0). */
  fuzz_unchanged_violations: number;
  /** Answers 2xx (allowed for requests the contract accepts), and batches left out of the storage check. */
  fuzz_accepted: number;
  fuzz_batches: number;
  fuzz_batches_skipped: number;
  fuzz_ms: number;
  failures: FuzzFailure[];
}

// ---------------------------------------------------------------------------------------------------
// Nasty values

const ODATA = [
  "' or PartitionKey ne '",
  "x' or PartitionKey ne 'x",
  "' or 1 eq 1 or '",
  "') or (RowKey ne '",
  "' eq '",
  'PartitionKey eq ',
  "x'",
  "''",
  '(',
  ')',
  '%27',
  '%27%20or%20PartitionKey%20ne%20%27',
  'member|',
  'acct|pool',
  'idem|',
  '*',
  '$filter=true',
];
const CSV = ["=cmd|' /C calc'!A0", '+1+cmd', '-2+3+cmd', "@SUM(1+1)*cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","x")', '\t=1+1', '\r=1+1', ' =1+1'];
const UNICODE = [
  '\u202Eevil\u202C',
  '\u200B',
  'a\u200Db\u200C',
  '\uD800',
  'x\uDFFFy',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  '\u0000',
  'a\u0000b',
  '\uFEFFbom',
  '𝕏𝔂𝔃',
  'İıß\u0301',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  '',
  ' ',
  '\n\t',
];
const LONG = ['a'.repeat(10_001), '€'.repeat(12_000), '\u202E'.repeat(10_500), '😀'.repeat(5_001), 'x'.repeat(2_001)];
const NUMBER_STRINGS = ['NaN', 'Infinity', '-Infinity', '1e308', '1e400', '-0', '9007199254740993', '0x10', '1e2', '١٢', ' 5 ', '+1', '1.5', '-1', '0', '00', '1_000'];
const NUMBERS = [1e308, -1e308, -0, 2 ** 53 + 1, -(2 ** 53 + 1), Number.MAX_VALUE, Number.MIN_VALUE, 0, -1, 0.001, 1.005, 100_000.01, 1e21, 4_294_967_296, 0.1 + 0.2];
/** Written into the JSON text as they are, since JSON.stringify cannot (Infinity, -0, too many digits). */
const RAW_NUMBERS = ['1e400', '-1e400', '1E-400', '-0', '0.1e1', '100000.001', '9007199254740993', '123456789012345678901234567890', '1.0000000000000000001'];
const WRONG_TYPES: unknown[] = [null, true, false, [], {}, [null], { $gt: '' }, { $ne: null }, [1, 2], '1', ''];
const EVIL_STRINGS = [...ODATA, ...CSV, ...UNICODE, ...LONG, ...NUMBER_STRINGS];
const EVIL_VALUES: unknown[] = [...EVIL_STRINGS, ...NUMBERS, ...WRONG_TYPES];
/**
 * For the URL: the long strings only up to a few KB, since a request line and headers over 16 KB never
 * reach the pipeline (Node answers 431 itself; 'target.huge' sends those on purpose).
 */
const URL_STRINGS = [...EVIL_STRINGS.filter((v) => encodeSegment(v).length <= 6000), 'a'.repeat(5000), '€'.repeat(600)];

/** Path segments as they go on the wire: some are not valid UTF-8 or percent-encoding at all. */
const RAW_SEGMENTS = ['%ZZ', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%00', '%2F', '..%2F..%2F', '%27%20or%20PartitionKey%20ne%20%27', '%2e%2e', 'a%20b', '%FF', '~', '.'];
const MALFORMED_JSON = ['', '{', '{"a":', "{'a':1}", '[1,]', 'nul', '\u0000', '{"a":1}}', '{"a":NaN}', '{"a":undefined}', '\uFEFF{}', '{"a":"\\u12"}', '[' .repeat(30_000) + ']'.repeat(30_000), '"' + 'x'.repeat(100) + '"'];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', '', 'json', 'application/jso', 'APPLICATION/JSON', 'application/json; charset=utf-16'];
const BAD_KEYS = ['', 'short', 'x'.repeat(65), 'has space 123', "'; or 1 eq 1 --", 'clé-12345678', '12345678\t', '../../../../', '%27%27%27%27'];
const EXTRA_KEYS = ['__proto__', 'constructor', 'PartitionKey', 'RowKey', 'odata.etag', 'tenant', 'isAdmin', 'roles', 'x'];
const WRONG_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND'];
/** Request targets no URL parser is happy with. */
const RAW_TARGETS = ['http://evil.example/api/me', '/api/me/..', '/API/ME', '/api//me', '/api/me;x=1', '/api/me?%', '/api/me?a=%ZZ', '/api/%2e%2e/api/me', '*', '/api/me%00'];
/** Targets that `new URL(target, base)` throws on. */
const UNPARSABLE_TARGETS = ['//[', '//x:99999/api/me', '//a:b@[::1/api/me', '//%zz/api/me'];

// ---------------------------------------------------------------------------------------------------
// Valid values from the schemas (zod 4 → JSON Schema → fast-check)

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType | undefined): Json | undefined {
  return schema ? z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) : undefined;
}

const PLAIN_TEXT = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,-]{0,30}$/);

function arbOf(s: Json | undefined): fc.Arbitrary<unknown> {
  if (!s) return fc.constant(undefined);
  if (Array.isArray(s.anyOf)) return fc.oneof(...(s.anyOf as Json[]).map(arbOf));
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if ('const' in s) return fc.constant(s.const);
  const num = (key: string) => (typeof s[key] === 'number' ? s[key] : undefined);
  switch (s.type) {
    case 'string': {
      const max = num('maxLength') ?? 60;
      if (s.format === 'uri') return fc.constantFrom('https://example.com/kb', 'https://contoso.example/help');
      const base = typeof s.pattern === 'string' ? fc.stringMatching(new RegExp(s.pattern)) : PLAIN_TEXT;
      return base.filter((v) => v.length <= max && v.trim().length >= (num('minLength') ?? 0));
    }
    case 'integer':
      return fc.integer({ min: num('minimum') ?? -1000, max: num('maximum') ?? 1000 });
    case 'number': {
      const min = num('exclusiveMinimum') !== undefined ? num('exclusiveMinimum')! * 100 + 1 : (num('minimum') ?? -1000) * 100;
      return fc.integer({ min: Math.ceil(min), max: Math.floor((num('maximum') ?? 1000) * 100) }).map((n) => n / 100);
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(arbOf(s.items as Json), { minLength: num('minItems') ?? 0, maxLength: Math.min(num('maxItems') ?? 3, 3) });
    case 'object': {
      const props = (s.properties ?? {}) as Record<string, Json>;
      const shape = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbOf(v)]));
      return fc.record(shape, { requiredKeys: (s.required ?? []) as string[] });
    }
    default:
      return fc.constant(null);
  }
}

/** Every field of an object schema, nested ones too (array items as index 0), with its schema. */
function fieldsOf(s: Json | undefined, path: (string | number)[] = []): { path: (string | number)[]; schema: Json; required: boolean }[] {
  if (!s) return [];
  const out: { path: (string | number)[]; schema: Json; required: boolean }[] = [];
  const props = (s.properties ?? {}) as Record<string, Json>;
  for (const [key, child] of Object.entries(props)) {
    const here = [...path, key];
    out.push({ path: here, schema: child, required: ((s.required ?? []) as string[]).includes(key) });
    if (child.type === 'object') out.push(...fieldsOf(child, here));
    if (child.type === 'array' && (child.items as Json | undefined)?.type === 'object') out.push(...fieldsOf(child.items as Json, [...here, 0]));
  }
  return out;
}

/** Values just outside (and on) the schema's limits. */
function boundaryValues(s: Json): unknown[] {
  const n = (key: string) => (typeof s[key] === 'number' ? s[key] : undefined);
  if (s.type === 'integer' || s.type === 'number') {
    const lo = n('minimum') ?? n('exclusiveMinimum') ?? 0;
    const hi = n('maximum') ?? 1e6;
    return [lo - 1, lo - 0.001, lo, hi, hi + 0.001, hi + 1, s.type === 'integer' ? lo + 0.5 : lo + 0.001, -lo, `${hi}`];
  }
  if (s.type === 'string') {
    const max = n('maxLength') ?? 2000;
    return ['a'.repeat(max + 1), 'é'.repeat(max + 1), ' '.repeat(3), '', `${' '.repeat(5)}x`, Array.isArray(s.enum) ? String(s.enum[0]).toUpperCase() : 'A'];
  }
  if (s.type === 'array') return [new Array((n('maxItems') ?? 50) + 1).fill(1), [], [[]]];
  return [...WRONG_TYPES];
}

// ---------------------------------------------------------------------------------------------------
// Requests and their mutations

interface Draft {
  who: FuzzWho;
  method: string;
  params: Record<string, string>; // encoded segments
  query: [string, string][];
  body: { kind: 'none' } | { kind: 'json'; value: unknown; raw?: string } | { kind: 'text'; text: string };
  contentType: string | undefined;
  keys: string[];
  target?: string; // replaces path and query entirely
  origin?: string;
  mutations: string[];
}

const RAW_SENTINEL = '\u0000RAW\u0000';
const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const top = root !== null && typeof root === 'object' ? root : {};
  let node = top as Record<string | number, unknown>;
  for (const [i, key] of path.slice(0, -1).entries()) {
    const next = node[key];
    node[key] = next !== null && typeof next === 'object' ? next : typeof path[i + 1] === 'number' ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path.at(-1)!] = value;
  return top;
}

function deleteAt(root: unknown, path: (string | number)[]): void {
  let node = root as Record<string | number, unknown> | undefined;
  for (const key of path.slice(0, -1)) node = node?.[key] as Record<string | number, unknown> | undefined;
  if (node && typeof node === 'object') delete node[path.at(-1)!];
}

/** Like encodeURIComponent, but lone surrogates go through as their (invalid) UTF-8 bytes. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value].map((c) => (/[\uD800-\uDFFF]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c))).join('');
  }
}

function encodeQuery(pairs: [string, string][]): string {
  return pairs.length === 0 ? '' : '?' + pairs.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join('&');
}

type Mutation = { kind: string; pick: number; value: unknown; alt: number };

const pickFrom = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** Cursors no store ever gave out: odd strings, and base64 of JSON that is not a token. */
const GARBAGE_CURSORS = [
  ...URL_STRINGS,
  ...[null, [], {}, { nextPartitionKey: 1, nextRowKey: null }, { nextPartitionKey: 'x', nextRowKey: { $ne: 1 } }, { nextPartitionKey: '\uD800' }, { nextPartitionKey: 'x', nextRowKey: 'a\r\nx-ms-version: 1' }].map((v) => Buffer.from(JSON.stringify(v)).toString('base64')),
  Buffer.from('{"nextPartitionKey":').toString('base64'),
];

/** Continuation tokens as the Table Storage SDK writes them (base64 of JSON), with keys chosen to hurt. */
function forgedCursors(partition: string): string[] {
  const token = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64');
  const keys = ["' or PartitionKey ne '", "') or (1 eq 1", 'member|', 'idem|', '~'.repeat(1500), 'acct|pool', '%27', 'é'];
  return [
    ...keys.map((k) => token({ nextPartitionKey: partition, nextRowKey: k })),
    ...keys.map((k) => token({ nextPartitionKey: k, nextRowKey: 'member|' })),
    token({ nextPartitionKey: 'another-tenant', nextRowKey: 'member|' }),
    token({ nextPartitionKey: partition }),
  ];
}

interface MutationContext {
  route: RouteDef;
  bodyFields: ReturnType<typeof fieldsOf>;
  queryFields: string[];
  /** The tenant's partition key, read from a real cursor (for forged ones). */
  partition: string;
}

function mutate(d: Draft, m: Mutation, ctx: MutationContext): void {
  const { route, bodyFields, queryFields } = ctx;
  const label = (what: string): void => void d.mutations.push(what);
  const json = d.body.kind === 'json' ? d.body : undefined;
  switch (m.kind) {
    case 'body.field': {
      if (!json || bodyFields.length === 0) return mutate(d, { ...m, kind: 'body.whole' }, ctx);
      const field = pickFrom(bodyFields, m.pick);
      json.value = setAt(json.value, field.path, m.alt % 3 === 0 ? pickFrom(boundaryValues(field.schema), m.alt) : m.value);
      return label(`body.field:${field.path.join('.')}`);
    }
    case 'body.missing': {
      if (!json || bodyFields.length === 0) return mutate(d, { ...m, kind: 'body.whole' }, ctx);
      const required = bodyFields.filter((f) => f.required);
      const field = pickFrom(required.length ? required : bodyFields, m.pick);
      deleteAt(json.value, field.path);
      return label(`body.missing:${field.path.join('.')}`);
    }
    case 'body.extra': {
      const key = pickFrom(EXTRA_KEYS, m.pick);
      if (json) json.value = setAt(json.value, [key], m.value);
      else d.body = { kind: 'json', value: { [key]: m.value } };
      return label(`body.extra:${key}`);
    }
    case 'body.whole':
      d.body = { kind: 'json', value: pickFrom([...WRONG_TYPES, ...NUMBERS, ...EVIL_STRINGS], m.pick) };
      return label('body.whole');
    case 'body.rawnumber': {
      const numeric = bodyFields.filter((f) => f.schema.type === 'number' || f.schema.type === 'integer');
      const path = numeric.length ? pickFrom(numeric, m.pick).path : [pickFrom(EXTRA_KEYS, m.pick)];
      const value = setAt(json ? json.value : {}, path, RAW_SENTINEL);
      d.body = { kind: 'json', value, raw: pickFrom(RAW_NUMBERS, m.alt) };
      return label(`body.rawnumber:${path.join('.')}`);
    }
    case 'body.malformed':
      d.body = { kind: 'text', text: pickFrom(MALFORMED_JSON, m.pick) };
      d.contentType ??= 'application/json';
      return label('body.malformed');
    case 'body.huge':
      d.body = { kind: 'json', value: { ...(json && typeof json.value === 'object' ? json.value : {}), pad: 'x'.repeat(70_000 + (m.pick % 1000)) } };
      return label('body.huge');
    case 'content-type':
      d.contentType = m.alt % 5 === 0 ? undefined : pickFrom(CONTENT_TYPES, m.pick);
      return label('content-type');
    case 'method': {
      const others = WRONG_METHODS.filter((x) => x !== route.method);
      d.method = pickFrom(others, m.pick);
      return label(`method:${d.method}`);
    }
    case 'query.field': {
      const fields = queryFields.filter((f) => f !== 'cursor');
      const key = fields.length ? pickFrom(fields, m.pick) : pickFrom(EXTRA_KEYS, m.pick);
      const value = pickFrom(URL_STRINGS, m.alt);
      d.query = [...d.query.filter(([k]) => k !== key), [key, value]];
      return label(`query.field:${key}`);
    }
    case 'cursor.garbage':
    case 'cursor.forged': {
      const value = m.kind === 'cursor.garbage' ? pickFrom(GARBAGE_CURSORS, m.alt) : pickFrom(forgedCursors(ctx.partition), m.alt);
      d.query = [...d.query.filter(([k]) => k !== 'cursor'), ['cursor', value]];
      return label(m.kind);
    }
    case 'query.extra':
      d.query.push([pickFrom([...EXTRA_KEYS, '$filter', 'state[]', ''], m.pick), pickFrom(URL_STRINGS, m.alt)]);
      return label('query.extra');
    case 'query.duplicate': {
      const fields = queryFields.filter((f) => f !== 'cursor');
      const key = fields.length ? pickFrom(fields, m.pick) : 'limit';
      d.query.push([key, pickFrom(URL_STRINGS, m.alt)], [key, pickFrom(NUMBER_STRINGS, m.pick)]);
      return label(`query.duplicate:${key}`);
    }
    case 'params.evil': {
      const names = Object.keys(d.params);
      if (names.length === 0) return mutate(d, { ...m, kind: 'query.extra' }, ctx);
      const name = pickFrom(names, m.pick);
      d.params[name] = m.alt % 2 === 0 ? pickFrom(RAW_SEGMENTS, m.pick + m.alt) : encodeSegment(pickFrom(URL_STRINGS, m.alt));
      return label(`params.evil:${name}`);
    }
    case 'idem.bad':
      d.keys = [pickFrom(BAD_KEYS, m.pick)];
      return label('idem.bad');
    case 'idem.duplicate':
      d.keys = [`dup-${m.pick}-aaaaaaaa`, `dup-${m.alt}-bbbbbbbb`];
      return label('idem.duplicate');
    case 'idem.missing':
      d.keys = [];
      return label('idem.missing');
    case 'target.raw':
      d.target = pickFrom(RAW_TARGETS, m.pick);
      return label('target.raw');
    case 'target.unparsable':
      d.target = pickFrom(UNPARSABLE_TARGETS, m.pick);
      return label('target.unparsable');
    case 'target.huge':
      d.query.push(['cursor', 'q'.repeat(17_000 + (m.pick % 1000))]);
      return label('target.huge');
    case 'cors.preflight':
      d.method = 'OPTIONS';
      d.origin = pickFrom(['https://evil.example', 'null', 'http://localhost:5173', 'https://teams.microsoft.com'], m.pick);
      return label('cors.preflight');
  }
}

// ---------------------------------------------------------------------------------------------------
// What the contract says about a request (the same checks as the pipeline, from the same schemas)

const EVERYONE: FuzzWho[] = ['employee', 'manager', 'it'];
const ROLES_OF: Record<FuzzWho, string[]> = { employee: [], manager: ['AccountManager'], it: ['ITAdmin'] };
const LIVE = (Object.entries(ROUTES) as [RouteName, RouteDef][]).filter(([, r]) => !r.devOnly);
const MATCHERS = (Object.entries(ROUTES) as [RouteName, RouteDef][]).map(([name, route]) => ({ name, route, match: compilePath(route.path) }));

function contractRefuses(r: FuzzRequest): boolean {
  // A plain OPTIONS learns the methods (204), a preflight is answered per Origin: neither changes anything.
  if (r.method === 'OPTIONS') return false;
  let url: URL;
  try {
    url = new URL(r.target, 'http://localhost');
  } catch {
    return true;
  }
  let entry;
  try {
    entry = MATCHERS.find((c) => c.match(url.pathname) && c.route.method === r.method);
  } catch {
    return true;
  }
  if (!entry) return true;
  const { route } = entry;
  if (typeof route.access === 'object' && !route.access.roles.some((role) => ROLES_OF[r.who].includes(role))) return true;
  let raw: unknown;
  if (route.body) {
    const ct = r.headers['content-type'];
    if (Buffer.byteLength(r.body ?? '') > 64 * 1024 || typeof ct !== 'string' || !/^application\/json\b/i.test(ct)) return true;
    try {
      raw = JSON.parse(r.body ?? '');
    } catch {
      return true;
    }
  }
  if (route.params && !route.params.safeParse(entry.match(url.pathname)).success) return true;
  if (route.query ? !route.query.safeParse(Object.fromEntries(url.searchParams)).success : [...url.searchParams.keys()].length > 0) return true;
  if (route.body && !route.body.safeParse(raw).success) return true;
  const key = r.headers['idempotency-key'];
  // HTTP drops the whitespace around a header value before anyone sees it.
  const keyText = (Array.isArray(key) ? key.join(', ') : key)?.replace(/^[ \t]+|[ \t]+$/g, '');
  if (keyText !== undefined && !IDEMPOTENCY_KEY.test(keyText)) return true;
  return route.idempotency === 'required' && keyText === undefined;
}

function toRequest(d: Draft, route: RouteDef): FuzzRequest {
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => d.params[name] ?? '');
  const headers: Record<string, string | string[]> = {};
  if (d.contentType !== undefined) headers['content-type'] = d.contentType;
  if (d.origin !== undefined) headers.origin = d.origin;
  if (d.keys.length === 1) headers['idempotency-key'] = d.keys[0]!;
  if (d.keys.length > 1) headers['idempotency-key'] = d.keys;
  let body: string | undefined;
  if (d.body.kind === 'text') body = d.body.text;
  if (d.body.kind === 'json') {
    body = JSON.stringify(d.body.value) ?? 'null';
    if (d.body.raw) body = body.replace(JSON.stringify(RAW_SENTINEL), d.body.raw);
  }
  const request: FuzzRequest = { who: d.who, method: d.method, target: d.target ?? path + encodeQuery(d.query), headers, mutations: d.mutations, mustRefuse: false };
  if (body !== undefined) request.body = body;
  request.mustRefuse = contractRefuses(request);
  return request;
}

const MUTATIONS: { kind: string; weight: number; body?: true; cursor?: true }[] = [
  { kind: 'body.field', weight: 12, body: true },
  { kind: 'body.missing', weight: 4, body: true },
  { kind: 'body.extra', weight: 4, body: true },
  { kind: 'body.whole', weight: 2, body: true },
  { kind: 'body.rawnumber', weight: 3, body: true },
  { kind: 'body.malformed', weight: 3, body: true },
  { kind: 'body.huge', weight: 1, body: true },
  { kind: 'content-type', weight: 2, body: true },
  { kind: 'method', weight: 2 },
  { kind: 'query.field', weight: 6 },
  { kind: 'query.extra', weight: 2 },
  { kind: 'cursor.garbage', weight: 2, cursor: true },
  { kind: 'cursor.forged', weight: 2, cursor: true },
  { kind: 'query.duplicate', weight: 2 },
  { kind: 'params.evil', weight: 6 },
  { kind: 'idem.bad', weight: 2 },
  { kind: 'idem.duplicate', weight: 1 },
  { kind: 'idem.missing', weight: 1 },
  { kind: 'target.raw', weight: 1 },
  { kind: 'target.unparsable', weight: 1 },
  { kind: 'target.huge', weight: 1 },
  { kind: 'cors.preflight', weight: 1 },
];
/** Tried in turn on a write the contract would still accept after its mutations. */
const SURE_REFUSALS = ['body.extra', 'idem.bad', 'query.extra', 'method', 'body.malformed'];

export type KnownIds = Partial<Record<'members' | 'purchases' | 'transfers' | 'events', string[]>> & { partition?: string };
const ID_SOURCE: Record<string, 'members' | 'events'> = { memberId: 'members', eventId: 'events' };
const idSourceFor = (name: RouteName, param: string): 'members' | 'purchases' | 'transfers' | 'events' | undefined =>
  ID_SOURCE[param] ?? (param === 'id' ? (name === 'reverseTransfer' ? 'transfers' : 'purchases') : undefined);

/** The generator of one route's requests: a valid request from the schemas, then 1–3 mutations. */
export function routeArbitrary(name: RouteName, ids: KnownIds = {}, skip: readonly string[] = []): fc.Arbitrary<FuzzRequest> {
  const route = ROUTES[name] as RouteDef;
  const paramsSchema = jsonSchema(route.params);
  const querySchema = jsonSchema(route.query);
  const bodySchema = jsonSchema(route.body);
  const bodyFields = fieldsOf(bodySchema);
  const queryFields = Object.keys((querySchema?.properties ?? {}));
  const paramNames = Object.keys((paramsSchema?.properties ?? {}));
  const ctx: MutationContext = { route, bodyFields, queryFields, partition: ids.partition ?? 'tenant' };
  const params = fc.record(
    Object.fromEntries(
      paramNames.map((p) => {
        const source = idSourceFor(name, p);
        const known = (source && ids[source]) || [];
        const generated = arbOf((paramsSchema!.properties as Record<string, Json>)[p]) as fc.Arbitrary<string>;
        return [p, known.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 3 }, { arbitrary: generated, weight: 1 }) : generated];
      }),
    ),
  );
  const allowedWho: FuzzWho[] = typeof route.access === 'object' ? (['manager', 'it'] as const).filter((w) => (route.access as { roles: readonly string[] }).roles.some((r) => ROLES_OF[w].includes(r))) : [];
  // A random role, but mostly one the route lets in, so that the inputs get past the role check.
  const who = fc.oneof({ arbitrary: fc.constantFrom(...EVERYONE), weight: 1 }, { arbitrary: fc.constantFrom(...(allowedWho.length ? allowedWho : EVERYONE)), weight: 3 });
  const kinds = MUTATIONS.filter((m) => (!m.body || route.body) && (!m.cursor || queryFields.includes('cursor')) && !skip.includes(m.kind));
  const mutation = fc.record({
    kind: fc.oneof(...kinds.map((k) => ({ arbitrary: fc.constant(k.kind), weight: k.weight }))),
    pick: fc.nat(),
    value: fc.constantFrom(...EVIL_VALUES),
    alt: fc.nat(),
  });
  return fc
    .record({ who, params, query: arbOf(querySchema), body: arbOf(bodySchema), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }), fallback: fc.nat() })
    .map(({ who, params: p, query, body, mutations, fallback }) => {
      const draft: Draft = {
        who,
        method: route.method,
        params: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, encodeSegment(v)])),
        // A cursor is opaque (only the API makes them): the generated requests have none, the cursor.* mutations do.
        query: Object.entries((query ?? {}) as Record<string, unknown>).filter(([k]) => k !== 'cursor').map(([k, v]) => [k, String(v)]),
        body: route.body ? { kind: 'json', value: clone(body) } : { kind: 'none' },
        contentType: route.body ? 'application/json' : undefined,
        keys: route.idempotency === 'none' ? [] : [`fuzz-${fallback.toString(36)}-${mutations.length}-key`],
        mutations: [],
      };
      for (const m of mutations) mutate(draft, m, ctx);
      let request = toRequest(draft, route);
      // Inputs are broken on purpose: a write the contract would still take gets one more sure refusal.
      for (let i = 0; route.method !== 'GET' && !request.mustRefuse && i < SURE_REFUSALS.length; i++) {
        mutate(draft, { kind: SURE_REFUSALS[(fallback + i) % SURE_REFUSALS.length]!, pick: fallback, value: 'x', alt: fallback + i }, ctx);
        request = toRequest(draft, route);
      }
      return request;
    });
}

// ---------------------------------------------------------------------------------------------------
// Sending and checking

export interface Answer {
  status: number;
  body: string;
}

/** One request as it is (raw target, duplicate headers, any body with any method) over node:http. */
export function sendRaw(baseUrl: string, request: Pick<FuzzRequest, 'method' | 'target' | 'headers' | 'body'>, token?: string, agent?: http.Agent): Promise<Answer> {
  const base = new URL(baseUrl);
  return new Promise((resolve) => {
    const bytes = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.target,
        ...(agent ? { agent } : {}),
        timeout: 20_000,
        headers: { ...request.headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(bytes ? { 'content-length': String(bytes.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => resolve({ status: 0, body: String(e) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve({ status: 0, body: String(e) }));
    req.end(bytes);
  });
}

/** The body is `{ error: { code, message } }` with a code of ERROR_STATUS that goes with the status. */
export function isCodedError(status: number, body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = parsed.error?.code;
    return typeof code === 'string' && typeof parsed.error?.message === 'string' && ERROR_STATUS[code as keyof typeof ERROR_STATUS] === status;
  } catch {
    return false;
  }
}

/** Row keys added, removed or changed between two snapshots that are JSON arrays of rows (else a short note). */
function describeChange(before: string, after: string): string {
  try {
    const index = (s: string) => new Map((JSON.parse(s) as Json[]).map((r) => [`${String(r.partitionKey)}/${String(r.rowKey)}`, JSON.stringify(r)]));
    const [a, b] = [index(before), index(after)];
    const changed = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
    return `rows changed: ${changed.slice(0, 20).join(', ')}${changed.length > 20 ? ` … (${changed.length})` : ''}`;
  } catch {
    return `snapshot changed (${before.length} → ${after.length} chars)`;
  }
}

/** Record ids to aim the path parameters at, read with the given tokens. */
async function knownIds(baseUrl: string, agent: http.Agent, tokenFor: FuzzOptions['tokenFor']): Promise<KnownIds> {
  const read = async (who: FuzzWho, target: string, pick: (item: Json) => unknown): Promise<string[]> => {
    const answer = await sendRaw(baseUrl, { method: 'GET', target, headers: {} }, await tokenFor(who), agent);
    if (answer.status !== 200) return [];
    return ((JSON.parse(answer.body) as { items: Json[] }).items ?? []).map(pick).filter((x): x is string => typeof x === 'string');
  };
  // A real cursor says how the store's tokens look and which partition is the tenant's.
  let partition: string | undefined;
  const page = await sendRaw(baseUrl, { method: 'GET', target: '/api/members?limit=1', headers: {} }, await tokenFor('manager'), agent);
  try {
    const cursor = (JSON.parse(page.body) as { nextCursor?: string | null }).nextCursor;
    if (cursor) partition = (JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { nextPartitionKey?: string }).nextPartitionKey;
  } catch {
    // Another store's cursors: the forged ones then aim at a made-up partition.
  }
  return {
    members: await read('manager', '/api/members?limit=50', (i) => (i.member as Json | undefined)?.id),
    purchases: await read('manager', '/api/purchases?limit=50', (i) => i.id),
    transfers: await read('manager', '/api/usage?limit=50', (i) => i.id),
    events: await read('it', '/api/feed?limit=50', (i) => i.id),
    ...(partition ? { partition } : {}),
  };
}

/** A readSnapshot for runFuzz: every row of the table (all partitions) in key order, etags included. */
export function tableSnapshot(connectionString: string, tableName: string): () => Promise<string> {
  const table = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: /127\.0\.0\.1|localhost/.test(connectionString) });
  return async () => {
    const rows: Json[] = [];
    for await (const entity of table.listEntities<Json>()) rows.push(entity);
    const key = (r: Json) => `${String(r.partitionKey)}\u0000${String(r.rowKey)}`;
    rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return JSON.stringify(rows.map((row) => Object.fromEntries(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)))));
  };
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 100;
  const concurrency = options.concurrency ?? 8;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const report: FuzzReport = { fuzz_inputs: 0, fuzz_5xx: 0, fuzz_uncoded_4xx: 0, fuzz_unchanged_violations: 0, fuzz_accepted: 0, fuzz_batches: 0, fuzz_batches_skipped: 0, fuzz_ms: 0, failures: [] };
  try {
    const tokens = Object.fromEntries(await Promise.all((['employee', 'manager', 'it'] as const).map(async (w) => [w, await options.tokenFor(w)] as const))) as Record<FuzzWho, string>;
    // First calls create the caller's member row and default rows: make them before the first snapshot.
    for (const who of ['employee', 'manager', 'it'] as const) {
      for (const [, route] of LIVE.filter(([, r]) => r.method === 'GET' && !r.params && !(r.query && jsonSchema(r.query)?.required))) {
        await sendRaw(options.baseUrl, { method: 'GET', target: route.path, headers: {} }, tokens[who], agent);
      }
    }
    const ids = await knownIds(options.baseUrl, agent, async (w) => tokens[w]);

    // Each route's share of the inputs, in batches; the routes take turns.
    const perRoute = LIVE.map(([name], i) => {
      const count = Math.floor(options.inputs / LIVE.length) + (i < options.inputs % LIVE.length ? 1 : 0);
      const requests = count ? fc.sample(routeArbitrary(name, ids, options.skipMutations), { seed: options.seed + i * 7919, numRuns: count }) : [];
      const chunks: { name: RouteName; requests: FuzzRequest[] }[] = [];
      for (let at = 0; at < requests.length; at += batchSize) chunks.push({ name, requests: requests.slice(at, at + batchSize) });
      return chunks;
    });
    const batches = Array.from({ length: Math.max(...perRoute.map((c) => c.length)) }, (_, round) => perRoute.flatMap((c) => c[round] ?? [])).flat();

    let before = await options.readSnapshot();
    for (const { name, requests } of batches) {
      let writesAccepted = false;
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const request = requests[next++]!;
          const answer = await sendRaw(options.baseUrl, request, tokens[request.who], agent);
          report.fuzz_inputs++;
          const fail = (kind: FuzzFailure['kind']) => report.failures.push({ route: name, kind, request, status: answer.status, body: answer.body.slice(0, 500) });
          if (answer.status === 0) fail('no-answer');
          else if (answer.status >= 500) {
            report.fuzz_5xx++;
            fail('5xx');
          } else if (answer.status >= 400 && request.method !== 'HEAD' && !isCodedError(answer.status, answer.body)) {
            report.fuzz_uncoded_4xx++;
            fail('uncoded-4xx');
          } else if (answer.status >= 200 && answer.status < 300) {
            report.fuzz_accepted++;
            if (request.mustRefuse) fail('accepted-invalid');
            if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) writesAccepted = true;
          }
          options.onProgress?.(report.fuzz_inputs);
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
      const after = await options.readSnapshot();
      report.fuzz_batches++;
      if (writesAccepted) report.fuzz_batches_skipped++;
      else if (after !== before) {
        report.fuzz_unchanged_violations++;
        report.failures.push({ route: name, kind: 'storage-changed', request: requests, status: 0, body: describeChange(before, after) });
      }
      before = after;
    }
  } finally {
    agent.destroy();
  }
  report.fuzz_ms = Date.now() - started;
  return report;
}
