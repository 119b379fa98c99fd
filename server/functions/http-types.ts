/** A request as both hosts (Azure Functions and the local node:http host) hand it to the pipeline. */
export interface ApiRequest {
  method: string;
  /** Path and query, e.g. `/api/usage?limit=10`. */
  url: string;
  headers: Record<string, string | undefined>;
  body: Buffer | undefined;
  /**
   * The host stopped reading the body past MAX_BODY_BYTES (the local host does, rather than buffer it):
   * `body` is then incomplete and a route with a body answers 413.
   */
  bodyTooLarge?: boolean;
  /** The peer's address when the host knows it (the local host); dev routes need loopback. */
  remoteAddress: string | undefined;
  /**
   * The body still unread, on routes that take a file (`upload` in the route table): the hosts hand it
   * over as it arrives instead of buffering it, and the use case streams it to Blob Storage.
   */
  stream?: AsyncIterable<Uint8Array>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** A file answer (`produces` in the route table), streamed instead of `body`. */
  stream?: AsyncIterable<Uint8Array>;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}

/**
 * True when a `Host` header names this machine's loopback: `localhost` or a `*.localhost` name (RFC 6761
 * keeps them on loopback), 127.x.x.x or [::1], with any port. A page on another name that DNS rebinding
 * pointed at 127.0.0.1 sends its own name here. Vite's `server.allowedHosts` check lets the same names
 * through (it takes any IP literal too; the dev API listens on loopback, so it takes only loopback ones).
 */
export function isLoopbackHost(host: string | undefined): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.exec(host?.trim() ?? '');
  if (!match) return false;
  const name = match[1]!.toLowerCase();
  if (name.startsWith('[')) return isLoopback(name.slice(1, -1));
  return name === 'localhost' || /^([a-z0-9-]+\.)+localhost$/.test(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}
