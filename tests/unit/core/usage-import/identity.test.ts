import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../../src/core/policy/index.js';
import type { ColumnMapping } from '../../../../src/core/usage-import/index.js';
import { checkImportUnit, contentHash, dayKey, isLegacyRowId, legacyRowId, normalizeRow, rowId, rowServiceSlug, serviceSlugFor, slugOf } from '../../../../src/core/usage-import/index.js';
import { policyWith } from '../helpers.js';
import { TODAY, readExport, utf8 } from './fixtures.js';

/** As server/ports/ids.ts makes them (without the random tail), for a time in ms. */
const idAt = (ms: number) => (36 ** 9 - 1 - ms).toString(36).padStart(9, '0') + (36 ** 3 - 1).toString(36);

describe('rowId: a row\'s identity', () => {
  const file = readExport(utf8('Date,Email,Service,Job Name,Credits Used\n06/01/2026,a@x.co,Simulation,j-1,12\n06/01/2026,a@x.co,Simulation,j-1,12\n06/01/2026,a@x.co,Simulation,j-1,13\n'));
  const [first, second, other] = file.rows;
  if (!first || !second || !other) throw new Error('rows missing');

  it("is the day key, 'v', 23 hex of the content hash, and the occurrence in base 36", () => {
    const id = rowId(first, 0);
    expect(id).toMatch(/^[0-9a-z]{12}v[0-9a-f]{23}-0$/);
    expect(id.slice(0, 12)).toBe(dayKey('2026-06-01'));
    expect(rowId(first, 37)).toMatch(/-11$/);
    expect(rowId(first, 0)).toBe(id);
    expect(isLegacyRowId(id)).toBe(false);
  });

  it('two identical rows differ only by occurrence; another amount is another row', () => {
    expect(rowId(second, 0)).toBe(rowId(first, 0));
    expect(rowId(second, 1)).not.toBe(rowId(first, 0));
    expect(rowId(other, 0)).not.toBe(rowId(first, 0));
  });

  it('is the same for the same line uploaded with another mapping, column order, case, encoding or date format (issue 18)', () => {
    // The same line with its third column mapped as the service, then as the product: the legacy identity took the mapped service text.
    const line = ['2026-06-01', 'a@x.co', 'Fusion 360', 'Generative Design', '12'];
    const read = (mapping: ColumnMapping) => {
      const result = normalizeRow(line, 2, { mapping, columns: line.length, dateOrder: 'mdy', today: TODAY });
      if (!result.ok) throw new Error(result.problems[0]!.message);
      return result.row;
    };
    const one = read({ date: 0, email: 1, product: 2, service: 3, amount: 4 });
    const another = read({ date: 0, email: 1, service: 2, amount: 4 });
    expect(one.content).toBe(another.content);
    expect(rowId(one, 0)).toBe(rowId(another, 0));
    expect(legacyRowId(one, 0)).not.toBe(legacyRowId(another, 0));
    // Columns moved, names in other case, another date format, the amount written otherwise, UTF-16.
    const moved = readExport(utf16('credits used,JOB NAME,E-mail,Day,Service\n"12.00",J-1,A@X.co,1-Jun-2026,SIMULATION\n'));
    expect(moved.rows[0]!.content).toBe(first.content);
    expect(rowId(moved.rows[0]!, 0)).toBe(rowId(first, 0));
  });

  it("takes every value of the line: a column more (an export's own charge id) makes another row", () => {
    const charged = readExport(utf8('Date,Email,Service,Job Name,Credits Used,Charged Item ID\n06/01/2026,a@x.co,Simulation,j-1,12,C-1\n06/01/2026,a@x.co,Simulation,j-1,12,C-2\n'));
    expect(charged.rows[0]!.content).not.toBe(charged.rows[1]!.content);
    expect(charged.rows[0]!.content).not.toBe(first.content);
  });

  it('keeps the legacy id (mapped fields only, 24 hex) so rows imported under it stay recognised', () => {
    const legacy = legacyRowId(first, 0);
    expect(legacy).toMatch(/^[0-9a-z]{12}[0-9a-f]{24}-0$/);
    expect(isLegacyRowId(legacy)).toBe(true);
    expect(legacy).toBe(`${dayKey('2026-06-01')}${contentHash(['2026-06-01', 'e:a@x.co', 'simulation', '', 'j-1', '', '', '1200'].join('\u001f'))}-0`);
  });
});

