import type { ResponseOf } from '../../src/contract/index.js';
import { wordsFor } from '../../src/core/feed/index.js';
import type { AppResult } from './app-result.js';
import { success } from './app-result.js';
import type { Caller } from './caller.js';
import { seesEveryone } from './caller.js';
import type { AppDeps } from './deps.js';
import { policyOf } from './deps.js';
import { feedItem } from './views.js';

/** Pool changes and alerts, newest first; employees see names only on their own events. */
export async function getFeed(deps: AppDeps, caller: Caller, query: { cursor?: string | undefined; limit?: number | undefined }): Promise<AppResult<ResponseOf<'feed'>>> {
  const [page, policy] = await Promise.all([deps.store.listEvents(caller.tenant, { cursor: query.cursor, limit: query.limit }), policyOf(deps, caller.tenant)]);
  const everyone = seesEveryone(caller);
  const words = wordsFor(policy);
  return success({ items: page.items.map((e) => feedItem(e, everyone || e.memberId === caller.id, words)), nextCursor: page.nextCursor });
}
