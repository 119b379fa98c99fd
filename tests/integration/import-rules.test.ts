import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import { detectHeaders, legacyRowId, normalizeRow, planImportBatch } from '../../src/core/usage-import/index.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

/**
 * Issue 18, the import rules, over HTTP against Azurite: dates never guessed, one identity per line
 * whatever the mapping, exact repeats held back, 0-token rows, every problem of a row, a missing column
 * named, the service from whichever column carries it, and an import that posts nothing kept quiet.
 */
let api: TestApi;
const [avery, blake, casey, dana] = EMPLOYEES as [DemoUser, DemoUser, DemoUser, DemoUser];
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

function upload(body: string | Uint8Array, fileName: string) {
  return api.call(MANAGER, 'POST', `/api/usage/imports?fileName=${encodeURIComponent(fileName)}`, { rawBody: body as string, headers: { 'content-type': 'text/csv' } });
}
const setMapping = (id: string, body: object) => api.call(MANAGER, 'PUT', `/api/usage/imports/${id}/mapping`, { body });
const importedOf = async (user: DemoUser) =>
  ((await api.call(MANAGER, 'GET', `/api/usage?memberId=${user.id}&limit=200`)).body.items as { source: string; credits: number; date: string; service: string }[]).filter((t) =>
    t.source.startsWith('import:'),
  );
const feedKinds = async () => ((await api.call(IT, 'GET', '/api/feed?limit=50')).body.items as { kind: string }[]).map((e) => e.kind);

beforeAll(async () => {
  api = await startTestApi();
  for (const user of [avery, blake, casey, dana]) await api.register(user);
  await api.fillPool(5);
}, 60_000);
afterAll(async () => api?.stack.stop());

describe('dates are never guessed silently', () => {
  it('a file whose every date fits both orders asks once, with examples, and posts nothing until answered', async () => {
    const file = `Date,Email,Service,Cloud Credits Used\n06/12/2025,${avery.email},Simulation,1\n07/11/2025,${avery.email},Simulation,2\n2025-05-01,${avery.email},Simulation,3\n`;
    const uploaded = await upload(file, 'ambiguous.csv');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    expect(uploaded.body).toMatchObject({ state: 'needs_date_order', dateOrder: null, dateRange: null });
    expect(uploaded.body.dateQuestion).toEqual([
      { line: 2, value: '06/12/2025', monthFirst: '2025-06-12', dayFirst: '2025-12-06' },
      { line: 3, value: '07/11/2025', monthFirst: '2025-07-11', dayFirst: '2025-11-07' },
    ]);
    // No guessed date is shown either.
    expect(uploaded.body.preview.map((p: { date: string | null }) => p.date)).toEqual([null, null, null]);
    const early = await api.call(MANAGER, 'POST', `/api/usage/imports/${uploaded.body.id}/commit`);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'IMPORT_NOT_READY', details: { state: 'needs_date_order' } });

    const answered = await setMapping(uploaded.body.id, { mapping: {}, dateOrder: 'dmy' });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body).toMatchObject({ state: 'ready', dateOrder: 'dmy', dateRange: { from: '2025-05-01', to: '2025-12-06' } });
    const done = await api.commitImport(MANAGER, uploaded.body.id);
    expect(done.result).toMatchObject({ posted: 3 });
    expect((await importedOf(avery)).map((t) => t.date).sort()).toEqual(['2025-05-01', '2025-11-07', '2025-12-06']);
  });

  it('a file whose dates need both orders is refused, naming the rows, and nothing is kept', async () => {
    const file = `Date,Email,Service,Cloud Credits Used\n06/12/2025,${blake.email},Simulation,1\n15.06.2025,${blake.email},Simulation,2\n06/13/2025,${blake.email},Simulation,3\n25/06/2025,${blake.email},Simulation,4\n`;
    const refused = await upload(file, 'mixed-dates.csv');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'IMPORT_FILE_REFUSED', details: { problem: 'DATE_CONFLICT', dateLines: { monthFirst: [4], dayFirst: [3, 5] } } });
    expect(refused.body.error.message).toMatch(/month first \(line 4\).*day first \(lines 3, 5\)/);
    const list = (await api.call(MANAGER, 'GET', '/api/usage/imports?limit=50')).body.items as { fileName: string }[];
    expect(list.map((i) => i.fileName)).not.toContain('mixed-dates.csv');
  });
});

