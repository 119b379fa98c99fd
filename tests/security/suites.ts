import type { DemoUser } from '../../server/local/demo-users.js';
import type { TestApi } from '../support/api.js';
import { EMPLOYEES, IT, MANAGER, TEST_RATE_LIMIT, startTestApi } from '../support/api.js';
import { authzAps, prepareAuthzFixtures, runAuthzMatrix } from './authz-matrix.js';
import type { FuzzReport, FuzzWho } from './fuzz.js';
import { runFuzz, tableSnapshot } from './fuzz.js';

const [first, second, third] = EMPLOYEES as [DemoUser, DemoUser, DemoUser];
export const FUZZ_USERS: Record<FuzzWho, DemoUser> = { employee: first, manager: MANAGER, it: IT };

/** Some of everything the routes act on: members in several states, usage, a pool, purchases, feed events. */
export async function seedForFuzzing(api: TestApi): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  await api.register(first);
  await api.register(second);
  await api.call(third, 'POST', '/api/registrations', { body: {} });
  await api.fillPool(2);
  await api.call(MANAGER, 'POST', '/api/purchases', { body: { blocks: 1, reason: 'Next quarter' } });
  for (const [who, credits] of [[first, 3], [second, 120], [first, 0.5]] as const) {
    const usage = await api.call(who, 'POST', '/api/usage', { body: { service: 'cloud_rendering', credits, date: today, note: "=cmd|' /C calc'!A0" } });
    if (usage.status !== 201) throw new Error(`Seeding usage answered ${usage.status}: ${JSON.stringify(usage.body)}`);
  }
}

export interface SecurityFigures {
  fuzz_inputs: number;
  fuzz_5xx: number;
  fuzz_uncoded_4xx: number;
  fuzz_unchanged_violations: number;
  authz_cases: number;
  authz_failures: number;
  /** Allowed answers that showed a role what it must not see (IT's settings, other people, prices). */
  authz_field_leaks: number;
  failures: { fuzz: FuzzReport['failures']; authz: string[] };
}

/** The fuzzing run and the route × role matrix, each on its own fresh stack (Azurite, the local host). */
export async function runSecuritySuites(options: { fuzzInputs: number; seed: number; onProgress?: (line: string) => void }): Promise<SecurityFigures> {
  const say = options.onProgress ?? (() => undefined);
  const fuzzApi = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, ownAzurite: true, aps: authzAps() });
  let fuzz: FuzzReport;
  try {
    await seedForFuzzing(fuzzApi);
    fuzz = await runFuzz({
      baseUrl: fuzzApi.url,
      tokenFor: (who) => fuzzApi.token(FUZZ_USERS[who]),
      inputs: options.fuzzInputs,
      seed: options.seed,
      readSnapshot: tableSnapshot(fuzzApi.stack.azurite.connectionString, fuzzApi.tableName),
      onProgress: (done) => done % 2000 === 0 && say(`fuzz: ${done}/${options.fuzzInputs}`),
    });
  } finally {
    await fuzzApi.stack.stop();
  }
  const authzApi = await startTestApi({ fixedRateLimit: TEST_RATE_LIMIT, ownAzurite: true, aps: authzAps() });
  try {
    const authz = await runAuthzMatrix(authzApi, await prepareAuthzFixtures(authzApi));
    say(`authz: ${authz.authz_cases} cases`);
    return {
      fuzz_inputs: fuzz.fuzz_inputs,
      fuzz_5xx: fuzz.fuzz_5xx,
      fuzz_uncoded_4xx: fuzz.fuzz_uncoded_4xx,
      fuzz_unchanged_violations: fuzz.fuzz_unchanged_violations,
      authz_cases: authz.authz_cases,
      authz_failures: authz.authz_failures,
      authz_field_leaks: authz.authz_field_leaks,
      failures: { fuzz: fuzz.failures.slice(0, 20), authz: authz.failures.map((f) => `${f.reason}: ${f.label}`) },
    };
  } finally {
    await authzApi.stack.stop();
  }
}
