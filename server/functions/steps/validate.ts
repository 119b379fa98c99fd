import type { z } from 'zod';
import type { InputOf, RouteDef, RouteName } from '../../../src/contract/index.js';
import { compilePath } from '../../../src/contract/index.js';
import type { StepResult } from './answers.js';
import { error, next, stop } from './answers.js';

function issues(zodError: z.ZodError) {
  return zodError.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

function check(schema: z.ZodType | undefined, value: unknown, what: string): StepResult<unknown> {
  if (!schema) return next(undefined);
  const parsed = schema.safeParse(value);
  if (parsed.success) return next(parsed.data);
  return stop(error('VALIDATION_FAILED', `The ${what} is not valid.`, { issues: issues(parsed.error) }));
}

/** The path parameters, query and body checked against the route's schemas: 400 VALIDATION_FAILED naming the field. */
export function validate(route: RouteDef, url: URL, rawBody: unknown): StepResult<InputOf<RouteName>> {
  const params = check(route.params, compilePath(route.path)(url.pathname), 'path');
  if (!params.ok) return params;
  const query = check(route.query, Object.fromEntries(url.searchParams), 'query');
  if (!query.ok) return query;
  if (!route.query && [...url.searchParams.keys()].length > 0) return stop(error('VALIDATION_FAILED', 'This route takes no query parameters.'));
  const body = check(route.body, rawBody, 'body');
  if (!body.ok) return body;
  // Each value is what the route's own schema parsed, and InputOf is inferred from those schemas.
  return next({ params: params.value, query: query.value, body: body.value } as InputOf<RouteName>);
}