describe('one identity per line, whatever the mapping', () => {
  it('the same lines uploaded again with another mapping, column order and encoding are already imported', async () => {
    const first = `Date,Email,Offering,Product,Cloud Credits Used\n${daysAgo(20)},${casey.email},Fusion 360,Simulation,4\n${daysAgo(19)},${casey.email},Fusion 360,Cloud Rendering,2\n`;
    const uploaded = await upload(first, 'identity-1.csv');
    expect(uploaded.body.state).toBe('ready');
    expect((await api.commitImport(MANAGER, uploaded.body.id)).result).toMatchObject({ posted: 2 });

    // Columns moved, Offering now mapped as the service, UTF-16 with a byte-order mark.
    const moved = `Cloud Credits Used,Product,Email,Offering,Date\n4,Simulation,${casey.email},Fusion 360,${daysAgo(20)}\n2,Cloud Rendering,${casey.email},Fusion 360,${daysAgo(19)}\n`;
    const again = await upload(utf16(moved), 'identity-2.csv');
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const remapped = await setMapping(again.body.id, { mapping: { service: 'Offering' } });
    expect(remapped.body).toMatchObject({ state: 'ready', format: 'custom' });
    const done = await api.commitImport(MANAGER, again.body.id);
    expect(done.result).toMatchObject({ posted: 0, alreadyImported: 2 });
    expect(await importedOf(casey)).toHaveLength(2);
  });

  it('rows an earlier version imported under the legacy identity stay recognised', async () => {
    const file = `Date,Email,Service,Cloud Credits Used\n${daysAgo(25)},${casey.email},Generative Design,3\n`;
    const headers = ['Date', 'Email', 'Service', 'Cloud Credits Used'];
    const read = normalizeRow([daysAgo(25), casey.email, 'Generative Design', '3'], 2, { mapping: detectHeaders(headers).mapping, columns: 4, dateOrder: 'mdy', today: daysAgo(0) });
    if (!read.ok) throw new Error('row refused');
    const legacyId = legacyRowId(read.row, 0);
    // Posted as the importer did before: the row's transfer carries its legacy id.
    const posted = await api.stack.store.execute(DEMO_TENANT, {
      actor: MANAGER.id,
      idempotency: { caller: 'test', key: 'legacy-import', fingerprint: 'legacy-import' },
      needs: { members: [casey.id], lots: true },
      decide: (state, ctx) => {
        const row = { rowId: legacyId, line: 2, memberId: casey.id, date: read.row.date, service: 'generative_design', amount: read.row.amount };
        const planned = planImportBatch(state, { importId: 'legacy', rows: [row], provisional: [], settleWindowDays: 3, budget: { max: 90, chars: 200_000 } }, ctx);
        return planned.ok ? { ok: true, value: { posting: planned.value.posting, answer: null } } : planned;
      },
    });
    expect(posted.kind).toBe('committed');
    const uploaded = await upload(file, 'legacy-again.csv');
    const done = await api.commitImport(MANAGER, uploaded.body.id);
    expect(done.result).toMatchObject({ posted: 0, alreadyImported: 1 });
  });
});

