import { describe, expect, it } from 'vitest';
import type { RowContext } from '../../../../src/core/usage-import/index.js';
import { isBlankRecord, normalizeRow, parseAmount } from '../../../../src/core/usage-import/index.js';
import { fixtureBytes, readExport, utf8 } from './fixtures.js';

const HEADER = ['Date', 'Email', 'First Name', 'Last Name', 'Service', 'Product', 'Job Name', 'Credits Used', 'Team'];
const ctx: RowContext = { mapping: { date: 0, email: 1, firstName: 2, lastName: 3, service: 4, product: 5, job: 6, amount: 7, team: 8 }, columns: HEADER.length, dateOrder: 'mdy', today: '2026-06-30' };
const cells = (over: Partial<Record<number, string>> = {}) => {
  const base = ['06/02/2026', ' Avery.Lin@Example.com ', 'Avery', 'Lin', 'Cloud Rendering', 'Revit', 'cloud-8104', '7.5', 'Example Engineering'];
  for (const [i, v] of Object.entries(over)) base[Number(i)] = v ?? '';
  return base;
};
const problem = (record: string[], context = ctx) => {
  const result = normalizeRow(record, 9, context);
  if (result.ok) throw new Error('expected a problem');
  return result.problems[0]!;
};

describe('normalizeRow', () => {
  it('normalises a valid record', () => {
    const result = normalizeRow(cells(), 3, ctx);
    expect(result).toEqual({
      ok: true,
      row: {
        line: 3,
        date: '2026-06-02',
        person: { kind: 'email', email: 'avery.lin@example.com' },
        personName: 'Avery Lin',
        service: 'Cloud Rendering',
        product: 'Revit',
        job: 'cloud-8104',
        team: 'Example Engineering',
        amount: 750,
        // Day, person and amount as read, then every other value, sorted (see contentOf).
        content: ['2026-06-02', 'e:avery.lin@example.com', '750', 'avery', 'cloud rendering', 'cloud-8104', 'example engineering', 'lin', 'revit'].join('\u001f'),
      },
    });
  });

  it('takes the product as the service when the service cell is empty', () => {
    const result = normalizeRow(cells({ 4: '' }), 3, ctx);
    expect(result.ok && result.row.service).toBe('Revit');
  });

  it('reads a hashed person, lower-cased', () => {
    const hashed: RowContext = { mapping: { date: 0, userHash: 1, product: 2, amount: 3 }, columns: 4, dateOrder: 'mdy', today: '2026-06-30' };
    const result = normalizeRow(['2026-06-01', 'F2EDB95CEB2B2495CA15F21510B7A849', 'AutoCAD', '7'], 2, hashed);
    expect(result.ok && result.row.person).toEqual({ kind: 'hash', hash: 'f2edb95ceb2b2495ca15f21510b7a849' });
    expect(problem(['2026-06-01', 'abc', 'AutoCAD', '7'], hashed)).toMatchObject({ code: 'BAD_USER_HASH', field: 'userHash' });
    expect(problem(['2026-06-01', 'not a hash!', 'AutoCAD', '7'], hashed).code).toBe('BAD_USER_HASH');
    expect(problem(['2026-06-01', '', 'AutoCAD', '7'], hashed)).toMatchObject({ code: 'MISSING_VALUE', field: 'userHash' });
  });

  it('refuses a record with too few values for the mapped columns', () => {
    expect(problem(cells().slice(0, 5))).toMatchObject({ line: 9, code: 'WRONG_COLUMN_COUNT' });
  });

  it('tolerates missing trailing cells past the mapped columns and trailing empty cells', () => {
    const short: RowContext = { ...ctx, mapping: { date: 0, email: 1, service: 4, amount: 7 } };
    expect(normalizeRow(cells().slice(0, 8), 2, short).ok).toBe(true);
    expect(normalizeRow([...cells(), '', '  '], 2, ctx).ok).toBe(true);
  });

  it('refuses a record with more values than the header (an unquoted delimiter)', () => {
    expect(problem([...cells({ 7: '1' }), '234'])).toMatchObject({ code: 'WRONG_COLUMN_COUNT' });
  });

  it.each([
    [0, 'date'],
    [1, 'email'],
    [7, 'amount'],
  ] as const)('refuses an empty required value (column %i: %s)', (column, field) => {
    expect(problem(cells({ [column]: '  ' }))).toMatchObject({ code: 'MISSING_VALUE', field });
  });

  it('refuses a record with neither service nor product', () => {
    expect(problem(cells({ 4: '', 5: '' }))).toMatchObject({ code: 'MISSING_VALUE', field: 'service' });
  });

  it('refuses bad and future dates', () => {
    expect(problem(cells({ 0: '02/30/2026' }))).toMatchObject({ code: 'BAD_DATE', field: 'date' });
    expect(problem(cells({ 0: 'soon' }))).toMatchObject({ code: 'BAD_DATE' });
    expect(problem(cells({ 0: '07/01/2026' }))).toMatchObject({ code: 'FUTURE_DATE', field: 'date' });
    expect(normalizeRow(cells({ 0: '06/30/2026' }), 2, ctx).ok).toBe(true);
  });

  it('refuses a date outside the years 2000 to 2100 as a bad date on its line, as the API does', () => {
    for (const date of ['0000-01-01', '1999-12-31', '12/31/1999', '01 Jan 0001', '2101-01-01']) {
      expect(problem(cells({ 0: date })), date).toMatchObject({ line: 9, code: 'BAD_DATE', field: 'date', message: expect.stringMatching(/outside the years 2000 to 2100/) });
    }
    expect(normalizeRow(cells({ 0: '2000-01-01' }), 2, ctx)).toMatchObject({ ok: true, row: { date: '2000-01-01' } });
    expect(normalizeRow(cells({ 0: '01/01/00' }), 2, ctx)).toMatchObject({ ok: true, row: { date: '2000-01-01' } });
  });

  it('refuses what is not an email', () => {
    for (const email of ['avery', 'avery@', 'avery@example', 'a b@example.com', 'a@b@c.com']) {
      expect(problem(cells({ 1: email })), email).toMatchObject({ code: 'BAD_EMAIL', field: 'email' });
    }
  });

  it.each([
    ['1,234.5', 123450],
    ['1.234,5', 123450],
    ['1 234,5', 123450],
    ['1\u00a0234,50', 123450],
    ['12,5', 1250],
    ['12', 1200],
    ['0.01', 1],
    ['+3', 300],
    ['1,000,000', 100_000_000],
  ])('reads the amount %s as %i units', (text, units) => {
    expect(parseAmount(text)).toEqual({ ok: true, units });
  });

  it.each([
    ['0', 'ZERO_AMOUNT'],
    ['0.00', 'ZERO_AMOUNT'],
    ['-12', 'NEGATIVE_AMOUNT'],
    ['\u221212', 'NEGATIVE_AMOUNT'],
    ['(12)', 'NEGATIVE_AMOUNT'],
    ['12-', 'NEGATIVE_AMOUNT'],
    ['1.234', 'OK'],
    ['0.125', 'BAD_AMOUNT'],
    ['1.2345', 'BAD_AMOUNT'],
    ['1,234.567', 'BAD_AMOUNT'],
    ['12 credits', 'BAD_AMOUNT'],
    ['abc', 'BAD_AMOUNT'],
    ['1,000,000.01', 'BAD_AMOUNT'],
  ])('%s → %s', (text, code) => {
    const result = parseAmount(text);
    expect(result.ok ? 'OK' : result.code).toBe(code);
  });

  it('reports amount problems against the amount field', () => {
    expect(problem(cells({ 7: '-3' }))).toMatchObject({ code: 'NEGATIVE_AMOUNT', field: 'amount' });
  });

  it('reads a 0 amount as a valid row that posts nothing: Autodesk reports short launches with 0 tokens (issue 18)', () => {
    for (const zero of ['0', '0.00', '-0']) expect(normalizeRow(cells({ 7: zero }), 2, ctx), zero).toMatchObject({ ok: true, row: { amount: 0 } });
  });

  it('reports every problem of a row, not only the first (issue 18)', () => {
    const result = normalizeRow(cells({ 0: 'soon', 1: 'nobody', 4: '', 5: '', 7: '-3' }), 4, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.code, p.field])).toEqual([
      ['BAD_DATE', 'date'],
      ['BAD_EMAIL', 'email'],
      ['MISSING_VALUE', 'service'],
      ['NEGATIVE_AMOUNT', 'amount'],
    ]);
    expect(result.problems.every((p) => p.line === 4)).toBe(true);
  });

  it('isBlankRecord: only empty or whitespace cells', () => {
    expect(isBlankRecord([''])).toBe(true);
    expect(isBlankRecord(['', ' ', '\t'])).toBe(true);
    expect(isBlankRecord(['', 'x'])).toBe(false);
  });
});

