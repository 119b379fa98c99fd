/**
 * Reads ARM template expressions (`"[union(createObject('A', 1), …)]"`) as a tree, so the tests can compare
 * main.json's app settings with main.bicep's without an ARM engine. Only the grammar: calls, string and
 * number literals, `.member` and `[index]`; nothing is evaluated.
 */
export type ArmExpression =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: ArmExpression[] }
  | { kind: 'member'; target: ArmExpression; name: string }
  | { kind: 'index'; target: ArmExpression; index: ArmExpression };

/** The expression inside a `"[…]"` template string; undefined for a plain string value. */
export function parseArmString(value: string): ArmExpression | undefined {
  if (!value.startsWith('[') || value.startsWith('[[') || !value.endsWith(']')) return undefined;
  return parseArmExpression(value.slice(1, -1));
}

export function parseArmExpression(source: string): ArmExpression {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`ARM expression: ${what} at ${at} in ${source.slice(0, 80)}…`);
  };
  const skipSpace = () => {
    while (source[at] === ' ') at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (source[at] !== char) fail(`expected "${char}"`);
    at++;
  };

  const primary = (): ArmExpression => {
    skipSpace();
    const c = source[at];
    if (c === "'") {
      let value = '';
      at++;
      for (;;) {
        if (at >= source.length) fail('unterminated string');
        if (source[at] === "'") {
          if (source[at + 1] === "'") {
            value += "'";
            at += 2;
            continue;
          }
          at++;
          return { kind: 'string', value };
        }
        value += source[at++];
      }
    }
    const number = /^-?\d+/.exec(source.slice(at));
    if (number) {
      at += number[0].length;
      return { kind: 'number', value: Number(number[0]) };
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at))?.[0] ?? fail('expected a function name');
    at += name.length;
    expect('(');
    const args: ArmExpression[] = [];
    skipSpace();
    if (source[at] === ')') at++;
    else {
      for (;;) {
        args.push(expression());
        skipSpace();
        if (source[at] === ',') at++;
        else if (source[at] === ')') {
          at++;
          break;
        } else fail('expected "," or ")"');
      }
    }
    return { kind: 'call', name, args };
  };

  const expression = (): ArmExpression => {
    let node = primary();
    for (;;) {
      skipSpace();
      if (source[at] === '.') {
        at++;
        const member = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(at))?.[0] ?? fail('expected a member name');
        at += member.length;
        node = { kind: 'member', target: node, name: member };
      } else if (source[at] === '[') {
        at++;
        const index = expression();
        expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  };

  const tree = expression();
  skipSpace();
  if (at !== source.length) fail('unexpected text');
  return tree;
}

/** `createObject('k1', v1, 'k2', v2)` → k1 → v1, k2 → v2. */
export function createObjectEntries(node: ArmExpression): Map<string, ArmExpression> {
  if (node.kind !== 'call' || node.name !== 'createObject') throw new Error('not a createObject call');
  const entries = new Map<string, ArmExpression>();
  for (let i = 0; i < node.args.length; i += 2) {
    const key = node.args[i];
    if (key?.kind !== 'string' || !node.args[i + 1]) throw new Error('createObject takes string keys, each with a value');
    entries.set(key.value, node.args[i + 1]!);
  }
  return entries;
}

/**
 * The Function App settings of a `union(createObject(…), …, createObject('choice', createObject(…), …)[parameters('x')])`:
 * the settings always set, and those of each choice of the indexing parameter.
 */
export function appSettingsFromUnion(properties: string): { always: Map<string, ArmExpression>; byChoice: Map<string, Map<string, ArmExpression>> } {
  const tree = parseArmString(properties);
  if (tree?.kind !== 'call' || tree.name !== 'union') throw new Error('the app settings are not a union(…) expression');
  const always = new Map<string, ArmExpression>();
  const byChoice = new Map<string, Map<string, ArmExpression>>();
  for (const part of tree.args) {
    if (part.kind === 'index') {
      for (const [choice, settings] of createObjectEntries(part.target)) byChoice.set(choice, createObjectEntries(settings));
    } else {
      for (const [name, value] of createObjectEntries(part)) always.set(name, value);
    }
  }
  return { always, byChoice };
}

/** The text of a node, for messages and simple comparisons. */
export function armText(node: ArmExpression): string {
  switch (node.kind) {
    case 'string':
      return `'${node.value.replaceAll("'", "''")}'`;
    case 'number':
      return String(node.value);
    case 'call':
      return `${node.name}(${node.args.map(armText).join(', ')})`;
    case 'member':
      return `${armText(node.target)}.${node.name}`;
    case 'index':
      return `${armText(node.target)}[${armText(node.index)}]`;
  }
}
