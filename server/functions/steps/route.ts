import type { RouteDef, RouteName } from '../../../src/contract/index.js';
import { ROUTES, compilePath } from '../../../src/contract/index.js';
import type { StepResult } from './answers.js';
import { error, next, stop } from './answers.js';

export interface RouteEntry {
  name: RouteName;
  route: RouteDef;
  match: (pathname: string) => Record<string, string> | undefined;
}

const compiled: RouteEntry[] = (Object.entries(ROUTES) as [RouteName, RouteDef][]).map(([name, route]) => ({ name, route, match: compilePath(route.path) }));

/** True when the route at this method and path takes its body as a stream: the hosts then do not buffer it. */
export function takesUpload(method: string, pathname: string): boolean {
  return compiled.some((c) => c.route.upload !== undefined && c.route.method === method && c.match(pathname) !== undefined);
}

/** The routes at this path, whatever their method; dev routes only where dev routes are allowed. */
export function routesAt(pathname: string, devAllowed: boolean): RouteEntry[] {
  return compiled.filter((c) => c.match(pathname) && (!c.route.devOnly || devAllowed));
}

/** The route a request names: 404 for no route at the path, 405 (with Allow) for another method. */
export function route(method: string, pathname: string, devAllowed: boolean): StepResult<RouteEntry> {
  const candidates = routesAt(pathname, devAllowed);
  if (candidates.length === 0) return stop(error('NOT_FOUND', `No route ${pathname}.`));
  const entry = candidates.find((c) => c.route.method === method);
  if (!entry) return stop(error('METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}.`, undefined, { allow: candidates.map((c) => c.route.method).join(', ') }));
  return next(entry);
}
