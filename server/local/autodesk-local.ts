/**
 * The local stack's Autodesk: the stand-in, with the API's callback registered for the local APS app
 * (as an APS app's callback URL is), and the real APS clients pointed at it. `npm start -- --flex` also
 * connects Token Flex with the stand-in's 2-legged app (IT's own call to the API) and seeds what the demo
 * people logged of the usage the stand-in reports, so the first pull settles it.
 */
import { apsAuthClient } from '../adapters/autodesk/aps-auth-client.js';
import { autodeskUsageSources } from '../adapters/autodesk/usage-source-factory.js';
import { APS_CALLBACK_PATH } from '../config.js';
import type { ApsAuthClient } from '../ports/aps-auth.js';
import type { UsageSourceFactory } from '../ports/usage-source.js';
import type { AutodeskStandIn, AutodeskStandInOptions } from './autodesk-standin.js';
import { LOCAL_APS_APP, LOCAL_APS_SERVER_APP, startAutodeskStandin } from './autodesk-standin.js';
import { addDays, chargesOfDay, demoUsagePeople } from './autodesk-standin-usage.js';
import type { SelfLoggedUsage } from './seed.js';

/** The stand-in's usage seed (its default): the demo's self-logged entries are made from the same. */
const USAGE_SEED = 'contoso';

/** The callback Autodesk sends the admin's browser back to: the API's own route. */
export const callbackUrlOf = (apiUrl: string) => `${apiUrl}${APS_CALLBACK_PATH}`;

/** The stand-in, its 3-legged app taking only the API's callback (any other redirect URI is refused). */
export function startLocalAutodesk(callbackUrl: string, options: Omit<AutodeskStandInOptions, 'apps' | 'seed'> = {}): Promise<AutodeskStandIn> {
  return startAutodeskStandin({ ...options, seed: USAGE_SEED, apps: [{ ...LOCAL_APS_APP, redirectUris: [callbackUrl] }, LOCAL_APS_SERVER_APP] });
}

/** What composeServer takes to connect the stand-in: the local APS app and the usage APIs' clients. */
export function localAutodeskClients(standIn: AutodeskStandIn, callbackUrl: string): { aps: ApsAuthClient; usageSourceFactory: UsageSourceFactory } {
  return {
    aps: apsAuthClient({ clientId: LOCAL_APS_APP.clientId, clientSecret: LOCAL_APS_APP.clientSecret, callbackUrl, baseUrl: standIn.url }),
    // The stand-in makes an export in a moment: polls start at a quarter second, not Autodesk's two.
    usageSourceFactory: autodeskUsageSources({ baseUrl: standIn.url, backoff: { initialMs: 250 } }),
  };
}

/** Products of the stand-in that are services of the demo policy, by the slug people log them under. */
const SERVICE_OF_PRODUCT: Record<string, string> = {
  'Cloud Rendering': 'cloud_rendering',
  'Fusion 360 Simulation': 'simulation',
  'Fusion 360 Generative Design': 'generative_design',
};

/**
 * What the demo people logged themselves of their cloud service runs of the last `days` days (today
 * included), as the stand-in will report them: those Autodesk has posted by the first pull are settled by
 * it; today's and those posted late stay provisional until a later pull.
 */
export function demoSelfLogged(today: string, days = 7): SelfLoggedUsage[] {
  const people = demoUsagePeople();
  const logged: SelfLoggedUsage[] = [];
  for (let back = days - 1; back >= 0; back--) {
    const day = addDays(today, -back);
    for (const charge of chargesOfDay(USAGE_SEED, day, people)) {
      const service = SERVICE_OF_PRODUCT[charge.product.tokenFlexName];
      if (service) logged.push({ email: charge.person.email, service, tokens: charge.cents / 100, date: day });
    }
  }
  return logged;
}

/**
 * IT connects Token Flex with the stand-in's 2-legged app, through the API as Settings does (the client
 * is checked with the stand-in, its secret kept in the secret store). Already connected: nothing to do.
 */
export async function connectTokenFlex(apiUrl: string, token: string): Promise<void> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const listed = await fetch(`${apiUrl}/api/usage/sources/connections`, { headers });
  const { connections } = (await listed.json()) as { connections: { kind: string; disconnected: unknown }[] };
  if (connections.some((c) => c.kind === 'token_flex' && !c.disconnected)) return;
  const put = await fetch(`${apiUrl}/api/usage/sources/token_flex/client`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ clientId: LOCAL_APS_SERVER_APP.clientId, clientSecret: LOCAL_APS_SERVER_APP.clientSecret }),
  });
  if (!put.ok) throw new Error(`Connecting Token Flex to the Autodesk stand-in answered ${put.status}: ${await put.text()}`);
}
