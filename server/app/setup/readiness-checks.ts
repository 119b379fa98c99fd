import type { Policy } from '../../../src/core/policy/index.js';
import type { Feature, PermissionObservation, ReadinessItem } from '../../../src/core/setup/index.js';
import { FEATURES, featureReadiness, isFeatureOn } from '../../../src/core/setup/index.js';
import type { GraphReadiness, ProbedFeature, TokenRoles } from '../../ports/graph-readiness.js';
import type { UsageSources } from '../../ports/usage-source.js';
import type { Caller } from '../caller.js';
import type { FeedDeliveryDeps } from '../feed-delivery.js';

export interface ReadinessDeps extends FeedDeliveryDeps {
  /** Graph as the backend sees it; absent when the deployment has no Graph identity. */
  graphReadiness?: GraphReadiness | undefined;
  /** The tenant's Autodesk connections (issue 21); absent where the connector is not part of the deployment. */
  usageSources?: UsageSources | undefined;
}

/** What a check is given: the deps, who asks, the tenant's settings, and the token's roles (read once per page). */
export interface ReadinessContext {
  deps: ReadinessDeps;
  caller: Caller;
  policy: Policy;
  tokenRoles: () => Promise<TokenRoles>;
}

/** One line of the first-run page. Adding a check is one entry in READINESS_CHECKS. */
export interface ReadinessCheck {
  id: string;
  run: (ctx: ReadinessContext) => Promise<ReadinessItem>;
}

const ROLE_WORDS = { AccountManager: 'account manager', ITAdmin: 'IT admin' } as const;

const api: ReadinessCheck = {
  id: 'api',
  // The answer reaching the page is the proof; reading the settings (done before the checks run) proves storage.
  run: async () => ({ id: 'api', title: 'Credit Desk API', status: 'ready', detail: 'The API answered and its storage is up.', fix: null, command: null }),
};

const identity: ReadinessCheck = {
  id: 'identity',
  run: async ({ caller }) => ({
    id: 'identity',
    title: 'Your sign-in',
    status: 'ready',
    detail: `Signed in as ${caller.displayName} (${caller.email}), ${caller.roles.map((r) => ROLE_WORDS[r]).join(' and ')}.`,
    fix: null,
    command: null,
  }),
};

const accountManagers: ReadinessCheck = {
  id: 'accountManagers',
  run: async ({ policy }) =>
    policy.accountManagers.length > 0
      ? { id: 'accountManagers', title: 'Account managers', status: 'ready', detail: `${policy.accountManagers.length} named in Settings, so people know whom to ask.`, fix: null, command: null }
      : {
          id: 'accountManagers',
          title: 'Account managers',
          status: 'not_set_up',
          detail: 'Nobody is named yet: people asking for an Autodesk account are not told whom to ask.',
          fix: 'Name them under Settings → Account managers, and give them the AccountManager role in Enterprise applications → Credit Desk → Users and groups.',
          command: null,
        },
};

const PROBED: Partial<Record<Feature['id'], ProbedFeature>> = { directory: 'directory', messageTrace: 'messageTrace' };

/** How a feature's permission is seen: a probe of its own API where one is read-only, else the token's roles. */
async function observe(ctx: ReadinessContext, feature: Feature): Promise<PermissionObservation> {
  const graph = ctx.deps.graphReadiness;
  if (feature.permissions.every((p) => p.type === 'delegated')) return { kind: 'not_observable' };
  if (!graph) return { kind: 'no_graph' };
  const probed = PROBED[feature.id];
  if (probed) return { kind: 'probe', ...(await graph.probe(ctx.caller.tenant, probed)) };
  const roles = await ctx.tokenRoles();
  return roles.ok ? { kind: 'roles', roles: roles.roles } : { kind: 'roles_unavailable', message: roles.message };
}

/** A switched-off feature is never asked about: its line says it is off, with what it would add. */
const featureCheck = (feature: Feature): ReadinessCheck => ({
  id: `feature:${feature.id}`,
  run: async (ctx) => {
    const on = isFeatureOn(ctx.policy, feature.id);
    return featureReadiness(feature, on, on ? await observe(ctx, feature) : { kind: 'not_observable' });
  },
});

const channel: ReadinessCheck = {
  id: 'channel',
  run: async ({ deps, caller, policy }) => {
    const base = { id: 'channel', title: "IT's Teams channel", command: null };
    if (policy.teamsWebhookUrl === null) {
      return {
        ...base,
        status: 'not_set_up',
        detail: 'No webhook is set: pool changes and alerts wait on the Feed page and reach no channel.',
        fix: "In Teams, the channel's ⋯ → Workflows → “Post to a channel when a webhook request is received”; paste the URL it shows under Settings → Teams channel.",
      };
    }
    const health = await deps.outbox.health(caller.tenant);
    const failing = health.lastErrorAt !== null && (health.lastDeliveredAt === null || health.lastErrorAt > health.lastDeliveredAt);
    if (failing) {
      return { ...base, status: 'not_set_up', detail: `The webhook's last answer was an error: ${health.lastError ?? 'no details'}`, fix: 'Check the webhook in Teams (the Workflow may have been turned off or deleted); set a new URL under Settings → Teams channel. The Feed page lists what waits.' };
    }
    return { ...base, status: 'ready', detail: health.lastDeliveredAt ? `Connected; the last card was delivered ${health.lastDeliveredAt}.` : 'Connected; no card has been sent yet.', fix: null };
  },
};

const autodesk: ReadinessCheck = {
  id: 'autodesk',
  run: async ({ deps, caller }) => {
    const base = { id: 'autodesk', title: 'Autodesk connected', command: null };
    if (!deps.usageSources) return { ...base, status: 'off', detail: 'This deployment has no Autodesk connection: usage comes from the exports account managers upload.', fix: null };
    const connections = await deps.usageSources.connections(caller.tenant);
    const broken = connections.find((c) => c.disconnected !== null);
    if (broken) return { ...base, status: 'not_set_up', detail: `Autodesk refused the connection on ${broken.disconnected!.at}: ${broken.disconnected!.reason}`, fix: 'Connect Autodesk again under Settings → Autodesk.' };
    if (connections.length === 0) return { ...base, status: 'off', detail: 'Not connected: usage comes from the exports account managers upload.', fix: 'To pull usage automatically, connect Autodesk under Settings → Autodesk.' };
    return { ...base, status: 'ready', detail: `Connected since ${connections.map((c) => c.connectedAt).sort()[0]}.`, fix: null };
  },
};

/** The first-run page's checks, in the order IT reads them (README, Deploying to Azure, step 11). */
export const READINESS_CHECKS: readonly ReadinessCheck[] = [api, identity, ...FEATURES.map(featureCheck), channel, accountManagers, autodesk];
