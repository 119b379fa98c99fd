/**
 * The quarantine helper's view of the person's own mailbox, through Microsoft Graph with a delegated token
 * for `Mail.ReadWrite` only: IronPort digests that list an Autodesk message, Autodesk messages in Junk
 * Email, and moving one of those to the Inbox. The tab loads this module only when the person searches.
 */
import type { Message } from '@microsoft/microsoft-graph-types';
import type { Settings } from '../contract/schemas.js';
import type { GraphClient, GraphRequestOptions } from '../platform/graph-request.js';
import { GraphError, consentError, createGraphClient } from '../platform/graph-request.js';
import type { HeldMessage } from './ironport-digest.js';
import { parseDigest } from './ironport-digest.js';
import { cleanSenders, fromSendersFilter, isDigest, odataQuery, receivedSinceFilter, sinceInstant } from './mail-queries.js';

/** The one permission the helper asks for, when the person first searches (not at sign-in). */
export const MAIL_SCOPES = ['https://graph.microsoft.com/Mail.ReadWrite'] as const;

type QuarantineSettings = Pick<Settings, 'quarantine'>;

/** A held Autodesk message, and the digest that lists it. */
export interface DigestFinding extends HeldMessage {
  digestId: string;
  /** When the digest arrived. */
  receivedDateTime: string;
}

/** An Autodesk message in Junk Email. */
export interface JunkFinding {
  id: string;
  subject: string;
  from: string;
  fromName: string | null;
  receivedDateTime: string;
}

export interface MailboxHelper {
  findDigests(settings: QuarantineSettings): Promise<DigestFinding[]>;
  findInJunk(settings: QuarantineSettings): Promise<JunkFinding[]>;
  /** Moves a message to the Inbox; Graph gives it a new id there. */
  moveToInbox(id: string): Promise<{ id: string }>;
}

export interface MailClientOptions extends Omit<GraphRequestOptions, 'token'> {
  /** A delegated token for MAIL_SCOPES. */
  token: (scopes: readonly string[]) => Promise<string>;
  now?: () => Date;
  /** HTML to a document: the browser's DOMParser unless given. */
  parseHtml?: (html: string) => Document;
  /** Messages per page (`$top`); tests make it small to page. */
  pageSize?: number;
}

const LIST_FIELDS = ['id', 'subject', 'from', 'receivedDateTime'];
const PAGE_SIZE = 100;
const JUNK_PAGE_SIZE = 50;
const MAX_PAGES = 20;
/** Graph allows four concurrent requests per mailbox. */
const PARALLEL = 4;

const addressOf = (m: Pick<Message, 'from'>) => m.from?.emailAddress?.address?.toLowerCase() ?? '';
const newestFirst = (a: { receivedDateTime: string }, b: { receivedDateTime: string }) => b.receivedDateTime.localeCompare(a.receivedDateTime);

async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

const browserParser = (html: string): Document => new DOMParser().parseFromString(html, 'text/html');

export function createMailClient(options: MailClientOptions): MailboxHelper {
  const graph: GraphClient = createGraphClient({ ...options, token: () => options.token(MAIL_SCOPES) });
  const now = options.now ?? (() => new Date());
  const parseHtml = options.parseHtml ?? browserParser;
  const pageSize = options.pageSize ?? PAGE_SIZE;

  return {
    async findDigests({ quarantine }) {
      const since = sinceInstant(now());
      // Digests are picked by sender prefix and subject here: Graph cannot filter on either that way.
      const listed = await graph.all<Message>(
        `/me/messages${odataQuery({ $filter: receivedSinceFilter(since), $select: LIST_FIELDS, $top: pageSize })}`,
        MAX_PAGES,
      );
      const sinceMs = Date.parse(since);
      const digests = listed.filter((m) => m.id && Date.parse(m.receivedDateTime ?? '') >= sinceMs && isDigest({ from: addressOf(m), subject: m.subject ?? '' }, quarantine.digestSender, quarantine.digestSubject));
      const senders = cleanSenders(quarantine.autodeskSenders);
      const perDigest = await inBatches(digests, PARALLEL, async (digest) => {
        const full = await graph.get<Message>(`/me/messages/${encodeURIComponent(digest.id!)}${odataQuery({ $select: ['body'] })}`);
        // Asked for as HTML (the Prefer header): Graph converts a plain-text body.
        return parseDigest(parseHtml(full.body?.content ?? ''), senders).map((held): DigestFinding => ({ ...held, digestId: digest.id!, receivedDateTime: digest.receivedDateTime ?? '' }));
      });
      // The same held message in two digests: keep the newest digest's row.
      const seen = new Set<string>();
      return perDigest
        .flat()
        .sort(newestFirst)
        .filter((f) => {
          const key = f.releaseUrl ?? `${f.heldFrom}|${f.heldSubject}|${f.heldAt}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        });
    },

    async findInJunk({ quarantine }) {
      const senders = cleanSenders(quarantine.autodeskSenders);
      if (senders.length === 0) return [];
      const listed = await graph.all<Message>(
        `/me/mailFolders/junkemail/messages${odataQuery({ $filter: fromSendersFilter(senders, sinceInstant(now())), $select: LIST_FIELDS, $top: options.pageSize ?? JUNK_PAGE_SIZE })}`,
        MAX_PAGES,
      );
      return listed
        .filter((m) => m.id && senders.includes(addressOf(m)))
        .map((m): JunkFinding => ({ id: m.id!, subject: m.subject ?? '', from: addressOf(m), fromName: m.from?.emailAddress?.name ?? null, receivedDateTime: m.receivedDateTime ?? '' }))
        .sort(newestFirst);
    },

    async moveToInbox(id) {
      const moved = await graph.post<Message>(`/me/messages/${encodeURIComponent(id)}/move`, { destinationId: 'inbox' });
      if (!moved?.id) throw new GraphError(502, 'GRAPH_BAD_ANSWER', 'Microsoft 365 moved the message but did not say where it is now.');
      return { id: moved.id };
    },
  };
}

/**
 * Asks for the mailbox permission once, before both searches start (so Microsoft 365 shows at most one
 * consent prompt), then gives the client.
 */
export async function connectMailbox(options: MailClientOptions): Promise<MailboxHelper> {
  try {
    await options.token(MAIL_SCOPES);
  } catch (error) {
    throw consentError(error);
  }
  return createMailClient(options);
}
