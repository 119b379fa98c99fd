/**
 * An Autodesk stand-in for the local stack and the tests (dev only): the parts of Autodesk Platform
 * Services the usage connector talks to, on loopback over http.
 *
 *   GET  /authentication/v2/authorize                   3-legged consent: the admin allows or denies (PKCE S256, state)
 *   POST /authentication/v2/authorize/consent           the consent page's answer → redirect with code & state
 *   POST /authentication/v2/token                       authorization_code, refresh_token (single-use), client_credentials
 *   POST /authentication/v2/revoke                      revokes one token
 *   GET  /tokenflex/v1/contract                         the Token Flex contracts the admin sees
 *   POST /tokenflex/v1/export/{contract}/requests       a CSV export (fields, metrics, usageCategory, where usageDate …)
 *   GET  /tokenflex/v1/export/{contract}/requests/{key} Requested → Download (downloadUrl) | Error
 *   POST /insights/v1/exports                           a usage report export (Business Success Plan)
 *   GET  /insights/v1/exports/{id}                      SUBMITTED → COMPLETED (downloads) | ERROR | EXPIRED
 *   GET  /standin/downloads/{id}                        the pre-signed download (S3-like: 403 once expired)
 *   POST /standin/revoke-consent                        the admin removes the app from their Autodesk profile
 *
 * Usage is made up from a seed for the demo firm's people (autodesk-standin-usage.ts). Switches make it
 * misbehave as Autodesk can: down (503), slow, throttling (429 with Retry-After), exports that fail,
 * download links that have run out or break off, an admin who is no Token Flex administrator, a team
 * without the Business Success Plan.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { DemoUser } from './demo-users.js';
import { DEMO_USERS } from './demo-users.js';
import type { ExportJob } from './autodesk-standin-exports.js';
import { ExportJobs } from './autodesk-standin-exports.js';
import type { AccessGrant, ApsStandInApp } from './autodesk-standin-oauth.js';
import { ApsOAuthError, ApsStandInGrants, parseScope } from './autodesk-standin-oauth.js';
import { consentPage, errorPage } from './autodesk-standin-page.js';
import type { TokenFlexColumn, UsagePerson } from './autodesk-standin-usage.js';
import { TOKEN_FLEX_COLUMNS, USAGE_CATEGORIES, demoUsagePeople } from './autodesk-standin-usage.js';
import { closeServer, listenOn } from './listen.js';

/** The local APS app of the 3-legged flow (a Traditional Web App: client secret, and PKCE). */
export const LOCAL_APS_APP: ApsStandInApp = { clientId: 'CreditDeskLocal3LeggedApp0000000', clientSecret: 'local-aps-secret-3-legged', redirectUris: [], twoLegged: false };
/** The local APS app Autodesk "associated with an admin" for 2-legged access. */
export const LOCAL_APS_SERVER_APP: ApsStandInApp = { clientId: 'CreditDeskLocal2LeggedApp0000000', clientSecret: 'local-aps-secret-2-legged', redirectUris: [], twoLegged: true };

const DEFAULT_CONTRACT = '110001234567';
const MAX_BODY_BYTES = 64 * 1024;
const DAY_MS = 86_400_000;

export interface AutodeskStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The made-up usage's seed: the same seed, the same usage. */
  seed?: string;
  people?: UsagePerson[];
  apps?: ApsStandInApp[];
  /** The Autodesk admin who consents (and whom the 2-legged app is associated with). */
  admin?: DemoUser;
  contractNumber?: string;
  /** Milliseconds since the epoch; tests move it to let days pass, codes and links run out. */
  now?: () => number;
  /** How long a download link works (Autodesk: "a few minutes"). */
  downloadTtlMs?: number;
}

/** What tests and the local stack flip to make the stand-in misbehave. */
export interface AutodeskStandInSwitches {
  /** Everything answers 503. */
  down: boolean;
  /** Every answer waits this long first. */
  slowMs: number;
  /** Export jobs end in Error / ERROR. */
  failExports: boolean;
  /** Download links have run out already (403). */
  expireDownloads: boolean;
  /** Downloads break off half-way. */
  cutDownloads: boolean;
  /** The admin is a Token Flex administrator (false: GET contract lists none). */
  tokenFlexAdmin: boolean;
  /** The team has the Business Success Plan (false: the insights API answers 403). */
  insightsEntitled: boolean;
  /** Status checks until an export is made (the first sees it processing). */
  pollsToFinish: number;
}

