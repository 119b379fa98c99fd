/**
 * The small part of OData the Graph stand-in understands: `$filter` (comparisons, startswith/contains,
 * and/or/not, parentheses, '' inside quoted strings) and `$search` ("prop:value" phrases joined by OR/AND).
 * Anything else is a QueryError, which the stand-in answers with 400 as Graph does.
 */

export class QueryError extends Error {}

export type FieldKind = 'string' | 'date';
/** The fields a resource can be filtered on, each with its kind, and the functions it allows. */
export interface FilterSchema {
  fields: Record<string, FieldKind>;
  functions: readonly ('startswith' | 'contains')[];
}

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
type Literal = { type: 'string'; value: string } | { type: 'bare'; value: string };
export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; operand: FilterExpr }
  | { kind: 'compare'; op: Op; field: string; value: string | number }
  | { kind: 'call'; fn: 'startswith' | 'contains'; field: string; value: string };

type Token = { type: 'word'; text: string } | { type: 'string'; text: string } | { type: '(' | ')' | ',' };

const OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new QueryError('Invalid filter clause: unterminated string literal.');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ type: 'string', text: value });
    } else {
      const word = /^[A-Za-z0-9_/.:+-]+/.exec(text.slice(i))?.[0];
      if (!word) throw new QueryError(`Invalid filter clause: unexpected '${c}' at position ${i}.`);
      tokens.push({ type: 'word', text: word });
      i += word.length;
    }
  }
  return tokens;
}

