/**
 * Flex mode (DESIGN 3.1, issue 7) over real HTTP against Azurite: IT switches to Flex tokens, packs are
 * bought and applied with an expiry, usage draws the earliest-expiring pack, the hourly timer's function
 * with a clock moved on expires a pack once (pack_expired), the alerts timer warns 90 and 30 days ahead,
 * and a Flex token export imports. The ledger checker runs after each step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../src/core/ledger/index.js';
import { raiseAlerts } from '../../server/app/alerts.js';
import { expireDuePacks } from '../../server/app/packs.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

let api: TestApi;
const [ana, ben] = EMPLOYEES as [DemoUser, DemoUser];
const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);

type LotView = { id: string; credits: number; remaining: number; expiresAt: string | null; expiredAt: string | null; expired: number };
const pool = async () => (await api.call(IT, 'GET', '/api/pool')).body as { balance: number; lots: LotView[] };
const feed = async () => (await api.call(IT, 'GET', '/api/feed?limit=50')).body.items as { kind: string; credits: number | null; purchaseId: string | null; message: string }[];
const sound = async () => expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
const clockAt = (iso: string, offsetMs: number) => ({ now: () => new Date(Date.parse(iso) + offsetMs) });

async function putSettings(changes: Record<string, unknown>) {
  const current = (await api.call(IT, 'GET', '/api/settings')).body as Record<string, unknown>;
  return api.call(IT, 'PUT', '/api/settings', { body: { ...current, ...changes } });
}

beforeAll(async () => {
  api = await startTestApi();
}, 120_000);

afterAll(async () => {
  await api?.stack.stop();
});

describe('Flex mode over HTTP', () => {
  let yearPack: string;
  let halfPack: string;

  it('IT switches to Flex tokens; a Flex policy with an allotment or no expiry is refused', async () => {
    const wrong = await putSettings({ unitName: 'Flex tokens' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(wrong.body.error.details.fields).toEqual(['individualAllotment', 'packExpiryMonths']);
    expect((await api.call(MANAGER, 'PUT', '/api/settings', { body: {} })).status).toBe(403);
    const switched = await putSettings({ unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 });
    expect(switched.status, JSON.stringify(switched.body)).toBe(200);
    expect((await api.call(ana, 'GET', '/api/policy')).body).toMatchObject({ unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 });
  });

  it('registration grants no tokens of one’s own; packs land with their expiry', async () => {
    await api.register(ana);
    await api.register(ben);
    expect((await api.call(ana, 'GET', '/api/me')).body.credits).toMatchObject({ own: 0 });
    yearPack = await api.fillPool(2);
    // A shorter expiry for the next pack: newer, but it expires first.
    expect((await putSettings({ packExpiryMonths: 6 })).status).toBe(200);
    halfPack = await api.fillPool(1);
    const { balance, lots } = await pool();
    expect(balance).toBe(300);
    const year = lots.find((l) => l.id === yearPack)!;
    const half = lots.find((l) => l.id === halfPack)!;
    expect(year.expiresAt! > half.expiresAt!).toBe(true);
    expect(Date.parse(year.expiresAt!) - Date.now()).toBeGreaterThan(360 * DAY);
    expect(Date.parse(half.expiresAt!) - Date.now()).toBeLessThan(185 * DAY);
    await sound();
  });

  it('usage draws the earliest-expiring pack first', async () => {
    const used = await api.call(ana, 'POST', '/api/usage', { body: { service: 'simulation', credits: 30, date: today() } });
    expect(used.status, JSON.stringify(used.body)).toBe(201);
    const draws = ((await api.call(ana, 'GET', '/api/usage')).body.items as { code: string; lotId: string | null; credits: number }[]).filter((t) => t.code === 'usage_pool');
    expect(draws.map((t) => [t.lotId, t.credits])).toEqual([[halfPack, 30]]);
    const { lots } = await pool();
    expect(lots.find((l) => l.id === halfPack)!.remaining).toBe(70);
    expect(lots.find((l) => l.id === yearPack)!.remaining).toBe(200);
    await sound();
  });

  it('the alerts timer warns 90 and then 30 days before a pack expires, with the amount at risk, once each', async () => {
    const half = (await pool()).lots.find((l) => l.id === halfPack)!;
    const deps = api.stack.deps;
    const at90 = { ...deps, clock: clockAt(half.expiresAt!, -80 * DAY) };
    const first = await raiseAlerts(at90, api.stack.tenant);
    expect(first.raised.filter((a) => a.kind === 'alert_pack_expiring').map((a) => a.key)).toEqual([`pack-expiring|${halfPack}|90`]);
    expect((await raiseAlerts(at90, api.stack.tenant)).raised.filter((a) => a.kind === 'alert_pack_expiring')).toEqual([]);
    const at30 = { ...deps, clock: clockAt(half.expiresAt!, -20 * DAY) };
    expect((await raiseAlerts(at30, api.stack.tenant)).raised.filter((a) => a.kind === 'alert_pack_expiring').map((a) => a.key)).toEqual([`pack-expiring|${halfPack}|30`]);
    const warnings = (await feed()).filter((e) => e.kind === 'alert_pack_expiring');
    expect(warnings.map((w) => w.credits)).toEqual([70, 70]);
    expect(warnings[0]!.message).toContain('70 tokens');
    await sound();
  });

  it('the pack expiry timer, with a clock moved on, expires the pack once and posts pack_expired', async () => {
    const half = (await pool()).lots.find((l) => l.id === halfPack)!;
    const deps = api.stack.deps;
    expect(await expireDuePacks(deps, api.stack.tenant)).toEqual({ due: 0, expired: [] });
    const later = { ...deps, clock: clockAt(half.expiresAt!, 60_000) };
    expect(await expireDuePacks(later, api.stack.tenant)).toEqual({ due: 1, expired: [halfPack] });
    expect(await expireDuePacks(later, api.stack.tenant)).toEqual({ due: 0, expired: [] });
    const after = await pool();
    expect(after.balance).toBe(200);
    expect(after.lots.find((l) => l.id === halfPack)).toMatchObject({ remaining: 0, expired: 70 });
    expect(after.lots.find((l) => l.id === halfPack)!.expiredAt).not.toBeNull();
    const lost = (await feed()).find((e) => e.kind === 'pack_expired');
    expect(lost).toMatchObject({ credits: 70, purchaseId: halfPack });
    expect(lost!.message).toContain('70 tokens');
    expect(checkInvariants(await api.stack.store.snapshot(api.stack.tenant))).toEqual([]);
    await sound();
  });

  it('imports a Flex token export (and refuses a Cloud Credits export in Flex mode)', async () => {
    const upload = (body: string, fileName: string) =>
      api.call(MANAGER, 'POST', `/api/usage/imports?fileName=${encodeURIComponent(fileName)}`, { rawBody: body, headers: { 'content-type': 'text/csv' } });
    const tokens = [
      'Usage Date,User Email,First Name,Last Name,Product Name,Product Version,Team Name,Tokens Consumed',
      `${today()},${ben.email},Ben,B,Revit,2026,Firm,10`,
      `${today()},${ben.email},Ben,B,AutoCAD,2026,Firm,7`,
      '',
    ].join('\n');
    const answer = await upload(tokens, 'flex.csv');
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ state: 'ready', format: 'flex_tokens' });
    const started = await api.call(MANAGER, 'POST', `/api/usage/imports/${answer.body.id}/commit`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    let view = started.body;
    for (let i = 0; i < 200 && view.state === 'committing'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await api.call(MANAGER, 'GET', `/api/usage/imports/${answer.body.id}`)).body;
    }
    expect(view.state, JSON.stringify(view)).toBe('committed');
    expect(view.result).toMatchObject({ posted: 2, amount: 17 });
    // Drawn from the live pack (the expired one is never drawn from).
    expect((await pool()).lots.find((l) => l.id === yearPack)!.remaining).toBe(183);
    const credits = await upload(`Date,Email,Service,Cloud Credits Used\n${today()},${ben.email},Simulation,3\n`, 'credits.csv');
    expect(credits.status).toBe(422);
    expect(JSON.stringify(credits.body)).toContain('UNIT_MISMATCH');
    await sound();
  });
});