describe('malformed files, end to end through the core', () => {
  const body = 'Date,Email,Service,Credits Used\n2026-06-01,a@x.co,Simulation,12\n2026-06-02,b@x.co,Cloud Rendering,3.5\n';

  it('a BOM does not change the rows', () => {
    const plain = readExport(utf8(body));
    const withBom = readExport(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(body)]));
    expect(withBom.headers).toEqual(['Date', 'Email', 'Service', 'Credits Used']);
    expect(withBom.rows).toEqual(plain.rows);
  });

  it('semicolons, dotted dates and comma decimals', () => {
    // No value settles the order here: read as the person answered (day first).
    const file = readExport(utf8('Date;Email;Service;Credits Used\n01.06.2026;a@x.co;Simulation;"1.234,50"\n02.06.2026;b@x.co;Simulation;2,5\n'), 'dmy');
    expect(file.verdict.kind).toBe('ask');
    expect(file.sniff).toMatchObject({ delimiter: ';' });
    expect(file.rows.map((r) => [r.date, r.amount])).toEqual([['2026-06-01', 123450], ['2026-06-02', 250]]);
  });

  it('blank lines are skipped and lines keep their numbers', () => {
    const file = readExport(utf8('\nDate,Email,Service,Credits Used\n\n2026-06-01,a@x.co,Simulation,12\n,,,\n\n2026-06-02,b@x.co,Simulation,1\n'));
    expect(file.problems).toEqual([]);
    expect(file.rows.map((r) => r.line)).toEqual([4, 7]);
  });

  it('quoted values with delimiters and line breaks', () => {
    const file = readExport(utf8('Date,Email,Service,Job Name,Credits Used\n2026-06-01,a@x.co,Simulation,"bracket, v2\nsecond try","1,234"\n'));
    expect(file.rows).toHaveLength(1);
    expect(file.rows[0]).toMatchObject({ job: 'bracket, v2 second try', amount: 123400 });
  });

  it('duplicated rows have the same content (the server gives them occurrences 0 and 1)', () => {
    const file = readExport(utf8(body + '2026-06-01,a@x.co,Simulation,12\n'));
    expect(file.rows).toHaveLength(3);
    expect(file.rows[2]?.content).toBe(file.rows[0]?.content);
    expect(file.rows[1]?.content).not.toBe(file.rows[0]?.content);
  });

  it('every bad row is reported with its line and reason', () => {
    const file = readExport(
      utf8(
        'Date,Email,Service,Credits Used\n' +
          '2026-06-01,a@x.co,Simulation,12\n' +
          '2026-06-01,a@x.co,Simulation,-4\n' +
          '2026-06-01,a@x.co,Simulation,0\n' +
          '2026-02-30,a@x.co,Simulation,1\n' +
          '2026-06-01,,Simulation,1\n' +
          '2026-06-01,a@x.co\n' +
          '2026-06-01,not-an-email,Simulation,1\n' +
          '2027-01-01,a@x.co,Simulation,1\n',
      ),
    );
    expect(file.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(file.problems).toEqual([
      { line: 3, code: 'NEGATIVE_AMOUNT', field: 'amount' },
      { line: 5, code: 'BAD_DATE', field: 'date' },
      { line: 6, code: 'MISSING_VALUE', field: 'email' },
      { line: 7, code: 'WRONG_COLUMN_COUNT' },
      { line: 8, code: 'BAD_EMAIL', field: 'email' },
      { line: 9, code: 'FUTURE_DATE', field: 'date' },
    ]);
  });

  it('a UTF-16 export reads like its UTF-8 twin', () => {
    const bytes = [0xff, 0xfe];
    for (const c of body) bytes.push(c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8);
    expect(readExport(new Uint8Array(bytes)).rows).toEqual(readExport(utf8(body)).rows);
  });

  it('reads every row of the sample exports', () => {
    for (const [name, rows] of [['cloud-services-usage.csv', 162], ['flex-token-usage.csv', 205], ['flex-token-usage-hashed.csv', 174]] as const) {
      const file = readExport(fixtureBytes(name));
      expect(file.problems, name).toEqual([]);
      expect(file.rows, name).toHaveLength(rows);
    }
    expect(readExport(fixtureBytes('cloud-services-usage.csv')).order).toBe('mdy');
  });
});
