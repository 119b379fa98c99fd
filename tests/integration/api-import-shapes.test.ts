/**
 * Real Autodesk export shapes (issue 18) over HTTP against Azurite: each is recognised from its header and
 * imports with no click beyond upload and commit, as CSV and as an Excel workbook (built here with exceljs);
 * with personal data off the hashed Autodesk id names the person; a mapping chosen by hand is remembered
 * for the next file with the same header.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, MANAGER, startTestApi } from '../support/api.js';

const [ana, ben, cleo, dev] = EMPLOYEES as [DemoUser, DemoUser, DemoUser, DemoUser];
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Cell = string | number | Date | null;

const csv = (rows: Cell[][]) => rows.map((r) => r.map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : String(c ?? ''))).join(',')).join('\r\n') + '\r\n';

/** A workbook as Autodesk Account exports it: the filters on the first sheet, the data on the second. */
async function workbook(rows: Cell[][], options: { filtersFirst?: boolean; titleRows?: number } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  if (options.filtersFirst ?? true) {
    const filters = book.addWorksheet('Filters');
    filters.addRow(['Usage report']);
    filters.addRow(['Date range', `${daysAgo(30)} – ${daysAgo(0)}`]);
    filters.addRow(['Team', 'All teams']);
  }
  const data = book.addWorksheet('Usage');
  for (let i = 0; i < (options.titleRows ?? 0); i++) data.addRow([`Exported ${daysAgo(0)}`]);
  for (const row of rows) data.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

function upload(api: TestApi, body: string | Buffer, fileName: string) {
  const contentType = fileName.endsWith('.xlsx') ? XLSX : 'text/csv';
  return api.call(MANAGER, 'POST', `/api/usage/imports?fileName=${encodeURIComponent(fileName)}`, { rawBody: body as string, headers: { 'content-type': contentType } });
}

/** Upload, then commit at once: the file must be ready without a click in between. */
async function importUntouched(api: TestApi, body: string | Buffer, fileName: string) {
  const answer = await upload(api, body, fileName);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  expect(answer.body.state, JSON.stringify({ missing: answer.body.missingFields, problems: answer.body.problems, unmatched: answer.body.unmatched })).toBe('ready');
  const done = await api.commitImport(MANAGER, answer.body.id);
  expect(done.state, JSON.stringify(done.error)).toBe('committed');
  return { uploaded: answer.body, done };
}

const importedTokens = async (api: TestApi, user: DemoUser) =>
  ((await api.call(MANAGER, 'GET', `/api/usage?memberId=${user.id}&limit=200`)).body.items as { source: string; credits: number }[])
    .filter((t) => t.source.startsWith('import:'))
    .reduce((sum, t) => sum + t.credits, 0);

describe('Flex token exports', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    await api.useFlexTokens();
    for (const user of [ana, ben, cleo, dev]) await api.register(user);
    await api.fillPool(50);
  }, 120_000);
  afterAll(async () => api?.stack.stop());

  const legacyHeader = ['email', 'first_name', 'last_name', 'team_alias', 'offering_name', 'product_name', 'version', 'day_used', 'tokens_used', 'access_option', 'hashed_autodesk_id'];
  const legacyRows = (day: number): Cell[][] => [
    legacyHeader,
    [ana.email, 'Ana', 'A', 'Firm', 'Revit', 'Revit', '2026', daysAgo(day), 10, 'Flex', 'a1b2c3d4e5f60718293a4b5c6d7e8f90'],
    [ben.email, 'Ben', 'B', 'Firm', 'AutoCAD', 'AutoCAD', '2026', daysAgo(day), 7, 'Flex', 'b1b2c3d4e5f60718293a4b5c6d7e8f90'],
  ];
  const titleHeader = ['Email', 'First name', 'Last name', 'Team', 'Product', 'Feature', 'Day used', 'Tokens used'];

  it.each([
    ['CSV', 'usage-legacy.csv'],
    ['Excel', 'usage-legacy.xlsx'],
  ])('the usage report with its names from before 2026 (%s) imports untouched', async (_kind, fileName) => {
    const day = fileName.endsWith('.xlsx') ? 3 : 2;
    const before = await importedTokens(api, ana);
    const body = fileName.endsWith('.xlsx') ? await workbook(legacyRows(day)) : csv(legacyRows(day));
    const { uploaded, done } = await importUntouched(api, body, fileName);
    expect(uploaded).toMatchObject({ format: 'usage_report_legacy', unit: 'tokens', missingFields: [] });
    expect(uploaded.mapping).toMatchObject({ date: 'day_used', email: 'email', amount: 'tokens_used', product: 'product_name', team: 'team_alias', userHash: 'hashed_autodesk_id' });
    expect(done.result).toMatchObject({ posted: 2, amount: 17 });
    expect(await importedTokens(api, ana)).toBe(before + 10);
  });

  it.each([
    ['CSV', 'usage-2026.csv'],
    ['Excel', 'usage-2026.xlsx'],
  ])('the usage report with its 2026 names (%s) imports untouched', async (_kind, fileName) => {
    const day = fileName.endsWith('.xlsx') ? 5 : 4;
    const rows: Cell[][] = [titleHeader, [cleo.email, 'Cleo', 'C', 'Firm', 'Fusion', 'Generative Design', new Date(`${daysAgo(day)}T00:00:00Z`), 12], [dev.email, 'Dev', 'D', 'Firm', 'Revit', '', daysAgo(day), 4]];
    const body = fileName.endsWith('.xlsx') ? await workbook(rows, { titleRows: 2 }) : csv(rows);
    const { uploaded, done } = await importUntouched(api, body, fileName);
    expect(uploaded).toMatchObject({ format: 'usage_report_2026', unit: 'tokens' });
    expect(uploaded.mapping).toMatchObject({ date: 'Day used', email: 'Email', amount: 'Tokens used', product: 'Product', service: 'Feature' });
    expect(uploaded.dateRange).toEqual({ from: daysAgo(day), to: daysAgo(day) });
    if (fileName.endsWith('.xlsx')) expect(uploaded.encoding).toMatch(/Excel workbook, sheet “Usage”, header on row 3/);
    expect(done.result).toMatchObject({ posted: 2, amount: 16 });
  });

  it('with personal data off, the hashed Autodesk id names the person, never the ***** email: linked once, untouched after', async () => {
    const masked = (day: number, hash: string, tokens: number): Cell[] => ['*****', '*****', '*****', 'Firm', 'Revit', 'Revit', '2026', daysAgo(day), tokens, 'Flex', hash];
    const hash = 'f2edb95ceb2b2495ca15f21510b7a849';
    const first = await upload(api, csv([legacyHeader, masked(6, hash, 3)]), 'usage-pii-off.csv');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ format: 'usage_report_legacy', state: 'needs_links', rows: { refused: 0 } });
    expect(first.body.mapping).toMatchObject({ email: null, firstName: null, lastName: null, userHash: 'hashed_autodesk_id' });
    expect(first.body.unmatched).toEqual([expect.objectContaining({ person: hash, kind: 'hash', rows: 1 })]);
    const report = await api.call(MANAGER, 'GET', `/api/usage/imports/${first.body.id}/report`);
    expect(String(report.body)).toMatch(/Person not identified: personal data is off in Autodesk Account/);
    const linked = await api.call(MANAGER, 'PUT', `/api/usage/imports/${first.body.id}/links`, { body: { links: [{ person: hash, resolution: { kind: 'member', memberId: dev.id } }] } });
    expect(linked.body.state).toBe('ready');
    expect((await api.commitImport(MANAGER, first.body.id)).result).toMatchObject({ posted: 1 });

    const before = await importedTokens(api, dev);
    const { uploaded } = await importUntouched(api, await workbook([legacyHeader, masked(7, hash, 5)]), 'usage-pii-off.xlsx');
    expect(uploaded.mapping).toMatchObject({ email: null, userHash: 'hashed_autodesk_id' });
    expect(await importedTokens(api, dev)).toBe(before + 5);
  });

  it('a masked export with no hashed id is refused, saying what to do', async () => {
    const answer = await upload(api, csv([titleHeader, ['*****', '*****', '*****', 'Firm', 'Revit', '', daysAgo(2), 3]]), 'masked.csv');
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'IMPORT_FILE_REFUSED', details: { problem: 'MASKED_PERSON' } });
  });

  it.each([
    ['CSV', 'token-flex.csv'],
    ['Excel', 'token-flex.xlsx'],
  ])('the Token Flex Usage Data API export (%s) imports untouched; its charged item id is kept as a column', async (_kind, fileName) => {
    const day = fileName.endsWith('.xlsx') ? 9 : 8;
    const rows: Cell[][] = [
      ['usageDate', 'userName', 'productName', 'tokensConsumed', 'chargedItemID', 'usageCategory'],
      [daysAgo(day), ana.email.toUpperCase(), 'AutoCAD', 6, `RXHKL8CZ${day}ES`, 'DESKTOP_PRODUCT'],
      [daysAgo(day), ben.email, 'Revit', 10, `RXHKL8DZ${day}ES`, 'DESKTOP_PRODUCT'],
    ];
    const body = fileName.endsWith('.xlsx') ? await workbook(rows, { filtersFirst: false }) : csv(rows);
    const { uploaded, done } = await importUntouched(api, body, fileName);
    expect(uploaded).toMatchObject({ format: 'token_flex_api', unit: 'tokens' });
    expect(uploaded.mapping).toMatchObject({ date: 'usageDate', userName: 'userName', product: 'productName', amount: 'tokensConsumed', chargeId: 'chargedItemID' });
    expect(done.result).toMatchObject({ posted: 2, amount: 16 });
  });

  it('a machine name in the Token Flex user field is a person to link once, then matched on its own', async () => {
    const rows = (day: number): Cell[][] => [
      ['usageDate', 'userName', 'productName', 'tokensConsumed', 'chargedItemID'],
      [daysAgo(day), 'RENDER-NODE-07', 'Arnold', 2, `M${day}`],
    ];
    const first = await upload(api, csv(rows(10)), 'machines.csv');
    expect(first.body.unmatched).toEqual([expect.objectContaining({ person: 'render-node-07', kind: 'user' })]);
    await api.call(MANAGER, 'PUT', `/api/usage/imports/${first.body.id}/links`, { body: { links: [{ person: 'render-node-07', resolution: { kind: 'member', memberId: cleo.id } }] } });
    expect((await api.commitImport(MANAGER, first.body.id)).result).toMatchObject({ posted: 1 });
    await importUntouched(api, csv(rows(11)), 'machines-next.csv');
  });
});

