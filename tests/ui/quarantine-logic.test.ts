import { describe, expect, it } from 'vitest';
import type { MailboxHelper } from '../../src/mail/graph-mail.js';
import type { SearchResults } from '../../src/mail/mailbox-search.js';
import { failureOf, searchMailbox, verdictOf } from '../../src/mail/mailbox-search.js';
import { digestFrom, heldWhen, sendersText } from '../../src/tab/registration/quarantine/words.js';
import { SETTINGS } from './render.js';

const done = <T>(items: T[]) => ({ status: 'done' as const, items });
const failed = (error: unknown) => ({ status: 'failed' as const, error });

describe('the search verdict', () => {
  it('is found when either look found something, even if the other failed', () => {
    expect(verdictOf({ digests: done([{}] as never[]), junk: done([]) })).toBe('found');
    expect(verdictOf({ digests: failed('x'), junk: done([{}] as never[]) })).toBe('found');
  });
  it('is nothing only when both looks finished empty', () => {
    expect(verdictOf({ digests: done([]), junk: done([]) })).toBe('nothing');
    expect(verdictOf({ digests: done([]), junk: failed('x') })).toBe('failed');
    expect(verdictOf({ digests: { status: 'searching' }, junk: done([]) })).toBe('failed');
  });
  it('names the first failure', () => {
    expect(failureOf({ digests: done([]), junk: failed('junk down') })).toBe('junk down');
    expect(failureOf({ digests: failed('digests down'), junk: failed('junk down') })).toBe('digests down');
    expect(failureOf({ digests: done([]), junk: done([]) })).toBeUndefined();
  });
});

describe('searchMailbox', () => {
  it('runs both looks, reports each as it ends, and keeps one failure from hiding the other', async () => {
    let releaseJunk!: () => void;
    const junkGate = new Promise<void>((resolve) => (releaseJunk = resolve));
    const client: MailboxHelper = {
      findDigests: async () => Promise.reject(new Error('digests down')),
      findInJunk: async () => {
        await junkGate;
        return [{ id: 'j1', subject: 's', from: 'noreply@autodesk.com', fromName: null, receivedDateTime: '2026-11-25T09:30:00Z' }];
      },
      moveToInbox: async () => ({ id: 'x' }),
    };
    const seen: SearchResults[] = [];
    const running = searchMailbox(client, SETTINGS, (r) => seen.push(r));
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toHaveLength(1);
    expect(seen[0]!.digests.status).toBe('failed');
    expect(seen[0]!.junk.status).toBe('searching');
    releaseJunk();
    const final = await running;
    expect(seen).toHaveLength(2);
    expect(final.junk).toMatchObject({ status: 'done', items: [{ id: 'j1' }] });
    expect(final.digests).toMatchObject({ status: 'failed' });
  });
});

describe('helper words', () => {
  it('formats ISO instants from a digest and leaves other date text as written', () => {
    const format = (iso: string) => `<${iso}>`;
    expect(heldWhen('2026-11-25T15:00:00.000Z', format)).toBe('<2026-11-25T15:00:00.000Z>');
    expect(heldWhen('2026-11-25T16:00:00+01:00', format)).toBe('<2026-11-25T15:00:00.000Z>');
    expect(heldWhen('24 Nov 2026 10:40 (GMT +01:00)', format)).toBe('24 Nov 2026 10:40 (GMT +01:00)');
    expect(heldWhen(null, format)).toBeNull();
  });
  it('writes senders as a list and a digest sender prefix as one', () => {
    expect(sendersText(['a@x', 'b@x', 'c@x'])).toBe('a@x, b@x or c@x');
    expect(sendersText([])).toBe('Autodesk');
    expect(digestFrom('spamquarantine@')).toBe('spamquarantine@…');
  });
});
