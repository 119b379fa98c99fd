import { describe, expect, it } from 'vitest';
import {
  EXPORT_SHAPES,
  detectHeaders,
  headerScore,
  headerSignature,
  missingFields,
  normalizeRow,
  unmaskPeople,
} from '../../../../src/core/usage-import/index.js';
import type { ColumnMapping } from '../../../../src/core/usage-import/index.js';

/** Autodesk Account's usage report, before 2026 (snake_case) and since (Title Case); the Token Flex API export. */
const LEGACY = ['email', 'first_name', 'last_name', 'team_alias', 'offering_name', 'product_name', 'version', 'day_used', 'tokens_used', 'access_option', 'hashed_autodesk_id'];
const TITLE_CASE = ['Email', 'First name', 'Last name', 'Team', 'Product', 'Feature', 'Day used', 'Tokens used'];
const TOKEN_FLEX_API = ['usageDate', 'userName', 'productName', 'tokensConsumed', 'chargedItemID', 'machineName', 'usageCategory'];

describe('the known export shapes, recognised by their header alone', () => {
  it('the usage report with its names from before 2026', () => {
    const d = detectHeaders(LEGACY);
    expect(d).toMatchObject({ format: 'usage_report_legacy', unit: 'tokens', missing: [], unknownHeaders: ['version', 'access_option'] });
    expect(d.mapping).toEqual({ email: 0, firstName: 1, lastName: 2, team: 3, service: 4, product: 5, date: 7, amount: 8, userHash: 10 });
  });

  it('the usage report with its 2026 names', () => {
    const d = detectHeaders(TITLE_CASE);
    expect(d).toMatchObject({ format: 'usage_report_2026', unit: 'tokens', missing: [], unknownHeaders: [] });
    expect(d.mapping).toEqual({ email: 0, firstName: 1, lastName: 2, team: 3, product: 4, service: 5, date: 6, amount: 7 });
  });

  it('the 2026 usage report with personal data off, which adds the hashed id', () => {
    expect(detectHeaders([...TITLE_CASE, 'hashed_autodesk_id']).mapping.userHash).toBe(8);
  });

  it('the Token Flex Usage Data API export: the user name is the person, the charged item its own id', () => {
    const d = detectHeaders(TOKEN_FLEX_API);
    expect(d).toMatchObject({ format: 'token_flex_api', unit: 'tokens', missing: [], unknownHeaders: ['machineName', 'usageCategory'] });
    expect(d.mapping).toEqual({ date: 0, userName: 1, product: 2, amount: 3, chargeId: 4 });
  });

  it('in any column order and case', () => {
    expect(detectHeaders([...LEGACY].reverse().map((h) => h.toUpperCase())).format).toBe('usage_report_legacy');
    expect(detectHeaders(['TOKENS USED', 'day used', 'product', 'EMAIL']).format).toBe('usage_report_2026');
  });

  it('each shape of the table is recognised from its own column names, with its unit', () => {
    for (const shape of EXPORT_SHAPES) {
      const headers = Object.values(shape.columns);
      const d = detectHeaders(headers);
      expect(d.format, shape.format).toBe(shape.format);
      expect(d.unit, shape.format).toBe(shape.unit);
      expect(missingFields(d.mapping), shape.format).toEqual([]);
    }
  });

  it('an export without one of its identifying columns is not that shape', () => {
    expect(detectHeaders(LEGACY.filter((h) => h !== 'tokens_used')).format).toBe('custom');
    expect(detectHeaders(TOKEN_FLEX_API.filter((h) => h !== 'userName')).missing).toEqual(['email']);
  });
});

describe('personal data off: masked emails and names are never the person', () => {
  const masked = ['*****', '*****', '*****', 'Firm', 'AutoCAD', 'AutoCAD', '2026', '2026-06-01', '7', 'Flex', 'f2edb95ceb2b2495ca15f21510b7a849'];

  it('unmaps the masked columns, so the hashed Autodesk id names the person', () => {
    const { mapping } = detectHeaders(LEGACY);
    const result = unmaskPeople(LEGACY, mapping, [masked, masked]);
    if ('problem' in result) throw new Error(result.problem.message);
    expect(result.masked).toEqual(['email', 'first_name', 'last_name']);
    expect(result.mapping).toEqual({ team: 3, service: 4, product: 5, date: 7, amount: 8, userHash: 10 });
    const row = normalizeRow(masked, 2, { mapping: result.mapping, columns: LEGACY.length, dateOrder: 'mdy', today: '2026-11-02' });
    expect(row.ok && row.row.person).toEqual({ kind: 'hash', hash: 'f2edb95ceb2b2495ca15f21510b7a849' });
  });

  it('leaves a file with real addresses as it is', () => {
    const { mapping } = detectHeaders(LEGACY);
    const open = ['bo@example.com', 'Bo', 'Carter', ...masked.slice(3)];
    expect(unmaskPeople(LEGACY, mapping, [open])).toEqual({ mapping, masked: [] });
  });

  it('refuses a masked file with no hashed id, saying what to do', () => {
    const headers = TITLE_CASE;
    const result = unmaskPeople(headers, detectHeaders(headers).mapping, [['*****', '*****', '*****', 'Firm', 'Revit', '', '2026-06-01', '10']]);
    if (!('problem' in result)) throw new Error('expected a refusal');
    expect(result.problem.code).toBe('MASKED_PERSON');
    expect(result.problem.message).toMatch(/personal data/i);
    expect(result.problem.message).toMatch(/hashed_autodesk_id/);
  });
});

describe('the Token Flex user name', () => {
  const mapping: ColumnMapping = { date: 0, userName: 1, product: 2, amount: 3 };
  const read = (user: string) => normalizeRow(['2026-06-01', user, 'Arnold', '5'], 2, { mapping, columns: 4, dateOrder: 'mdy', today: '2026-11-02' });

  it('is an email where the firm signs in with one, else an NT id or a machine name', () => {
    expect(read('Bo.Carter@Example.com')).toMatchObject({ ok: true, row: { person: { kind: 'email', email: 'bo.carter@example.com' } } });
    expect(read('CORP\\jdoe')).toMatchObject({ ok: true, row: { person: { kind: 'user', name: 'corp\\jdoe' } } });
    expect(read('RENDER-NODE-07')).toMatchObject({ ok: true, row: { person: { kind: 'user', name: 'render-node-07' } } });
  });
});

describe('a header signature and a workbook header row', () => {
  it('the signature is the same for the same names in any order or case, and differs otherwise', () => {
    expect(headerSignature(['When', 'Who', 'Spent'])).toBe(headerSignature(['spent', 'WHO', 'when']));
    expect(headerSignature(['When', 'Who', 'Spent'])).not.toBe(headerSignature(['When', 'Who', 'Spent', 'Tool']));
  });

  it('a complete header scores above a filters block or a title', () => {
    const header = headerScore(TITLE_CASE);
    expect(header).toBeGreaterThan(headerScore(['Date range', '2026-01-01 – 2026-06-30']));
    expect(header).toBeGreaterThan(headerScore(['Usage report']));
    expect(headerScore(['When', 'Who', 'What', 'How much'])).toBeGreaterThan(headerScore(['Usage report']));
  });
});