describe('cloud credit exports and remembered mappings', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    for (const user of [ana, ben]) await api.register(user);
    await api.fillPool(5);
  }, 120_000);
  afterAll(async () => api?.stack.stop());

  it.each([
    ['CSV', 'cloud.csv'],
    ['Excel', 'cloud.xlsx'],
  ])('cloud services usage with emails (%s) imports untouched', async (_kind, fileName) => {
    const day = fileName.endsWith('.xlsx') ? 3 : 2;
    const rows: Cell[][] = [
      ['Date', 'Email', 'First Name', 'Last Name', 'Service', 'Product', 'Job Name', 'Cloud Credits Used', 'Team'],
      [daysAgo(day), ana.email, 'Ana', 'A', 'Simulation', 'Fusion 360', `sim-${day}`, 2.5, 'Firm'],
    ];
    const body = fileName.endsWith('.xlsx') ? await workbook(rows) : csv(rows);
    const { uploaded, done } = await importUntouched(api, body, fileName);
    expect(uploaded).toMatchObject({ format: 'cloud_services', unit: 'credits' });
    expect(done.result).toMatchObject({ posted: 1, amount: 2.5 });
  });

  it('cloud services usage with a hashed user id instead is recognised, the id matched once linked', async () => {
    const rows = (day: number): Cell[][] => [
      ['Date', 'User ID (hashed)', 'Service', 'Cloud Credits Used'],
      [daysAgo(day), '3e85c7736681832eb6d57d84ef012996', 'Cloud Rendering', 1],
    ];
    const first = await upload(api, csv(rows(4)), 'cloud-hashed.csv');
    expect(first.body).toMatchObject({ format: 'cloud_services_hashed', state: 'needs_links' });
    await api.call(MANAGER, 'PUT', `/api/usage/imports/${first.body.id}/links`, { body: { links: [{ person: '3e85c7736681832eb6d57d84ef012996', resolution: { kind: 'member', memberId: ben.id } }] } });
    await api.commitImport(MANAGER, first.body.id);
    await importUntouched(api, await workbook(rows(5)), 'cloud-hashed.xlsx');
  });

  it('an unknown shape gets the mapping screen; the mapping chosen is applied to the next file with that header', async () => {
    const rows = (day: number): Cell[][] => [
      ['Wann', 'Wer', 'Was', 'Verbraucht'],
      [daysAgo(day), ana.email, 'Simulation', 1.25],
    ];
    const first = await upload(api, csv(rows(6)), 'eigene.csv');
    expect(first.body).toMatchObject({ state: 'needs_mapping', format: 'custom', mappingRemembered: false });
    const mapped = await api.call(MANAGER, 'PUT', `/api/usage/imports/${first.body.id}/mapping`, { body: { mapping: { date: 'Wann', email: 'Wer', service: 'Was', amount: 'Verbraucht' } } });
    expect(mapped.body.state, JSON.stringify(mapped.body)).toBe('ready');
    await api.commitImport(MANAGER, first.body.id);

    // The same header in another order and case, as a workbook: mapped as the person mapped it.
    const reordered = rows(7).map(([a, b, c, d]) => [d, c, b, a] as Cell[]);
    reordered[0] = ['VERBRAUCHT', 'was', 'Wer', 'wann'];
    const { uploaded } = await importUntouched(api, await workbook(reordered), 'eigene.xlsx');
    expect(uploaded).toMatchObject({ mappingRemembered: true, mapping: { date: 'wann', email: 'Wer', service: 'was', amount: 'VERBRAUCHT' } });
  });

  it('a damaged workbook, a ZIP that is no workbook and a password-protected one are refused with their reason, nothing kept', async () => {
    const good = await workbook([['Date', 'Email', 'Service', 'Cloud Credits Used'], [daysAgo(1), ana.email, 'Simulation', 1]]);
    const encrypted = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024), Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(1024)]);
    const before = (await api.call(MANAGER, 'GET', '/api/usage/imports?limit=50')).body.items.length;
    for (const [body, problem] of [
      [good.subarray(0, Math.floor(good.length / 2)), 'BROKEN_WORKBOOK'],
      [Buffer.concat([good.subarray(0, 30), Buffer.alloc(2000, 7)]), 'BROKEN_WORKBOOK'],
      [encrypted, 'ENCRYPTED_WORKBOOK'],
    ] as const) {
      const answer = await upload(api, body, 'broken.xlsx');
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'IMPORT_FILE_REFUSED', details: { problem } });
    }
    expect((await api.call(MANAGER, 'GET', '/api/usage/imports?limit=50')).body.items.length).toBe(before);
  });
});
