import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LedgerSnapshot } from '../../src/core/ledger/index.js';
import { checkInvariants } from '../../src/core/ledger/index.js';
import { DEFAULT_POLICY } from '../../src/core/policy/index.js';
import { BlobImportFiles } from '../../server/adapters/blob/blob-import-files.js';
import { AzureTableAdapter } from '../../server/adapters/table-storage/azure-table.js';
import { TableImportRecords } from '../../server/adapters/table-storage/table-import-records.js';
import { TableLedgerStore } from '../../server/adapters/table-storage/table-ledger-store.js';
import type { AppResult, WriteRequest } from '../../server/app/app-result.js';
import type { Caller } from '../../server/app/caller.js';
import type { ImportDeps } from '../../server/app/imports/import-deps.js';
import { ImportRunner } from '../../server/app/imports/import-runner.js';
import { claim } from '../../server/app/imports/job-run.js';
import { commitImport, getImport, uploadImport } from '../../server/app/imports/imports.js';
import { ensureCallerMember } from '../../server/app/me.js';
import { purchaseEvent, startPurchase } from '../../server/app/purchases.js';
import { registrationEvent, requestRegistration } from '../../server/app/registrations.js';
import { DEMO_USERS } from '../../server/local/demo-users.js';
import type { Clock } from '../../server/ports/clock.js';
import { newestFirstIds } from '../../server/ports/ids.js';
import type { LedgerStore } from '../../server/ports/ledger-store.js';
import { freshTableName, sharedAzurite } from '../support/api.js';
import { NO_DIRECTORY } from '../support/directory.js';

/**
 * A commit that stops part-way (the process dies, or storage takes a batch and the answer is lost) resumes
 * to the same ledger as a commit that never stopped: against Azurite's table and blob services.
 */
const employees = DEMO_USERS.filter((u) => u.roles.length === 0).slice(0, 6);
const managerUser = DEMO_USERS.find((u) => u.roles.includes('AccountManager'))!;
const clockAt = { ms: Date.now() };
const clock: Clock = { now: () => new Date(clockAt.ms) };

function caller(tenant: string, user: (typeof DEMO_USERS)[number]): Caller {
  return { tenant, id: user.id, email: user.email, displayName: user.displayName, roles: user.roles };
}
const write = (c: Caller): WriteRequest => ({ idempotency: { caller: c.id, key: randomUUID(), fingerprint: randomUUID() } });
function ok(result: AppResult): { value: any } {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result;
}

const tableName = freshTableName();

/** A ledger in this file's table, one tenant per test; `store` can be swapped for a failing one. */
async function ledger(tenant: string, wrap: (store: LedgerStore) => LedgerStore = (s) => s, policy = DEFAULT_POLICY): Promise<{ deps: ImportDeps; snapshot: () => Promise<LedgerSnapshot> }> {
  const { connectionString } = sharedAzurite();
  const table = AzureTableAdapter.fromConnectionString(connectionString, tableName);
  await table.createTableIfMissing();
  const real = new TableLedgerStore({ table, clock, ids: newestFirstIds(() => clock.now().getTime()), defaultPolicy: policy });
  const importFiles = BlobImportFiles.fromConnectionString(connectionString);
  await importFiles.prepare();
  const deps: ImportDeps = { store: wrap(real), directory: NO_DIRECTORY, clock, defaultPolicy: policy, importFiles, importRecords: new TableImportRecords(table), importIds: newestFirstIds() };
  const manager = caller(tenant, managerUser);
  await ensureCallerMember(deps, manager);
  for (const user of employees) {
    const member = caller(tenant, user);
    await ensureCallerMember(deps, member);
    ok(await requestRegistration(deps, member, write(member), {}));
    ok(await registrationEvent(deps, manager, write(manager), member.id, { type: 'already_registered' }));
  }
  const purchase = ok(await startPurchase(deps, manager, write(manager), { blocks: 3 }));
  for (const step of [{ type: 'quote_requested' }, { type: 'quote_received', quoteNumber: 'Q-1', price: 300, currency: 'USD' }, { type: 'approved' }, { type: 'ordered', poNumber: 'PO-1' }, { type: 'applied' }] as const) {
    ok(await purchaseEvent(deps, manager, write(manager), purchase.value.purchase.id, step));
  }
  return { deps, snapshot: () => real.snapshot(tenant) };
}

