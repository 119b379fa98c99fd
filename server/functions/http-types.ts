/** A request as both hosts (Azure Functions and the local node:http host) hand it to the pipeline. */
export interface ApiRequest {
  method: string;
  /** Path and query, e.g. `/api/usage?limit=10`. */
  url: string;
  headers: Record<string, string | undefined>;
  body: Buffer | undefined;
  /** The peer's address when the host knows it (the local host); dev routes need loopback. */
  remoteAddress: string | undefined;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}
