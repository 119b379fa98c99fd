import { z } from 'zod';
import * as s from './schemas.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT';

/** Who may call a route at all; finer rules (own records only) live in the use cases. */
export type Access = 'anyone' | 'signed-in' | { roles: readonly s.Role[] };

export interface RouteDef {
  method: HttpMethod;
  /** Path with `{param}` placeholders, as Azure Functions routes write them (with the `/api` prefix). */
  path: string;
  summary: string;
  access: Access;
  idempotency: 'required' | 'optional' | 'none';
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Status of a success. */
  status: 200 | 201;
  response: z.ZodType;
  /** Dev-mode routes exist only with dev mode on and on loopback. */
  devOnly?: boolean;
}

const managers = { roles: ['AccountManager', 'ITAdmin'] } as const;
const itOnly = { roles: ['ITAdmin'] } as const;

/** The one route table: the Azure registration, the local host, the OpenAPI document and the client read it. */
export const ROUTES = {
  healthz: { method: 'GET', path: '/api/healthz', summary: 'Storage health', access: 'anyone', idempotency: 'none', status: 200, response: s.HealthResponse },
  openapi: { method: 'GET', path: '/api/openapi.json', summary: 'This API as OpenAPI 3.1', access: 'anyone', idempotency: 'none', status: 200, response: z.record(z.string(), z.unknown()) },
  me: { method: 'GET', path: '/api/me', summary: 'The caller, their registration and credits', access: 'signed-in', idempotency: 'none', status: 200, response: s.MeResponse },
  createRegistration: { method: 'POST', path: '/api/registrations', summary: 'Request an Autodesk account (for yourself, or as an account manager for someone)', access: 'signed-in', idempotency: 'optional', body: s.CreateRegistrationBody, status: 201, response: s.MemberResponse },
  listRegistrations: { method: 'GET', path: '/api/registrations', summary: 'The registration queue', access: managers, idempotency: 'none', query: s.RegistrationQuery, status: 200, response: s.MembersPage },
  registrationEvent: { method: 'POST', path: '/api/registrations/{memberId}/events', summary: 'Move a registration on', access: 'signed-in', idempotency: 'optional', params: s.MemberPath, body: s.RegistrationEventBody, status: 200, response: s.MemberResponse },
  postUsage: { method: 'POST', path: '/api/usage', summary: 'Log usage (own, or for a member as an account manager)', access: 'signed-in', idempotency: 'required', body: s.UsageBody, status: 201, response: s.UsageResponse },
  listUsage: { method: 'GET', path: '/api/usage', summary: 'Transfer history, newest first', access: 'signed-in', idempotency: 'none', query: s.UsageQuery, status: 200, response: s.TransfersPage },
  pool: { method: 'GET', path: '/api/pool', summary: 'The shared pool', access: 'signed-in', idempotency: 'none', status: 200, response: s.PoolResponse },
  createPurchase: { method: 'POST', path: '/api/purchases', summary: 'Start a purchase of credit blocks', access: managers, idempotency: 'required', body: s.CreatePurchaseBody, status: 201, response: s.PurchaseResponse },
  listPurchases: { method: 'GET', path: '/api/purchases', summary: 'Purchases, newest first', access: managers, idempotency: 'none', query: s.PurchaseQuery, status: 200, response: s.PurchasesPage },
  purchaseEvent: { method: 'POST', path: '/api/purchases/{id}/events', summary: 'Move a purchase on', access: managers, idempotency: 'required', params: s.PurchasePath, body: s.PurchaseEventBody, status: 200, response: s.PurchaseResponse },
  listMembers: { method: 'GET', path: '/api/members', summary: 'Everyone, with state, office and balances', access: managers, idempotency: 'none', query: s.MembersQuery, status: 200, response: s.MembersPage },
  reverseTransfer: { method: 'POST', path: '/api/transfers/{id}/reversal', summary: 'Reverse a transfer', access: managers, idempotency: 'required', params: s.TransferPath, body: s.ReversalBody, status: 201, response: s.ReversalResponse },
  feed: { method: 'GET', path: '/api/feed', summary: 'Pool changes and alerts, newest first', access: 'signed-in', idempotency: 'none', query: s.FeedQuery, status: 200, response: s.FeedPage },
  getSettings: { method: 'GET', path: '/api/settings', summary: 'Policy and settings', access: 'signed-in', idempotency: 'none', status: 200, response: s.Settings },
  putSettings: { method: 'PUT', path: '/api/settings', summary: 'Replace policy and settings', access: itOnly, idempotency: 'required', body: s.Settings, status: 200, response: s.Settings },
  ledgerCheck: { method: 'GET', path: '/api/ledger/check', summary: 'Run the invariant checker over the stored ledger', access: itOnly, idempotency: 'none', status: 200, response: s.LedgerCheckResponse },
  devUsers: { method: 'GET', path: '/api/dev/users', summary: 'Demo users (dev mode)', access: 'anyone', idempotency: 'none', status: 200, response: z.array(s.DevUser), devOnly: true },
  devToken: { method: 'POST', path: '/api/dev/token', summary: 'A token for a demo user (dev mode)', access: 'anyone', idempotency: 'none', body: s.DevTokenBody, status: 200, response: s.DevTokenResponse, devOnly: true },
} as const satisfies Record<string, RouteDef>;

export type RouteName = keyof typeof ROUTES;
type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
export type BodyOf<N extends RouteName> = (typeof ROUTES)[N] extends { body: infer B } ? Infer<B> : undefined;
export type QueryOf<N extends RouteName> = (typeof ROUTES)[N] extends { query: infer Q } ? Infer<Q> : undefined;
export type ParamsOf<N extends RouteName> = (typeof ROUTES)[N] extends { params: infer P } ? Infer<P> : undefined;
export type ResponseOf<N extends RouteName> = Infer<(typeof ROUTES)[N]['response']>;

/** Turns `/api/usage/{id}` into a matcher that returns the params, or undefined. */
export function compilePath(path: string): (pathname: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}$`);
  return (pathname) => {
    const match = regex.exec(pathname);
    if (!match) return undefined;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1]!);
    });
    return params;
  };
}

/** The route's path with `{param}` placeholders filled in. */
export function buildPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''));
}
