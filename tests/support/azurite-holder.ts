/**
 * A process that starts Azurite on the folder it is given and reports it over IPC, for the tests that kill
 * the process that started Azurite (tests/integration/local-stack-kill.test.ts).
 */
import { startAzurite } from '../../server/local/azurite.js';

const location = process.argv[2];
if (!location || !process.send) throw new Error('Run me with fork(), the data folder as the argument.');
startAzurite({ location }).then(
  (azurite) => process.send!({ type: 'ready', azuritePid: azurite.process.pid, connectionString: azurite.connectionString }),
  (error: unknown) => process.send!({ type: 'error', message: String(error) }),
);
// Stays until killed.
setInterval(() => {}, 60_000);
