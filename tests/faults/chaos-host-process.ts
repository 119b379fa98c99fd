/**
 * A host instance of the chaos run in its own process, so that it can be killed (SIGKILL) mid-burst and
 * started again, with its own group committer and row cache over the same storage as the other instance.
 * Composed as startStack does (dev identity, the Graph stand-in), on CHAOS_STORAGE (the faulty proxy's
 * connection string), listening on CHAOS_PORT.
 *
 * IPC: → { type: 'ready', apiUrl }, { type: 'tokens', id, tokens }, { type: 'error', message }; ← { type: 'sign', id, users }.
 */
import { localGraphToken, staticTokenCredential } from '../../server/adapters/graph/graph-config.js';
import { composeServer } from '../../server/compose.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_TENANT } from '../../server/local/demo-users.js';
import { createDevIdentity } from '../../server/local/dev-identity.js';
import { startLocalHost } from '../../server/local/host.js';

export type ChaosHostRequest = { type: 'sign'; id: number; users: DemoUser[] };
export type ChaosHostMessage = { type: 'ready'; apiUrl: string } | { type: 'tokens'; id: number; tokens: string[] } | { type: 'error'; message: string };

const send = (message: ChaosHostMessage) => process.send?.(message);

async function main(): Promise<void> {
  const { CHAOS_STORAGE: storage, CHAOS_GRAPH_URL: graphUrl, CHAOS_PORT: port } = process.env;
  if (!storage || !graphUrl || !port || !process.send) throw new Error('Run me from the chaos run: fork() with CHAOS_STORAGE, CHAOS_GRAPH_URL and CHAOS_PORT set.');
  const dev = await createDevIdentity();
  const graph = { baseUrl: graphUrl, credential: staticTokenCredential(localGraphToken(DEMO_TENANT)), tokenPerTenant: false, timeoutMs: 3_000, cooldownMs: 500 };
  const { pipeline } = await composeServer(
    { storageConnectionString: storage, tableName: 'creditdesk', devMode: true, auth: undefined, tabUrl: 'http://localhost:5173/', allowedOrigins: [] },
    { dev: { identity: dev, issuer: dev.issuer, tenant: DEMO_TENANT }, graph },
  );
  await startLocalHost({ pipeline, port: Number(port) });
  process.on('message', (raw) => {
    const message = raw as ChaosHostRequest;
    if (message.type !== 'sign') return;
    Promise.all(message.users.map((u) => dev.sign(u))).then(
      (tokens) => send({ type: 'tokens', id: message.id, tokens }),
      (error: unknown) => send({ type: 'error', message: String(error) }),
    );
  });
  // The chaos run went away: don't linger.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', apiUrl: `http://127.0.0.1:${port}` });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: (error as Error).stack ?? String(error) });
  process.exit(1);
});
