/**
 * The Static Web App's configuration: src/public/staticwebapp.config.json, which Vite copies into dist/web.
 * Its Content-Security-Policy names the API's origin in `connect-src` only after the build
 * (write-swa-config.ts), because the Function App's address is known only once it is deployed.
 */
export interface SwaConfig {
  globalHeaders?: Record<string, string>;
  [key: string]: unknown;
}

/** Directive name (lower case) → its sources, in order. */
export type Csp = Map<string, string[]>;

export const CSP_HEADER = 'Content-Security-Policy';

export function parseCsp(value: string): Csp {
  const csp: Csp = new Map();
  for (const part of value.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    if (name && !csp.has(name.toLowerCase())) csp.set(name.toLowerCase(), sources);
  }
  return csp;
}

export function formatCsp(csp: Csp): string {
  return [...csp].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

/** The CSP of a configuration; throws when there is none. */
export function cspOf(config: SwaConfig): Csp {
  const value = config.globalHeaders?.[CSP_HEADER];
  if (typeof value !== 'string') throw new Error(`staticwebapp.config.json has no globalHeaders["${CSP_HEADER}"].`);
  return parseCsp(value);
}

/** The origin of the API's base address (VITE_API_BASE_URL); https only. */
export function apiOrigin(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`The API address "${baseUrl}" is not a URL (expected e.g. https://creditdesk-api-xyz.azurewebsites.net).`);
  }
  if (url.protocol !== 'https:') throw new Error(`The API address "${baseUrl}" must be https://.`);
  return url.origin;
}

/** The configuration with `origin` allowed in connect-src (once; the rest of the policy unchanged). */
export function withConnectSource(config: SwaConfig, origin: string): SwaConfig {
  const csp = cspOf(config);
  const connect = csp.get('connect-src') ?? ["'self'"];
  if (!connect.includes(origin)) csp.set('connect-src', [...connect, origin]);
  return { ...config, globalHeaders: { ...config.globalHeaders, [CSP_HEADER]: formatCsp(csp) } };
}
