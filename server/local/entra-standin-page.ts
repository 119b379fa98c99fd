/** The Entra ID stand-in's pages: the sign-in page (the demo-user picker) and the error page Entra shows instead of redirecting. */
import type { DemoUser } from './demo-users.js';
import { escapeHtml as escape } from '../html-escape.js';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
  body { margin: 0; font-family: 'Segoe UI', system-ui, sans-serif; background: #f2f2f2; color: #1b1b1b; }
  main { max-width: 440px; margin: 48px auto; background: #fff; padding: 32px 40px; box-shadow: 0 2px 6px rgba(0,0,0,.2); }
  h1 { font-size: 24px; font-weight: 600; margin: 0 0 4px; }
  p { margin: 0 0 16px; }
  ul { list-style: none; padding: 0; margin: 0 0 16px; }
  button { width: 100%; text-align: left; padding: 10px 12px; margin: 2px 0; border: 1px solid transparent; background: none; font: inherit; cursor: pointer; }
  button:hover, button:focus-visible { background: #e6e6e6; border-color: #8a8886; }
  .role { color: #605e5c; font-size: 13px; }
  .cancel { width: auto; color: #0067b8; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;

/** The sign-in page: pick a demo person (their roles become the `roles` claim), or cancel. */
export function pickerPage(users: readonly DemoUser[], action: string, requestId: string, loginHint: string | null): string {
  const people = users
    .map((u) => {
      const hinted = loginHint?.toLowerCase() === u.email ? ' autofocus' : '';
      return `<li><button type="submit" name="user" value="${escape(u.id)}"${hinted}>${escape(u.displayName)}<br><span class="role">${escape(u.email)} · ${escape(u.office)} · ${escape(u.roles.join(', ') || 'Employee')}</span></button></li>`;
    })
    .join('\n');
  return page(
    'Sign in to your account',
    `<h1>Pick an account</h1>
<p>Entra ID stand-in of the local stack: the demo people of Contoso.</p>
<form method="post" action="${escape(action)}">
<input type="hidden" name="request" value="${escape(requestId)}">
<ul>${people}</ul>
<button type="submit" name="cancel" value="1" class="cancel">Cancel</button>
</form>`,
  );
}

/** What Entra shows when it cannot send the answer back (unknown app, unregistered redirect URI). */
export function errorPage(message: string): string {
  return page('Sign in to your account', `<h1>Sorry, but we’re having trouble signing you in.</h1><p>${escape(message)}</p>`);
}

export function signedOutPage(): string {
  return page('Sign out', '<h1>You signed out of your account</h1><p>It’s a good idea to close all browser windows.</p>');
}

/** Opened once in a browser, so it accepts the certificate made at start; then back to the pages. */
export function homePage(pages: readonly string[]): string {
  const links = pages.map((href) => `<li><a href="${escape(href)}">${escape(href)}</a></li>`).join('');
  return page('Entra ID stand-in', `<h1>Entra ID stand-in</h1><p>The local stack's sign-in. This browser now accepts its certificate; back to Credit Desk:</p><ul>${links}</ul>`);
}
