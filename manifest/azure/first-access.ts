/**
 * What `atk provision` grants after the Azure resources and the Entra app exist (manifest/azure/grant-first-access.ts
 * runs it with the Azure CLI's sign-in): the backend's managed identity gets the Graph application permissions
 * of the features that are always on (the directory look-up's User.Read.All), and the person running provision
 * gets the ITAdmin role, so they can open the tab and its Setup page right after publish. Everything else
 * (opt-in features, other people's roles) stays with IT. Idempotent: what is already assigned is not asked for.
 *
 * Microsoft Graph v1.0, as "Grant or revoke API permissions programmatically" documents it: an application
 * permission is an app-role assignment of the API's service principal (found by its appId) to the client's
 * service principal; a user's app role is an app-role assignment of the app's service principal to the user.
 */
import type { Role } from '../../src/contract/index.js';
import { FEATURES, GRAPH_APP_ID } from '../../src/core/setup/features.js';

export const GRAPH_API = 'https://graph.microsoft.com/v1.0';

/** The role that opens Settings and the Setup page: the first IT person's. */
export const FIRST_ROLE: Role = 'ITAdmin';

/** The application permissions the product cannot run without: those of the features that are never off. */
export const REQUIRED_PERMISSIONS: readonly string[] = FEATURES.filter((feature) => !feature.optIn).flatMap((feature) =>
  feature.permissions.filter((permission) => permission.type === 'application').map((permission) => permission.name),
);

export interface GraphRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: { principalId: string; resourceId: string; appRoleId: string };
}

export interface AppRole {
  id: string;
  value: string | null;
  allowedMemberTypes: string[];
  isEnabled: boolean;
}

export interface ServicePrincipal {
  id: string;
  appRoles: AppRole[];
}

export interface AppRoleAssignment {
  resourceId: string;
  appRoleId: string;
}

/** Who gets what: the managed identity's service principal (object id) and the Entra app (client id). */
export interface Targets {
  identityPrincipalId: string;
  appClientId: string;
}

/** What the look-ups found in the tenant. */
export interface TenantState {
  graph: ServicePrincipal;
  app: ServicePrincipal;
  identityAssignments: AppRoleAssignment[];
  signedInUserId: string;
  signedInUserAssignments: AppRoleAssignment[];
}

export interface Grant {
  /** For the log, in words. */
  what: string;
  request: GraphRequest;
}

const spByAppId = (appId: string) => `${GRAPH_API}/servicePrincipals(appId='${appId}')?$select=id,appRoles`;

/** The reads grantRequests needs; lists may come in pages (follow @odata.nextLink). */
export function lookups(targets: Targets) {
  return {
    graph: spByAppId(GRAPH_APP_ID),
    app: spByAppId(targets.appClientId),
    identityAssignments: `${GRAPH_API}/servicePrincipals/${targets.identityPrincipalId}/appRoleAssignments`,
    signedInUser: `${GRAPH_API}/me?$select=id`,
    // Includes roles through groups the person is a direct member of: those count as assigned.
    signedInUserAssignments: `${GRAPH_API}/me/appRoleAssignments`,
  } as const;
}

function roleId(sp: ServicePrincipal, value: string, memberType: 'Application' | 'User', owner: string): string {
  const role = sp.appRoles.find((r) => r.value === value && r.isEnabled && r.allowedMemberTypes.includes(memberType));
  if (!role) throw new Error(`${owner} has no enabled app role ${value} for ${memberType === 'User' ? 'users' : 'applications'}.`);
  return role.id;
}

const assigned = (assignments: AppRoleAssignment[], resourceId: string, appRoleId: string) =>
  assignments.some((a) => a.resourceId === resourceId && a.appRoleId === appRoleId);

/** The POSTs still needed: none when everything is already assigned. */
export function grantRequests(targets: Targets, state: TenantState): Grant[] {
  const grants: Grant[] = [];
  const identity = targets.identityPrincipalId;
  for (const permission of REQUIRED_PERMISSIONS) {
    const appRoleId = roleId(state.graph, permission, 'Application', 'Microsoft Graph');
    if (assigned(state.identityAssignments, state.graph.id, appRoleId)) continue;
    grants.push({
      what: `Microsoft Graph ${permission} (application) for the managed identity ${identity}`,
      request: {
        method: 'POST',
        url: `${GRAPH_API}/servicePrincipals/${identity}/appRoleAssignments`,
        body: { principalId: identity, resourceId: state.graph.id, appRoleId },
      },
    });
  }
  const itRole = roleId(state.app, FIRST_ROLE, 'User', `The app ${targets.appClientId}`);
  if (!assigned(state.signedInUserAssignments, state.app.id, itRole)) {
    grants.push({
      what: `the role ${FIRST_ROLE} of the app ${targets.appClientId} for you (${state.signedInUserId})`,
      request: {
        method: 'POST',
        url: `${GRAPH_API}/servicePrincipals/${state.app.id}/appRoleAssignedTo`,
        body: { principalId: state.signedInUserId, resourceId: state.app.id, appRoleId: itRole },
      },
    });
  }
  return grants;
}

/** Sends one request to Graph and returns its JSON answer; throws on a refusal. */
export type GraphCall = (request: GraphRequest) => Promise<unknown>;

async function list<T>(call: GraphCall, url: string): Promise<T[]> {
  const items: T[] = [];
  for (let next: string | undefined = url; next; ) {
    const page = (await call({ method: 'GET', url: next })) as { value: T[]; '@odata.nextLink'?: string };
    items.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return items;
}

/** Looks the tenant up, then sends the grants still needed; returns them (empty: nothing was missing). */
export async function grantFirstAccess(targets: Targets, call: GraphCall): Promise<Grant[]> {
  const urls = lookups(targets);
  const state: TenantState = {
    graph: (await call({ method: 'GET', url: urls.graph })) as ServicePrincipal,
    app: (await call({ method: 'GET', url: urls.app })) as ServicePrincipal,
    identityAssignments: await list<AppRoleAssignment>(call, urls.identityAssignments),
    signedInUserId: ((await call({ method: 'GET', url: urls.signedInUser })) as { id: string }).id,
    signedInUserAssignments: await list<AppRoleAssignment>(call, urls.signedInUserAssignments),
  };
  const grants = grantRequests(targets, state);
  for (const grant of grants) await call(grant.request);
  return grants;
}
