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
