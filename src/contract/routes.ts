import { z } from 'zod';
import type { RoutePath, RouteName } from './paths.js';
import { ROUTE_PATHS } from './paths.js';
import * as imports from './imports.js';
import * as s from './schemas.js';
import * as sources from './usage-sources.js';
import * as setup from './setup.js';

export type { Access, HttpMethod, RouteName, RoutePath } from './paths.js';
export { ROUTE_PATHS, buildPath, compilePath } from './paths.js';

export interface RouteSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
}

export type RouteDef = RoutePath & RouteSchemas;

/** The schemas of every route of the table in paths.ts. */
const SCHEMAS = {
  healthz: { response: s.HealthResponse },
  openapi: { response: z.record(z.string(), z.unknown()) },
  me: { response: s.MeResponse },
  createRegistration: { body: s.CreateRegistrationBody, response: s.MemberResponse },
  listRegistrations: { query: s.RegistrationQuery, response: s.MembersPage },
  stuckRegistrations: { response: s.StuckRegistrationsResponse },
  registrationEvent: { params: s.MemberPath, body: s.RegistrationEventBody, response: s.MemberResponse },
  requestRegistrationHelp: { params: s.MemberPath, response: s.RegistrationHelpResponse },
  postUsage: { body: s.UsageBody, response: s.UsageResponse },
  listUsage: { query: s.UsageQuery, response: s.TransfersPage },
  placeHold: { body: s.PlaceHoldBody, response: s.HoldResponse },
  listHolds: { query: s.HoldsQuery, response: s.HoldsPage },
  voidHold: { params: s.HoldPath, response: s.HoldResponse },
  pool: { response: s.PoolResponse },
  poolForecast: { query: s.PoolForecastQuery, response: s.PoolForecastResponse },
  createPurchase: { body: s.CreatePurchaseBody, response: s.PurchaseResponse },
  listPurchases: { query: s.PurchaseQuery, response: s.PurchasesPage },
  purchaseEvent: { params: s.PurchasePath, body: s.PurchaseEventBody, response: s.PurchaseResponse },
  listMembers: { query: s.MembersQuery, response: s.MembersPage },
  memberLookup: { query: s.MemberLookupQuery, response: s.MemberLookupResponse },
  directorySearch: { query: s.DirectorySearchQuery, response: s.DirectorySearchResponse },
  uploadImport: { query: imports.ImportUploadQuery, response: imports.ImportView },
  listImports: { query: imports.ImportsQuery, response: imports.ImportsPage },
  getImport: { params: imports.ImportPath, response: imports.ImportView },
  mapImportColumns: { params: imports.ImportPath, body: imports.ImportMappingBody, response: imports.ImportView },
  linkImportPeople: { params: imports.ImportPath, body: imports.ImportLinksBody, response: imports.ImportView },
  commitImport: { params: imports.ImportPath, query: imports.ImportCommitQuery, response: imports.ImportView },
  importReport: { params: imports.ImportPath, response: z.string() },
  usageSources: { response: sources.UsageSourcesResponse },
  pullUsageSource: { params: sources.UsageSourcePath, response: sources.PullNowResponse },
  reverseTransfer: { params: s.TransferPath, body: s.ReversalBody, response: s.ReversalResponse },
  auditTrail: { query: s.AuditQuery, response: s.AuditPage },
  chargebackReport: { query: s.ChargebackQuery, response: s.ChargebackResponse },
  feed: { query: s.FeedQuery, response: s.FeedPage },
  feedDelivery: { response: s.FeedDeliveryResponse },
  requeueParkedEvent: { params: s.ParkedEventPath, response: s.RequeueResponse },
  getPolicy: { response: s.PublicPolicy },
  getSettings: { response: s.Settings },
  putSettings: { body: s.Settings, response: s.Settings },
  ledgerCheck: { response: s.LedgerCheckResponse },
  usageConnections: { response: sources.UsageConnectionsResponse },
  connectUsageSource: { params: sources.UsageSourcePath, response: sources.ConsentStarted },
  autodeskCallback: { query: sources.AutodeskCallbackQuery, response: z.string() },
  putUsageSourceClient: { params: sources.UsageSourcePath, body: sources.AutodeskClientBody, response: sources.UsageConnection },
  disconnectUsageSource: { params: sources.UsageSourcePath, response: sources.DisconnectedResponse },
  setupReadiness: { response: setup.ReadinessResponse },
  devUsers: { response: z.array(s.DevUser) },
  devToken: { body: s.DevTokenBody, response: s.DevTokenResponse },
} as const satisfies Record<RouteName, RouteSchemas>;

type Routes = { [N in RouteName]: (typeof ROUTE_PATHS)[N] & (typeof SCHEMAS)[N] };

/** The route table with its schemas: the Azure registration, the local host and the OpenAPI document read it. */
export const ROUTES = Object.fromEntries(
  (Object.keys(ROUTE_PATHS) as RouteName[]).map((name) => [name, { ...ROUTE_PATHS[name], ...SCHEMAS[name] }]),
) as Routes;

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
export type BodyOf<N extends RouteName> = (typeof SCHEMAS)[N] extends { body: infer B } ? Infer<B> : undefined;
export type QueryOf<N extends RouteName> = (typeof SCHEMAS)[N] extends { query: infer Q } ? Infer<Q> : undefined;
export type ParamsOf<N extends RouteName> = (typeof SCHEMAS)[N] extends { params: infer P } ? Infer<P> : undefined;
export type ResponseOf<N extends RouteName> = Infer<(typeof SCHEMAS)[N]['response']>;
/** What a route's use case is given: its path parameters, query and body, as the route's schemas parse them. */
export interface InputOf<N extends RouteName> {
  params: ParamsOf<N>;
  query: QueryOf<N>;
  body: BodyOf<N>;
}
