import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../../src/core/policy/index.js';
import { checkImportUnit, dayKey, rowId, serviceSlugFor, slugOf } from '../../../../src/core/usage-import/index.js';
import { policyWith } from '../helpers.js';
import { readExport, utf8 } from './fixtures.js';

/** As server/ports/ids.ts makes them (without the random tail), for a time in ms. */
const idAt = (ms: number) => (36 ** 9 - 1 - ms).toString(36).padStart(9, '0') + (36 ** 3 - 1).toString(36);

describe('rowId: a row\'s identity', () => {
  const file = readExport(utf8('Date,Email,Service,Job Name,Credits Used\n06/01/2026,a@x.co,Simulation,j-1,12\n06/01/2026,a@x.co,Simulation,j-1,12\n06/01/2026,a@x.co,Simulation,j-1,13\n'));
  const [first, second, other] = file.rows;
  if (!first || !second || !other) throw new Error('rows missing');

  it('is the day key, 24 hex of the content hash, and the occurrence in base 36', () => {
    const id = rowId(first, 0);
    expect(id).toMatch(/^[0-9a-z]{12}[0-9a-f]{24}-0$/);
    expect(id.slice(0, 12)).toBe(dayKey('2026-06-01'));
    expect(rowId(first, 37)).toMatch(/-11$/);
    expect(rowId(first, 0)).toBe(id);
  });

  it('two identical rows differ only by occurrence; another amount is another row', () => {
    expect(rowId(second, 0)).toBe(rowId(first, 0));
    expect(rowId(second, 1)).not.toBe(rowId(first, 0));
    expect(rowId(other, 0)).not.toBe(rowId(first, 0));
  });

  it('is the same for the same usage in an export with other columns, order, case and date format', () => {
    const moved = readExport(utf8('Team,credits used,JOB NAME,Notes,E-mail,Date,Service,Extra\nX Co,12,j-1,whatever,A@X.co,2026-06-01,Simulation ,\n'));
    const row = moved.rows[0];
    if (!row) throw new Error('no row');
    // Team is mapped here and not there: it is part of the content, so it differs...
    expect(row.content).not.toBe(first.content);
    // ...but a file with the same mapped fields in another order, with unmapped columns, matches.
    const same = readExport(utf8('Notes,credits used,JOB NAME,E-mail,Day,Service,Extra\nwhatever,"12.00",j-1,A@X.co,1-Jun-2026,SIMULATION,x\n'));
    expect(same.rows[0]?.content).toBe(first.content);
    expect(rowId(same.rows[0]!, 0)).toBe(rowId(first, 0));
  });
});

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
