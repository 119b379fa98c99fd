import type { ApiErrorCode } from '../contract/errors.js';
import { ApiError } from '../platform/api-client.js';
import type { GraphErrorCode } from '../platform/graph-request.js';
import { SignInError } from '../platform/sign-in-error.js';
import type { SignInProblem } from '../platform/sign-in-error.js';
import { fieldLabel } from './field-words.js';

/** Codes the client makes up itself: no answer, an answer that is not JSON. */
type ClientCode = 'NETWORK' | 'MALFORMED_ANSWER';

/**
 * What each code means for the person in front of the screen. Where the API's message is about their own
 * request and written for people (a rule of the ledger: the pool is short, a hold limit), it is shown
 * instead, unless it names internal things; these sentences are the fallback.
 */
const SENTENCE: Record<ApiErrorCode | ClientCode | GraphErrorCode, string> = {
  VALIDATION_FAILED: 'Some of what was entered is not valid. Check it and try again.',
  MALFORMED_JSON: 'Credit Desk could not read what this page sent. Reload the page and try again.',
  MALFORMED_REQUEST: 'What this page sent did not arrive whole. Try again.',
  IDEMPOTENCY_KEY_REQUIRED: 'Credit Desk could not tell this change from another. Reload the page and try again.',
  IDEMPOTENCY_KEY_INVALID: 'Credit Desk could not tell this change from another. Reload the page and try again.',
  IDEMPOTENCY_KEY_REUSED: 'This change clashed with an earlier one. Reload the page and try again.',
  RANGE_TOO_LONG: 'That date range is too long. Choose a shorter one.',
  UNAUTHENTICATED: 'Your sign-in has expired or was not accepted. Reload the page to sign in again.',
  FORBIDDEN: 'Your role does not allow this. Ask an account manager or IT if you need it.',
  HOST_NOT_ALLOWED: 'This address of Credit Desk does not accept requests. Open Credit Desk from Teams or Outlook.',
  NOT_FOUND: 'That could not be found: it may have been removed or changed meanwhile. Reload the page.',
  METHOD_NOT_ALLOWED: 'Credit Desk does not offer this here. Reload the page; if it stays, tell IT.',
  INVALID_TRANSITION: 'Someone may have changed this meanwhile: it cannot take that step now. Reload the page to see where it stands.',
  ALREADY_REVERSED: 'This entry has already been reversed.',
  IMPORT_NOT_READY: 'This import cannot take that step yet. Reload the page to see where it stands.',
  PAYLOAD_TOO_LARGE: 'That is too large for Credit Desk to take.',
  UNSUPPORTED_MEDIA_TYPE: 'Credit Desk cannot take this kind of file.',
  HEADERS_TOO_LARGE: 'Your sign-in sent too much along. Sign out and in again, then try once more.',
  POOL_INSUFFICIENT: 'The shared pool does not have enough credits for this. Ask an account manager to order more.',
  HOLD_LIMIT_REACHED: 'You already hold as much of the shared pool as one person may. Use or void a hold first, or reserve less.',
  NOT_REGISTERED: 'Only people registered under the Autodesk contract can do this. Finish the registration first.',
  BALANCE_INSUFFICIENT: 'There is not enough left to do this.',
  NOT_REVERSIBLE: 'This entry cannot be reversed. Record a new entry instead.',
  IMPORT_FILE_REFUSED: 'Credit Desk cannot read this file.',
  RATE_LIMITED: 'Too many changes in a short time. Wait a moment and try again; nothing was changed.',
  INTERNAL: 'Something went wrong on our side. Try again; if it keeps happening, tell IT.',
  STORAGE_UNAVAILABLE: 'Credit Desk cannot reach its storage right now; nothing was changed. Try again in a moment.',
  DIRECTORY_UNAVAILABLE: 'The Microsoft 365 directory is not answering. Try again shortly; no credits are affected.',
  CONSENT_NOT_VALID: 'This Autodesk sign-in was already used, took too long or was not started here. Start again with Connect in Settings.',
  AUTODESK_REFUSED: 'Autodesk did not accept this. Check the client ID and secret, or connect again; nothing was changed.',
  AUTODESK_UNIT_MISMATCH: "Autodesk's usage APIs count Flex tokens: switch Credit Desk to Flex tokens in Settings first. Nothing was changed.",
  AUTODESK_UNAVAILABLE: 'Autodesk is not answering right now; nothing was changed. Try again in a few minutes.',
  AUTODESK_NOT_CONFIGURED: 'This Credit Desk has no Autodesk app set up for signing in. Ask whoever deployed Credit Desk to add one (see the README).',
  NETWORK: 'Credit Desk could not be reached. Check your connection and try again.',
  MALFORMED_ANSWER: 'Credit Desk answered with something this page cannot read. Reload the page and try again.',
  GRAPH_CONSENT_NEEDED: 'Credit Desk did not get permission to look in your mailbox. Try again and accept the request.',
  GRAPH_UNAUTHENTICATED: 'Microsoft 365 did not accept your sign-in for the mailbox. Sign in again, then try once more.',
  GRAPH_FORBIDDEN: 'Credit Desk is not allowed to look in your mailbox yet: IT has to allow it first. Ask IT, or search by hand.',
  GRAPH_NOT_FOUND: 'Microsoft 365 could not find that message: it may have been moved or deleted meanwhile. Search again.',
  GRAPH_BAD_REQUEST: 'Microsoft 365 refused the search. Try again, or search by hand.',
  GRAPH_THROTTLED: 'Microsoft 365 is busy and asked Credit Desk to slow down. Try again in a minute.',
  GRAPH_UNAVAILABLE: 'Microsoft 365 is not answering properly right now. Try again in a few minutes.',
  GRAPH_TIMEOUT: 'Microsoft 365 took too long to answer. Try again.',
  GRAPH_UNREACHABLE: 'Microsoft 365 could not be reached. Check your connection and try again.',
  GRAPH_BAD_ANSWER: 'Microsoft 365 answered with something Credit Desk cannot read. Try again, or search by hand.',
};

