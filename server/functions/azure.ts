import azureFunctions from '@azure/functions';
import type { RouteDef } from '../../src/contract/index.js';
import { ROUTES } from '../../src/contract/index.js';
import { composeServer } from '../compose.js';
import { configFromEnv } from '../config.js';

/**
 * Azure Functions registration, generated from the route table (dev routes never exist in Azure).
 * The default import is how `@azure/functions` loads from plain Node ESM.
 */
const { app } = azureFunctions;
const server = composeServer({ ...configFromEnv(), devMode: false });

for (const [name, route] of Object.entries(ROUTES) as [string, RouteDef][]) {
  if (route.devOnly) continue;
  app.http(name, {
    methods: [route.method],
    route: route.path.replace(/^\/api\//, ''),
    authLevel: 'anonymous',
    handler: async (request) => {
      const { pipeline } = await server;
      const url = new URL(request.url);
      const response = await pipeline({
        method: request.method,
        url: url.pathname + url.search,
        headers: Object.fromEntries(request.headers),
        body: request.body ? Buffer.from(await request.arrayBuffer()) : undefined,
        remoteAddress: undefined,
      });
      return { status: response.status, headers: response.headers, body: response.body };
    },
  });
}
