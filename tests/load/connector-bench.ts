import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { checkInvariants } from '../../src/core/ledger/index.js';
import { TOKEN_FLEX_FIELDS, TOKEN_FLEX_METRICS } from '../../server/adapters/autodesk/token-flex-source.js';
import type { AppResult } from '../../server/app/app-result.js';
import type { ImportRunner } from '../../server/app/imports/import-runner.js';
import { commitImport, uploadImport } from '../../server/app/imports/imports.js';
import type { UsagePerson } from '../../server/local/autodesk-standin-usage.js';
import { addDays, tokenFlexCsv, visibleCharges } from '../../server/local/autodesk-standin-usage.js';
import type { AzuriteHandle } from '../../server/local/azurite.js';
import type { UsageSourceKind } from '../../server/ports/usage-source.js';
import type { StandinPull } from '../support/standin-pull.js';
import { STANDIN_SEED, nextDay, standinPull } from '../support/standin-pull.js';
import type { LedgerComparison } from './connector-figures.js';
import { compareWithAutodesk } from './connector-figures.js';
import { log, round } from './support.js';

/** People in the firm: half use Autodesk every other day, the others now and then (the stand-in's pattern). */
const PEOPLE = 20;
const BACKFILL_DAYS = 365;
const TODAY = '2026-11-20';
/** Scheduled pulls after the backfill: the settling days, with Autodesk's late charges arriving. */
const DAILY_PULLS = 3;
const OVERLAP_UPLOAD_DAYS = 30;

interface ApiFigures {
  days_per_min: number;
  backfill_seconds: number;
  backfill_rows: number;
  daily_pull_seconds: number;
  /** What the ledger holds against what the stand-in charged, per day and person, over the days pulled. */
  duplicates: number;
  missing: number;
  days_twice: string[];
  days_missing: string[];
  invariants_ok: boolean;
}

export interface ConnectorFigures {
  connector_days_per_min: number;
  /** (day, person) where the ledger holds more than Autodesk charged, over both APIs: usage counted twice. */
  connector_duplicates: number;
  connector_days: number;
  details: {
    source: 'autodesk-standin';
    people: number;
    daily_pulls: number;
    overlap_upload_days: number;
    token_flex: ApiFigures;
    usage_insights: ApiFigures;
  };
}

function ok<T>(result: AppResult<T>): T {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result.value;
}

const benchPeople = (): UsagePerson[] =>
  Array.from({ length: PEOPLE }, (_, i) => ({ email: `person${i}@bench.example`, firstName: 'Person', lastName: String(i), team: `Bench office ${i % 4}`, heavy: i % 2 === 0 }));

/**
 * An account manager uploads by hand the Token Flex export of 30 days the pull already brought (the same
 * columns the connector asks for): the same rows, the same identities, nothing posted again.
 */
async function uploadOverlap(h: StandinPull, people: UsagePerson[]): Promise<void> {
  const asOf = new Date(h.clock.ms).toISOString().slice(0, 10);
  const from = addDays(TODAY, -60);
  const charges = visibleCharges(STANDIN_SEED, people, from, addDays(from, OVERLAP_UPLOAD_DAYS - 1), asOf);
  const csv = tokenFlexCsv(charges, [...TOKEN_FLEX_FIELDS, ...TOKEN_FLEX_METRICS]);
  const uploaded = ok(await uploadImport(h.deps, h.manager, 'token-flex-by-hand.csv', (async function* () {
    yield Buffer.from(csv);
  })()));
  ok(await commitImport(h.deps, h.manager, uploaded.id));
  await (h.deps.importJobs as ImportRunner).idle();
  const record = (await h.deps.importRecords.get(h.tenant, uploaded.id))?.record;
  if (record?.state !== 'committed' || record.result?.posted !== 0) throw new Error(`connector: the overlapping upload ended ${record?.state} with ${record?.result?.posted} rows posted`);
}

