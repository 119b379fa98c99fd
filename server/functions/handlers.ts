import type { BodyOf, ParamsOf, QueryOf, RouteName } from '../../src/contract/index.js';
import { buildOpenApi } from '../../src/contract/index.js';
import type { AppResult, WriteRequest } from '../app/app-result.js';
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

/** Local demo identities; present only when dev mode is on. */
export interface DevIdentity {
  users(): unknown[];
  issue(email: string): Promise<string | undefined>;
}

export interface HandlerDeps extends FeedDeliveryDeps, ImportDeps {
  importJobs: ImportJobs;
  dev?: DevIdentity | undefined;
  /** Exchange message trace for stuck registrations; absent: each person's trace says it is not configured. */
  messageTrace?: MessageTrace | undefined;
}

export interface HandlerInput<N extends RouteName> {
  caller: Caller | undefined;
  params: ParamsOf<N>;
  query: QueryOf<N>;
  body: BodyOf<N>;
  write: WriteRequest;
  /** The uploaded file, as it arrives (routes with `upload` in the table). */
  file: AsyncIterable<Uint8Array> | undefined;
}

type Handler<N extends RouteName> = (deps: HandlerDeps, input: HandlerInput<N>) => Promise<AppResult>;

/** Signed-in routes get a caller; the pipeline refuses anonymous calls before a handler runs. */
const signedIn = (input: { caller: Caller | undefined }): Caller => {
  if (!input.caller) throw new Error('A signed-in route ran without a caller.');
  return input.caller;
};

/** Upload routes get the file; the pipeline hands it to every route marked `upload`. */
const uploaded = (input: { file: AsyncIterable<Uint8Array> | undefined }): AsyncIterable<Uint8Array> => {
  if (!input.file) throw new Error('An upload route ran without its file.');
  return input.file;
};

/** Every route's use case: handlers only pick the inputs and call it. */
export const HANDLERS: { [N in RouteName]: Handler<N> } = {
  healthz: async (deps) => {
    await deps.store.ping();
    return success(200, { ok: true, storage: 'up' });
  },
  openapi: async (deps) => success(200, buildOpenApi({ includeDev: Boolean(deps.dev) })),
  me: (deps, i) => getMe(deps, signedIn(i)),
  createRegistration: (deps, i) => requestRegistration(deps, signedIn(i), i.write, i.body),
  listRegistrations: (deps, i) => listRegistrations(deps, signedIn(i), i.query),
  stuckRegistrations: (deps, i) => listStuckRegistrations(deps, signedIn(i)),
  registrationEvent: (deps, i) => registrationEvent(deps, signedIn(i), i.write, i.params.memberId, i.body),
  requestRegistrationHelp: (deps, i) => requestRegistrationHelp(deps, signedIn(i), i.write, i.params.memberId),
  postUsage: (deps, i) => postUsage(deps, signedIn(i), i.write, i.body),
  listUsage: (deps, i) => listUsage(deps, signedIn(i), i.query),
  placeHold: (deps, i) => postHold(deps, signedIn(i), i.write, i.body),
  listHolds: (deps, i) => listHolds(deps, signedIn(i), i.query),
  voidHold: (deps, i) => voidHoldFor(deps, signedIn(i), i.write, i.params.id),
  pool: (deps, i) => getPool(deps, signedIn(i)),
  poolForecast: (deps, i) => getPoolForecast(deps, signedIn(i), i.query),
  createPurchase: (deps, i) => startPurchase(deps, signedIn(i), i.write, i.body),
  listPurchases: (deps, i) => listPurchases(deps, signedIn(i), i.query),
  purchaseEvent: (deps, i) => purchaseEvent(deps, signedIn(i), i.write, i.params.id, i.body),
  listMembers: (deps, i) => listMembers(deps, signedIn(i), i.query),
  memberLookup: (deps, i) => lookUpMember(deps, signedIn(i), i.query),
  directorySearch: (deps, i) => searchDirectory(deps, signedIn(i), i.query),
  uploadImport: (deps, i) => uploadImport(deps, signedIn(i), i.query.fileName, uploaded(i), i.query.kind),
  listImports: (deps, i) => listImports(deps, signedIn(i), i.query),
  getImport: (deps, i) => getImport(deps, signedIn(i), i.params.id),
  mapImportColumns: (deps, i) => mapImportColumns(deps, signedIn(i), i.params.id, i.body),
  linkImportPeople: (deps, i) => linkImportPeople(deps, signedIn(i), i.params.id, i.body),
  commitImport: (deps, i) => commitImport(deps, signedIn(i), i.params.id, i.query),
  importReport: (deps, i) => importReport(deps, signedIn(i), i.params.id),
  reverseTransfer: (deps, i) => reverse(deps, signedIn(i), i.write, i.params.id, i.body),
  auditTrail: (deps, i) => getAuditTrail(deps, signedIn(i), i.query),
  chargebackReport: (deps, i) => getChargebackReport(deps, signedIn(i), i.query),
  feed: (deps, i) => getFeed(deps, signedIn(i), i.query),
  feedDelivery: (deps, i) => getFeedDelivery(deps, signedIn(i)),
  requeueParkedEvent: (deps, i) => requeueParkedEvent(deps, signedIn(i), i.params.eventId),
  getPolicy: (deps, i) => getPolicy(deps, signedIn(i)),
  getSettings: (deps, i) => getSettings(deps, signedIn(i)),
  putSettings: (deps, i) => putSettings(deps, signedIn(i), i.write, i.body),
  ledgerCheck: (deps, i) => checkLedger(deps, signedIn(i)),
  devUsers: async (deps) => (deps.dev ? success(200, deps.dev.users()) : failure('NOT_FOUND', 'No such route.')),
  devToken: async (deps, i) => {
    const token = await deps.dev?.issue(i.body.user);
    return token ? success(200, { token }) : failure('NOT_FOUND', `No demo user ${i.body.user}.`);
  },
};
