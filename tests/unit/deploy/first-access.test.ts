/**
 * What `atk provision` grants at its end (manifest/azure/first-access.ts): the managed identity's directory
 * look-up and the first ITAdmin, against an in-memory Microsoft Graph that answers as Graph v1.0 documents
 * (service principals by appId, app-role assignments listed in pages, a duplicate assignment refused).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppRoleAssignment, GraphRequest, ServicePrincipal, TenantState } from '../../../manifest/azure/first-access.js';
import { FIRST_ROLE, GRAPH_API, grantFirstAccess, grantRequests, REQUIRED_PERMISSIONS } from '../../../manifest/azure/first-access.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const entraManifest = JSON.parse(readFileSync(path.join(ROOT, 'manifest/aad.manifest.json'), 'utf8')) as { appRoles: ServicePrincipal['appRoles'] };

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const APP_CLIENT_ID = '22222222-2222-4222-8222-222222222222';
const IDENTITY = '44444444-4444-4444-8444-444444444444';
const ME = '55555555-5555-4555-8555-555555555555';
const targets = { identityPrincipalId: IDENTITY, appClientId: APP_CLIENT_ID };

interface Assignment extends AppRoleAssignment {
  principalId: string;
}

/** A tenant's directory as far as these calls go. Role ids are generated: the code must look them up. */
function tenant() {
  const role = (value: string, memberType: string) => ({ id: randomUUID(), value, allowedMemberTypes: [memberType], isEnabled: true });
  const graph: ServicePrincipal = {
    id: randomUUID(),
    appRoles: [role('User.ReadWrite.All', 'Application'), role('User.Read.All', 'Application'), role('Directory.Read.All', 'Application')],
  };
  const app: ServicePrincipal = { id: randomUUID(), appRoles: entraManifest.appRoles };
  const byAppId = new Map([
    [GRAPH_APP_ID, graph],
    [APP_CLIENT_ID, app],
  ]);
  const assignments: Assignment[] = [];
  const requests: GraphRequest[] = [];
  const pageSize = 1;

  const page = (items: Assignment[], url: string, skip: number) => ({
    value: items.slice(skip, skip + pageSize),
    ...(skip + pageSize < items.length ? { '@odata.nextLink': `${url.split('?')[0]}?$skiptoken=${skip + pageSize}` } : {}),
  });

  const call = (request: GraphRequest): Promise<unknown> => {
    requests.push(request);
    const url = new URL(request.url);
    const route = decodeURIComponent(url.pathname).replace('/v1.0', '');
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const fail = (status: number, message: string) => Promise.reject(new Error(`${status} ${message}`));
    if (request.method === 'GET') {
      const sp = /^\/servicePrincipals\(appId='([^']+)'\)$/.exec(route);
      if (sp) return byAppId.has(sp[1]!) ? Promise.resolve(byAppId.get(sp[1]!)) : fail(404, 'Request_ResourceNotFound');
      if (route === '/me') return Promise.resolve({ id: ME });
      if (route === '/me/appRoleAssignments') return Promise.resolve(page(assignments.filter((a) => a.principalId === ME), request.url, skip));
      const mine = /^\/servicePrincipals\/([^/]+)\/appRoleAssignments$/.exec(route);
      if (mine) return Promise.resolve(page(assignments.filter((a) => a.principalId === mine[1]), request.url, skip));
      return fail(400, `no GET ${route}`);
    }
    const body = request.body!;
    const onClient = /^\/servicePrincipals\/([^/]+)\/appRoleAssignments$/.exec(route);
    const onResource = /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/.exec(route);
    if (onClient && onClient[1] !== body.principalId) return fail(400, 'principalId must be the service principal of the URL');
    if (onResource && onResource[1] !== body.resourceId) return fail(400, 'resourceId must be the service principal of the URL');
    if (!onClient && !onResource) return fail(400, `no POST ${route}`);
    const resource = [...byAppId.values()].find((sp) => sp.id === body.resourceId);
    if (!resource?.appRoles.some((r) => r.id === body.appRoleId)) return fail(400, 'Permission being assigned was not found on application');
    if (assignments.some((a) => a.principalId === body.principalId && a.resourceId === body.resourceId && a.appRoleId === body.appRoleId)) {
      return fail(400, 'Permission being assigned already exists on the object');
    }
    assignments.push({ ...body });
    return Promise.resolve({ id: randomUUID(), ...body });
  };

  const roleIdOf = (sp: ServicePrincipal, value: string) => sp.appRoles.find((r) => r.value === value)!.id;
  const assign = (principalId: string, sp: ServicePrincipal, value: string) => assignments.push({ principalId, resourceId: sp.id, appRoleId: roleIdOf(sp, value) });
  const posts = () => requests.filter((r) => r.method === 'POST');
  return { graph, app, assignments, requests, posts, call, assign, roleIdOf };
}