/** One API: a 365-day backfill from the stand-in, then the daily pulls, then the ledger against Autodesk's usage. */
async function runApi(azurite: AzuriteHandle, kind: UsageSourceKind, people: UsagePerson[]): Promise<ApiFigures> {
  const h = await standinPull({ connectionString: azurite.connectionString, tableName: `connector${randomUUID().slice(0, 8)}`, kind, today: TODAY, rule: { settlingDays: 3, backfillDays: BACKFILL_DAYS }, people });
  try {
    const started = performance.now();
    const backfill = await h.pull();
    const backfillSeconds = (performance.now() - started) / 1000;
    if (backfill.kind !== 'imported') throw new Error(`connector: the ${kind} backfill ended ${JSON.stringify(backfill)}`);
    log(`connector: ${kind} ${BACKFILL_DAYS} days (${backfill.rowsPosted} rows) pulled from the stand-in and posted in ${round(backfillSeconds, 1)} s`);

    const dailyStarted = performance.now();
    for (let day = 0; day < DAILY_PULLS; day++) {
      nextDay(h);
      const daily = await h.pull();
      if (daily.kind !== 'imported') throw new Error(`connector: a daily ${kind} pull ended ${JSON.stringify(daily)}`);
    }
    const dailySeconds = (performance.now() - dailyStarted) / 1000 / DAILY_PULLS;
    if (kind === 'token_flex') await uploadOverlap(h, people);

    const covered = (await h.deps.usagePulls.get(h.tenant))?.state.sources[kind]?.covered;
    if (!covered) throw new Error(`connector: ${kind} covers no days`);
    const compared: LedgerComparison = compareWithAutodesk(await h.ledgerUsage(), h.autodeskUsage(covered));
    const invariantsOk = checkInvariants(await h.deps.store.snapshot(h.tenant)).length === 0;
    log(`connector: ${kind} ${covered.from} to ${covered.to}: ${compared.duplicates} counted twice, ${compared.missing} missing (per day and person); invariants ${invariantsOk ? 'hold' : 'BROKEN'}`);
    return {
      days_per_min: round(BACKFILL_DAYS / (backfillSeconds / 60), 1),
      backfill_seconds: round(backfillSeconds, 2),
      backfill_rows: backfill.rowsPosted,
      daily_pull_seconds: round(dailySeconds, 2),
      duplicates: compared.duplicates,
      missing: compared.missing,
      days_twice: compared.daysTwice,
      days_missing: compared.daysMissing,
      invariants_ok: invariantsOk,
    };
  } finally {
    await h.close();
  }
}

/**
 * `--only=connector`: each Autodesk usage API's real client over HTTP against the Autodesk stand-in, a
 * 365-day backfill through the pull use case (the window, the export, the import pipeline, the commit job)
 * into Azurite, then three daily pulls as Autodesk posts charges late and, for Token Flex, 30 of the same
 * days uploaded by hand. Every day and person in the ledger is then set against what the stand-in charged:
 * more is usage counted twice (`connector_duplicates`), less is usage missing. The stand-in makes an export
 * on its second status check and the client polls at once: Autodesk's own export time is not in the figure.
 */
export async function connectorPhase(azurite: AzuriteHandle): Promise<ConnectorFigures> {
  const people = benchPeople();
  const tokenFlex = await runApi(azurite, 'token_flex', people);
  const usageInsights = await runApi(azurite, 'usage_insights', people);
  return {
    connector_days_per_min: tokenFlex.days_per_min,
    connector_duplicates: tokenFlex.duplicates + usageInsights.duplicates,
    connector_days: BACKFILL_DAYS,
    details: { source: 'autodesk-standin', people: PEOPLE, daily_pulls: DAILY_PULLS, overlap_upload_days: OVERLAP_UPLOAD_DAYS, token_flex: tokenFlex, usage_insights: usageInsights },
  };
}
