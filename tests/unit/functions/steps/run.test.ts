import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../../src/contract/index.js';
import { DEFAULT_POLICY } from '../../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../../server/adapters/memory/memory-table.js';
import { TableFeedOutbox } from '../../../../server/adapters/table-storage/table-feed-outbox.js';
import { TableLedgerStore } from '../../../../server/adapters/table-storage/table-ledger-store.js';
import type { Caller } from '../../../../server/app/caller.js';
import { run } from '../../../../server/functions/steps/run.js';
import type { UseCaseInput } from '../../../../server/functions/use-cases.js';
import type { RouteName } from '../../../../src/contract/index.js';
import { systemClock } from '../../../../server/ports/clock.js';
import { newestFirstIds } from '../../../../server/ports/ids.js';
import { NO_DIRECTORY } from '../../../support/directory.js';
import { memoryImportDeps } from '../../../support/memory-imports.js';

const manager: Caller = { tenant: 't1', id: 'am', email: 'am@x.example', displayName: 'AM', roles: ['AccountManager'] };
const employee: Caller = { tenant: 't1', id: 'e1', email: 'e1@x.example', displayName: 'E1', roles: [] };

function deps() {
  const table = new MemoryTableAdapter();
  const store = new TableLedgerStore({ table, clock: systemClock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  return { ...memoryImportDeps({ store, directory: NO_DIRECTORY, clock: systemClock, defaultPolicy: DEFAULT_POLICY }, table), outbox: new TableFeedOutbox(table) };
}
const input = (body: unknown, params: unknown = undefined, query: unknown = undefined): UseCaseInput<RouteName> =>
  ({ params, query, body, write: { idempotency: { caller: 'am', key: randomUUID(), fingerprint: randomUUID() } }, file: undefined }) as UseCaseInput<RouteName>;

describe('run step', () => {
  it("sends the use case's answer with the route table's success status", async () => {
    const d = deps();
    const created = await run('createPurchase', ROUTES.createPurchase, d, manager, input({ blocks: 1 }));
    expect(created.status).toBe(ROUTES.createPurchase.status);
    expect(created.status).toBe(201);
    const { purchase } = JSON.parse(created.body) as { purchase: { id: string; state: string } };
    expect(purchase.state).toBe('requested');
    const stepped = await run('purchaseEvent', ROUTES.purchaseEvent, d, manager, input({ type: 'quote_requested' }, { id: purchase.id }));
    expect(stepped.status).toBe(200);
  });

  it('codes a refusal with the status of its error code', async () => {
    const refused = await run('listUsage', ROUTES.listUsage, deps(), employee, input(undefined, undefined, { memberId: 'someone-else' }));
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });
});
