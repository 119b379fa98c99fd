/**
 * Where the Teams webhook client may post (DESIGN 4.5). A webhook URL is typed in by IT, so it is checked
 * like any outbound target the server does not choose itself: https on the standard port to the hosts that
 * Teams Workflows and Logic Apps hand out, and only at public addresses. Dev mode (the local stack) may also
 * post to this machine, where the Teams stand-in listens. Error texts never include the URL.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AddressKind } from './address-kind.js';
import { addressKind } from './address-kind.js';

export interface WebhookTargetPolicy {
  /** Host patterns: "hooks.example.com" is that host only, "*.example.com" any name under example.com. */
  hosts: readonly string[];
  /** Dev mode only: also http(s), any port, to this machine (loopback). Never set in Azure. */
  allowLoopback: boolean;
}

/**
 * The hosts of a Teams "Post to a channel when a webhook request is received" workflow's URL: Logic Apps
 * (prod-NN.<region>.logic.azure.com), Power Platform (<env>.NN.environment.api.powerplatform.com) and the
 * retiring Office 365 connectors (<tenant>.webhook.office.com).
 */
export const DEFAULT_WEBHOOK_HOSTS: readonly string[] = ['*.logic.azure.com', '*.api.powerplatform.com', '*.webhook.office.com'];

export const PRODUCTION_TARGETS: WebhookTargetPolicy = { hosts: DEFAULT_WEBHOOK_HOSTS, allowLoopback: false };
/** Dev mode (the local stack, and tests and harnesses posting to the stand-in): the same, plus this machine. */
export const DEV_MODE_TARGETS: WebhookTargetPolicy = { hosts: DEFAULT_WEBHOOK_HOSTS, allowLoopback: true };

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Every address the system resolver gives for a name (the client connects only to addresses that passed). */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** A URL that may be posted to, with the vetted addresses to connect to (never looked up again). */
export interface VettedTarget {
  url: URL;
  addresses: ResolvedAddress[];
}

export type Vetting = { ok: true; target: VettedTarget } | { ok: false; error: string; retryable: boolean };

const HOST_PATTERN = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** CREDIT_DESK_WEBHOOK_HOSTS: comma-separated host patterns; the default list when unset or blank. */
export function parseWebhookHosts(list: string | undefined): string[] {
  const entries = (list ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean);
  for (const entry of entries) {
    if (!HOST_PATTERN.test(entry)) {
      throw new Error(`CREDIT_DESK_WEBHOOK_HOSTS: "${entry}" is not a host name or a pattern such as *.logic.azure.com`);
    }
  }
  return entries.length > 0 ? entries : [...DEFAULT_WEBHOOK_HOSTS];
}

/** Why IT may not save (or the client may not post to) this URL; undefined when it may. Checks the URL alone. */
export function webhookUrlProblem(url: string, policy: WebhookTargetPolicy): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The Teams webhook URL is not a valid URL: check the webhook URL in settings.';
  }
  if (parsed.username || parsed.password) return `The Teams webhook URL must not carry a user name or password. ${allowedText(policy)}`;
  if (policy.allowLoopback && isLoopbackHost(parsed.hostname) && /^https?:$/.test(parsed.protocol)) return undefined;
  if (parsed.protocol !== 'https:' || parsed.port !== '' || !matchesHosts(parsed.hostname, policy.hosts)) return allowedText(policy);
  return undefined;
}

/** The URL check, then the host's addresses: all must be public (all loopback for the dev stand-in). */
export async function vetWebhookTarget(url: string, policy: WebhookTargetPolicy, resolve: Resolver): Promise<Vetting> {
  const problem = webhookUrlProblem(url, policy);
  if (problem) return { ok: false, error: problem, retryable: false };
  const parsed = new URL(url);
  const host = bare(parsed.hostname);
  let addresses: ResolvedAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  else {
    addresses = await resolve(host).catch(() => []);
    if (addresses.length === 0) return { ok: false, error: "Could not find the Teams webhook's host (DNS)", retryable: true };
  }
  const wanted: AddressKind = policy.allowLoopback && isLoopbackHost(parsed.hostname) ? 'loopback' : 'public';
  const refused = addresses.map((a) => addressKind(a.address)).find((kind) => kind !== wanted);
  if (refused) {
    return { ok: false, error: `The Teams webhook's host resolves to a ${refused} address, where Credit Desk does not post: check the webhook URL in settings`, retryable: false };
  }
  return { ok: true, target: { url: parsed, addresses } };
}

function allowedText(policy: WebhookTargetPolicy): string {
  const local = policy.allowLoopback ? ', or http(s) to this machine (dev mode)' : '';
  return `The Teams webhook URL must be https:// (standard port) on one of the Teams Workflows hosts ${policy.hosts.join(', ')} (CREDIT_DESK_WEBHOOK_HOSTS)${local}.`;
}

function matchesHosts(hostname: string, patterns: readonly string[]): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern));
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || addressKind(bare(hostname)) === 'loopback';
}

/** A URL's IPv6 host comes in brackets. */
const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');
