import { describe, expect, it } from 'vitest';
import { cleanSenders, fromSendersFilter, isDigest, odataQuery, odataString, receivedSinceFilter, sinceInstant } from '../../../src/mail/mail-queries.js';

describe('OData strings and filters', () => {
  it('doubles single quotes inside a string literal', () => {
    expect(odataString('noreply@autodesk.com')).toBe("'noreply@autodesk.com'");
    expect(odataString("o'brien@contoso.example")).toBe("'o''brien@contoso.example'");
    expect(odataString("x' or 1 eq 1 or 'a")).toBe("'x'' or 1 eq 1 or ''a'");
  });

  it('writes the instant 30 days back in whole seconds with Z', () => {
    expect(sinceInstant(new Date('2026-11-27T10:15:30.456Z'))).toBe('2026-10-28T10:15:30Z');
    expect(sinceInstant(new Date('2026-11-27T10:15:30.000Z'), 1)).toBe('2026-11-26T10:15:30Z');
  });

  it('joins the senders with or, in parentheses after the date, lower-cased, de-duplicated and escaped', () => {
    const filter = fromSendersFilter(['noreply@autodesk.com', ' NoReply@Autodesk.com ', "it's@autodesk.com", ''], '2026-10-28T10:15:30Z');
    expect(filter).toBe(
      "receivedDateTime ge 2026-10-28T10:15:30Z and (from/emailAddress/address eq 'noreply@autodesk.com' or from/emailAddress/address eq 'it''s@autodesk.com')",
    );
    expect(fromSendersFilter(['a@b.example'], 'T')).toBe("receivedDateTime ge T and (from/emailAddress/address eq 'a@b.example')");
    expect(() => fromSendersFilter([' '], 'T')).toThrow(/No senders/);
    expect(cleanSenders(['A@x.example', 'a@x.example', ''])).toEqual(['a@x.example']);
    expect(receivedSinceFilter('2026-10-28T10:15:30Z')).toBe('receivedDateTime ge 2026-10-28T10:15:30Z');
  });

  it('percent-encodes every option value, so a quote or & in a filter cannot break out of it', () => {
    const query = odataQuery({ $filter: "subject eq 'a&b=c' and x", $select: ['id', 'subject'], $top: 50, $skip: undefined });
    expect(query).toBe("?$filter=subject%20eq%20'a%26b%3Dc'%20and%20x&$select=id%2Csubject&$top=50");
    expect(new URLSearchParams(query.slice(1)).get('$filter')).toBe("subject eq 'a&b=c' and x");
    expect(odataQuery({})).toBe('');
  });

  it('tells an IronPort digest by sender prefix and subject, in any case', () => {
    const digest = { from: 'SpamQuarantine@contoso.example', subject: 'FW: Spam Quarantine Notification (3 new)' };
    expect(isDigest(digest, 'spamquarantine@', 'Spam Quarantine Notification')).toBe(true);
    expect(isDigest({ ...digest, from: 'notspamquarantine@contoso.example' }, 'spamquarantine@', 'Spam Quarantine Notification')).toBe(false);
    expect(isDigest({ ...digest, subject: 'Quarantine news' }, 'spamquarantine@', 'Spam Quarantine Notification')).toBe(false);
    expect(isDigest(digest, '', 'Spam Quarantine Notification')).toBe(false);
    expect(isDigest({}, 'spamquarantine@', 'Spam Quarantine Notification')).toBe(false);
  });
});