/** Codes whose message the API (or this client) writes for people about their own request. */
const OWN_WORDS: ReadonlySet<string> = new Set([
  'VALIDATION_FAILED',
  'RANGE_TOO_LONG',
  'FORBIDDEN',
  'INVALID_TRANSITION',
  'IMPORT_NOT_READY',
  'PAYLOAD_TOO_LARGE',
  'POOL_INSUFFICIENT',
  'HOLD_LIMIT_REACHED',
  'NOT_REGISTERED',
  'BALANCE_INSUFFICIENT',
  'NOT_REVERSIBLE',
  'IMPORT_FILE_REFUSED',
  'RATE_LIMITED',
  'STORAGE_UNAVAILABLE',
  'DIRECTORY_UNAVAILABLE',
  'NETWORK',
]);

/**
 * Words no person should read: a code (`POOL_INSUFFICIENT`), a property (`packExpiryMonths`), a state as
 * stored (`quote_requested`), a generated id, a Graph permission (`Mail.ReadWrite`) or HTTP's own terms.
 */
const TECHNICAL = /\b[A-Z]{2,}_[A-Z_]+\b|\b[a-z]+[A-Z][A-Za-z]*\b|\b[a-z]+_[a-z_]+\b|\b(?=[0-9a-z-]*\d)[0-9a-z-]{12,}\b|\b[A-Z][a-z]+\.[A-Z][A-Za-z]*(?:\.[A-Z][a-z]+)*\b|Idempotency|Content-Type|\/api\/|\broute\b|query parameters|\bJSON\b|\bthe API\b/;

/** True when a message reads as a sentence for people, not as a log line. */
export const readsPlain = (message: string): boolean => message.trim() !== '' && !TECHNICAL.test(message);

/** Validation issues the API lists (`{ issues: [{ path, message }] }`), each led by its field in words. */
function issueWords(details: unknown): string[] {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((raw: unknown) => {
    const { path, message } = (raw ?? {}) as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    const label = typeof path === 'string' && path !== '' ? fieldLabel(path) : undefined;
    return [label ? `${label}: ${message}` : message];
  });
}

/**
 * One sentence (or a few) a person understands for a coded failure: the API's own words where they are
 * plain, else the code's meaning. The code itself is never part of it (IT finds it under "Details").
 */
export function codedWords(code: string, message: string, details?: unknown): string {
  const issues = code === 'VALIDATION_FAILED' ? issueWords(details) : [];
  if (issues.length > 0) return `Check ${issues.length === 1 ? 'this' : 'these'}: ${issues.join('; ')}`.replace(/\.?$/, '.');
  const own = OWN_WORDS.has(code) || code.startsWith('GRAPH_');
  if (own && readsPlain(message)) return message;
  return SENTENCE[code as keyof typeof SENTENCE] ?? (readsPlain(message) ? message : 'Something went wrong. Try again; if it keeps happening, tell IT.');
}

/** What each sign-in failure asks of the person; the screens put a "Sign in" button next to it. */
const SIGN_IN_SENTENCE: Record<SignInProblem, string> = {
  needed: 'Sign in with your work account to use Credit Desk.',
  consent: 'Credit Desk needs your permission before it can sign you in. Select Sign in and accept the request.',
  declined:
    'Credit Desk did not get permission to sign you in. Select Sign in and accept the request; if your organisation has to approve Credit Desk first, ask IT.',
  cancelled: 'Signing in was stopped before it finished. Select Sign in to try again.',
  blocked: 'The sign-in window could not open. Allow pop-ups for Credit Desk, then select Sign in.',
  busy: 'A sign-in window is already open. Finish signing in there, or close it and select Sign in.',
  offline: "Microsoft's sign-in could not be reached. Check your connection, then select Sign in.",
  failed: 'Signing in did not work. Select Sign in to try again; if it keeps happening, tell IT.',
};

/** `codedWords` for anything thrown: an API failure, another error, or nothing known. */
export function errorWords(error: unknown): string {
  if (error instanceof ApiError) return codedWords(error.code, error.message, error.details);
  if (error instanceof SignInError) return SIGN_IN_SENTENCE[error.problem];
  return error instanceof Error && readsPlain(error.message) ? error.message : 'Something went wrong. Try again.';
}
