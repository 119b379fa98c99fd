import type { InputOf, ROUTE_PATHS, ResponseOf, RouteName } from '../../src/contract/index.js';
import { buildOpenApi } from '../../src/contract/index.js';
import type { AppResult, FileAnswer, PageAnswer, WriteRequest } from '../app/app-result.js';
import { failure, success } from '../app/app-result.js';
import type { Caller } from '../app/caller.js';
import { getAuditTrail } from '../app/audit.js';
import { lookUpMember, searchDirectory } from '../app/directory.js';
import { getFeed } from '../app/feed.js';
import type { FeedDeliveryDeps } from '../app/feed-delivery.js';
import { getFeedDelivery, requeueParkedEvent } from '../app/feed-delivery.js';
import { getPoolForecast } from '../app/forecast.js';
import { listHolds, postHold, voidHoldFor } from '../app/holds.js';
import { getMe } from '../app/me.js';
import { getPool } from '../app/pool.js';
import { listPurchases, purchaseEvent, startPurchase } from '../app/purchases.js';
import { getChargebackReport } from '../app/reports.js';
import { requestRegistrationHelp } from '../app/registration-help.js';
import { listMembers, listRegistrations, registrationEvent, requestRegistration } from '../app/registrations.js';
import { reverse } from '../app/reversals.js';
import { listStuckRegistrations } from '../app/stuck-registrations.js';
import { checkLedger, getPolicy, getSettings, putSettings } from '../app/settings.js';
import { listUsage, postUsage } from '../app/usage.js';
import type { ImportDeps, ImportJobs } from '../app/imports/import-deps.js';
import { commitImport, getImport, importReport, linkImportPeople, listImports, mapImportColumns, uploadImport } from '../app/imports/imports.js';
import type { MessageTrace } from '../ports/message-trace.js';
import type { AutodeskConnectDeps } from '../app/usage-sources/connect.js';
import { disconnectUsageSource, finishConsent, listUsageConnections, putAutodeskClient, startConsent } from '../app/usage-sources/connect.js';
import type { PullDeps } from '../app/usage-pull/pull-deps.js';
import type { PullJobs } from '../app/usage-pull/pull-runner.js';
import { listUsageSources, pullNow } from '../app/usage-pull/pull-status.js';
import type { GraphReadiness } from '../ports/graph-readiness.js';
import { getReadiness } from '../app/setup/readiness.js';

/** Local demo identities; present only when dev mode is on. */
export interface DevIdentity {
  users(): ResponseOf<'devUsers'>;
  issue(email: string): Promise<string | undefined>;
}

export interface UseCaseDeps extends FeedDeliveryDeps, ImportDeps, PullDeps {
  importJobs: ImportJobs;
  pullJobs: PullJobs;
  dev?: DevIdentity | undefined;
  /** Exchange message trace for stuck registrations; absent: each person's trace says it is not configured. */
  messageTrace?: MessageTrace | undefined;
  /** Connecting Autodesk's usage APIs: connections, consents under way, secrets; the composition always sets it (absent in unit harnesses). */
  autodesk?: AutodeskConnectDeps | undefined;
  /** What the first-run page asks Graph; absent when Graph is not configured. */
  graphReadiness?: GraphReadiness | undefined;
}

/** Who calls a route: nobody in particular for routes open to anyone, else the signed-in person (the pipeline refuses anyone else first). */
export type CallerOf<N extends RouteName> = (typeof ROUTE_PATHS)[N]['access'] extends 'anyone' ? undefined : Caller;

/** A route's input as its schemas parse it, with what the HTTP layer adds: the write's idempotency marker and, for upload routes, the file as it arrives. */
export interface UseCaseInput<N extends RouteName> extends InputOf<N> {
  write: WriteRequest;
  file: AsyncIterable<Uint8Array> | undefined;
}

/** What a route's use case answers: the route's response, for a route that produces a file the file, for a page its words. */
export type OutputOf<N extends RouteName> = N extends RouteName
  ? (typeof ROUTE_PATHS)[N] extends { produces: 'text/html' }
    ? PageAnswer
    : (typeof ROUTE_PATHS)[N] extends { produces: string }
      ? FileAnswer
      : ResponseOf<N>
  : never;

/** A route's use case, typed from the route table: an answer of another shape than the route's response does not compile. */
export type UseCase<N extends RouteName> = (deps: UseCaseDeps, caller: CallerOf<N>, input: UseCaseInput<N>) => Promise<AppResult<OutputOf<N>>>;

/** Upload routes get the file; the pipeline hands it to every route marked `upload`. */
const uploaded = (input: { file: AsyncIterable<Uint8Array> | undefined }): AsyncIterable<Uint8Array> => {
  if (!input.file) throw new Error('An upload route ran without its file.');
  return input.file;
};

