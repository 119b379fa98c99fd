import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AzureTableAdapter } from '../adapters/table-storage/azure-table.js';
import { composeBackup } from '../compose-backup.js';
import { freePort, startAzurite } from './azurite.js';
import { callbackUrlOf, connectTokenFlex, demoSelfLogged, localAutodeskClients, startLocalAutodesk } from './autodesk-local.js';
import { DataFolderInUseError } from './data-lock.js';
import { DEMO_TENANT, DEMO_USERS } from './demo-users.js';
import { raiseAlerts } from '../app/alerts.js';
import { expireDueHolds } from '../app/holds.js';
import { expireDuePacks } from '../app/packs.js';
import { localGraphToken, staticTokenCredential } from '../adapters/graph/graph-config.js';
import { pageSettingsFor, startEntraStandIn } from './entra-standin.js';
import { startDispatchLoop } from './feed-dispatch-loop.js';
import { startPullLoop } from './usage-pull-loop.js';
import { usagePullFromEnv } from '../config.js';
import { parseSchedule } from '../../src/core/usage-pull/index.js';
import { startGraphStandIn } from './graph-standin.js';
import { hostStandIns } from './hosts/plugin.js';
import { startFeedReceiver } from './feed-receiver.js';
import { seedDemoData } from './seed.js';
import { FileSecretStore } from '../adapters/secrets/file-secret-store.js';
import { startStack } from './stack.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const API_PORT = Number(process.env.CREDIT_DESK_PORT ?? 7071);
const RECEIVER_PORT = 7072;
const GRAPH_PORT = 7073;
const ENTRA_PORT = 7074;
const AUTODESK_PORT = 7075;
const WEB_PORT = 5173;
/**
 * `npm start -- --flex`: the demo firm on Flex tokens, with Token Flex connected to the Autodesk stand-in
 * and pulled at once. Its data is kept apart (.data/flex/), so each demo starts from its own seed.
 */
const FLEX = process.argv.slice(2).includes('--flex');
const DATA = FLEX ? path.join(ROOT, '.data', 'flex') : path.join(ROOT, '.data');

