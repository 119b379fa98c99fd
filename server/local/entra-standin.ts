/**
 * An Entra ID stand-in for the local stack (dev only): an OpenID Connect authority with Entra's v2.0
 * endpoints, served over https with a certificate made at start (MSAL refuses an http authority), on
 * loopback. Its sign-in page is the demo-user picker; the person's demo roles become the `roles` claim.
 *
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration     discovery (CORS: any origin, as Entra)
 *   GET  /{tenant}/discovery/v2.0/keys, /discovery/v2.0/keys  the signing keys (JWKS)
 *   GET  /{tenant}/oauth2/v2.0/authorize                     code flow with PKCE (S256), state, nonce,
 *                                                            response_mode query|fragment, prompt
 *   POST /{tenant}/login                                     the picker's answer
 *   POST /{tenant}/oauth2/v2.0/token                         authorization_code (+code_verifier), refresh_token;
 *                                                            cross-origin only, as for an SPA redirect URI
 *   GET  /{tenant}/oauth2/v2.0/logout                        signs out (it keeps no session) and goes back
 *   GET  /                                                   a page to open once, so the browser accepts its certificate
 *
 * {tenant} is the demo tenant's id, `organizations` or `common`. The tab, the pane and the API share one
 * app registration (client id), as in Azure: access tokens for the API scope carry it as their audience.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { TokenIssuerConfig } from '../functions/auth.js';
import { remoteKeys } from '../functions/auth.js';
import type { DemoUser } from './demo-users.js';
import { DEMO_TENANT, DEMO_USERS } from './demo-users.js';
import type { StandInApp } from './entra-standin-grants.js';
import { EntraError, StandInGrants, parseScopes } from './entra-standin-grants.js';
import { errorPage, homePage, pickerPage, signedOutPage } from './entra-standin-page.js';
import { closeServer, listenOn } from './listen.js';
import { selfSignedCertificate } from './self-signed-cert.js';
import { fetchTrusting } from './trusted-fetch.js';

/** The local app registration's client id (a fixed GUID, so a page built once keeps working). */
export const LOCAL_CLIENT_ID = '5f0c8e2a-6d1b-4c3e-9a7f-2b8d4e6f1a3c';
const TENANT_ALIASES = new Set(['organizations', 'common']);
const MAX_FORM_BYTES = 16 * 1024;

export interface EntraStandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The app's single-page-application redirect URIs (the sign-in page, auth.html, of each web origin). */
  redirectUris: string[];
  users?: DemoUser[];
  /** Milliseconds since the epoch; tests move it to let codes and refresh tokens run out. */
  now?: () => number;
}

export interface EntraStandIn {
  /** https://localhost:<port> */
  url: string;
  /** What MSAL is configured with (VITE_AAD_AUTHORITY): the demo tenant's authority. */
  authority: string;
  clientId: string;
  /** The API's delegated scope (VITE_API_SCOPE). */
  apiScope: string;
  /** The certificate (PEM) a client trusts to reach it. */
  certificate: string;
  /** The API's validation of its tokens: as Entra's (issuer template, client id as audience, keys from the JWKS URL). */
  issuerConfig: TokenIssuerConfig;
  /** The same in plain strings, for another process's stack (the e2e workers): see `issuerConfigOf`. */
  trust: EntraStandInTrust;
  /** Signs any claims with its key (tests: tokens it would never issue this app, e.g. without `scp`). */
  sign(claims: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

/** What a process needs to take the stand-in's tokens: where its keys are, and the certificate to reach them. */
export interface EntraStandInTrust {
  issuer: string;
  audience: string;
  jwksUrl: string;
  certificate: string;
}

/** The API's validation of the stand-in's tokens, its keys fetched over https trusting its certificate alone. */
export function issuerConfigOf(trust: EntraStandInTrust): TokenIssuerConfig {
  return { issuer: trust.issuer, audience: trust.audience, keys: remoteKeys(trust.jwksUrl, fetchTrusting(trust.certificate)) };
}

interface PendingSignIn {
  redirectUri: string;
  responseMode: 'query' | 'fragment';
  state: string | null;
  challenge: string;
  scope: string;
  nonce: string | undefined;
  clientInfo: boolean;
}

const CORS_ANY = { 'access-control-allow-origin': '*' };

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'cache-control': 'no-store', pragma: 'no-cache', 'x-content-type-options': 'nosniff', ...headers }).end(body);
}