export interface AutodeskStandIn {
  /** http://127.0.0.1:<port>: the APS base URL the clients are given. */
  url: string;
  contractNumber: string;
  switches: AutodeskStandInSwitches;
  /** The next `requests` calls to the usage APIs answer 429 with Retry-After: `retryAfterSeconds`. */
  throttle(requests: number, retryAfterSeconds: number): void;
  /** The admin removes the app from their profile: its 3-legged tokens stop working. */
  revokeConsent(): void;
  close(): Promise<void>;
}

/** A refusal of the usage APIs, in APS's gateway words. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

interface PendingConsent {
  clientId: string;
  redirectUri: string;
  state: string;
  challenge: string | null;
  scope: string;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...headers }).end(body);
}
const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => send(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
/**
 * `redirectsTo`: the consent form's answer is a redirect to the app's callback, on another origin;
 * browsers hold form-action to the redirect's target too, so that origin is allowed beside 'self'.
 */
const sendHtml = (res: ServerResponse, status: number, body: string, redirectsTo?: string) =>
  send(res, status, body, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${redirectsTo ? ` ${new URL(redirectsTo).origin}` : ''}; frame-ancestors 'none'`,
  });
const s3Error = (res: ServerResponse, status: number, code: string, message: string) =>
  send(res, status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`, { 'content-type': 'application/xml' });

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new ApiError(413, 'BODY-001', 'The request body is too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  try {
    const body: unknown = JSON.parse(await readBody(req));
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ApiError) throw error;
  }
  throw new ApiError(400, 'BODY-002', 'The request body is not a JSON object.');
}

/** The stand-in reads the one `where` form the connector sends (Token Flex accepts far more). */
const WINDOW_WHERE = /^\s*usageDate\s*>=\s*'(\d{4}-\d{2}-\d{2})'\s+and\s+usageDate\s*<=\s*'(\d{4}-\d{2}-\d{2})'\s*$/i;