/** 600 rows over the six employees: three batches, own credits then the pool, the pool overdrawn at the end. */
function exportFile(): string {
  const lines = ['Date,Email,Service,Job Name,Cloud Credits Used'];
  for (let i = 0; i < 600; i++) {
    const day = new Date(Date.UTC(2026, 5, 1 + (i % 28))).toISOString().slice(0, 10);
    lines.push(`${day},${employees[i % employees.length]!.email},${i % 3 === 0 ? 'Simulation' : 'Cloud Rendering'},job-${i},${(i % 7) + 0.5}`);
  }
  return lines.join('\n') + '\n';
}

async function* bytes(text: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(text);
}

/** What the ledger says, without ids and times that differ between two runs. */
function essence(snapshot: LedgerSnapshot) {
  const balances = Object.fromEntries(Object.entries(snapshot.balances).map(([account, units]) => [account.replace(/^member:/, 'member:'), units]));
  const transfers = snapshot.transfers.map((t) => `${t.code} ${t.debit}>${t.credit} ${t.amount} ${t.memberId ?? ''} ${t.date ?? ''} ${t.service ?? ''}`).sort();
  return { balances, transfers, lots: snapshot.lots.map((l) => [l.units, l.remaining]) };
}

/** The store with its `execute` replaced (to fail or interfere at a chosen batch). */
function withExecute(store: LedgerStore, execute: LedgerStore['execute']): LedgerStore {
  return new Proxy(store, {
    get: (target, name) => {
      if (name === 'execute') return execute;
      const value: unknown = Reflect.get(target, name);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function uploadAndCommit(deps: ImportDeps, tenant: string, runner: ImportRunner): Promise<string> {
  const manager = caller(tenant, managerUser);
  const uploaded = ok(await uploadImport(deps, manager, 'june.csv', bytes(exportFile())));
  expect(uploaded.value.state).toBe('ready');
  ok(await commitImport({ ...deps, importJobs: runner }, manager, uploaded.value.id));
  await runner.idle();
  return uploaded.value.id as string;
}


describe('an interrupted commit', () => {
  it.each([
    ['the process dies before its second batch is written', 'before'],
    ['storage takes the second batch but the answer is lost', 'after'],
  ] as const)('resumes to the same ledger when %s', async (_name, when) => {
    const clean = await ledger(`clean-${when}`);
    const cleanRunner = new ImportRunner(clean.deps, () => {});
    const cleanId = await uploadAndCommit(clean.deps, `clean-${when}`, cleanRunner);
    const cleanView = ok(await getImport(clean.deps, caller(`clean-${when}`, managerUser), cleanId)).value;
    expect(cleanView.state).toBe('committed');

    const tenant = `crash-${when}`;
    let batches = 0;
    let crashed = false;
    const crashing = await ledger(tenant, (store) => {
      const execute: LedgerStore['execute'] = async (t, command) => {
        const isBatch = command.idempotency.caller === 'import' && !command.idempotency.key.endsWith(':done');
        if (isBatch && !crashed && ++batches === 2) {
          crashed = true;
          if (when === 'after') await store.execute(t, command);
          throw new Error('The process died.');
        }
        return store.execute(t, command);
      };
      return withExecute(store, execute);
    });
    const first = new ImportRunner(crashing.deps, () => {});
    const id = await uploadAndCommit(crashing.deps, tenant, first);
    const stopped = ok(await getImport(crashing.deps, caller(tenant, managerUser), id)).value;
    expect(stopped.state).toBe('committing');
    expect(stopped.progress.rowsDone).toBeLessThan(600);

    // Another instance finds it once the lease has run out, and carries on.
    const second = new ImportRunner(crashing.deps, () => {});
    expect(await second.resume(tenant)).toEqual([]);
    clockAt.ms += 61_000;
    expect(await second.resume(tenant)).toEqual([id]);
    await second.idle();
    const done = ok(await getImport(crashing.deps, caller(tenant, managerUser), id)).value;
    expect(done.state).toBe('committed');
    expect(done.result).toMatchObject({ posted: 600, alreadyImported: 0 });
    expect(done.result).toEqual(cleanView.result);

    const resumed = await crashing.snapshot();
    expect(checkInvariants(resumed)).toEqual(checkInvariants(await clean.snapshot()));
    expect(essence(resumed)).toEqual(essence(await clean.snapshot()));
  });

  it('posts each row once when two overlapping imports are committed at the same time: one waits for the other', async () => {
    const clean = await ledger('clean-twice');
    const cleanId = await uploadAndCommit(clean.deps, 'clean-twice', new ImportRunner(clean.deps, () => {}));
    const cleanView = ok(await getImport(clean.deps, caller('clean-twice', managerUser), cleanId)).value;

    const tenant = 'twice';
    const { deps, snapshot } = await ledger(tenant);
    const manager = caller(tenant, managerUser);
    const [a, b] = [ok(await uploadImport(deps, manager, 'june.csv', bytes(exportFile()))).value.id as string, ok(await uploadImport(deps, manager, 'june-again.csv', bytes(exportFile()))).value.id as string];
    const runner = new ImportRunner(deps, () => {});
    await Promise.all([commitImport({ ...deps, importJobs: runner }, manager, a), commitImport({ ...deps, importJobs: runner }, manager, b)].map(async (p) => ok(await p)));
    // The one that lost the slot starts when the other is done.
    for (let i = 0; i < 100; i++) {
      await runner.idle();
      const states = await Promise.all([a, b].map(async (id) => ok(await getImport(deps, manager, id)).value.state as string));
      if (states.every((s) => s === 'committed')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const results = await Promise.all([a, b].map(async (id) => ok(await getImport(deps, manager, id)).value.result));
    expect(results.map((r) => r.posted).sort((x, y) => x - y)).toEqual([0, 600]);
    expect(results.map((r) => r.alreadyImported).sort((x, y) => x - y)).toEqual([0, 600]);
    expect(essence(await snapshot())).toEqual(essence(await clean.snapshot()));
    expect(cleanView.result).toMatchObject({ posted: 600 });
  });

  it("shows an import waiting for the one that holds the tenant's slot, and starts it when the slot is free", async () => {
    const tenant = 'waiting';
    const { deps } = await ledger(tenant);
    const manager = caller(tenant, managerUser);
    const a = ok(await uploadImport(deps, manager, 'june.csv', bytes(exportFile()))).value.id as string;
    const b = ok(await uploadImport(deps, manager, 'july.csv', bytes(exportFile()))).value.id as string;
    // A job elsewhere holds a's lease and the slot; b is committed here and cannot start.
    ok(await commitImport({ ...deps, importJobs: { owner: 'elsewhere', start: async () => {} } }, manager, a));
    expect(await claim(deps, tenant, a, 'elsewhere')).toBeDefined();
    const runner = new ImportRunner(deps, () => {});
    ok(await commitImport({ ...deps, importJobs: { owner: runner.owner, start: async () => {} } }, manager, b));
    await runner.start(tenant, b);
    const waiting = ok(await getImport(deps, manager, b)).value;
    expect(waiting).toMatchObject({ state: 'committing', progress: { rowsDone: 0 }, waitingFor: { id: a, fileName: 'june.csv' } });
    expect(ok(await getImport(deps, manager, a)).value.waitingFor).toBeNull();

    // The other job's lease runs out (it died): the slot is free, and both get posted.
    clockAt.ms += 61_000;
    expect((await runner.resume(tenant)).sort()).toEqual([a, b].sort());
    for (let i = 0; i < 100 && (await Promise.all([a, b].map(async (id) => ok(await getImport(deps, manager, id)).value.state))).some((s) => s !== 'committed'); i++) {
      await runner.idle();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const views = await Promise.all([a, b].map(async (id) => ok(await getImport(deps, manager, id)).value));
    expect(views.map((v) => [v.state, v.waitingFor])).toEqual([
      ['committed', null],
      ['committed', null],
    ]);
    expect(views.map((v) => v.result.posted).sort((x, y) => x - y)).toEqual([0, 600]);
  });

  it('stops a job whose slot another import took (its lease had run out): the batch in flight writes nothing', async () => {
    const tenant = 'fenced';
    const hooks: { afterFirstBatch?: () => Promise<void> } = {};
    let batches = 0;
    const { deps, snapshot } = await ledger(tenant, (store) => {
      const execute: LedgerStore['execute'] = async (t, command) => {
        const n = command.idempotency.caller === 'import' ? ++batches : 0;
        const outcome = await store.execute(t, command);
        if (n === 1) await hooks.afterFirstBatch?.();
        return outcome;
      };
      return withExecute(store, execute);
    });
    const manager = caller(tenant, managerUser);
    const a = ok(await uploadImport(deps, manager, 'june.csv', bytes(exportFile()))).value.id as string;
    const b = ok(await uploadImport(deps, manager, 'july.csv', bytes(exportFile()))).value.id as string;
    // While a's first batch is being answered, b takes the slot (as if a's lease had run out meanwhile).
    hooks.afterFirstBatch = async () => {
      const [stored, held] = await Promise.all([deps.importRecords.get(tenant, b), deps.importRecords.getSlot(tenant)]);
      expect(held?.slot.importId).toBe(a);
      expect(await deps.importRecords.replaceWithSlot(tenant, stored!.record, stored!.etag, { importId: b }, held!.etag)).toBeDefined();
    };
    const logged: unknown[] = [];
    const runner = new ImportRunner(deps, (_m, e) => logged.push(e));
    ok(await commitImport({ ...deps, importJobs: runner }, manager, a));
    await runner.idle();
    expect(logged).toEqual([]);
    const stopped = ok(await getImport(deps, manager, a)).value;
    expect(stopped.state).toBe('committing');
    // Only the first batch (250 rows) landed; the second was refused with the whole transaction.
    const posted = (await snapshot()).transfers.filter((t) => t.source === `import:${a}`);
    expect(new Set(posted.map((t) => t.importRowId)).size).toBe(250);
    expect(batches).toBe(2);
  });

  it("posts a grown day total's growth once when storage takes the batch but the answer is lost", async () => {
    const tenant = 'grown-day';
    let armed = false;
    const { deps, snapshot } = await ledger(
      tenant,
      (store) =>
        withExecute(store, async (t, command) => {
          const isBatch = command.idempotency.caller === 'import' && !command.idempotency.key.endsWith(':done');
          if (isBatch && armed) {
            armed = false;
            await store.execute(t, command);
            throw new Error('The process died.');
          }
          return store.execute(t, command);
        }),
      { ...DEFAULT_POLICY, unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 },
    );
    const manager = caller(tenant, managerUser);
    const [ana, ben] = employees as [(typeof employees)[number], (typeof employees)[number]];
    const usageReport = (anaTokens: number) =>
      ['Email,First name,Last name,Team,Product,Feature,Day used,Tokens used', `${ana.email},A,A,Firm,Fusion,Generative Design,2026-06-03,${anaTokens}`, `${ben.email},B,B,Firm,Revit,Cloud Rendering,2026-06-03,5`, ''].join('\n');
    const commit = async (fileName: string, text: string, runner: ImportRunner) => {
      const uploaded = ok(await uploadImport(deps, manager, fileName, bytes(text)));
      expect(uploaded.value.state).toBe('ready');
      ok(await commitImport({ ...deps, importJobs: runner }, manager, uploaded.value.id));
      await runner.idle();
      return uploaded.value.id as string;
    };
    await commit('monday.csv', usageReport(12), new ImportRunner(deps, () => {}));

    armed = true;
    const id = await commit('thursday.csv', usageReport(15), new ImportRunner(deps, () => {}));
    expect(ok(await getImport(deps, manager, id)).value.state).toBe('committing');
    clockAt.ms += 61_000;
    const second = new ImportRunner(deps, () => {});
    expect(await second.resume(tenant)).toEqual([id]);
    await second.idle();

    const done = ok(await getImport(deps, manager, id)).value;
    expect(done.result).toMatchObject({ posted: 1, amount: 3, alreadyImported: 1, daysGrown: 1, grownAmount: 3 });
    const after = await snapshot();
    const used = after.transfers.filter((t) => t.memberId === ana.id && t.date === '2026-06-03' && t.credit === 'usage').reduce((sum, t) => sum + t.amount, 0);
    expect(used).toBe(1500);
    expect(checkInvariants(after)).toEqual([]);
  });
});