const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => send(res, status, JSON.stringify(body), { 'content-type': 'application/json; charset=utf-8', ...headers });
const sendHtml = (res: ServerResponse, status: number, body: string) =>
  send(res, status, body, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" });

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) reject(new EntraError('invalid_request', 90014, 'The request body is too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/**
 * The pages' build settings (Vite env) that make the tab and the pane sign in through the stand-in with
 * MSAL, as they do through Entra ID; Graph goes to the dev server's /graph (the Graph stand-in).
 */
export function pageSettingsFor(standIn: EntraStandIn): Record<string, string> {
  return {
    VITE_AAD_CLIENT_ID: standIn.clientId,
    VITE_AAD_AUTHORITY: standIn.authority,
    VITE_AAD_KNOWN_AUTHORITIES: new URL(standIn.url).host,
    VITE_API_SCOPE: standIn.apiScope,
    VITE_GRAPH_BASE_URL: '/graph',
  };
}

export async function startEntraStandIn(options: EntraStandInOptions): Promise<EntraStandIn> {
  const users = options.users ?? DEMO_USERS;
  const tls = selfSignedCertificate(['localhost', '127.0.0.1']);
  const pending = new Map<string, PendingSignIn>();
  let base = '';
  const issuerOf = (tenant: string) => `${base}/${tenant}/v2.0`;
  const app: StandInApp = { clientId: LOCAL_CLIENT_ID, apiUri: `api://localhost/${LOCAL_CLIENT_ID}`, redirectUris: options.redirectUris };
  // Its issuer names the port, known once listening (before any request arrives).
  const grants = await StandInGrants.create(app, () => ({ tenant: DEMO_TENANT, issuer: issuerOf(DEMO_TENANT) }), options.now);
  const registeredOrigins = new Set(app.redirectUris.map((uri) => new URL(uri).origin));
  /** Entra answers an SPA's cross-origin token requests for its registered origins only. */
  const corsFor = (origin: string | undefined): Record<string, string> => (origin && registeredOrigins.has(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {});

  /** Sends the answer back to the app, as the request's response_mode asks. */
  const answer = (res: ServerResponse, to: PendingSignIn, params: Record<string, string>) => {
    const query = new URLSearchParams({ ...params, ...(to.state !== null ? { state: to.state } : {}) }).toString();
    const target = new URL(to.redirectUri);
    if (to.responseMode === 'query') target.search = query;
    else target.hash = query;
    res.writeHead(302, { location: target.href, 'cache-control': 'no-store' }).end();
  };
  const answerError = (res: ServerResponse, to: PendingSignIn, error: EntraError) => {
    const body = error.body(new Date());
    answer(res, to, { error: body.error, error_description: body.error_description, error_uri: body.error_uri });
  };

  const authorize = (url: URL, tenant: string, res: ServerResponse) => {
    const q = url.searchParams;
    const clientId = q.get('client_id');
    if (!clientId) return sendHtml(res, 400, errorPage("AADSTS900144: The request body must contain the following parameter: 'client_id'."));
    if (clientId !== app.clientId) return sendHtml(res, 400, errorPage(`AADSTS700016: Application with identifier '${clientId}' was not found in the directory 'Contoso'.`));
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!app.redirectUris.includes(redirectUri)) {
      return sendHtml(res, 400, errorPage(`AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`));
    }
    const mode = q.get('response_mode') ?? 'query';
    const to: PendingSignIn = {
      redirectUri,
      responseMode: mode === 'fragment' ? 'fragment' : 'query',
      state: q.get('state'),
      challenge: q.get('code_challenge') ?? '',
      scope: q.get('scope') ?? '',
      nonce: q.get('nonce') ?? undefined,
      clientInfo: q.get('client_info') === '1',
    };
    try {
      if (q.get('response_type') !== 'code') throw new EntraError('unsupported_response_type', 700054, `response_type '${q.get('response_type') ?? ''}' is not enabled for the application.`);
      if (mode !== 'query' && mode !== 'fragment') throw new EntraError('invalid_request', 900144, `The response_mode '${mode}' is not supported for single-page applications here: use query or fragment.`);
      // An SPA redeems its code cross-origin, which Entra allows only with PKCE; MSAL always sends S256.
      if (!to.challenge || q.get('code_challenge_method') !== 'S256') throw new EntraError('invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption (code_challenge with code_challenge_method S256).');
      parseScopes(to.scope, app);
      // The stand-in keeps no sign-in session: a silent request always needs the person.
      if (q.get('prompt') === 'none') throw new EntraError('login_required', 50058, 'A silent sign-in request was sent but no user is signed in.');
    } catch (error) {
      if (error instanceof EntraError) return answerError(res, to, error);
      throw error;
    }
    const requestId = randomBytes(24).toString('base64url');
    pending.set(requestId, to);
    return sendHtml(res, 200, pickerPage(users, `/${tenant}/login`, requestId, q.get('login_hint')));
  };

  const login = async (req: IncomingMessage, res: ServerResponse) => {
    const form = await readForm(req);
    const requestId = form.get('request') ?? '';
    const to = pending.get(requestId);
    if (!to) return sendHtml(res, 400, errorPage('AADSTS90014: The sign-in request has expired or was already used. Go back to the app and sign in again.'));
    pending.delete(requestId);
    if (form.get('cancel')) {
      const cancelled = new EntraError('access_denied', 65004, 'User declined to consent to access the app.').body(new Date());
      return answer(res, to, { error: 'access_denied', error_subcode: 'cancel', error_description: cancelled.error_description });
    }
    const user = users.find((u) => u.id === form.get('user'));
    if (!user) return sendHtml(res, 400, errorPage('AADSTS50034: The user account does not exist in the Contoso directory.'));
    const code = grants.issueCode({ user, redirectUri: to.redirectUri, challenge: to.challenge, scope: to.scope, nonce: to.nonce });
    const clientInfo: Record<string, string> = to.clientInfo ? { client_info: Buffer.from(JSON.stringify({ uid: user.id, utid: DEMO_TENANT })).toString('base64url') } : {};
    return answer(res, to, { code, ...clientInfo });
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    const cors = corsFor(origin);
    try {
      const form = await readForm(req);
      const clientId = form.get('client_id');
      if (!clientId) throw new EntraError('invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
      if (clientId !== app.clientId) throw new EntraError('unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory 'Contoso'.`);
      // The app's redirect URIs are all SPA ones: their codes and refresh tokens are redeemed only cross-origin.
      if (!origin) throw new EntraError('invalid_request', 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
      const grantType = form.get('grant_type');
      if (grantType === 'authorization_code') return sendJson(res, 200, await grants.redeemCode(form), cors);
      if (grantType === 'refresh_token') return sendJson(res, 200, await grants.redeemRefresh(form), cors);
      if (!grantType) throw new EntraError('invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
      throw new EntraError('unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
    } catch (error) {
      if (error instanceof EntraError) return sendJson(res, error.status, error.body(new Date()), cors);
      throw error;
    }
  };

  const logout = (url: URL, res: ServerResponse) => {
    const back = url.searchParams.get('post_logout_redirect_uri');
    let target: URL | undefined;
    try {
      target = back ? new URL(back) : undefined;
    } catch {
      target = undefined;
    }
    if (target && registeredOrigins.has(target.origin)) return void res.writeHead(302, { location: target.href, 'cache-control': 'no-store' }).end();
    return sendHtml(res, 200, signedOutPage());
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', base);
    const [tenant, ...rest] = url.pathname.split('/').filter(Boolean);
    const path = rest.join('/');
    if (req.method === 'GET' && url.pathname === '/') return sendHtml(res, 200, homePage(app.redirectUris.map((uri) => new URL('./', uri).href)));
    if (req.method === 'GET' && tenant === 'discovery' && path === 'v2.0/keys') return sendJson(res, 200, grants.jwks, CORS_ANY);
    if (!tenant || (tenant !== DEMO_TENANT && !TENANT_ALIASES.has(tenant))) {
      return sendJson(res, 400, new EntraError('invalid_tenant', 90002, `Tenant '${tenant ?? ''}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`).body(new Date()), CORS_ANY);
    }
    if (req.method === 'GET' && path === 'v2.0/.well-known/openid-configuration') return sendJson(res, 200, discovery(tenant), CORS_ANY);
    if (req.method === 'GET' && path === 'discovery/v2.0/keys') return sendJson(res, 200, grants.jwks, CORS_ANY);
    if (req.method === 'GET' && path === 'oauth2/v2.0/authorize') return authorize(url, tenant, res);
    if (req.method === 'POST' && path === 'login') return login(req, res);
    if (req.method === 'OPTIONS' && path === 'oauth2/v2.0/token') {
      return send(res, 204, '', { ...corsFor(req.headers.origin), 'access-control-allow-methods': 'POST, OPTIONS', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '86400' });
    }
    if (req.method === 'POST' && path === 'oauth2/v2.0/token') return token(req, res);
    if (req.method === 'GET' && path === 'oauth2/v2.0/logout') return logout(url, res);
    return send(res, 404, 'Not found', { 'content-type': 'text/plain' });
  };

  /** Entra's tenant discovery document; for `organizations` and `common` the issuer is a template, as Entra's. */
  const discovery = (tenant: string) => {
    const at = (path: string) => `${base}/${tenant}/${path}`;
    return {
      token_endpoint: at('oauth2/v2.0/token'),
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: at('discovery/v2.0/keys'),
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: TENANT_ALIASES.has(tenant) ? issuerOf('{tenantid}') : issuerOf(tenant),
      request_uri_parameter_supported: false,
      authorization_endpoint: at('oauth2/v2.0/authorize'),
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: at('oauth2/v2.0/logout'),
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      code_challenge_methods_supported: ['plain', 'S256'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
    };
  };

  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof EntraError) return sendJson(res, error.status, error.body(new Date()));
      console.error('Entra ID stand-in:', error);
      if (!res.headersSent) send(res, 500, 'Internal error', { 'content-type': 'text/plain' });
      else res.end();
    });
  });
  const port = await listenOn(server, options.port ?? 0);
  base = `https://localhost:${port}`;
  const trust: EntraStandInTrust = { issuer: issuerOf('{tenant}'), audience: app.clientId, jwksUrl: `${base}/${DEMO_TENANT}/discovery/v2.0/keys`, certificate: tls.cert };
  return {
    url: base,
    authority: `${base}/${DEMO_TENANT}`,
    clientId: app.clientId,
    apiScope: `${app.apiUri}/access_as_user`,
    certificate: tls.cert,
    issuerConfig: issuerConfigOf(trust),
    trust,
    sign: (claims) => grants.sign(claims),
    stop: () => closeServer(server),
  };
}