describe('the first access atk provision grants', () => {
  it('the required permissions are the directory look-up alone, and the first role is the app’s ITAdmin for users', () => {
    expect(REQUIRED_PERMISSIONS).toEqual(['User.Read.All']);
    const role = entraManifest.appRoles.find((r) => r.value === FIRST_ROLE);
    expect(role?.allowedMemberTypes).toEqual(['User']);
  });

  it('in a fresh tenant: User.Read.All to the managed identity and ITAdmin to the signed-in person, with the looked-up role ids', async () => {
    const t = tenant();
    const grants = await grantFirstAccess(targets, t.call);
    expect(t.posts()).toEqual([
      {
        method: 'POST',
        url: `${GRAPH_API}/servicePrincipals/${IDENTITY}/appRoleAssignments`,
        body: { principalId: IDENTITY, resourceId: t.graph.id, appRoleId: t.roleIdOf(t.graph, 'User.Read.All') },
      },
      {
        method: 'POST',
        url: `${GRAPH_API}/servicePrincipals/${t.app.id}/appRoleAssignedTo`,
        body: { principalId: ME, resourceId: t.app.id, appRoleId: t.roleIdOf(t.app, 'ITAdmin') },
      },
    ]);
    expect(grants.map((g) => g.request)).toEqual(t.posts());
    expect(t.assignments).toHaveLength(2);
  });

  it('looks Microsoft Graph and the app up by their app ids', async () => {
    const t = tenant();
    await grantFirstAccess(targets, t.call);
    const gets = t.requests.filter((r) => r.method === 'GET').map((r) => r.url);
    expect(gets).toContain(`${GRAPH_API}/servicePrincipals(appId='${GRAPH_APP_ID}')?$select=id,appRoles`);
    expect(gets).toContain(`${GRAPH_API}/servicePrincipals(appId='${APP_CLIENT_ID}')?$select=id,appRoles`);
  });

  it('run again, it asks for nothing (Graph would refuse a duplicate)', async () => {
    const t = tenant();
    await grantFirstAccess(targets, t.call);
    const before = t.posts().length;
    expect(await grantFirstAccess(targets, t.call)).toEqual([]);
    expect(t.posts()).toHaveLength(before);
  });

  it('finds an assignment on a later page of the list, and grants only what is missing', async () => {
    const t = tenant();
    t.assign(IDENTITY, t.graph, 'Directory.Read.All');
    t.assign(IDENTITY, t.graph, 'User.Read.All');
    t.assign(ME, t.app, 'AccountManager');
    await grantFirstAccess(targets, t.call);
    expect(t.requests.some((r) => r.url.includes('$skiptoken'))).toBe(true);
    expect(t.posts().map((r) => r.url)).toEqual([`${GRAPH_API}/servicePrincipals/${t.app.id}/appRoleAssignedTo`]);
  });

  it('a person who is already ITAdmin (directly or through a group) is left alone', () => {
    const t = tenant();
    const state: TenantState = {
      graph: t.graph,
      app: t.app,
      identityAssignments: [],
      signedInUserId: ME,
      signedInUserAssignments: [{ resourceId: t.app.id, appRoleId: t.roleIdOf(t.app, 'ITAdmin') }],
    };
    expect(grantRequests(targets, state).map((g) => g.request.url)).toEqual([`${GRAPH_API}/servicePrincipals/${IDENTITY}/appRoleAssignments`]);
    // AccountManager is not ITAdmin.
    state.signedInUserAssignments = [{ resourceId: t.app.id, appRoleId: t.roleIdOf(t.app, 'AccountManager') }];
    expect(grantRequests(targets, state)).toHaveLength(2);
  });

  it('an app without the ITAdmin role (aadApp/update not run) stops before granting anything', async () => {
    const t = tenant();
    t.app.appRoles = t.app.appRoles.filter((r) => r.value !== 'ITAdmin');
    await expect(grantFirstAccess(targets, t.call)).rejects.toThrow(`The app ${APP_CLIENT_ID} has no enabled app role ITAdmin for users.`);
    expect(t.posts()).toEqual([]);
  });

  it('a Graph User.Read.All that is only delegated or disabled does not count', () => {
    const t = tenant();
    const state: TenantState = { graph: t.graph, app: t.app, identityAssignments: [], signedInUserId: ME, signedInUserAssignments: [] };
    const readAll = t.graph.appRoles.find((r) => r.value === 'User.Read.All')!;
    readAll.isEnabled = false;
    expect(() => grantRequests(targets, state)).toThrow('Microsoft Graph has no enabled app role User.Read.All for applications.');
    readAll.isEnabled = true;
    readAll.allowedMemberTypes = ['User'];
    expect(() => grantRequests(targets, state)).toThrow('User.Read.All');
  });
});