/** Parses a `$filter` against a schema (unknown fields, functions and kinds of value are errors). */
export function parseFilter(text: string, schema: FilterSchema): FilterExpr {
  const tokens = tokenize(text);
  let pos = 0;
  const peekWord = () => {
    const t = tokens[pos];
    return t?.type === 'word' ? t.text.toLowerCase() : undefined;
  };
  const expect = (type: '(' | ')' | ',') => {
    if (tokens[pos]?.type !== type) throw new QueryError(`Invalid filter clause: expected '${type}'.`);
    pos++;
  };
  const field = (): string => {
    const t = tokens[pos++];
    if (t?.type !== 'word') throw new QueryError('Invalid filter clause: expected a property name.');
    const name = Object.keys(schema.fields).find((f) => f.toLowerCase() === t.text.toLowerCase());
    if (!name) throw new QueryError(`Invalid filter clause: could not find a property named '${t.text}'.`);
    return name;
  };
  const literal = (): Literal => {
    const t = tokens[pos++];
    if (t?.type === 'string') return { type: 'string', value: t.text };
    if (t?.type === 'word' && !OPS.has(t.text.toLowerCase())) return { type: 'bare', value: t.text };
    throw new QueryError('Invalid filter clause: expected a value.');
  };
  const valueFor = (name: string, lit: Literal): string | number => {
    if (schema.fields[name] === 'date') {
      const ms = Date.parse(lit.value);
      if (!/^\d{4}-\d{2}-\d{2}/.test(lit.value) || Number.isNaN(ms)) throw new QueryError(`Invalid filter clause: '${lit.value}' is not a DateTimeOffset for '${name}'.`);
      return ms;
    }
    if (lit.type !== 'string') throw new QueryError(`Invalid filter clause: '${name}' must be compared with a quoted string.`);
    return lit.value.toLowerCase();
  };

  const primary = (): FilterExpr => {
    if (tokens[pos]?.type === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    const word = peekWord();
    if (word === 'not') {
      pos++;
      return { kind: 'not', operand: primary() };
    }
    if ((word === 'startswith' || word === 'contains') && tokens[pos + 1]?.type === '(') {
      if (!schema.functions.includes(word)) throw new QueryError(`Invalid filter clause: '${word}' is not supported here.`);
      pos += 2;
      const name = field();
      expect(',');
      const lit = literal();
      expect(')');
      if (lit.type !== 'string' || schema.fields[name] !== 'string') throw new QueryError(`Invalid filter clause: ${word} takes a string property and a quoted string.`);
      return { kind: 'call', fn: word, field: name, value: lit.value.toLowerCase() };
    }
    const name = field();
    const op = peekWord();
    if (!op || !OPS.has(op)) throw new QueryError(`Invalid filter clause: expected an operator after '${name}'.`);
    pos++;
    return { kind: 'compare', op: op as Op, field: name, value: valueFor(name, literal()) };
  };
  const and = (): FilterExpr => {
    let left = primary();
    while (peekWord() === 'and') {
      pos++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): FilterExpr => {
    let left = and();
    while (peekWord() === 'or') {
      pos++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  if (tokens.length === 0) throw new QueryError('Invalid filter clause: the filter is empty.');
  const expr = or();
  if (pos < tokens.length) throw new QueryError('Invalid filter clause: syntax error after the end of an expression.');
  return expr;
}

/** Whether a record matches: `get` gives a field's value (strings compare case-insensitively; dates as instants). */
export function matches(expr: FilterExpr, get: (field: string) => string | undefined): boolean {
  switch (expr.kind) {
    case 'and':
      return matches(expr.left, get) && matches(expr.right, get);
    case 'or':
      return matches(expr.left, get) || matches(expr.right, get);
    case 'not':
      return !matches(expr.operand, get);
    case 'call': {
      const actual = (get(expr.field) ?? '').toLowerCase();
      return expr.fn === 'startswith' ? actual.startsWith(expr.value) : actual.includes(expr.value);
    }
    case 'compare': {
      const raw = get(expr.field);
      if (raw === undefined) return expr.op === 'ne';
      const actual = typeof expr.value === 'number' ? Date.parse(raw) : raw.toLowerCase();
      const order = actual < expr.value ? -1 : actual > expr.value ? 1 : 0;
      return { eq: order === 0, ne: order !== 0, gt: order > 0, ge: order >= 0, lt: order < 0, le: order <= 0 }[expr.op];
    }
  }
}

export interface SearchTerm {
  /** The property named before the colon, or undefined for free text. */
  property?: string;
  value: string;
}

/**
 * Parses `$search`: quoted phrases (`"displayName:ava"`) joined by OR / AND (AND binds tighter), into
 * OR-groups of AND-ed terms. Unquoted free text is one term when `allowBare`.
 */
export function parseSearch(text: string, properties: readonly string[], options: { allowBare?: boolean; requireProperty?: boolean } = {}): SearchTerm[][] {
  const trimmed = text.trim();
  if (!trimmed) throw new QueryError('The $search value is empty.');
  const parts = trimmed.match(/"[^"]*"|\S+/g) ?? [];
  const groups: SearchTerm[][] = [[]];
  let expectTerm = true;
  for (const part of parts) {
    if (!expectTerm && (part === 'OR' || part === 'AND')) {
      if (part === 'OR') groups.push([]);
      expectTerm = true;
      continue;
    }
    const quoted = part.length >= 2 && part.startsWith('"') && part.endsWith('"');
    if (!quoted && !options.allowBare) throw new QueryError(`Syntax error: the $search phrase ${part} must be in double quotes, e.g. "displayName:ava".`);
    if (!expectTerm && !options.allowBare) throw new QueryError('Syntax error: join $search phrases with OR or AND.');
    const body = quoted ? part.slice(1, -1) : part;
    const colon = body.indexOf(':');
    const named = colon > 0 ? properties.find((p) => p.toLowerCase() === body.slice(0, colon).toLowerCase()) : undefined;
    if (colon > 0 && !named && options.requireProperty) throw new QueryError(`Unsupported property '${body.slice(0, colon)}' in $search.`);
    if (!named && options.requireProperty) throw new QueryError(`The $search phrase "${body}" must name a property, e.g. "displayName:${body}".`);
    const value = (named ? body.slice(colon + 1) : body).trim().toLowerCase();
    if (!value) throw new QueryError('A $search phrase is empty.');
    groups[groups.length - 1]!.push(named ? { property: named, value } : { value });
    expectTerm = false;
  }
  if (expectTerm) throw new QueryError('Syntax error: the $search value ends with an operator.');
  return groups;
}

/** Directory-style match: the value is a prefix of the property or of one of its words. */
export function prefixMatch(property: string, value: string): boolean {
  const lower = property.toLowerCase();
  return lower.startsWith(value) || lower.split(/[\s.@_'-]+/).some((word) => word.startsWith(value));
}
