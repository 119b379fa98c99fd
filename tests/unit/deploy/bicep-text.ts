/**
 * main.bicep read as text (no Bicep compiler installs from the package registries this project reaches):
 * its comments stripped, and its parameters, resources and outputs as declared.
 */

/** Bicep without its comments (strings kept, `\'` escapes honoured), so a comment never counts as a setting. */
export function stripBicepComments(source: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const next = source[i + 1];
    if (inString) {
      out += c;
      if (c === '\\' && next !== undefined) out += source[++i];
      else if (c === "'") inString = false;
    } else if (c === "'") {
      inString = true;
      out += c;
    } else if (c === '/' && next === '/') {
      while (i + 1 < source.length && source[i + 1] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 1;
    } else {
      out += c;
    }
  }
  return out;
}

export interface BicepParam {
  name: string;
  /** string, int, bool, object, array; `securestring` for a `@secure()` string (as ARM JSON names it). */
  type: string;
  /** The default as written, or undefined. */
  fallback?: string;
  allowed?: (string | number)[];
  minLength?: number;
  maxLength?: number;
  minValue?: number;
  maxValue?: number;
}

export interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
  conditional: boolean;
  loop: boolean;
}

/** Parameters with their decorators (`@allowed([...])` may span lines). Takes Bicep without comments. */
export function bicepParams(bicep: string): BicepParam[] {
  const params: BicepParam[] = [];
  let decorators = '';
  let depth = 0;
  for (const line of bicep.split('\n')) {
    const trimmed = line.trim();
    if (depth > 0 || trimmed.startsWith('@')) {
      decorators += ` ${trimmed}`;
      const code = trimmed.replace(/'(?:[^'\\]|\\.)*'/g, "''");
      depth += (code.match(/[([]/g) ?? []).length - (code.match(/[)\]]/g) ?? []).length;
      continue;
    }
    const match = /^param (\w+) (\w+)(?: = (.+))?$/.exec(trimmed);
    if (match) {
      const [, name = '', type = '', fallback] = match;
      const number = (decorator: string) => {
        const value = new RegExp(`@${decorator}\\((-?\\d+)\\)`).exec(decorators)?.[1];
        return value === undefined ? undefined : Number(value);
      };
      const allowed = /@allowed\(\[(.*?)\]\)/.exec(decorators)?.[1];
      params.push({
        name,
        type: type === 'string' && decorators.includes('@secure()') ? 'securestring' : type,
        fallback: fallback?.trim(),
        allowed: allowed?.trim().split(/\s+/).map((item) => (/^'.*'$/.test(item) ? item.slice(1, -1) : Number(item))),
        minLength: number('minLength'),
        maxLength: number('maxLength'),
        minValue: number('minValue'),
        maxValue: number('maxValue'),
      });
    }
    if (trimmed !== '') decorators = '';
  }
  return params;
}

/** `resource symbol 'Type@version' = [if (...)] [[for ...]]{` declarations. */
export function bicepResources(bicep: string): BicepResource[] {
  return [...bicep.matchAll(/^resource (\w+) '([^'@]+)@([^']+)' = (if \(|\[\s*for |\{)/gm)].map((m) => ({
    symbol: m[1]!,
    type: m[2]!,
    apiVersion: m[3]!,
    conditional: m[4]!.startsWith('if'),
    loop: m[4]!.startsWith('['),
  }));
}

/** `output name type = …` → name → type. */
export function bicepOutputs(bicep: string): Map<string, string> {
  return new Map([...bicep.matchAll(/^output (\w+) (\w+) = /gm)].map((m) => [m[1]!, m[2]!]));
}
