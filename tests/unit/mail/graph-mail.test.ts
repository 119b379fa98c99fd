// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/policy.js';
import { createMailClient } from '../../../src/mail/graph-mail.js';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const SETTINGS = { quarantine: DEFAULT_POLICY.quarantine };
const from = (address: string) => ({ emailAddress: { name: null, address } });
const digestHtml = (mid: number, subject = 'Verify your Autodesk account') =>
  `<table><tr><th>From</th><th>Subject</th><th>Date</th><th></th></tr><tr><td>noreply@autodesk.com</td><td>${subject}</td><td>x</td><td><a href="https://q.example/release?mid=${mid}">Release</a></td></tr></table>`;

/** A mailbox behind a fake fetch: answers listings and single messages by path, and records the paths. */
function fakeGraph(listing: unknown[], bodies: Record<string, { contentType: 'html' | 'text'; content: string }> = {}) {
  const paths: string[] = [];
  const fetch = (async (url: string) => {
    const { pathname, searchParams } = new URL(url);
    paths.push(`${pathname}?${searchParams.toString()}`);
    const one = /\/v1\.0\/me\/messages\/([^/]+)$/.exec(pathname);
    const body = one ? { id: decodeURIComponent(one[1]!), body: bodies[decodeURIComponent(one[1]!)] } : { value: listing };
    return new Response(JSON.stringify(body), { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  const client = createMailClient({ baseUrl: 'https://graph.example', token: async () => 't', fetch, now: () => NOW });
  return { client, paths };
}

describe('graph-mail, with Graph faked at fetch', () => {
  it('keeps only the configured senders from Junk, newest first, even if Graph answered more', async () => {
    const { client } = fakeGraph([
      { id: 'a', subject: 'Older', from: from('NoReply@Autodesk.com'), receivedDateTime: '2026-11-20T10:00:00Z' },
      { id: 'b', subject: 'Spam', from: from('winner@lucky.example'), receivedDateTime: '2026-11-26T10:00:00Z' },
      { id: 'c', subject: 'Newer', from: from('noreply@signin.autodesk.com'), receivedDateTime: '2026-11-25T10:00:00Z' },
    ]);
    const found = await client.findInJunk(SETTINGS);
    expect(found.map((f) => [f.id, f.from])).toEqual([
      ['c', 'noreply@signin.autodesk.com'],
      ['a', 'noreply@autodesk.com'],
    ]);
  });

  it('does not ask Graph at all when no Autodesk sender is configured', async () => {
    const { client, paths } = fakeGraph([]);
    expect(await client.findInJunk({ quarantine: { ...SETTINGS.quarantine, autodeskSenders: [] } })).toEqual([]);
    expect(paths).toEqual([]);
  });

  it('reads only digests of the last 30 days, and lists a message two digests repeat once, from the newer digest', async () => {
    const { client, paths } = fakeGraph(
      [
        { id: 'd-new', subject: 'Spam Quarantine Notification', from: from('spamquarantine@contoso.example'), receivedDateTime: '2026-11-26T07:00:00Z' },
        { id: 'd-old', subject: 'Spam Quarantine Notification', from: from('spamquarantine@contoso.example'), receivedDateTime: '2026-11-20T07:00:00Z' },
        { id: 'd-ancient', subject: 'Spam Quarantine Notification', from: from('spamquarantine@contoso.example'), receivedDateTime: '2026-10-01T07:00:00Z' },
        { id: 'not-digest', subject: 'Spam Quarantine Notification', from: from('someone@contoso.example'), receivedDateTime: '2026-11-26T08:00:00Z' },
      ],
      {
        'd-new': { contentType: 'html', content: digestHtml(7) },
        'd-old': { contentType: 'html', content: digestHtml(7) + digestHtml(8, 'Welcome') },
      },
    );
    const found = await client.findDigests(SETTINGS);
    expect(found.map((f) => [f.digestId, f.heldSubject, f.releaseUrl])).toEqual([
      ['d-new', 'Verify your Autodesk account', 'https://q.example/release?mid=7'],
      ['d-old', 'Welcome', 'https://q.example/release?mid=8'],
    ]);
    expect(paths.filter((p) => p.startsWith('/v1.0/me/messages/')).sort()).toEqual(['/v1.0/me/messages/d-new?%24select=body', '/v1.0/me/messages/d-old?%24select=body']);
  });
});
