import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import { PRODUCTION_TARGETS, webhookUrlProblem } from '../../../server/adapters/teams/webhook-target.js';
import type { Caller } from '../../../server/app/caller.js';
import type { AppDeps } from '../../../server/app/deps.js';
import { policyOf } from '../../../server/app/deps.js';
import { putSettings } from '../../../server/app/settings.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import { NO_DIRECTORY } from '../../support/directory.js';

const TENANT = 't1';
const it_: Caller = { tenant: TENANT, id: 'it', email: 'it@x.example', displayName: 'IT', roles: ['AccountManager', 'ITAdmin'] };
let counter = 0;
const write = () => ({ idempotency: { caller: 'it', key: `k${++counter}`, fingerprint: `f${counter}` } });

function productionDeps(): AppDeps {
  const clock = { now: () => new Date('2026-11-27T09:00:00Z') };
  const store = new TableLedgerStore({ table: new MemoryTableAdapter(), clock, ids: newestFirstIds(), defaultPolicy: DEFAULT_POLICY });
  return { store, directory: NO_DIRECTORY, clock, defaultPolicy: DEFAULT_POLICY, webhookTargets: { problem: (url) => webhookUrlProblem(url, PRODUCTION_TARGETS) } };
}

describe('saving the Teams webhook URL outside dev mode', () => {
  it('refuses the local stand-in and hosts off the allow-list with the allowed hosts, saving nothing', async () => {
    const deps = productionDeps();
    for (const url of ['http://127.0.0.1:7072/webhook', 'http://localhost:7072/webhook', 'https://hooks.example.com/x']) {
      const result = await putSettings(deps, it_, write(), { ...DEFAULT_POLICY, teamsWebhookUrl: url });
      expect(result, url).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', details: { fields: ['teamsWebhookUrl'] } });
      expect(result.ok === false && result.message).toContain('*.logic.azure.com, *.api.powerplatform.com, *.webhook.office.com');
    }
    expect(await deps.store.getSettings(TENANT)).toBeUndefined();
  });

  it('saves a Workflows URL, and no URL at all', async () => {
    const deps = productionDeps();
    const url = 'https://prod-00.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x';
    expect((await putSettings(deps, it_, write(), { ...DEFAULT_POLICY, teamsWebhookUrl: url })).ok).toBe(true);
    expect((await policyOf(deps, TENANT)).teamsWebhookUrl).toBe(url);
    expect((await putSettings(deps, it_, write(), { ...DEFAULT_POLICY, teamsWebhookUrl: null })).ok).toBe(true);
  });
});
