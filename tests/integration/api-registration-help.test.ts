/**
 * POST /api/registrations/{memberId}/help over HTTP against Azurite: the quarantine helper found nothing,
 * and the person tells the account managers. One stuck-registration alert per waiting account.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, startTestApi } from '../support/api.js';

let api: TestApi;
const [waiting, requested, racer, other] = EMPLOYEES.slice(4) as [DemoUser, DemoUser, DemoUser, DemoUser];

const helpFor = (user: DemoUser, asUser: DemoUser = user, key?: string) => api.call(asUser, 'POST', `/api/registrations/${user.id}/help`, key ? { key } : {});

async function moveTo(user: DemoUser, state: 'requested' | 'account_created'): Promise<void> {
  expect((await api.call(user, 'GET', '/api/me')).status).toBe(200);
  expect((await api.call(user, 'POST', '/api/registrations', { body: {} })).status).toBe(201);
  if (state === 'account_created') {
    expect((await api.call(MANAGER, 'POST', `/api/registrations/${user.id}/events`, { body: { type: 'account_created' } })).status).toBe(200);
  }
}

interface FeedItem {
  kind: string;
  memberId: string | null;
  memberName: string | null;
  message: string;
}

async function helpAlertsFor(user: DemoUser): Promise<FeedItem[]> {
  const feed = await api.call(MANAGER, 'GET', '/api/feed?limit=200');
  expect(feed.status).toBe(200);
  return (feed.body.items as FeedItem[]).filter((e) => e.kind === 'alert_registration_stuck' && e.memberId === user.id && /asked for help/.test(e.message));
}

beforeAll(async () => {
  api = await startTestApi();
  await moveTo(waiting, 'account_created');
  await moveTo(requested, 'requested');
  await moveTo(racer, 'account_created');
  await api.call(other, 'GET', '/api/me');
});

afterAll(async () => {
  await api?.stack.stop();
});

describe('asking the account managers for help with the Autodesk email', () => {
  it('writes one stuck-registration alert naming the person, and answers flagged', async () => {
    const answer = await helpFor(waiting, waiting, 'help-key-1');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ flagged: true, alreadyFlagged: false });
    const alerts = await helpAlertsFor(waiting);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ memberName: waiting.displayName, message: `${waiting.displayName} could not find the Autodesk email and asked for help.` });
  });

  it('raises nothing new when asked again for the same waiting account, and says it was already raised', async () => {
    const again = await helpFor(waiting);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ flagged: true, alreadyFlagged: true });
    expect(await helpAlertsFor(waiting)).toHaveLength(1);
  });

  it("puts the time of the first ask on the person's row of the managers' queue, for account managers and IT", async () => {
    const alert = (await api.call(MANAGER, 'GET', '/api/feed?limit=200')).body.items.find(
      (e: FeedItem & { at: string }) => e.kind === 'alert_registration_stuck' && e.memberId === waiting.id,
    ) as { at: string };
    for (const asUser of [MANAGER, IT]) {
      const queue = await api.call(asUser, 'GET', '/api/registrations?state=account_created&limit=100');
      expect(queue.status).toBe(200);
      const row = queue.body.items.find((r: { member: { id: string } }) => r.member.id === waiting.id);
      expect(row.registration.helpAskedAt, asUser.email).toBe(alert.at);
      const others = queue.body.items.filter((r: { member: { id: string } }) => r.member.id !== waiting.id && r.member.id !== racer.id);
      expect(others.every((r: { registration: object }) => !('helpAskedAt' in r.registration))).toBe(true);
    }
    const audit = await api.call(MANAGER, 'GET', '/api/audit?limit=20');
    expect(audit.body.items.some((e: { changes: { kind: string; memberId?: string; what?: string }[] }) => e.changes.some((c) => c.memberId === waiting.id && c.what === 'help'))).toBe(true);
  });

  it('replays the first answer for a repeated idempotency key (a lost answer retried), raising nothing', async () => {
    const replay = await helpFor(waiting, waiting, 'help-key-1');
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ flagged: true, alreadyFlagged: false });
    expect(await helpAlertsFor(waiting)).toHaveLength(1);
  });

  it('raises one alert when two asks race', async () => {
    const answers = await Promise.all([helpFor(racer), helpFor(racer), helpFor(racer)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.filter((a) => a.body.alreadyFlagged === false)).toHaveLength(1);
    expect(await helpAlertsFor(racer)).toHaveLength(1);
  });

  it('refuses anyone but the person themself, account managers and IT included', async () => {
    for (const asUser of [other, MANAGER, IT]) {
      const answer = await helpFor(waiting, asUser);
      expect(answer.status, asUser.email).toBe(403);
      expect(answer.body.error.code).toBe('FORBIDDEN');
    }
    expect((await api.call(undefined, 'POST', `/api/registrations/${waiting.id}/help`)).status).toBe(401);
  });

  it('refuses with 409 INVALID_TRANSITION before the account is created', async () => {
    const answer = await helpFor(requested);
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('INVALID_TRANSITION');
    expect(answer.body.error.details).toMatchObject({ from: 'requested', allowedIn: ['account_created'] });
    expect(await helpAlertsFor(requested)).toHaveLength(0);
  });

  it('lets a later account (declined, requested and created again) ask again', async () => {
    expect((await api.call(MANAGER, 'POST', `/api/registrations/${waiting.id}/events`, { body: { type: 'declined', reason: 'Wrong contract; raising again' } })).status).toBe(200);
    expect((await api.call(waiting, 'POST', '/api/registrations', { body: {} })).status).toBe(201);
    expect((await api.call(MANAGER, 'POST', `/api/registrations/${waiting.id}/events`, { body: { type: 'account_created' } })).status).toBe(200);
    const created = await api.call(MANAGER, 'GET', '/api/registrations?state=account_created&limit=100');
    const before = created.body.items.find((r: { member: { id: string } }) => r.member.id === waiting.id);
    expect(before.registration).not.toHaveProperty('helpAskedAt'); // the earlier ask belonged to the earlier account
    const answer = await helpFor(waiting);
    expect(answer.body).toEqual({ flagged: true, alreadyFlagged: false });
    expect(await helpAlertsFor(waiting)).toHaveLength(2);
  });

  it('refuses once registration is complete, and leaves the ledger consistent', async () => {
    expect((await api.call(waiting, 'POST', `/api/registrations/${waiting.id}/events`, { body: { type: 'completed' } })).status).toBe(200);
    expect((await helpFor(waiting)).status).toBe(409);
    expect(await api.ledgerCheck()).toEqual({ ok: true, violations: [] });
  });
});
