import { z } from 'zod';
import { ERROR_STATUS, ErrorBody } from './errors.js';
import type { RouteDef } from './routes.js';
import { ROUTES } from './routes.js';

function schema(type: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(type, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

function describeAccess(route: RouteDef): string {
  if (route.access === 'anyone') return 'Anyone.';
  if (route.access === 'signed-in') return 'Any signed-in member of an allowed tenant.';
  return `Roles: ${route.access.roles.join(', ')}.`;
}

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function buildOpenApi(options: { includeDev: boolean; serverUrl?: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of Object.entries(ROUTES) as [string, RouteDef][]) {
    if (route.devOnly && !options.includeDev) continue;
    const parameters: unknown[] = [];
    for (const [where, type] of [['path', route.params], ['query', route.query]] as const) {
      if (!type) continue;
      const json = schema(type, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [param, paramSchema] of Object.entries(json.properties ?? {})) {
        parameters.push({ name: param, in: where, required: where === 'path' || (json.required ?? []).includes(param), schema: paramSchema });
      }
    }
    if (route.idempotency !== 'none') {
      parameters.push({ name: 'Idempotency-Key', in: 'header', required: route.idempotency === 'required', schema: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' } });
    }
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: name,
      summary: route.summary,
      description: describeAccess(route),
      ...(route.access === 'anyone' ? { security: [] } : {}),
      parameters,
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schema(route.body, 'input') } } } } : {}),
      ...(route.upload
        ? {
            requestBody: {
              required: true,
              description: `The file as it is, up to ${Math.round(route.upload.maxBytes / 1024 / 1024)} MB.`,
              content: Object.fromEntries(route.upload.contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
            },
          }
        : {}),
      responses: {
        [route.status]: {
          description: 'Success',
          content: route.produces ? { [route.produces]: { schema: { type: 'string' } } } : { 'application/json': { schema: schema(route.response, 'output') } },
        },
        default: { description: 'A coded error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Credit Desk API', version: '1.0.0', description: 'Autodesk Cloud Credits ledger. Amounts are credits with at most two decimals.' },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas: { Error: schema(ErrorBody, 'output'), ErrorCodes: { type: 'string', enum: Object.keys(ERROR_STATUS) } },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    security: [{ bearer: [] }],
  };
}
