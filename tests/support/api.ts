import { randomBytes, randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import type { LocalStack, StackOptions } from '../../server/local/stack.js';
import { startStack } from '../../server/local/stack.js';
import type { DemoUser } from '../../server/local/demo-users.js';
import { DEMO_USERS } from '../../server/local/demo-users.js';

export const EMPLOYEES = DEMO_USERS.filter((u) => u.roles.length === 0);
export const MANAGER = DEMO_USERS.find((u) => u.roles.includes('AccountManager'))!;
export const IT = DEMO_USERS.find((u) => u.roles.includes('ITAdmin'))!;

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** A test client for the real local stack over HTTP. */
export class TestApi {
  private readonly tokens = new Map<string, string>();
  /** `tableName`: the ledger's table, this file's own (see `freshTableName`). */
  constructor(
    readonly stack: LocalStack,
    readonly tableName: string,
  ) {}

  get url() {
    return this.stack.apiUrl;
  }

  async token(user: DemoUser): Promise<string> {
    let token = this.tokens.get(user.email);
    if (!token) {
      token = await this.stack.dev.sign(user);
      this.tokens.set(user.email, token);
    }
    return token;
  }

  /** Commits an import and waits for its job to end (follow-up work such as notifications included); the import's view. */
  async commitImport(user: DemoUser, id: string, query = ''): Promise<any> {
    const started = await this.call(user, 'POST', `/api/usage/imports/${id}/commit${query}`);
    if (started.status !== 200) throw new Error(`commit of import ${id} answered ${started.status}: ${JSON.stringify(started.body)}`);
    for (let i = 0; i < 200; i++) {
      const view = await this.call(user, 'GET', `/api/usage/imports/${id}`);
      if (view.body.state !== 'committing') {
        await this.stack.importJobs.idle();
        return view.body;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`import ${id} did not finish`);
  }

  async call<T = any>(
    user: DemoUser | undefined,
    method: string,
    path: string,
    options: { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (user) headers.authorization = `Bearer ${await this.token(user)}`;
    if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
    // Writes get a fresh key unless the test picks one (or passes null for none).
    if (method !== 'GET' && options.key !== null) headers['idempotency-key'] = options.key ?? randomUUID();
    const response = await fetch(this.url + path, {
      method,
      headers,
      ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await response.text();
    // File answers (reports) come back as text; everything else is JSON.
    const json = /json/.test(response.headers.get('content-type') ?? 'application/json');
    return { status: response.status, body: text ? (json ? JSON.parse(text) : text) : undefined, headers: response.headers };
  }

  /** IT switches the tenant to Flex mode (README, Flex mode): Flex tokens, none of one's own, packs expiring after 12 months. */
  async useFlexTokens(): Promise<void> {
    const current = (await this.call(IT, 'GET', '/api/settings')).body as Record<string, unknown>;
    const switched = await this.call(IT, 'PUT', '/api/settings', { body: { ...current, unitName: 'Flex tokens', individualAllotment: 0, packExpiryMonths: 12 } });
    if (switched.status !== 200) throw new Error(`switching to Flex tokens failed: ${JSON.stringify(switched.body)}`);
  }

  /** Registers an employee the way the firm does: they request, a manager confirms they are already under the contract. */
  async register(user: DemoUser): Promise<void> {
    await this.call(user, 'GET', '/api/me');
    const request = await this.call(user, 'POST', '/api/registrations', { body: {} });
    if (request.status !== 201 && request.status !== 409) throw new Error(`request failed: ${JSON.stringify(request.body)}`);
    const done = await this.call(MANAGER, 'POST', `/api/registrations/${user.id}/events`, { body: { type: 'already_registered' } });
    if (done.status !== 200 && done.status !== 409) throw new Error(`registration failed: ${JSON.stringify(done.body)}`);
  }

  /** Buys and applies `blocks` blocks into the pool through every purchase step. */
  async fillPool(blocks: number): Promise<string> {
    const created = await this.call(MANAGER, 'POST', '/api/purchases', { body: { blocks } });
    const id = created.body.purchase.id as string;
    const steps = [
      { type: 'quote_requested' },
      { type: 'quote_received', quoteNumber: 'Q-1001', price: 500, currency: 'USD' },
      { type: 'approved' },
      { type: 'ordered', poNumber: 'PO-77' },
      { type: 'applied' },
    ];
    for (const step of steps) {
      const answer = await this.call(MANAGER, 'POST', `/api/purchases/${id}/events`, { body: step });
      if (answer.status !== 200) throw new Error(`purchase step ${step.type} failed: ${JSON.stringify(answer.body)}`);
    }
    return id;
  }

  async ledgerCheck() {
    return (await this.call(IT, 'GET', '/api/ledger/check')).body as { ok: boolean; violations: unknown[] };
  }
}

/**
 * The limit the tests of other things run with: they play dozens of people (and one account manager
 * confirming all of them) within seconds, faster than the default 120 a minute with bursts of 30 allows.
 * tests/integration/api-defences.test.ts tests the real limit, read from the tenant's settings.
 */
export const TEST_RATE_LIMIT = { perMinute: 100_000, burst: 10_000 };

/**
 * This worker's Azurite, started once for the run by tests/support/shared-azurite.ts (the global setup of
 * the integration and e2e projects). Other files use it after this one, so it cannot be stopped here.
 */
export function sharedAzurite(): AzuriteHandle {
  const all = inject('sharedAzurites');
  if (!all?.length) throw new Error('No shared Azurite: this file runs in a project without tests/support/shared-azurite.ts as global setup.');
  const info = all[(Number(process.env.VITEST_POOL_ID ?? '1') - 1) % all.length]!;
  return {
    ...info,
    get process(): never {
      throw new Error('The shared Azurite belongs to the test run: start one of your own to reach its process.');
    },
    stop: () => Promise.reject(new Error('The shared Azurite outlives this file: start one of your own (ownAzurite) to stop it.')),
  };
}

/** A table name no other test file uses: a letter and 24 hex digits, as Table Storage allows. */
export function freshTableName(): string {
  return `t${randomBytes(12).toString('hex')}`;
}

export interface TestApiOptions extends StackOptions {
  /** Start an Azurite for this file alone, for tests that stop it; by default the worker's shared one. */
  ownAzurite?: boolean;
}

/** Starts the local host for one test file, on tables of its own in the worker's Azurite (or its own Azurite). */
export async function startTestApi(options: TestApiOptions = { fixedRateLimit: TEST_RATE_LIMIT }): Promise<TestApi> {
  const { ownAzurite, ...stackOptions } = options;
  const tableName = stackOptions.tableName ?? freshTableName();
  const azurite = stackOptions.azurite ?? (ownAzurite || stackOptions.dataDir ? undefined : sharedAzurite());
  return new TestApi(await startStack({ ...stackOptions, tableName, ...(azurite ? { azurite } : {}) }), tableName);
}
