/** Numbers as people write them in mail and exports. */

/**
 * "1.234,56", "1,234.56", "1 234,56" and "1'234.56" → 1234.56; "12,500" → 12500. The last separator decides:
 * it is the decimal mark unless it is a space or apostrophe, or it is the only one and three digits follow it.
 */
export function parseNumber(raw: string): number | null {
  const text = raw.trim().replace(/[\u00a0\u202f]/g, ' ').replace(/’/g, "'");
  if (!/^\d(?:[\d.,' ]*\d)?$/.test(text)) return null;
  const separators = [...text.matchAll(/[^\d]/g)].map((m) => ({ char: m[0], at: m.index }));
  const last = separators.at(-1);
  if (!last) return Number(text);
  const kinds = new Set(separators.map((s) => s.char));
  const digitsAfterLast = text.length - last.at - 1;
  const lastIsDecimal =
    last.char !== ' ' && last.char !== "'" && (kinds.size > 1 || (separators.length === 1 && digitsAfterLast !== 3));
  const groups = lastIsDecimal ? separators.slice(0, -1) : separators;
  if (new Set(groups.map((s) => s.char)).size > 1 || (lastIsDecimal && groups.some((s) => s.char === last.char))) return null;
  const [head = '', ...rest] = (lastIsDecimal ? text.slice(0, last.at) : text).split(groups[0]?.char ?? '\u0000');
  if (groups.length > 0 && (head.length > 3 || rest.some((group) => group.length !== 3))) return null;
  const value = Number(`${head}${rest.join('')}${lastIsDecimal ? `.${text.slice(last.at + 1)}` : ''}`);
  return Number.isFinite(value) ? value : null;
}
