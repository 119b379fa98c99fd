/**
 * The last step of `atk provision` (m365agents.yml): grants the backend's managed identity the directory
 * look-up (Graph User.Read.All) and gives the person signed in to the Azure CLI the ITAdmin role of the
 * Entra app (manifest/azure/first-access.ts says what and why). Safe to run again: it grants only what is missing.
 *
 *   npx tsx manifest/azure/grant-first-access.ts --identity <graphIdentityPrincipalId> --app <client id> --tenant <tenant id>
 *
 * Needs `az login` as a Privileged Role Administrator or Global Administrator of the tenant (granting a
 * Microsoft Graph application permission needs one of them). The Azure CLI only supplies the Graph token
 * (its own sign-in, no extra app); the requests go out with fetch, so no JSON is quoted through a shell.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { GraphCall } from './first-access.js';
import { grantFirstAccess } from './first-access.js';

const { values } = parseArgs({
  options: { identity: { type: 'string' }, app: { type: 'string' }, tenant: { type: 'string' } },
});
const { identity, app, tenant } = values;
if (!identity || !app || !tenant) {
  console.error('Give --identity <managed identity principal id> --app <Entra app client id> --tenant <tenant id> (atk provision passes them).');
  process.exit(2);
}

function graphToken(tenantId: string): string {
  const args = ['account', 'get-access-token', '--resource-type', 'ms-graph', '--tenant', tenantId, '--query', 'accessToken', '-o', 'tsv'];
  // On Windows `az` is az.cmd, which Node starts only through the shell (the arguments need no quoting).
  try {
    return execFileSync('az', args, { encoding: 'utf8', shell: process.platform === 'win32' }).trim();
  } catch (error) {
    throw new Error(`The Azure CLI gave no Microsoft Graph token for tenant ${tenantId}: install it and run az login --tenant ${tenantId} (${error instanceof Error ? error.message : String(error)}).`);
  }
}

const graph = (token: string): GraphCall => async (request) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: { authorization: `Bearer ${token}`, ...(request.body ? { 'content-type': 'application/json' } : {}) },
    body: request.body ? JSON.stringify(request.body) : undefined,
  });
  const answer = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!response.ok) {
    const hint = response.status === 403 ? ' Sign in to the Azure CLI (az login) as a Privileged Role Administrator or Global Administrator, then run atk provision again.' : '';
    throw new Error(`${request.method} ${request.url}: ${response.status} ${answer.error?.code ?? ''} ${answer.error?.message ?? ''}.${hint}`);
  }
  return answer;
};

try {
  const grants = await grantFirstAccess({ identityPrincipalId: identity, appClientId: app }, graph(graphToken(tenant)));
  if (grants.length === 0) console.log('Already granted: the directory look-up for the managed identity, and your ITAdmin role.');
  for (const grant of grants) console.log(`Granted ${grant.what}.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  console.error('Nothing is lost: every step of provision can run again (atk provision), or grant by hand (README, steps 4 and 5).');
  process.exit(1);
}