describe('rows that post nothing, and rows with problems', () => {
  it('a line repeated exactly is shown and left out unless the person confirms it', async () => {
    const line = `${daysAgo(15)},${dana.email},Simulation,5`;
    const file = `Date,Email,Service,Cloud Credits Used\n${line}\n${line}\n${daysAgo(15)},${dana.email},Simulation,6\n`;
    const uploaded = await upload(file, 'repeats.csv');
    expect(uploaded.body).toMatchObject({ state: 'ready', postRepeated: false, rows: { valid: 3, repeated: 1 } });
    expect(uploaded.body.preview[1]).toMatchObject({ line: 3, message: 'The same as line 2.' });
    const done = await api.commitImport(MANAGER, uploaded.body.id);
    expect(done.result).toMatchObject({ posted: 2, repeatsNotPosted: 1, amount: 11 });
    const report = String((await api.call(MANAGER, 'GET', `/api/usage/imports/${uploaded.body.id}/report`)).body);
    expect(report).toContain('3,repeated,REPEATED_ROW,"The same as line 2');

    const twice = `${daysAgo(14)},${dana.email},Simulation,7`;
    const confirmed = await upload(`Date,Email,Service,Cloud Credits Used\n${twice}\n${twice}\n`, 'repeats-confirmed.csv');
    const choice = await setMapping(confirmed.body.id, { mapping: {}, postRepeated: true });
    expect(choice.body).toMatchObject({ state: 'ready', postRepeated: true });
    expect((await api.commitImport(MANAGER, confirmed.body.id)).result).toMatchObject({ posted: 2, amount: 14 });
  });

  it('0-token rows are read, counted and shown, and post nothing', async () => {
    const file = `Date,Email,Service,Cloud Credits Used\n${daysAgo(12)},${dana.email},Simulation,0\n${daysAgo(12)},${dana.email},Simulation,2\n${daysAgo(11)},nobody@elsewhere.example,Simulation,0.00\n`;
    const uploaded = await upload(file, 'zero.csv');
    expect(uploaded.body).toMatchObject({ state: 'ready', rows: { total: 3, valid: 1, refused: 0, unmatched: 0, zero: 2 }, problems: [] });
    expect(uploaded.body.preview.map((p: { status: string }) => p.status)).toEqual(['zero', 'ok', 'zero']);
    const done = await api.commitImport(MANAGER, uploaded.body.id);
    expect(done.result).toMatchObject({ posted: 1, zero: 2, amount: 2 });
  });

  it('every problem of a row is reported, not only the first', async () => {
    const file = `Date,Email,Service,Cloud Credits Used\nsoon,nobody,,-3\n${daysAgo(3)},${dana.email},Simulation,1\n`;
    const uploaded = await upload(file, 'problems.csv');
    expect(uploaded.body.rows).toMatchObject({ total: 2, refused: 1 });
    expect(uploaded.body.problems.map((p: { line: number; code: string }) => [p.line, p.code])).toEqual([
      [2, 'BAD_DATE'],
      [2, 'BAD_EMAIL'],
      [2, 'MISSING_VALUE'],
      [2, 'NEGATIVE_AMOUNT'],
    ]);
  });

  it('a file with no amount column is refused naming it; a column with an unknown name still goes to the mapping', async () => {
    const noAmount = await upload(`Date,Email,Service,Notes\n${daysAgo(3)},${dana.email},Simulation,checked\n`, 'no-amount.csv');
    expect(noAmount.status).toBe(422);
    expect(noAmount.body.error).toMatchObject({ code: 'IMPORT_FILE_REFUSED', details: { problem: 'MISSING_COLUMNS', fields: ['amount'] } });
    expect(noAmount.body.error.message).toMatch(/no column for the amount used/);
    const unknownName = await upload(`Date,Email,Service,Spent\n${daysAgo(3)},${dana.email},Simulation,2\n`, 'unknown-name.csv');
    expect(unknownName.body).toMatchObject({ state: 'needs_mapping', missingFields: ['amount'] });
  });
});

describe('settling self-logged usage and quiet imports', () => {
  it("settles a self-logged entry when the service is only in the product column's name", async () => {
    const logged = await api.call(blake, 'POST', '/api/usage', { body: { service: 'generative_design', credits: 5, date: daysAgo(6) } });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const file = `Date,Email,Service,Product,Cloud Credits Used\n${daysAgo(6)},${blake.email},Fusion 360,Fusion 360 Generative Design,5\n`;
    const uploaded = await upload(file, 'feature-column.csv');
    const done = await api.commitImport(MANAGER, uploaded.body.id);
    expect(done.result).toMatchObject({ posted: 1, settled: 1, unconfirmedProvisional: 0 });
    expect((await importedOf(blake)).at(-1)).toMatchObject({ service: 'generative_design' });
  });

  it('an import that posts nothing raises no alert, flags nobody, and says nothing new', async () => {
    // Avery logs usage the export does not have, and the export overdraws the pool.
    expect((await api.call(avery, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits: 1, date: daysAgo(2) } })).status).toBe(201);
    const file = `Date,Email,Service,Cloud Credits Used\n${daysAgo(2)},${avery.email},Simulation,900\n`;
    const first = await api.commitImport(MANAGER, (await upload(file, 'overdraw.csv')).body.id);
    expect(first.result).toMatchObject({ posted: 1, reconciliationAlert: true, unconfirmedProvisional: 1 });
    const before = await feedKinds();

    const again = await api.commitImport(MANAGER, (await upload(file, 'overdraw-again.csv')).body.id);
    expect(again).toMatchObject({ state: 'committed', result: { posted: 0, alreadyImported: 1, reconciliationAlert: false, unconfirmedProvisional: 0 } });
    expect(await feedKinds()).toEqual(before);
  });
});

function utf16(text: string): Uint8Array {
  const bytes = [0xff, 0xfe];
  for (const c of text) bytes.push(c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8);
  return new Uint8Array(bytes);
}
