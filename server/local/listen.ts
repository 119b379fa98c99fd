import type { AddressInfo, Server } from 'node:net';

/** Starts `server` listening (loopback unless told; port 0 picks a free one) and gives the port it got. */
export function listenOn(server: Server, port = 0, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops `server` now: closes it and cuts the connections still open, instead of waiting on them (a request
 * whose client went away mid-body, or a keep-alive socket, would hold `close()` for ever).
 */
export function closeServer(server: Pick<Server, 'close'> & { closeAllConnections(): void }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