export async function startAutodeskStandin(options: AutodeskStandInOptions = {}): Promise<AutodeskStandIn> {
  const now = options.now ?? Date.now;
  const admin = options.admin ?? DEMO_USERS.find((u) => u.roles.includes('ITAdmin')) ?? DEMO_USERS[0]!;
  const contractNumber = options.contractNumber ?? DEFAULT_CONTRACT;
  const grants = new ApsStandInGrants(options.apps ?? [LOCAL_APS_APP, LOCAL_APS_SERVER_APP], admin, now);
  const jobs = new ExportJobs(options.seed ?? 'contoso', options.people ?? demoUsagePeople(), now, options.downloadTtlMs ?? 5 * 60_000);
  const switches: AutodeskStandInSwitches = { down: false, slowMs: 0, failExports: false, expireDownloads: false, cutDownloads: false, tokenFlexAdmin: true, insightsEntitled: true, pollsToFinish: 2 };
  const throttling = { remaining: 0, retryAfterSeconds: 0 };
  const pending = new Map<string, PendingConsent>();
  const pauses = new Set<NodeJS.Timeout>();
  let base = '';

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        pauses.delete(timer);
        resolve();
      }, ms);
      pauses.add(timer);
    });

  // ---- OAuth ---------------------------------------------------------------------------------------

  const redirect = (res: ServerResponse, to: string, params: Record<string, string>) => {
    const target = new URL(to);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    res.writeHead(302, { location: target.href, 'cache-control': 'no-store' }).end();
  };

  const authorize = (url: URL, res: ServerResponse) => {
    const q = url.searchParams;
    const app = grants.app(q.get('client_id'));
    if (!app) return sendHtml(res, 400, errorPage(`The client_id '${q.get('client_id') ?? ''}' is not a registered app.`));
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!grants.redirectAllowed(app, redirectUri)) return sendHtml(res, 400, errorPage(`The redirect_uri '${redirectUri}' does not match the app's callback URL.`));
    const state = q.get('state');
    const fail = (error: string, description: string) => redirect(res, redirectUri, { error, error_description: description, ...(state ? { state } : {}) });
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code.');
    if (!state) return fail('invalid_request', 'The state parameter is required.');
    if (app.twoLegged) return fail('unauthorized_client', 'This client id is associated with an admin for 2-legged access and must not be used in a 3-legged flow.');
    const challenge = q.get('code_challenge');
    if (challenge !== null && q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256.');
    const scope = q.get('scope') ?? '';
    try {
      parseScope(scope);
    } catch (error) {
      if (error instanceof ApsOAuthError) return fail(error.error, error.description);
      throw error;
    }
    const requestId = randomBytes(24).toString('base64url');
    pending.set(requestId, { clientId: app.clientId, redirectUri, state, challenge, scope });
    return sendHtml(res, 200, consentPage('Credit Desk', admin, scope.split(' ').filter(Boolean), '/authentication/v2/authorize/consent', requestId), redirectUri);
  };

  const consent = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    const request = pending.get(form.get('request') ?? '');
    if (!request) return sendHtml(res, 400, errorPage('This consent request has expired or was already answered. Go back to the app and connect again.'));
    pending.delete(form.get('request') ?? '');
    if (form.get('decision') !== 'allow') return redirect(res, request.redirectUri, { error: 'access_denied', error_description: 'The user denied access.', state: request.state });
    const code = grants.issueCode({ clientId: request.clientId, redirectUri: request.redirectUri, challenge: request.challenge, scope: request.scope, admin });
    return redirect(res, request.redirectUri, { code, state: request.state });
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    const app = grants.authenticate(req.headers.authorization, form);
    return sendJson(res, 200, grants.token(app, form));
  };

  const revoke = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    const app = grants.authenticate(req.headers.authorization, form);
    grants.revokeToken(app, form.get('token') ?? '');
    return send(res, 200, '', {});
  };

  // ---- Usage APIs ----------------------------------------------------------------------------------

  /** The bearer token's grant, if it may make this call: 401 when not live, 403 without the scope or 3-legged/associated access. */
  const grantFor = (req: IncomingMessage, scope: 'data:read' | 'data:write'): AccessGrant => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = bearer ? grants.grantOf(bearer) : undefined;
    if (!grant) throw new ApiError(401, 'AUTH-001', 'The token is not valid.');
    if (!grant.scopes.has(scope)) throw new ApiError(403, 'AUTH-010', `The token does not have the ${scope} scope.`);
    if (!grant.threeLegged && !grants.app(grant.clientId)?.twoLegged) throw new ApiError(403, 'AUTH-012', 'This API needs a 3-legged token, or a client id Autodesk associated with an admin.');
    return grant;
  };

  const downloadUrl = (job: ExportJob) => `${base}/standin/downloads/${job.download!.id}?X-Amz-Expires=${Math.round((job.download!.expiresAt - job.createdAt) / 1000)}`;
  const rules = () => ({ pollsToFinish: switches.pollsToFinish, failExports: switches.failExports });

  const tokenFlexContract = (number: string) => {
    if (!switches.tokenFlexAdmin || number !== contractNumber) throw new ApiError(403, 'TF-403', `The user has no access to contract ${number}.`);
  };

  const tokenFlexAnswer = (job: ExportJob) => ({
    requestKey: job.id,
    requestStatus: job.state === 'done' ? 'Download' : job.state === 'failed' ? 'Error' : 'Requested',
    downloadFileName: job.fileName,
    exportRequestDate: new Date(job.createdAt).toISOString(),
    readFlag: 'N',
    ...(job.state === 'done' ? { downloadUrl: downloadUrl(job), downloadUrlExpireDate: new Date(job.download!.expiresAt).toISOString() } : {}),
  });

  const tokenFlexExport = async (req: IncomingMessage, res: ServerResponse, contract: string) => {
    grantFor(req, 'data:write');
    tokenFlexContract(contract);
    const body = await readJson(req);
    const names = [...asStrings(body.fields, 'fields'), ...asStrings(body.metrics, 'metrics')];
    const unknown = names.find((n) => !(TOKEN_FLEX_COLUMNS as readonly string[]).includes(n));
    if (unknown !== undefined || names.length === 0) throw new ApiError(400, 'TF-400', `Unknown field or metric '${unknown ?? ''}' (the stand-in knows ${TOKEN_FLEX_COLUMNS.join(', ')}).`);
    const categories = body.usageCategory === undefined ? [...USAGE_CATEGORIES] : asStrings(body.usageCategory, 'usageCategory');
    const badCategory = categories.find((c) => !USAGE_CATEGORIES.has(c));
    if (badCategory !== undefined) throw new ApiError(400, 'TF-400', `Unknown usage category '${badCategory}'.`);
    const window = WINDOW_WHERE.exec(typeof body.where === 'string' ? body.where : '');
    if (!window || window[1]! > window[2]!) throw new ApiError(400, 'TF-400', "The stand-in reads where clauses of the form usageDate >= 'YYYY-MM-DD' AND usageDate <= 'YYYY-MM-DD'.");
    const name = typeof body.downloadFileName === 'string' && body.downloadFileName ? body.downloadFileName : 'TokenFlexUsage';
    const job = jobs.create({ api: 'token_flex', from: window[1]!, to: window[2]!, columns: names as TokenFlexColumn[], categories: new Set(categories), fileName: `${name}.csv` });
    return sendJson(res, 200, tokenFlexAnswer(job));
  };

  const insightsAnswer = (job: ExportJob) => {
    const expired = job.state === 'done' && (switches.expireDownloads || jobs.expired(job));
    const status = job.state === 'failed' ? 'ERROR' : job.state !== 'done' ? 'SUBMITTED' : expired ? 'EXPIRED' : 'COMPLETED';
    return {
      id: job.id,
      timestamp: new Date(job.createdAt).toISOString(),
      teamId: '4314051',
      teamName: 'Contoso',
      status,
      outputFormat: 'CSV',
      reports: ['USAGE_REPORT'],
      downloads: status === 'COMPLETED' ? [{ type: 'USAGE_REPORT', downloadURL: downloadUrl(job) }] : [],
    };
  };

  const insightsExport = async (req: IncomingMessage, res: ServerResponse) => {
    grantFor(req, 'data:write');
    if (!switches.insightsEntitled) throw new ApiError(403, 'INS-403', 'The usage insights API is available to admins of teams with the Business Success Plan.');
    const body = await readJson(req);
    if (body.outputFormat !== 'CSV') throw new ApiError(400, 'INS-400', 'The stand-in makes CSV exports only (outputFormat CSV).');
    if (!asStrings(body.reports, 'reports').includes('USAGE_REPORT')) throw new ApiError(400, 'INS-400', 'The stand-in exports the USAGE_REPORT only.');
    const start = typeof body.startDate === 'string' ? Date.parse(body.startDate) : NaN;
    const end = typeof body.endDate === 'string' ? Date.parse(body.endDate) : NaN;
    if (Number.isNaN(start) || Number.isNaN(end) || start > end) throw new ApiError(400, 'INS-400', 'startDate and endDate are required date-times, start first.');
    if (end - start > 365 * DAY_MS) throw new ApiError(400, 'INS-400', 'startDate and endDate should be within 1 year (365 days).');
    const [from, to] = [new Date(start).toISOString().slice(0, 10), new Date(end).toISOString().slice(0, 10)];
    const job = jobs.create({ api: 'usage_insights', from, to, columns: [], categories: new Set(), fileName: `usage_report_${from}_${to}.csv` });
    return sendJson(res, 200, insightsAnswer(job));
  };

  const download = (id: string, res: ServerResponse) => {
    const file = jobs.file(id);
    if (!file) return s3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    if (switches.expireDownloads || file.expiresAt <= now()) return s3Error(res, 403, 'AccessDenied', 'Request has expired');
    const bytes = Buffer.from(file.body, 'utf8');
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8', 'content-length': String(bytes.length), 'content-disposition': `attachment; filename="${file.fileName}"` });
    if (switches.cutDownloads) {
      // Half the file, then the connection drops: the client sees a body shorter than its length.
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
      return;
    }
    res.end(bytes);
  };

  // ---- Routing -------------------------------------------------------------------------------------

  const usageApi = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const method = req.method;
    if (method === 'GET' && path === '/tokenflex/v1/contract') {
      grantFor(req, 'data:read');
      const contracts = switches.tokenFlexAdmin ? [{ contractNumber, contractName: 'Contoso Architects', contractStartDate: '2024-01-01', contractEndDate: '2027-12-31', isActive: true }] : [];
      sendJson(res, 200, contracts);
      return true;
    }
    const exportPath = /^\/tokenflex\/v1\/export\/([^/]+)\/requests(?:\/([^/]+))?$/.exec(path);
    if (exportPath) {
      const contract = decodeURIComponent(exportPath[1]!);
      if (method === 'POST' && exportPath[2] === undefined) await tokenFlexExport(req, res, contract);
      else if (method === 'GET' && exportPath[2] !== undefined) {
        grantFor(req, 'data:read');
        tokenFlexContract(contract);
        const job = jobs.get('token_flex', decodeURIComponent(exportPath[2]));
        if (!job) throw new ApiError(404, 'TF-404', 'No export request with this key.');
        sendJson(res, 200, tokenFlexAnswer(jobs.check(job, rules())));
      } else return false;
      return true;
    }
    if (method === 'POST' && path === '/insights/v1/exports') {
      await insightsExport(req, res);
      return true;
    }
    const insightsPath = /^\/insights\/v1\/exports\/([^/]+)$/.exec(path);
    if (method === 'GET' && insightsPath) {
      grantFor(req, 'data:read');
      if (!switches.insightsEntitled) throw new ApiError(403, 'INS-403', 'The usage insights API is available to admins of teams with the Business Success Plan.');
      const job = jobs.get('usage_insights', decodeURIComponent(insightsPath[1]!));
      if (!job) throw new ApiError(404, 'INS-404', 'No export with this id.');
      sendJson(res, 200, insightsAnswer(jobs.check(job, rules())));
      return true;
    }
    return false;
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    if (req.method === 'POST' && path === '/standin/revoke-consent') {
      grants.revokeConsent();
      return send(res, 204, '', {});
    }
    if (switches.slowMs > 0) await pause(switches.slowMs);
    if (switches.down) return sendJson(res, 503, { developerMessage: 'Service Unavailable', errorCode: 'SVC-503' }, { 'retry-after': '60' });
    if (req.method === 'GET' && path === '/authentication/v2/authorize') return authorize(url, res);
    if (req.method === 'POST' && path === '/authentication/v2/authorize/consent') return consent(req, res);
    if (req.method === 'POST' && path === '/authentication/v2/token') return token(req, res);
    if (req.method === 'POST' && path === '/authentication/v2/revoke') return revoke(req, res);
    const downloadPath = /^\/standin\/downloads\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && downloadPath) return download(downloadPath[1]!, res);
    if (/^\/(tokenflex|insights)\//.test(path)) {
      if (throttling.remaining > 0) {
        throttling.remaining--;
        return sendJson(res, 429, { developerMessage: 'Too Many Requests', errorCode: 'RATE-429' }, { 'retry-after': String(throttling.retryAfterSeconds) });
      }
      if (await usageApi(req, res, path)) return;
    }
    return sendJson(res, 404, { developerMessage: `No route ${req.method} ${path}`, errorCode: 'NOT-FOUND' });
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof ApsOAuthError) return sendJson(res, error.status, error.body());
      if (error instanceof ApiError) return sendJson(res, error.status, { developerMessage: error.message, errorCode: error.errorCode });
      console.error('Autodesk stand-in:', error);
      send(res, 500, 'Internal error', { 'content-type': 'text/plain' });
    });
  });
  const port = await listenOn(server, options.port ?? 0);
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    contractNumber,
    switches,
    throttle(requests, retryAfterSeconds) {
      throttling.remaining = requests;
      throttling.retryAfterSeconds = retryAfterSeconds;
    },
    revokeConsent: () => grants.revokeConsent(),
    close: async () => {
      for (const timer of pauses) clearTimeout(timer);
      pauses.clear();
      await closeServer(server);
    },
  };
}

function asStrings(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ApiError(400, 'BODY-003', `${name} must be a list of strings.`);
  return value;
}
