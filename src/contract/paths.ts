/**
 * The one route table, without its schemas: method, path, who may call, idempotency, status. The server
 * and the OpenAPI document read it through ROUTES (routes.ts), which adds the zod schemas; the browser
 * client reads it here, so the landing page does not load the schema library.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Role = 'AccountManager' | 'ITAdmin';

/** Who may call a route at all; finer rules (own records only) live in the use cases. */
export type Access = 'anyone' | 'signed-in' | { roles: readonly Role[] };

export interface RoutePath {
  method: HttpMethod;
  /** Path with `{param}` placeholders, as Azure Functions routes write them (with the `/api` prefix). */
  path: string;
  summary: string;
  access: Access;
  idempotency: 'required' | 'optional' | 'none';
  /** Status of a success. */
  status: 200 | 201;
  /** Dev-mode routes exist only with dev mode on and on loopback. */
  devOnly?: boolean;
  /** The body is a file, streamed to the use case rather than parsed (exempt from the JSON body limit). */
  upload?: { maxBytes: number; contentTypes: readonly string[] };
  /** The answer is a file of this type instead of JSON, or (text/html) a small page for a browser window. */
  produces?: 'text/csv' | 'text/html';
}

/** Usage exports up to 200 MB (DESIGN 3.4). */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
const importUpload = { maxBytes: MAX_IMPORT_BYTES, contentTypes: ['text/csv', 'text/plain', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream'] } as const;

const managers = { roles: ['AccountManager', 'ITAdmin'] } as const;
const itOnly = { roles: ['ITAdmin'] } as const;

export const ROUTE_PATHS = {
  healthz: { method: 'GET', path: '/api/healthz', summary: 'Storage health', access: 'anyone', idempotency: 'none', status: 200 },
  openapi: { method: 'GET', path: '/api/openapi.json', summary: 'This API as OpenAPI 3.1', access: 'anyone', idempotency: 'none', status: 200 },
  me: { method: 'GET', path: '/api/me', summary: 'The caller, their registration and credits', access: 'signed-in', idempotency: 'none', status: 200 },
  createRegistration: { method: 'POST', path: '/api/registrations', summary: 'Request an Autodesk account (for yourself, or as an account manager for someone)', access: 'signed-in', idempotency: 'optional', status: 201 },
  listRegistrations: { method: 'GET', path: '/api/registrations', summary: 'The registration queue', access: managers, idempotency: 'none', status: 200 },
  stuckRegistrations: { method: 'GET', path: '/api/registrations/stuck', summary: 'People whose account was created but who have not registered for too long, with what Exchange message trace says about their Autodesk email', access: managers, idempotency: 'none', status: 200 },
  registrationEvent: { method: 'POST', path: '/api/registrations/{memberId}/events', summary: 'Move a registration on', access: 'signed-in', idempotency: 'optional', status: 200 },
  requestRegistrationHelp: { method: 'POST', path: '/api/registrations/{memberId}/help', summary: 'The Autodesk email cannot be found: tell the account managers (own registration, while the account is created)', access: 'signed-in', idempotency: 'optional', status: 200 },
  postUsage: { method: 'POST', path: '/api/usage', summary: 'Log usage (own, or for a member as an account manager)', access: 'signed-in', idempotency: 'required', status: 201 },
  listUsage: { method: 'GET', path: '/api/usage', summary: 'Transfer history, newest first', access: 'signed-in', idempotency: 'none', status: 200 },
  placeHold: { method: 'POST', path: '/api/holds', summary: 'Reserve credits before a big job (own, or for a member as an account manager): own credits first, then the pool', access: 'signed-in', idempotency: 'required', status: 201 },
  listHolds: { method: 'GET', path: '/api/holds', summary: "Holds, newest first (your own; account managers and IT see everyone's)", access: 'signed-in', idempotency: 'none', status: 200 },
  voidHold: { method: 'POST', path: '/api/holds/{id}/void', summary: 'Void an open hold: what it reserved goes back (the holder, or an account manager)', access: 'signed-in', idempotency: 'optional', status: 200 },
  pool: { method: 'GET', path: '/api/pool', summary: 'The shared pool', access: 'signed-in', idempotency: 'none', status: 200 },
  poolForecast: { method: 'GET', path: '/api/pool/forecast', summary: 'When the pool runs out, by when to order and how many blocks', access: 'signed-in', idempotency: 'none', status: 200 },
  createPurchase: { method: 'POST', path: '/api/purchases', summary: 'Start a purchase of credit blocks', access: managers, idempotency: 'required', status: 201 },
  listPurchases: { method: 'GET', path: '/api/purchases', summary: 'Purchases, newest first', access: managers, idempotency: 'none', status: 200 },
  purchaseEvent: { method: 'POST', path: '/api/purchases/{id}/events', summary: 'Move a purchase on', access: managers, idempotency: 'required', status: 200 },
  listMembers: { method: 'GET', path: '/api/members', summary: 'Everyone, with state, office and balances', access: managers, idempotency: 'none', status: 200 },
  memberLookup: { method: 'GET', path: '/api/members/lookup', summary: 'One person by email address: their member record if they have one, and the directory entry (the Outlook pane looks up the people an email names)', access: managers, idempotency: 'none', status: 200 },
  directorySearch: { method: 'GET', path: '/api/directory/search', summary: "People in the firm's directory by name or address (the people picker), with their registration state if they are members", access: managers, idempotency: 'none', status: 200 },
  uploadImport: { method: 'POST', path: '/api/usage/imports', summary: 'Upload an Autodesk usage export (CSV or Excel .xlsx, up to 200 MB, streamed to Blob Storage): detects the columns and validates every row, writing nothing to the ledger. With kind=opening_balances (IT only): the opening balances of go-live (email, own credits used, registration state)', access: managers, idempotency: 'none', status: 201, upload: importUpload },
  listImports: { method: 'GET', path: '/api/usage/imports', summary: 'Usage imports, newest first', access: managers, idempotency: 'none', status: 200 },
  getImport: { method: 'GET', path: '/api/usage/imports/{id}', summary: 'One usage import: its columns, preview, problems, unmatched people and progress', access: managers, idempotency: 'none', status: 200 },
  mapImportColumns: { method: 'PUT', path: '/api/usage/imports/{id}/mapping', summary: 'Map columns the importer did not know, and validate again', access: managers, idempotency: 'none', status: 200 },
  linkImportPeople: { method: 'PUT', path: '/api/usage/imports/{id}/links', summary: 'Link people the file names to members (remembered for later imports), or skip their rows', access: managers, idempotency: 'none', status: 200 },
  commitImport: { method: 'POST', path: '/api/usage/imports/{id}/commit', summary: "Post the valid rows to the ledger as a resumable job; an opening-balances import may load the pool's balance once (poolCredits)", access: managers, idempotency: 'optional', status: 200 },
  importReport: { method: 'GET', path: '/api/usage/imports/{id}/report', summary: 'The import report as CSV: every row that was refused, skipped or repeated, with its line and reason', access: managers, idempotency: 'none', status: 200, produces: 'text/csv' },
  usageSources: { method: 'GET', path: '/api/usage/sources', summary: "Autodesk usage APIs the firm connected, each with its pulls: last success, days covered, rows posted, next run, a pull running now and the last problem in words", access: managers, idempotency: 'none', status: 200 },
  pullUsageSource: { method: 'POST', path: '/api/usage/sources/{kind}/pull', summary: 'Pull now: ask the source for the days since its last pull and post them as an import does (one pull of a tenant at a time: while one runs, nothing changes)', access: itOnly, idempotency: 'optional', status: 200 },
  reverseTransfer: { method: 'POST', path: '/api/transfers/{id}/reversal', summary: 'Reverse a transfer', access: managers, idempotency: 'required', status: 201 },
  auditTrail: { method: 'GET', path: '/api/audit', summary: 'Who changed what: one entry per committed change, newest first', access: managers, idempotency: 'none', status: 200 },
  chargebackReport: { method: 'GET', path: '/api/reports/chargeback', summary: 'Usage and pool draws in a date range by office, department, project, service or person, with the cost of pool use', access: managers, idempotency: 'none', status: 200 },
  feed: { method: 'GET', path: '/api/feed', summary: 'Pool changes and alerts, newest first', access: 'signed-in', idempotency: 'none', status: 200 },
  feedDelivery: { method: 'GET', path: '/api/feed/delivery', summary: "Delivery of the feed to IT's Teams channel: waiting and parked events, last error", access: itOnly, idempotency: 'none', status: 200 },
  requeueParkedEvent: { method: 'POST', path: '/api/feed/parked/{eventId}/retry', summary: 'Send a parked feed event again', access: itOnly, idempotency: 'optional', status: 200 },
  getPolicy: { method: 'GET', path: '/api/policy', summary: 'The policy everyone works by (units, allotment, blocks, lead times, services, account managers, quarantine hints): the settings without what only IT configures', access: 'signed-in', idempotency: 'none', status: 200 },
  getSettings: { method: 'GET', path: '/api/settings', summary: "Policy and settings, with IT's delivery details and limits (the Teams webhook URL, the mail sender)", access: itOnly, idempotency: 'none', status: 200 },
  putSettings: { method: 'PUT', path: '/api/settings', summary: 'Replace policy and settings', access: itOnly, idempotency: 'required', status: 200 },
  ledgerCheck: { method: 'GET', path: '/api/ledger/check', summary: 'Run the invariant checker over the stored ledger', access: itOnly, idempotency: 'none', status: 200 },
  usageConnections: { method: 'GET', path: '/api/usage/sources/connections', summary: "The firm's Autodesk usage API connections, without any secret", access: itOnly, idempotency: 'none', status: 200 },
  connectUsageSource: { method: 'POST', path: '/api/usage/sources/{kind}/connect', summary: "Start an admin's consent to Autodesk (3-legged): the Autodesk page to open; Autodesk then sends the browser to the callback", access: itOnly, idempotency: 'none', status: 200 },
  autodeskCallback: { method: 'GET', path: '/api/usage/sources/autodesk/callback', summary: 'Where Autodesk sends the browser after the consent: takes the code once (its state names the consent started), keeps the refresh token in Key Vault, and answers a small page', access: 'anyone', idempotency: 'none', status: 200, produces: 'text/html' },
  putUsageSourceClient: { method: 'PUT', path: '/api/usage/sources/{kind}/client', summary: "Connect with the firm's own APS client (2-legged, by arrangement with Autodesk): checked with Autodesk, the secret kept in Key Vault and never answered", access: itOnly, idempotency: 'optional', status: 200 },
  disconnectUsageSource: { method: 'DELETE', path: '/api/usage/sources/{kind}', summary: "Disconnect an Autodesk usage API: revokes the consent at Autodesk where it can, deletes the secrets", access: itOnly, idempotency: 'optional', status: 200 },
  setupReadiness: { method: 'GET', path: '/api/setup/readiness', summary: "IT's first-run checks: API, signed-in identity, directory look-up, each switched-on feature's Graph permission, the Teams channel, Autodesk", access: itOnly, idempotency: 'none', status: 200 },
  devUsers: { method: 'GET', path: '/api/dev/users', summary: 'Demo users (dev mode)', access: 'anyone', idempotency: 'none', status: 200, devOnly: true },
  devToken: { method: 'POST', path: '/api/dev/token', summary: 'A token for a demo user (dev mode)', access: 'anyone', idempotency: 'none', status: 200, devOnly: true },
} as const satisfies Record<string, RoutePath>;

export type RouteName = keyof typeof ROUTE_PATHS;

/** A path segment decoded; one that is not valid percent-encoded UTF-8 (`%ZZ`, `%ED%A0%80`) stays as sent, for validation to refuse. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Turns `/api/usage/{id}` into a matcher that returns the params, or undefined. */
export function compilePath(path: string): (pathname: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}$`);
  return (pathname) => {
    const match = regex.exec(pathname);
    if (!match) return undefined;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = decodeSegment(match[i + 1]!);
    });
    return params;
  };
}

/** The route's path with `{param}` placeholders filled in. */
export function buildPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}
