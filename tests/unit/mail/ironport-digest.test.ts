// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseDigest, safeLink } from '../../../src/mail/ironport-digest.js';

const SENDERS = ['noreply@autodesk.com', 'noreply@signin.autodesk.com', 'no-reply@autodeskcommunications.com'];
const doc = (html: string) => new DOMParser().parseFromString(html, 'text/html');

/** Roughly how AsyncOS lays a digest out: nested layout tables, headings, a Release link first in each row. */
const ASYNCOS = `<html><body><table width="100%"><tr><td>
  <table><tr><td><b>Spam Quarantine Notification</b></td></tr></table>
  <table>
    <tr><td>The message(s) below have been blocked by your administrator as suspected spam.</td></tr>
    <tr><td width="12">&nbsp;</td><td>
      <table cellpadding="2">
        <tr><th></th><th>From</th><th>Subject</th><th>Date</th></tr>
        <tr><td><a href="https://esa.contoso.example:83/Search?action=release&amp;mid=1001&amp;h=ab12">Release</a></td>
            <td>Promo Desk &lt;offers@bulk.example&gt;</td><td>Win big</td><td>24 Nov 2026 09:12 (GMT +01:00)</td></tr>
        <tr><td><a href="https://esa.contoso.example:83/Search?action=release&amp;mid=1002&amp;h=cd34">Release</a></td>
            <td>Autodesk &lt;NoReply@Signin.Autodesk.com&gt;</td><td>Verify   your Autodesk account</td><td>24 Nov 2026 10:40 (GMT +01:00)</td></tr>
      </table>
    </td></tr>
  </table>
</td></tr></table></body></html>`;

describe('parseDigest', () => {
  it('finds the Autodesk row of a nested-table digest by its headings, with its Release link', () => {
    expect(parseDigest(doc(ASYNCOS), SENDERS)).toEqual([
      {
        heldFrom: 'noreply@signin.autodesk.com',
        heldSubject: 'Verify your Autodesk account',
        heldAt: '24 Nov 2026 10:40 (GMT +01:00)',
        releaseUrl: 'https://esa.contoso.example:83/Search?action=release&mid=1002&h=cd34',
      },
    ]);
  });

  it('reads the stand-in layout (From, Subject, Date, then the link)', () => {
    const html = `<table><tr><th>From</th><th>Subject</th><th>Date</th><th></th></tr>
      <tr><td>offers@bulk-mailer.example</td><td>Limited time offer</td><td>2026-11-25T10:00:00.000Z</td><td><a href="https://ironport.contoso.example/quarantine/release?mid=880101">Release</a></td></tr>
      <tr><td>noreply@autodesk.com</td><td>Verify your Autodesk account</td><td>2026-11-25T15:00:00.000Z</td><td><a href="https://ironport.contoso.example/quarantine/release?mid=880102">Release</a></td></tr></table>`;
    expect(parseDigest(doc(html), SENDERS)).toEqual([
      { heldFrom: 'noreply@autodesk.com', heldSubject: 'Verify your Autodesk account', heldAt: '2026-11-25T15:00:00.000Z', releaseUrl: 'https://ironport.contoso.example/quarantine/release?mid=880102' },
    ]);
  });

  it('without headings, takes the date-looking cell as the date and the longest other cell as the subject', () => {
    const html = `<table><tr><td><a href="https://q.example/release?mid=9">Release</a></td><td>no-reply@autodeskcommunications.com</td>
      <td>Your Autodesk account is ready to set up</td><td>11/24/2026 10:40</td></tr></table>`;
    expect(parseDigest(doc(html), SENDERS)).toEqual([
      { heldFrom: 'no-reply@autodeskcommunications.com', heldSubject: 'Your Autodesk account is ready to set up', heldAt: '11/24/2026 10:40', releaseUrl: 'https://q.example/release?mid=9' },
    ]);
  });

  it('lists nothing when no row is from a sender looked for, and ignores the senders in free text', () => {
    const html = `<p>Mail from noreply@autodesk.com is sometimes held.</p><table><tr><th>From</th><th>Subject</th></tr>
      <tr><td>offers@bulk.example</td><td>About noreply@autodesk.com</td></tr></table>`;
    expect(parseDigest(doc(html), SENDERS)).toEqual([]);
    expect(parseDigest(doc(ASYNCOS), ['someone@else.example'])).toEqual([]);
  });

  it('never offers a javascript: or relative link, and keeps the row with a null link', () => {
    const html = `<table><tr><th>From</th><th>Subject</th><th>Date</th><th></th></tr>
      <tr><td>noreply@autodesk.com</td><td>Welcome</td><td>today</td><td><a href="javascript:alert(1)">Release</a></td></tr>
      <tr><td>noreply@autodesk.com</td><td>Welcome again</td><td>today</td><td><a href="/release?mid=3">Release</a></td></tr></table>`;
    const found = parseDigest(doc(html), SENDERS);
    expect(found.map((f) => [f.heldSubject, f.releaseUrl])).toEqual([
      ['Welcome', null],
      ['Welcome again', null],
    ]);
    expect(safeLink('https://q.example/r?a=1')).toBe('https://q.example/r?a=1');
    expect(safeLink('javascript:alert(1)')).toBeNull();
    expect(safeLink(null)).toBeNull();
  });

  it('lists a message once when the digest repeats its row', () => {
    const row = `<tr><td>noreply@autodesk.com</td><td>Welcome</td><td>today</td><td><a href="https://q.example/release?mid=5">Release</a></td></tr>`;
    const html = `<table><tr><th>From</th><th>Subject</th><th>Date</th><th></th></tr>${row}${row}</table>`;
    expect(parseDigest(doc(html), SENDERS)).toHaveLength(1);
  });

  it('points to the digest itself when it names a sender but its layout has no addressed rows', () => {
    const html = `<div><p>Held for you:</p><p>From: Autodesk &lt;noreply@autodesk.com&gt; — Verify your Autodesk account</p><p><a href="https://q.example/quarantine">Open the quarantine</a></p></div>`;
    expect(parseDigest(doc(html), SENDERS)).toEqual([{ heldFrom: 'noreply@autodesk.com', heldSubject: '', heldAt: null, releaseUrl: null }]);
    expect(parseDigest(doc('<p>Nothing held from anyone we know.</p>'), SENDERS)).toEqual([]);
  });
});