const utf16 = (text: string) => new Uint8Array([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);

describe('dayKey', () => {
  it('sorts days newest first, among ids of the same day', () => {
    expect(dayKey('2026-06-02') < dayKey('2026-06-01')).toBe(true);
    expect(dayKey('2026-06-01')).toHaveLength(12);
    const noon = Date.UTC(2026, 5, 1, 12);
    expect(dayKey('2026-06-01')).toBe(idAt(noon));
    // An id made later in the day sorts before (newer), one made earlier after.
    expect(idAt(noon + 1000) < dayKey('2026-06-01')).toBe(true);
    expect(idAt(noon - 1000) > dayKey('2026-06-01')).toBe(true);
    expect(idAt(Date.UTC(2026, 5, 2)) < dayKey('2026-06-01')).toBe(true);
  });

  it('throws on what is not a date', () => {
    expect(() => dayKey('2026-02-30')).toThrow(RangeError);
  });
});

describe('serviceSlugFor', () => {
  it.each([
    ['Cloud Rendering', 'cloud_rendering'],
    ['cloud rendering', 'cloud_rendering'],
    ['Rendering', 'cloud_rendering'],
    ['Autodesk Rendering', 'cloud_rendering'],
    ['Simulation', 'simulation'],
    ['Fusion 360 Simulation', 'simulation'],
    ['Generative Design', 'generative_design'],
    ['Fusion 360 Generative Design', 'generative_design'],
    ['generative_design', 'generative_design'],
    ['Other', 'other'],
    ['Revit', 'revit'],
    ['AutoCAD', 'autocad'],
    ['Civil 3D', 'civil_3d'],
    ['3ds Max', 's_3ds_max'],
    ['  ', 'unknown'],
    ['Émulation Sûre', 'emulation_sure'],
  ])('%s → %s', (name, slug) => {
    const got = serviceSlugFor(DEFAULT_POLICY, name);
    expect(got).toBe(slug);
    expect(got).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
  });

  it("a row's service comes from whichever mapped column names one the policy knows (issue 18)", () => {
    expect(rowServiceSlug(DEFAULT_POLICY, 'Fusion 360', 'Generative Design')).toBe('generative_design');
    expect(rowServiceSlug(DEFAULT_POLICY, 'Simulation', 'Fusion 360')).toBe('simulation');
    expect(rowServiceSlug(DEFAULT_POLICY, 'Fusion 360', undefined)).toBe('fusion_360');
    expect(rowServiceSlug(DEFAULT_POLICY, 'Revit', 'AutoCAD')).toBe('revit');
  });

  it('makes valid slugs of long and odd names', () => {
    expect(slugOf('x'.repeat(60))).toHaveLength(40);
    expect(slugOf('!!!')).toBe('unknown');
    expect(slugOf('1' + '_a'.repeat(30))).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
  });
});

describe('checkImportUnit', () => {
  it('refuses tokens when the policy counts credits, and the reverse', () => {
    expect(checkImportUnit('tokens', DEFAULT_POLICY)).toMatchObject({ code: 'UNIT_MISMATCH', message: expect.stringMatching(/Flex tokens/) });
    expect(checkImportUnit('credits', policyWith({ unitName: 'Flex tokens' }))).toMatchObject({ code: 'UNIT_MISMATCH' });
  });

  it('accepts the policy\'s unit, or a file that does not say', () => {
    expect(checkImportUnit('credits', DEFAULT_POLICY)).toBeNull();
    expect(checkImportUnit('tokens', policyWith({ unitName: 'Flex tokens' }))).toBeNull();
    expect(checkImportUnit(null, DEFAULT_POLICY)).toBeNull();
  });
});
