/**
 * The host's side of nested app authentication (NAA), as Teams and Outlook play it for msal-browser: MSAL
 * posts `NestedAppAuthRequest` envelopes (JSON) through `window.nestedAppAuthBridge` — GetInitContext once,
 * then GetToken (silent) and GetTokenPopup (interactive) — and the host answers each with a
 * `NestedAppAuthResponse` of the same requestId: the init context with the signed-in account, or a token
 * response and the account (msal-browser src/naa: BridgeProxy, BridgeResponseEnvelope, TokenResponse).
 * msal-browser 5 sends no GetActiveAccount; the account comes with the init context and each token.
 *
 * Browser code of the dev-only host stand-ins. Access tokens come from the local dev issuer
 * (`POST /api/dev/token`), which the API trusts only in dev mode and from loopback. The id token, which
 * MSAL only reads (it checks no signature on a brokered answer), is unsigned: a stand-in, not Entra's.
 */

/**
 * The environment Entra's accounts carry: MSAL keys its cache by it and finds an account only in its authority's
 * environment, so a host answering for an app whose authority is the Entra ID stand-in names the stand-in's host.
 */
export const ENTRA_ENVIRONMENT = 'login.microsoftonline.com';

export interface BridgeHostOptions {
  /** Who is signed in to the host (a demo user's address). */
  user: string;
  /** The lifetime the host gives each access token (`expires_in`); MSAL asks again 5 minutes before it ends. */
  tokenSeconds: number;
  /** The accounts' environment: Entra's, or the Entra ID stand-in's host (`cloud=` switch). */
  environment?: string;
  /** Records each request for the page's log (what tests read). */
  record(entry: string): void;
}

interface Person {
  oid: string;
  tid: string;
  name: string;
  username: string;
}

interface NaaRequest {
  messageType?: string;
  method?: string;
  requestId?: string;
  tokenParams?: { clientId?: string; scope?: string };
}

const base64url = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

function claimsOf(token: string): Record<string, string> {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, string>;
}

/** A fresh access token for the person from the dev issuer. */
export async function devToken(user: string): Promise<string> {
  const response = await fetch('/api/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  if (!response.ok) throw new Error(`The dev token route answered ${response.status}.`);
  return ((await response.json()) as { token: string }).token;
}

const personOf = (token: string): Person => {
  const claims = claimsOf(token);
  return { oid: claims.oid ?? '', tid: claims.tid ?? '', name: claims.name ?? '', username: claims.preferred_username ?? '' };
};

const accountOf = (person: Person, environment: string) => ({
  homeAccountId: `${person.oid}.${person.tid}`,
  environment,
  tenantId: person.tid,
  username: person.username,
  localAccountId: person.oid,
  name: person.name,
});

/** An id token as Entra shapes it for the nested app (audience: its client id), unsigned. */
function idTokenFor(person: Person, clientId: string, seconds: number, environment: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: clientId, iss: `https://${environment}/${person.tid}/v2.0`, iat: now, nbf: now, exp: now + seconds, oid: person.oid, sub: person.oid, tid: person.tid, name: person.name, preferred_username: person.username, ver: '2.0' };
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`;
}

/** Answers one bridge request (a JSON string) with a response envelope (a JSON string). */
export async function answerBridgeRequest(requestJson: string, options: BridgeHostOptions): Promise<string> {
  let request: NaaRequest;
  try {
    request = JSON.parse(requestJson) as NaaRequest;
  } catch {
    request = {};
  }
  const envelope = { messageType: 'NestedAppAuthResponse', requestId: request.requestId ?? '' };
  options.record(`nestedAppAuth ${request.method ?? 'unknown'}`);
  const environment = options.environment ?? ENTRA_ENVIRONMENT;
  try {
    const token = await devToken(options.user);
    const person = personOf(token);
    if (request.method === 'GetInitContext') {
      return JSON.stringify({ ...envelope, success: true, initContext: { sdkName: 'Credit Desk host stand-in', sdkVersion: '1.0.0', capabilities: { queryAccount: false }, accountContext: { homeAccountId: `${person.oid}.${person.tid}`, environment, tenantId: person.tid } } });
    }
    if (request.method === 'GetToken' || request.method === 'GetTokenPopup') {
      const scope = request.tokenParams?.scope ?? '';
      return JSON.stringify({
        ...envelope,
        success: true,
        token: { access_token: token, expires_in: options.tokenSeconds, id_token: idTokenFor(person, request.tokenParams?.clientId ?? '', options.tokenSeconds, environment), scope, properties: null },
        account: accountOf(person, environment),
      });
    }
    return JSON.stringify({ ...envelope, success: false, error: { status: 'PERSISTENT_ERROR', code: 'unsupported_method', description: `The host does not know ${request.method}.` } });
  } catch (error) {
    return JSON.stringify({ ...envelope, success: false, error: { status: 'TRANSIENT_ERROR', code: 'dev_issuer_unreachable', description: error instanceof Error ? error.message : String(error) } });
  }
}

/** What a stand-in page records, readable by tests as `window.hostStandIn.log`. */
export function hostLog(): (entry: string) => void {
  const page = window as unknown as { hostStandIn?: { log: string[] } };
  page.hostStandIn ??= { log: [] };
  const log = page.hostStandIn.log;
  return (entry) => log.push(entry);
}

/** The host's settings from its address: `?as=`, `tokenSeconds=`, `naa=on|off`, `theme=`, `cloud=` (the accounts' environment). */
export function hostSwitches(search: string = location.search) {
  const params = new URLSearchParams(search);
  const seconds = Number(params.get('tokenSeconds') ?? 3600);
  return {
    params,
    user: params.get('as') ?? '',
    nestedAuth: params.get('naa') !== 'off',
    tokenSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 3600,
    environment: params.get('cloud') ?? ENTRA_ENVIRONMENT,
  };
}

/** The first demo employee, when the address names nobody. */
export async function defaultUser(prefer: (roles: string[]) => boolean): Promise<string> {
  const users = (await (await fetch('/api/dev/users')).json()) as { email: string; roles: string[] }[];
  return (users.find((u) => prefer(u.roles)) ?? users[0])?.email ?? '';
}
