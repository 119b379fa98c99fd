import type { RouteDef, RouteName } from '../../../src/contract/index.js';
import type { AppResult, FileAnswer, PageAnswer } from '../../app/app-result.js';
import type { Caller } from '../../app/caller.js';
import type { ApiResponse } from '../http-types.js';
import type { CallerOf, OutputOf, UseCase, UseCaseDeps, UseCaseInput } from '../use-cases.js';
import { USE_CASES } from '../use-cases.js';
import { BASE_HEADERS, error, respond } from './answers.js';
import { pageResponse, refusalPage } from './page.js';

/**
 * Runs the route's use case. Its inputs were parsed by the route's own schemas, which its input type is
 * inferred from, and only a signed-in caller reaches a route that is not open to anyone: so they are
 * the types the use case declares. Its answer is checked by the compiler against the route's response.
 */
function runUseCase<N extends RouteName>(name: N, deps: UseCaseDeps, caller: Caller | undefined, input: UseCaseInput<RouteName>): Promise<AppResult<OutputOf<N>>> {
  const useCase: UseCase<N> = USE_CASES[name];
  return useCase(deps, caller as CallerOf<N>, input);
}

function fileResponse(status: number, { contentType, fileName, stream }: FileAnswer): ApiResponse {
  return {
    status,
    headers: { ...BASE_HEADERS, 'content-type': `${contentType}; charset=utf-8`, 'content-disposition': `attachment; filename="${fileName.replace(/[^\w. -]/g, '_')}"` },
    body: '',
    stream,
  };
}

/**
 * The use case's answer sent with the route table's success status (a file streamed, a page), or its
 * refusal coded. A page route refuses a browser (`accept` names text/html) with a page in words, and
 * anything else with the coded JSON error.
 */
export async function run(name: RouteName, route: RouteDef, deps: UseCaseDeps, caller: Caller | undefined, input: UseCaseInput<RouteName>, accept = ''): Promise<ApiResponse> {
  const result = await runUseCase(name, deps, caller, input);
  if (!result.ok) return route.produces === 'text/html' && /\btext\/html\b/i.test(accept) ? refusalPage(result.code, result.message) : error(result.code, result.message, result.details);
  // A route that produces a page or a file has a PageAnswer or a FileAnswer as its output (OutputOf).
  if (route.produces === 'text/html') return pageResponse(route.status, result.value as PageAnswer);
  if (route.produces) return fileResponse(route.status, result.value as FileAnswer);
  return respond(route.status, result.value);
}
