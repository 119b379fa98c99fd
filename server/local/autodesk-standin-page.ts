/** The Autodesk stand-in's pages: the consent page an admin sees in the 3-legged flow, and the error page shown instead of redirecting. */
import type { DemoUser } from './demo-users.js';
import { escapeHtml as escape } from '../html-escape.js';

const page = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>
  body { margin: 0; font-family: Artifakt, 'Segoe UI', system-ui, sans-serif; background: #f5f5f5; color: #3c3c3c; }
  main { max-width: 460px; margin: 48px auto; background: #fff; padding: 32px 40px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
  h1 { font-size: 22px; font-weight: 600; margin: 0 0 12px; }
  p { margin: 0 0 16px; }
  ul { margin: 0 0 20px; }
  .who { color: #666; font-size: 13px; }
  button { padding: 8px 20px; margin-right: 8px; font: inherit; border-radius: 2px; cursor: pointer; border: 1px solid #0696d7; }
  .allow { background: #0696d7; color: #fff; }
  .deny { background: #fff; color: #0696d7; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;

const SCOPE_WORDS: Record<string, string> = {
  'data:read': 'View your data',
  'data:write': 'Manage your data',
  'data:create': 'Create data',
};

/** The consent page: the signed-in admin allows or denies the app the scopes it asks. */
export function consentPage(appName: string, admin: DemoUser, scopes: readonly string[], action: string, requestId: string): string {
  const asked = scopes.map((s) => `<li>${escape(SCOPE_WORDS[s] ?? s)} <span class="who">(${escape(s)})</span></li>`).join('');
  return page(
    'Autodesk - Allow access',
    `<h1>${escape(appName)} would like to access your Autodesk account</h1>
<p class="who">Signed in as ${escape(admin.displayName)} (${escape(admin.email)}) · Autodesk stand-in of the local stack</p>
<p>This app will be able to:</p>
<ul>${asked}</ul>
<form method="post" action="${escape(action)}">
<input type="hidden" name="request" value="${escape(requestId)}">
<button type="submit" name="decision" value="allow" class="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="deny">Deny</button>
</form>`,
  );
}

/** What Autodesk shows when it cannot send the answer back (unknown client, unregistered callback URL). */
export function errorPage(message: string): string {
  return page('Autodesk - Error', `<h1>Something went wrong</h1><p>${escape(message)}</p>`);
}