/** The Autodesk connection routes' deps; a harness without them answers as a deployment without an APS app. */
const withAutodesk =
  <T>(use: (autodesk: AutodeskConnectDeps) => Promise<AppResult<T>>) =>
  (deps: UseCaseDeps): Promise<AppResult<T>> =>
    deps.autodesk ? use(deps.autodesk) : Promise.resolve(failure('AUTODESK_NOT_CONFIGURED', 'Autodesk cannot be connected in this deployment.'));

/** Every route's use case: handlers only pick the inputs and call it. */
export const USE_CASES: { [N in RouteName]: UseCase<N> } = {
  healthz: async (deps) => {
    await deps.store.ping();
    return success({ ok: true, storage: 'up' as const });
  },
  openapi: async (deps) => success(buildOpenApi({ includeDev: Boolean(deps.dev) })),
  me: (deps, c) => getMe(deps, c),
  createRegistration: (deps, c, i) => requestRegistration(deps, c, i.write, i.body),
  listRegistrations: (deps, c, i) => listRegistrations(deps, c, i.query),
  stuckRegistrations: (deps, c) => listStuckRegistrations(deps, c),
  registrationEvent: (deps, c, i) => registrationEvent(deps, c, i.write, i.params.memberId, i.body),
  requestRegistrationHelp: (deps, c, i) => requestRegistrationHelp(deps, c, i.write, i.params.memberId),
  postUsage: (deps, c, i) => postUsage(deps, c, i.write, i.body),
  listUsage: (deps, c, i) => listUsage(deps, c, i.query),
  placeHold: (deps, c, i) => postHold(deps, c, i.write, i.body),
  listHolds: (deps, c, i) => listHolds(deps, c, i.query),
  voidHold: (deps, c, i) => voidHoldFor(deps, c, i.write, i.params.id),
  pool: (deps, c) => getPool(deps, c),
  poolForecast: (deps, c, i) => getPoolForecast(deps, c, i.query),
  createPurchase: (deps, c, i) => startPurchase(deps, c, i.write, i.body),
  listPurchases: (deps, c, i) => listPurchases(deps, c, i.query),
  purchaseEvent: (deps, c, i) => purchaseEvent(deps, c, i.write, i.params.id, i.body),
  listMembers: (deps, c, i) => listMembers(deps, c, i.query),
  memberLookup: (deps, c, i) => lookUpMember(deps, c, i.query),
  directorySearch: (deps, c, i) => searchDirectory(deps, c, i.query),
  uploadImport: (deps, c, i) => uploadImport(deps, c, i.query.fileName, uploaded(i), i.query.kind),
  listImports: (deps, c, i) => listImports(deps, c, i.query),
  getImport: (deps, c, i) => getImport(deps, c, i.params.id),
  mapImportColumns: (deps, c, i) => mapImportColumns(deps, c, i.params.id, i.body),
  linkImportPeople: (deps, c, i) => linkImportPeople(deps, c, i.params.id, i.body),
  commitImport: (deps, c, i) => commitImport(deps, c, i.params.id, i.query),
  importReport: (deps, c, i) => importReport(deps, c, i.params.id),
  usageSources: (deps, c) => listUsageSources(deps, c),
  pullUsageSource: (deps, c, i) => pullNow(deps, c, i.params.kind),
  reverseTransfer: (deps, c, i) => reverse(deps, c, i.write, i.params.id, i.body),
  auditTrail: (deps, c, i) => getAuditTrail(deps, c, i.query),
  chargebackReport: (deps, c, i) => getChargebackReport(deps, c, i.query),
  feed: (deps, c, i) => getFeed(deps, c, i.query),
  feedDelivery: (deps, c) => getFeedDelivery(deps, c),
  setupReadiness: (deps, c) => getReadiness(deps, c),
  requeueParkedEvent: (deps, c, i) => requeueParkedEvent(deps, c, i.params.eventId),
  getPolicy: (deps, c) => getPolicy(deps, c),
  getSettings: (deps, c) => getSettings(deps, c),
  putSettings: (deps, c, i) => putSettings(deps, c, i.write, i.body),
  ledgerCheck: (deps, c) => checkLedger(deps, c),
  usageConnections: (deps, c) => withAutodesk((a) => listUsageConnections(a, c))(deps),
  connectUsageSource: (deps, c, i) => withAutodesk((a) => startConsent(a, c, i.params.kind))(deps),
  autodeskCallback: (deps, _c, i) => withAutodesk((a) => finishConsent(a, i.query))(deps),
  putUsageSourceClient: (deps, c, i) => withAutodesk((a) => putAutodeskClient(a, c, i.params.kind, i.body))(deps),
  disconnectUsageSource: (deps, c, i) => withAutodesk((a) => disconnectUsageSource(a, c, i.params.kind))(deps),
  devUsers: async (deps) => (deps.dev ? success(deps.dev.users()) : failure('NOT_FOUND', 'No such route.')),
  devToken: async (deps, _c, i) => {
    const token = await deps.dev?.issue(i.body.user);
    return token ? success({ token }) : failure('NOT_FOUND', `No demo user ${i.body.user}.`);
  },
};
