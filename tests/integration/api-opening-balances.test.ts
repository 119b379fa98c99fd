import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DIRECTORY_ONLY } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

/** Go-live (DESIGN 3.4): IT loads opening balances over HTTP against Azurite, through the usage importer. */
let api: TestApi;
const [avery, blake, casey, devon, emery, finley] = EMPLOYEES as [DemoUser, DemoUser, DemoUser, DemoUser, DemoUser, DemoUser];
const [uma, victor] = DIRECTORY_ONLY as [DemoUser, DemoUser];

function upload(user: DemoUser, body: string, kind: string | undefined = 'opening_balances') {
  const query = `fileName=go-live.csv${kind ? `&kind=${kind}` : ''}`;
  return api.call(user, 'POST', `/api/usage/imports?${query}`, { rawBody: body, headers: { 'content-type': 'text/csv' } });
}

const commitAndWait = (id: string, query = '') => api.commitImport(IT, id, query);

const lookup = async (user: DemoUser) => (await api.call(IT, 'GET', `/api/members/lookup?email=${encodeURIComponent(user.email)}`)).body.member;
const pool = async () => (await api.call(IT, 'GET', '/api/pool')).body.balance as number;

const FILE = [
  'Email,Display Name,Own Credits Used,Registration State',
  `${avery.email},Avery Chen,30,Registered`,
  `${blake.email},Blake Okafor,12.5,active`,
  `${uma.email},Uma Newhire,0,Pending`,
  `${victor.email},Victor Lee,40,left`,
  'stranger@elsewhere.example,Stranger,5,registered',
  'not-an-email,Nobody,1,registered',
  `${casey.email},Casey Lindqvist,150,registered`,
  `${devon.email},Devon Patel,5,on holiday`,
  `${blake.email},Blake again,1,registered`,
  `${emery.email},Emery Rossi,-1,registered`,
  `${finley.email},Finley Novak,0.125,registered`,
  '',
].join('\n');

beforeAll(async () => {
  api = await startTestApi();
  await api.register(avery);
  await api.call(blake, 'GET', '/api/me');
});
afterAll(async () => api?.stack.stop());

describe('opening balances at go-live', () => {
  let firstId: string;

  it('are IT’s to load: an account manager is refused (403), and a usage upload is still theirs', async () => {
    const refused = await upload(MANAGER, FILE);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  });

  it('are detected and validated line by line, with people the directory knows ready to become members', async () => {
    const answer = await upload(IT, FILE);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const view = answer.body;
    firstId = view.id;
    expect(view.kind).toBe('opening_balances');
    expect(view.format).toBe('opening_balances');
    expect(view.missingFields).toEqual([]);
    expect(view.mapping).toMatchObject({ email: 'Email', name: 'Display Name', amount: 'Own Credits Used', state: 'Registration State' });
    expect(view.state).toBe('needs_links');
    expect(view.rows).toMatchObject({ total: 11, valid: 4, refused: 6, unmatched: 1 });
    expect(view.problems.map((p: { line: number; code: string }) => [p.line, p.code])).toEqual([
      [7, 'BAD_EMAIL'],
      [8, 'OVER_ALLOTMENT'],
      [9, 'BAD_STATE'],
      [10, 'DUPLICATE_PERSON'],
      [11, 'NEGATIVE_AMOUNT'],
      [12, 'BAD_AMOUNT'],
    ]);
    expect(view.unmatched).toEqual([expect.objectContaining({ person: 'stranger@elsewhere.example', amount: 5 })]);
    const uman = view.preview.find((p: { person: string }) => p.person === uma.email);
    expect(uman).toMatchObject({ status: 'ok', memberId: uma.id, registrationState: 'requested', message: 'New member, from the directory.' });
    const commit = await api.call(IT, 'POST', `/api/usage/imports/${view.id}/commit`);
    expect(commit.status).toBe(409);
  });

  it('an account manager cannot commit them', async () => {
    await api.call(IT, 'PUT', `/api/usage/imports/${firstId}/links`, { body: { links: [{ person: 'stranger@elsewhere.example', resolution: { kind: 'skip' } }] } });
    const answer = await api.call(MANAGER, 'POST', `/api/usage/imports/${firstId}/commit`);
    expect(answer.status).toBe(403);
  });

  it('commit: states moved by the usual rules, allotments granted, credits used taken, the pool loaded once', async () => {
    const poolBefore = await pool();
    const done = await commitAndWait(firstId, '?poolCredits=250.5');
    expect(done.state, JSON.stringify(done.error)).toBe('committed');
    expect(done.result).toMatchObject({ posted: 4, alreadyImported: 0, skipped: 1, amount: 82.5, refused: 0, allotments: 2, poolCredits: 250.5 });
    expect(await pool()).toBe(poolBefore + 250.5);

    const [a, b, u, v] = await Promise.all([lookup(avery), lookup(blake), lookup(uma), lookup(victor)]);
    expect(a).toMatchObject({ registration: { state: 'registered' }, credits: { own: 70 } });
    expect(b).toMatchObject({ registration: { state: 'registered' }, credits: { own: 87.5 } });
    expect(u).toMatchObject({ member: { id: uma.id }, registration: { state: 'requested' }, credits: { own: 0 } });
    expect(v).toMatchObject({ member: { id: victor.id }, registration: { state: 'left' }, credits: { own: 60 } });

    const history = (await api.call(IT, 'GET', `/api/usage?memberId=${avery.id}&limit=50`)).body.items as { code: string; credits: number; source: string }[];
    expect(history.filter((t) => t.code === 'opening_balance')).toEqual([expect.objectContaining({ credits: 30, source: `import:${firstId}` })]);
    expect((await api.ledgerCheck()).ok).toBe(true);

    const report = await api.call(IT, 'GET', `/api/usage/imports/${firstId}/report`);
    expect(report.body).toContain('7,refused,BAD_EMAIL');
    expect(report.body).toContain('6,skipped,SKIPPED_PERSON');
  });

  it('a re-run adds nothing, and the pool’s opening balance is refused a second time', async () => {
    const again = await upload(IT, FILE);
    expect(again.status).toBe(201);
    expect(again.body.preview.find((p: { person: string }) => p.person === avery.email).message).toBe('Opening balance already loaded: left as it is.');
    await api.call(IT, 'PUT', `/api/usage/imports/${again.body.id}/links`, { body: { links: [{ person: 'stranger@elsewhere.example', resolution: { kind: 'skip' } }] } });
    const twice = await api.call(IT, 'POST', `/api/usage/imports/${again.body.id}/commit?poolCredits=10`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('INVALID_TRANSITION');

    const poolBefore = await pool();
    const done = await commitAndWait(again.body.id);
    expect(done.result).toMatchObject({ posted: 0, alreadyImported: 4, amount: 0 });
    expect(await pool()).toBe(poolBefore);
    expect((await lookup(avery)).credits.own).toBe(70);
    expect((await api.ledgerCheck()).ok).toBe(true);
  });

  it('a usage commit takes no pool balance', async () => {
    const answer = await api.call(IT, 'POST', `/api/usage/imports/${firstId}/commit?poolCredits=-3`);
    expect(answer.status).toBe(400);
  });
});
