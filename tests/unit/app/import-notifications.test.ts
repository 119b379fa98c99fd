import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../../src/core/policy/index.js';
import { MemoryTableAdapter } from '../../../server/adapters/memory/memory-table.js';
import { TableLedgerStore } from '../../../server/adapters/table-storage/table-ledger-store.js';
import type { AppResult, WriteRequest } from '../../../server/app/app-result.js';
import type { Caller } from '../../../server/app/caller.js';
import { ImportRunner } from '../../../server/app/imports/import-runner.js';
import { commitImport, getImport, uploadImport } from '../../../server/app/imports/imports.js';
import { ensureCallerMember } from '../../../server/app/me.js';
import { registrationEvent, requestRegistration } from '../../../server/app/registrations.js';
import { putSettings } from '../../../server/app/settings.js';
import { postUsage } from '../../../server/app/usage.js';
import { newestFirstIds } from '../../../server/ports/ids.js';
import type { LedgerStore } from '../../../server/ports/ledger-store.js';
import { NO_DIRECTORY } from '../../support/directory.js';
import { memoryImportDeps } from '../../support/memory-imports.js';
import { FakeNotifier } from '../../support/notifier.js';

/**
 * The end of a usage import tells the owner of each self-logged entry the export did not confirm: once per
 * person per import, after the import is committed, never from a job that replays the completion, and
 * without the notifier's failures reaching the import.
 */

const TENANT = 't1';
const ari: Caller = { tenant: TENANT, id: 'am', email: 'ari@x.example', displayName: 'Ari Manager', roles: ['AccountManager', 'ITAdmin'] };
const pat: Caller = { tenant: TENANT, id: 'p1', email: 'pat@x.example', displayName: 'Pat Doe', roles: [] };
const quinn: Caller = { tenant: TENANT, id: 'q1', email: 'quinn@x.example', displayName: 'Quinn Roe', roles: [] };

const write = (c: Caller): WriteRequest => ({ idempotency: { caller: c.id, key: randomUUID(), fingerprint: randomUUID() } });
function ok(result: AppResult): { value: any } {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result;
}
async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text);
}

/**
 * Pat logs three entries and Quinn one; the export (5–10 March) confirms Pat's simulation of the 5th and
 * Quinn's of the 6th. Pat's rendering of the 6th and generative design of the 9th (2.5 + 5 credits) are
 * not in it; Pat's entry of the 12th is after the export's days, so it is not Autodesk's to confirm yet.
 */
const EXPORT = [
  'Date,Email,Service,Cloud Credits Used',
  `2026-03-05,${pat.email},Simulation,12`,
  `2026-03-06,${quinn.email},Simulation,4`,
  `2026-03-10,${quinn.email},Other,1`,
  '',
].join('\n');

async function setup(options: { wrap?: (store: LedgerStore) => LedgerStore } = {}) {
  const clockAt = { ms: Date.parse('2026-03-20T09:00:00Z') };
  const clock = { now: () => new Date(clockAt.ms) };
  const table = new MemoryTableAdapter();
  const real = new TableLedgerStore({ table, clock, ids: newestFirstIds(() => clockAt.ms), defaultPolicy: DEFAULT_POLICY });
  const notifier = new FakeNotifier();
  const deps = memoryImportDeps({ store: (options.wrap ?? ((s) => s))(real), directory: NO_DIRECTORY, clock, defaultPolicy: DEFAULT_POLICY, notifier }, table);
  for (const c of [ari, pat, quinn]) await ensureCallerMember(deps, c);
  for (const c of [pat, quinn]) {
    ok(await requestRegistration(deps, c, write(c), {}));
    ok(await registrationEvent(deps, ari, write(ari), c.id, { type: 'already_registered' }));
  }
  const log = (c: Caller, service: string, credits: number, date: string) => postUsage(deps, c, write(c), { service, credits, date });
  ok(await log(pat, 'simulation', 10, '2026-03-05'));
  ok(await log(pat, 'cloud_rendering', 2.5, '2026-03-06'));
  ok(await log(pat, 'generative_design', 5, '2026-03-09'));
  ok(await log(pat, 'simulation', 3, '2026-03-12'));
  ok(await log(quinn, 'simulation', 4, '2026-03-06'));
  // Registration steps notify nobody here (no account managers in settings); start from a clean slate anyway.
  notifier.sent.length = 0;
  return { deps, notifier, clockAt };
}

