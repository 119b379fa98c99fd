import { createHash } from 'node:crypto';
import type { ApiErrorCode } from '../../../src/contract/index.js';
import { ERROR_STATUS } from '../../../src/contract/index.js';
import type { PageAnswer } from '../../app/app-result.js';
import type { ApiResponse } from '../http-types.js';
import { BASE_HEADERS } from './answers.js';
import { escapeHtml } from '../../html-escape.js';

/** The page's one script: a window the tab opened closes itself (the tab then reads the connection again). */
const CLOSE_SCRIPT = 'setTimeout(function () { window.close(); }, 1500);';
const SCRIPT_HASH = `sha256-${createHash('sha256').update(CLOSE_SCRIPT).digest('base64')}`;


/**
 * A small page for a browser window (Autodesk's callback lands in one): the outcome in words, and a
 * script that closes the window, allowed by its hash and nothing else. A refusal keeps its code in a
 * header for scripts and support, never on the page.
 */
export function pageResponse(status: number, page: PageAnswer, code?: ApiErrorCode): ApiResponse {
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)}</title></head>
<body style="font-family: 'Segoe UI', system-ui, sans-serif; margin: 24px">
<h1 style="font-size: 20px">${escapeHtml(page.title)}</h1>
<p>${escapeHtml(page.message)}</p>
${code ? '' : `<script>${CLOSE_SCRIPT}</script>`}
</body>
</html>
`;
  return {
    status,
    headers: {
      ...BASE_HEADERS,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src '${SCRIPT_HASH}'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'`,
      ...(code ? { 'x-error-code': code } : {}),
    },
    body,
  };
}

/** A refusal on a page route: its status from the contract's table, the message as the page's words. */
export const refusalPage = (code: ApiErrorCode, message: string): ApiResponse => pageResponse(ERROR_STATUS[code], { title: 'Autodesk is not connected', message }, code);
