/** Graph's shapes for the stand-in: users and messages as Graph returns them, `$select`, and the bodies it validates. */
import type { Message, User } from '@microsoft/microsoft-graph-types';
import type { StandInMail, StandInUser, WellKnownFolder } from './graph-standin-data.js';
import { FOLDER_IDS, WELL_KNOWN_FOLDERS } from './graph-standin-data.js';
import type { FilterSchema } from './graph-standin-odata.js';
import { GraphError, isObject, param } from './graph-standin-http.js';

export const USER_DEFAULT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

export const USER_FIELDS = [...USER_DEFAULT, 'department'];

export const USER_SCHEMA: FilterSchema = {
  fields: Object.fromEntries(['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'jobTitle', 'department', 'officeLocation'].map((f) => [f, 'string'])),
  functions: ['startswith'],
};

export const USER_SEARCH = ['displayName', 'mail', 'userPrincipalName', 'givenName', 'surname', 'jobTitle', 'department'];

export const MESSAGE_FIELDS = ['id', 'receivedDateTime', 'sentDateTime', 'hasAttachments', 'subject', 'bodyPreview', 'importance', 'parentFolderId', 'isRead', 'webLink', 'body', 'sender', 'from', 'toRecipients', 'inferenceClassification'];

export const MESSAGE_SCHEMA: FilterSchema = {
  fields: { receivedDateTime: 'date', subject: 'string', 'from/emailAddress/address': 'string', 'from/emailAddress/name': 'string', parentFolderId: 'string' },
  functions: ['startswith', 'contains'],
};

export const TRACE_SCHEMA: FilterSchema = {
  fields: { receivedDateTime: 'date', recipientAddress: 'string', senderAddress: 'string', status: 'string', subject: 'string' },
  functions: [],
};

/**
 * The application permissions List users and Get user accept (Microsoft's pages for both). User.ReadBasic.All is
 * not among them for app-only calls, and covers only the basic profile (no office or department) anyway.
 */
export const DIRECTORY_READ = ['User.Read.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];

export function toUser(u: StandInUser): User {
  return {
    businessPhones: [],
    displayName: u.displayName,
    givenName: u.givenName,
    jobTitle: u.jobTitle,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: u.officeLocation,
    preferredLanguage: 'en-US',
    surname: u.surname,
    userPrincipalName: u.userPrincipalName,
    id: u.id,
    department: u.department,
  };
}

export function folderOf(idOrName: string): WellKnownFolder | undefined {
  const lower = idOrName.toLowerCase();
  return WELL_KNOWN_FOLDERS.find((f) => f === lower || FOLDER_IDS[f] === idOrName);
}

export function messageField(m: StandInMail, field: string): string | undefined {
  switch (field) {
    case 'receivedDateTime':
      return m.receivedDateTime;
    case 'subject':
      return m.subject;
    case 'from/emailAddress/address':
      return m.from.address;
    case 'from/emailAddress/name':
      return m.from.name;
    case 'parentFolderId':
      return FOLDER_IDS[m.folder];
    default:
      return undefined;
  }
}

/** Free-text search over subject, body and sender (every word must appear), or one of them with `from:`, `subject:`, `body:`. */
export function searchMessage(m: StandInMail, property: string | undefined, value: string): boolean {
  const from = `${m.from.name} ${m.from.address}`;
  const haystack = (property === 'from' ? from : property === 'subject' ? m.subject : property === 'body' ? textOf(m.html) : `${m.subject} ${textOf(m.html)} ${from} ${m.html}`).toLowerCase();
  return value.split(/\s+/).every((word) => haystack.includes(word));
}

export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The fields to return: `$select`'s (validated, plus id) or the defaults. */
export function selected(query: URLSearchParams, all: string[], defaults: string[], type: string): string[] {
  const select = param(query, 'select');
  if (select === undefined) return defaults;
  const fields = select.split(',').map((s) => s.trim()).filter(Boolean);
  return [
    'id',
    ...fields.map((f) => {
      const known = all.find((a) => a.toLowerCase() === f.toLowerCase());
      if (!known) throw new GraphError(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${f}' on type 'microsoft.graph.${type}'.`);
      return known;
    }),
  ].filter((f, i, list) => list.indexOf(f) === i);
}

export function project(entity: object, fields: string[]): Record<string, unknown> {
  const source = entity as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f in source).map((f) => [f, source[f]]));
}

export function optional<T>(value: string | undefined, parse: (text: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

export function activityProblem(body: unknown): string | null {
  if (!isObject(body)) return 'The body must be a JSON object.';
  const { topic, activityType, previewText, templateParameters } = body;
  if (!isObject(topic) || (topic.source !== 'entityUrl' && topic.source !== 'text') || typeof topic.value !== 'string' || !topic.value) return 'topic must be { source: "entityUrl" | "text", value }.';
  if (topic.source === 'text' && typeof topic.webUrl !== 'string') return 'A topic with source "text" needs a webUrl.';
  if (typeof activityType !== 'string' || !activityType) return 'activityType is required.';
  if (!isObject(previewText) || typeof previewText.content !== 'string') return 'previewText must be { content }.';
  if (templateParameters !== undefined && !(Array.isArray(templateParameters) && templateParameters.every((p) => isObject(p) && typeof p.name === 'string' && typeof p.value === 'string'))) {
    return 'templateParameters must be an array of { name, value }.';
  }
  return null;
}

export function mailProblem(body: unknown): string | null {
  const message = isObject(body) ? body.message : undefined;
  if (!isObject(message)) return 'The body must be { message: { subject, body, toRecipients }, saveToSentItems? }.';
  if (typeof message.subject !== 'string') return 'message.subject is required.';
  if (!isObject(message.body) || typeof message.body.content !== 'string') return 'message.body must be { contentType, content }.';
  const to = message.toRecipients;
  if (!Array.isArray(to) || to.length === 0 || !to.every((r) => isObject(r) && isObject(r.emailAddress) && typeof r.emailAddress.address === 'string')) {
    return 'message.toRecipients must list at least one { emailAddress: { address } }.';
  }
  return null;
}

/** A stored mail as Graph's `Message`. */
export function toMessage(m: StandInMail, owner: StandInUser): Message {
  const from = { emailAddress: { name: m.from.name, address: m.from.address } };
  return {
    '@odata.etag': `W/"CQAAABYAAAD${Buffer.from(m.id).toString('base64url').slice(-12)}"`,
    id: m.id,
    receivedDateTime: m.receivedDateTime,
    sentDateTime: m.receivedDateTime,
    hasAttachments: false,
    subject: m.subject,
    bodyPreview: textOf(m.html).slice(0, 255),
    importance: 'normal',
    parentFolderId: FOLDER_IDS[m.folder],
    isRead: m.isRead,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(m.id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: 'focused',
    body: { contentType: 'html', content: m.html },
    sender: from,
    from,
    toRecipients: [{ emailAddress: { name: owner.displayName, address: owner.mail } }],
  } as Message;
}
