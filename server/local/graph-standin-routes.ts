/**
 * Which Graph route answers a path, per API version, as Graph does it: a route is served only on the
 * versions Microsoft serves it on; an unknown version is `400 BadRequest "Invalid version."` and a path
 * Graph has no resource for is `400 BadRequest "Resource not found for the segment '…'."`, naming the first
 * segment it could not resolve (what Graph answers, e.g. a beta-only resource asked on v1.0).
 */
import { GraphError } from './graph-standin-http.js';

export const GRAPH_VERSIONS = ['v1.0', 'beta'] as const;
export type GraphVersion = (typeof GRAPH_VERSIONS)[number];

export interface Route<H> {
  /** The versions Microsoft documents the route on. */
  versions: readonly GraphVersion[];
  /** Path segments after the version; `*` is a parameter. Literal segments match case-insensitively, as in Graph. */
  pattern: readonly string[];
  methods: Record<string, H>;
}

const segmentMatches = (pattern: string, segment: string) => pattern === '*' || pattern.toLowerCase() === segment.toLowerCase();

/** The route for `version` and `segments` with its parameters, or Graph's error for the path. */
export function matchRoute<H>(routes: readonly Route<H>[], version: string, segments: readonly string[]): { route: Route<H>; params: string[] } {
  if (!(GRAPH_VERSIONS as readonly string[]).includes(version)) throw new GraphError(400, 'BadRequest', 'Invalid version.');
  const served = routes.filter((r) => r.versions.includes(version as GraphVersion));
  const route = served.find((r) => r.pattern.length === segments.length && r.pattern.every((p, i) => segmentMatches(p, segments[i]!)));
  if (route) return { route, params: segments.filter((_, i) => route.pattern[i] === '*') };
  // The first segment no route served on this version goes through.
  const known = (depth: number) => served.some((r) => r.pattern.length >= depth && segments.slice(0, depth).every((s, i) => segmentMatches(r.pattern[i]!, s)));
  let depth = 0;
  while (depth < segments.length && known(depth + 1)) depth++;
  const unknown = segments[Math.min(depth, segments.length - 1)] ?? version;
  throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${unknown}'.`);
}
