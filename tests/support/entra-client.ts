/**
 * A client of the Entra ID stand-in that does what MSAL does in the page, over real https (trusting only
 * the stand-in's certificate): authorize with PKCE, pick a person on the sign-in page, redeem the code.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DemoUser } from '../../server/local/demo-users.js';
import type { EntraStandIn } from '../../server/local/entra-standin.js';
import type { TrustedFetchInit } from '../../server/local/trusted-fetch.js';
import { fetchTrusting } from '../../server/local/trusted-fetch.js';

export const APP_ORIGIN = 'http://localhost:5173';
export const REDIRECT_URI = `${APP_ORIGIN}/auth.html`;

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The answer's parameters from a redirect to the app: its fragment or its query. */
export function answerOf(location: string | null): URLSearchParams {
  if (!location) throw new Error('No redirect');
  const url = new URL(location);
  return new URLSearchParams(url.hash ? url.hash.slice(1) : url.search);
}

export class EntraClient {
  readonly fetch: (url: string | URL, init?: TrustedFetchInit) => Promise<Response>;

  constructor(readonly standIn: EntraStandIn) {
    this.fetch = fetchTrusting(standIn.certificate);
  }

  authorizeUrl(params: Record<string, string>): string {
    const query = new URLSearchParams({
      client_id: this.standIn.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: `${this.standIn.apiScope} openid profile offline_access`,
      response_mode: 'fragment',
      state: 'state-1',
      nonce: 'nonce-1',
      client_info: '1',
      ...params,
    });
    return `${this.standIn.authority}/oauth2/v2.0/authorize?${query}`;
  }

  /** The sign-in page for an authorize request, and the picker's request id on it. */
  async openSignIn(params: Record<string, string>): Promise<{ page: Response; html: string; requestId: string | undefined; action: string | undefined }> {
    const page = await this.fetch(this.authorizeUrl(params));
    const html = await page.text();
    return { page, html, requestId: /name="request" value="([^"]+)"/.exec(html)?.[1], action: /action="([^"]+)"/.exec(html)?.[1] };
  }

  /** Picks `user` on the sign-in page (or cancels): the stand-in's redirect back to the app. */
  async pick(signIn: { requestId: string | undefined; action: string | undefined }, user: DemoUser | 'cancel'): Promise<Response> {
    const form = new URLSearchParams({ request: signIn.requestId ?? '', ...(user === 'cancel' ? { cancel: '1' } : { user: user.id }) });
    return this.fetch(new URL(signIn.action ?? '/', this.standIn.url), { method: 'POST', body: form });
  }

  /** Authorize, pick `user`, and the code from the answer. */
  async code(user: DemoUser, pkce: Pkce, params: Record<string, string> = {}): Promise<string> {
    const signIn = await this.openSignIn({ code_challenge: pkce.challenge, code_challenge_method: 'S256', ...params });
    const answer = answerOf((await this.pick(signIn, user)).headers.get('location'));
    const code = answer.get('code');
    if (!code) throw new Error(`No code: ${answer.toString()}`);
    return code;
  }

  /** A token request as MSAL sends it from the page (form body, the page's Origin). */
  async token(params: Record<string, string>, origin: string | null = APP_ORIGIN): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await this.fetch(`${this.standIn.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: origin ? { origin } : {},
      body: new URLSearchParams({ client_id: this.standIn.clientId, ...params }),
    });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  redeem(code: string, verifier: string, extra: Record<string, string> = {}, origin?: string | null) {
    return this.token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, scope: `${this.standIn.apiScope} openid profile offline_access`, client_info: '1', ...extra }, origin);
  }

  /** Authorize, pick, redeem: the token response for `user`. */
  async signIn(user: DemoUser): Promise<any> {
    const pkce = newPkce();
    const answer = await this.redeem(await this.code(user, pkce), pkce.verifier);
    if (answer.status !== 200) throw new Error(`Sign-in failed: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}