async function commit(deps: Awaited<ReturnType<typeof setup>>['deps'], text = EXPORT, runner = deps.importJobs) {
  const uploaded = ok(await uploadImport(deps, ari, 'march.csv', bytes(text)));
  expect(uploaded.value.state).toBe('ready');
  ok(await commitImport({ ...deps, importJobs: runner }, ari, uploaded.value.id));
  await runner.idle();
  return uploaded.value.id as string;
}

const patUnconfirmed = {
  kind: 'usage_unconfirmed',
  to: { id: pat.id, email: pat.email, displayName: pat.displayName },
  entries: 2,
  amount: 750,
  unitName: 'Cloud Credits',
  range: { from: '2026-03-05', to: '2026-03-10' },
};

describe('the end of a usage import', () => {
  it('tells each owner of unconfirmed self-logged usage once, with how many entries and how much; nobody whose usage was confirmed', async () => {
    const { deps, notifier } = await setup();
    const statesWhenSent: string[] = [];
    let id = '';
    notifier.onNotify = async () => {
      statesWhenSent.push((await deps.importRecords.get(TENANT, id))!.record.state);
    };
    const uploaded = ok(await uploadImport(deps, ari, 'march.csv', bytes(EXPORT)));
    id = uploaded.value.id as string;
    ok(await commitImport(deps, ari, id));
    await deps.importJobs.idle();

    const view = ok(await getImport(deps, ari, id)).value;
    expect(view.state).toBe('committed');
    expect(view.result).toMatchObject({ posted: 3, settled: 2, unconfirmedProvisional: 2 });
    expect(notifier.sent).toEqual([patUnconfirmed]);
    // Sent once the import is committed: Graph has no hold on it.
    expect(statesWhenSent).toEqual(['committed']);
  });

  it('counts in tokens when the tenant runs on Flex tokens', async () => {
    const { deps, notifier } = await setup();
    // The firm moved to Flex after the usage was logged; the export counts tokens.
    ok(await putSettings(deps, ari, write(ari), { ...DEFAULT_POLICY, unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 }));
    await commit(deps, EXPORT.replace('Cloud Credits Used', 'Flex Tokens Used'));
    expect(notifier.sent).toEqual([{ ...patUnconfirmed, unitName: 'Flex tokens' }]);
  });

  it('tells the owner once: a second export of the same days that posts nothing new tells nobody again (issue 18)', async () => {
    const { deps, notifier } = await setup();
    await commit(deps);
    expect(notifier.sent).toEqual([patUnconfirmed]);
    // A second, overlapping export of the same days: its rows are already in, so it is quiet.
    await commit(deps);
    expect(notifier.sent).toEqual([patUnconfirmed]);
  });

  it('does not tell anyone from a resumed job that replays the completion', async () => {
    let crashed = false;
    const { deps, notifier, clockAt } = await setup({
      wrap: (store) =>
        new Proxy(store, {
          get: (target, name) => {
            if (name === 'execute') {
              return (async (t, command) => {
                const outcome = await target.execute(t, command);
                // Storage takes the completion, but the answer is lost: the process dies.
                if (command.idempotency.key.endsWith(':done') && !crashed) {
                  crashed = true;
                  throw new Error('The process died.');
                }
                return outcome;
              }) satisfies LedgerStore['execute'];
            }
            const value: unknown = Reflect.get(target, name);
            return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
          },
        }),
    });
    const first = new ImportRunner(deps, () => {});
    const id = await commit(deps, EXPORT, first);
    expect(crashed).toBe(true);
    expect(ok(await getImport(deps, ari, id)).value.state).toBe('committing');

    const second = new ImportRunner(deps, () => {});
    clockAt.ms += 61_000;
    expect(await second.resume(TENANT)).toEqual([id]);
    await second.idle();
    const view = ok(await getImport(deps, ari, id)).value;
    expect(view.state).toBe('committed');
    expect(view.result).toMatchObject({ posted: 3, settled: 2, unconfirmedProvisional: 2 });
    expect(notifier.sent).toEqual([]);
  });

  it('commits the same when the notifier fails or throws', async () => {
    for (const result of ['failed', 'throw'] as const) {
      const { deps, notifier } = await setup();
      notifier.result = result;
      const id = await commit(deps);
      const view = ok(await getImport(deps, ari, id)).value;
      expect(view.state).toBe('committed');
      expect(view.result).toMatchObject({ posted: 3, settled: 2, unconfirmedProvisional: 2 });
      expect(notifier.sent).toEqual([patUnconfirmed]);
    }
  });

  it('commits without a notifier', async () => {
    const { deps } = await setup();
    delete (deps as { notifier?: unknown }).notifier;
    const id = await commit(deps);
    expect(ok(await getImport(deps, ari, id)).value.state).toBe('committed');
  });
});
