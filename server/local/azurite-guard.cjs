/* global process */
// Preloaded into Azurite's own process (node --require) by server/local/azurite.ts, so that Azurite stops
// when the process that started it is gone, even after a kill -9 of that process: the starter holds the
// write end of Azurite's stdin, and the kernel closes it when the starter dies, however it dies. Azurite
// then stops as on SIGTERM, which saves its database to disk first.
'use strict';

const stopAzurite = () => process.kill(process.pid, 'SIGTERM');
process.stdin.once('end', stopAzurite);
process.stdin.once('error', stopAzurite);
process.stdin.resume();
// Not a reason to stay alive: after a normal stop Azurite exits once its servers have closed.
process.stdin.unref();