async function portOr(preferred: number): Promise<number> {
  const net = await import('node:net');
  const free = await new Promise<boolean>((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false));
    probe.listen(preferred, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

/** `npm start`: Azurite on disk, the local Functions host on 7071 with dev identity, demo data. */
async function main() {
  const dataDir = path.join(DATA, 'azurite');
  console.log(`Starting Azurite (data in ${path.relative(ROOT, dataDir)})…`);
  const azurite = await startAzurite({ location: dataDir, tablePort: await portOr(10002), blobPort: await portOr(10000) });
  const graph = await startGraphStandIn({ port: await portOr(GRAPH_PORT) });
  // The dev server answers on 127.0.0.1; people open it as localhost too. Its sign-in page is MSAL's redirect URI.
  const entra = await startEntraStandIn({ port: await portOr(ENTRA_PORT), redirectUris: [`http://localhost:${WEB_PORT}/auth.html`, `http://127.0.0.1:${WEB_PORT}/auth.html`] });
  // The admin's consent comes back to the API itself: the callback registered with the stand-in's APS app.
  const callbackUrl = callbackUrlOf(`http://127.0.0.1:${API_PORT}`);
  const autodesk = await startLocalAutodesk(callbackUrl, { port: await portOr(AUTODESK_PORT) });
  let stack;
  try {
    const access = { baseUrl: graph.url, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), tokenPerTenant: false };
    // Autodesk's secrets sit beside Azurite's data, in a file of their own (never the table).
    stack = await startStack({ azurite, port: API_PORT, graph: access, entra: entra.issuerConfig, secrets: FileSecretStore.inFolder(DATA), ...localAutodeskClients(autodesk, callbackUrl) });
  } catch (error) {
    await autodesk.close();
    await entra.stop();
    await graph.stop();
    await azurite.stop();
    throw error;
  }
  // The pages sign in with MSAL through the stand-in, as they do through Entra ID (Vite reads VITE_* from here).
  Object.assign(process.env, pageSettingsFor(entra));
  const { createServer } = await import('vite');
  const web = await createServer({ configFile: path.join(ROOT, 'vite.config.ts'), plugins: [hostStandIns()], server: { proxy: { '/api': stack.apiUrl, '/graph': { target: graph.url, rewrite: (p: string) => p.replace(/^\/graph/, '') } } } });
  await web.listen();
  const receiver = await startFeedReceiver({ port: await portOr(RECEIVER_PORT) });
  const now = new Date();
  const flexDemo = FLEX ? { flex: { selfLogged: demoSelfLogged(now.toISOString().slice(0, 10)) } } : {};
  const seeded = await seedDemoData(AzureTableAdapter.fromConnectionString(azurite.connectionString, 'creditdesk'), now, (line) => console.log(line), { webhookUrl: receiver.url, ...flexDemo });
  if (!seeded) console.log(`Demo data already present (delete ${path.relative(ROOT, DATA)}/ to start over).`);
  if (FLEX) {
    const it = DEMO_USERS.find((u) => u.roles.includes('ITAdmin'))!;
    await connectTokenFlex(stack.apiUrl, await stack.dev.sign(it)).catch((e: unknown) => console.error('Connecting Token Flex to the Autodesk stand-in failed:', e));
  }
  // After seeding, so months of demo history are not posted card by card.
  const dispatchLoop = startDispatchLoop({ dispatcher: stack.dispatcher, tenants: [stack.tenant], intervalMs: 2_000 });
  // The hourly alerts timer, and once now so the demo shows what is due.
  const checkAlerts = () => raiseAlerts(stack.deps, stack.tenant).catch((e: unknown) => console.error('Alerts check failed:', e));
  void checkAlerts();
  const alertsTimer = setInterval(() => void checkAlerts(), 3_600_000);
  // Hold expiry, hourly as the Azure timer does it, and once now (holds may have lapsed while it was stopped).
  const expireHolds = () => expireDueHolds(stack.deps, stack.tenant).catch((e: unknown) => console.error('Hold expiry failed:', e));
  void expireHolds();
  const holdsTimer = setInterval(() => void expireHolds(), 3_600_000);
  // Flex pack expiry, hourly as the Azure timer does it, and once now.
  const expirePacks = () => expireDuePacks(stack.deps, stack.tenant).catch((e: unknown) => console.error('Pack expiry failed:', e));
  void expirePacks();
  const packsTimer = setInterval(() => void expirePacks(), 3_600_000);
  // The nightly backup, as the Azure timer does it (same code, Azurite's blob service): once now, then daily.
  // `npm run restore -- --tenant <id> --list` shows them; delete .data/ and they go with the rest.
  const backups = composeBackup({ storageConnectionString: azurite.connectionString, tableName: 'creditdesk', log: (line) => console.log(line) });
  const runBackup = () => backups.backup(stack.tenant).catch((e: unknown) => console.error('Backup failed:', e));
  void runBackup();
  const backupTimer = setInterval(() => void runBackup(), 86_400_000);
  // Usage from Autodesk's usage APIs, on the schedule the Azure timer keeps; with --flex a first pull now.
  const pullSchedule = parseSchedule(usagePullFromEnv(process.env).schedule);
  const pullLoop = pullSchedule.ok ? startPullLoop({ pulls: stack.pullJobs, tenants: [stack.tenant], schedule: pullSchedule.schedule, log: (line) => console.log(line), runNow: FLEX }) : undefined;
  const autodeskState = FLEX
    ? 'Token Flex connected with the 2-legged app; its first pull runs now (Imports page)'
    : "Autodesk's usage APIs count Flex tokens: npm start -- --flex for the demo with usage pulled";

  console.log(`
Credit Desk is running (dev mode: demo identities, loopback only).
  Teams tab        http://localhost:5173/   (sign in by picking a demo person on the Entra ID stand-in's page)
  Outlook pane     http://localhost:5173/pane.html   (as an account manager, on sample emails: pick one at the top)
  Entra ID         ${entra.url}/   (stand-in: MSAL signs in here; its certificate is made at each start,
                   so open this address once and accept it, or the tab cannot reach it)
  Teams host       http://localhost:5173/hosts/teams.html   (stand-in: Teams framing the tab; ?naa=off, ?theme=dark, ?page=pool)
  Outlook host     http://localhost:5173/hosts/outlook.html   (stand-in: Outlook framing the pane; ?naa=off, ?sample=quote)
  API              ${stack.apiUrl}/api/healthz
  OpenAPI          ${stack.apiUrl}/api/openapi.json
  Demo users       ${stack.apiUrl}/api/dev/users
  Get a token      curl -s -X POST ${stack.apiUrl}/api/dev/token -H 'content-type: application/json' -d '{"user":"${DEMO_USERS[0]!.email}"}'
  Teams channel    ${receiver.pageUrl}   (stand-in for IT's channel: the feed's cards as Teams shows them)
  Autodesk         ${autodesk.url}   (stand-in: APS sign-in, Token Flex and usage insights exports, contract ${autodesk.contractNumber};
                   ${autodeskState})
  Microsoft Graph  ${graph.url}   (stand-in: the directory and the demo mailboxes of the quarantine helper)
  Table Storage    Azurite on 127.0.0.1:${azurite.tablePort} (blob ${azurite.blobPort})

Demo users:
${DEMO_USERS.map((u) => `  ${u.displayName.padEnd(18)} ${u.email.padEnd(36)} ${u.office.padEnd(8)} ${u.roles.join(', ') || 'employee'}`).join('\n')}

Ctrl-C stops everything.`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await web.close();
    clearInterval(alertsTimer);
    clearInterval(holdsTimer);
    clearInterval(packsTimer);
    clearInterval(backupTimer);
    await pullLoop?.stop();
    await dispatchLoop.stop();
    await receiver.stop();
    await graph.stop();
    await entra.stop();
    await autodesk.close();
    await stack.stop();
    await azurite.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  azurite.process.once('exit', (code) => {
    if (!stopping) {
      console.error(`Azurite stopped unexpectedly (exit ${code}).`);
      void stop();
    }
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof DataFolderInUseError ? error.message : error);
  process.exit(1);
});
