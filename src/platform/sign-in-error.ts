/**
 * What went wrong while signing in, in the few kinds a person can act on. MSAL, Teams' sign-in window and
 * Office's dialog each report failures their own way; they are sorted here so the screens say one thing.
 */
export type SignInProblem =
  /** Nobody is signed in yet, or the sign-in lapsed: the person has to sign in (again). */
  | 'needed'
  /** Microsoft asks the person to consent to Credit Desk first. */
  | 'consent'
  /** The person refused the consent, or their organisation needs an administrator to approve Credit Desk. */
  | 'declined'
  /** The person closed the sign-in window before it finished. */
  | 'cancelled'
  /** The browser or the host did not let the sign-in window open. */
  | 'blocked'
  /** Another sign-in window is still open. */
  | 'busy'
  /** Microsoft's sign-in service could not be reached. */
  | 'offline'
  | 'failed';

/** A sign-in that needs the person: the screens offer a "Sign in" button, which starts it from their click. */
export class SignInError extends Error {
  constructor(
    readonly problem: SignInProblem,
    /** The library's own code (`no_account_error`, `CancelledByUser`, Office's 12006), for the log and IT. */
    readonly reason: string,
  ) {
    super(`Sign-in did not finish (${problem}: ${reason}).`);
    this.name = 'SignInError';
  }
}

/** MSAL's codes (BrowserAuthError, ClientAuthError, InteractionRequiredAuthError, ServerError), Teams' and Office's. */
const PROBLEM_OF_CODE: Record<string, SignInProblem> = {
  no_account_error: 'needed',
  no_account_found: 'needed',
  no_tokens_found: 'needed',
  interaction_required: 'needed',
  login_required: 'needed',
  bad_token: 'needed',
  refresh_token_expired: 'needed',
  native_account_unavailable: 'needed',
  interrupted_user: 'needed',
  ui_not_allowed: 'needed',
  consent_required: 'consent',
  access_denied: 'declined',
  user_cancelled: 'cancelled',
  user_canceled: 'cancelled',
  // Teams' authentication.authenticate: the person closed the window, or it could not be opened.
  CancelledByUser: 'cancelled',
  FailedToOpenWindow: 'blocked',
  empty_window_error: 'blocked',
  popup_window_error: 'blocked',
  interaction_in_progress: 'busy',
  no_network_connectivity: 'offline',
  network_error: 'offline',
  endpoints_resolution_error: 'offline',
  openid_config_error: 'offline',
  post_request_failed: 'offline',
  get_request_failed: 'offline',
  timed_out: 'offline',
  // Office's dialog API: closed by the person; ignored or blocked; another dialog open.
  '12006': 'cancelled',
  '12009': 'blocked',
  '12011': 'blocked',
  '12007': 'busy',
};

interface CodedFailure {
  name?: unknown;
  errorCode?: unknown;
  subError?: unknown;
  message?: unknown;
  code?: unknown;
}

/** The code a failure carries: MSAL's errorCode (or its sub-error), Office's numeric code, or Teams' reason as the message. */
function codeOf(error: unknown): string {
  const failure = (error ?? {}) as CodedFailure;
  if (typeof failure.subError === 'string' && failure.subError in PROBLEM_OF_CODE) return failure.subError;
  if (typeof failure.errorCode === 'string' && failure.errorCode !== '') return failure.errorCode;
  if (typeof failure.code === 'number' || typeof failure.code === 'string') return String(failure.code);
  if (typeof error === 'string') return error;
  return typeof failure.message === 'string' ? failure.message : 'unknown';
}

/** Any failure on the way to a token, as a SignInError (a SignInError stays as it is). */
export function signInErrorOf(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  const code = codeOf(error);
  const problem = PROBLEM_OF_CODE[code] ?? ((error as CodedFailure | undefined)?.name === 'InteractionRequiredAuthError' ? 'needed' : 'failed');
  return new SignInError(problem, code);
}
