/**
 * `npm run chaos -- --json`: the hardening figures of issue 8 as one JSON object on stdout; progress on stderr.
 *
 *   --json          print only the JSON object on stdout
 *   --short         the CI size (150 ops, fewer fuzz inputs and authz cases)
 *   --ops=N --concurrency=N --rate=0.12 --seed=N   override the chaos run
 */
import type { ChaosProgress, ChaosResult } from './chaos.js';
import { runChaos } from './chaos.js';
import { runSecuritySuites } from '../security/suites.js';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const short = flag('short');
const json = flag('json');

// Nothing but the JSON object goes to stdout: anything else the stack logs goes to stderr.
const stdoutWrite = process.stdout.write.bind(process.stdout);
console.log = (...parts: unknown[]) => console.error(...parts);
console.info = console.log;
// The app's best-effort notification warnings (synthetic people are not in the Graph stand-in) only drown the progress.
const warn = console.warn.bind(console);
console.warn = (...parts: unknown[]) => {
  if (typeof parts[0] === 'string' && parts[0].startsWith('Credit Desk: the ')) return;
  warn(...parts);
};

const chaosOptions = {
  ops: Number(value('ops') ?? (short ? 150 : 1200)),
  concurrency: Number(value('concurrency') ?? (short ? 12 : 24)),
  faultRate: Number(value('rate') ?? 0.12),
  seed: Number(value('seed') ?? 20260508),
  holdMs: Number(value('hold') ?? 2_000),
};

function progress(p: ChaosProgress) {
  const parts = [`[chaos] ${p.phase}`];
  if (p.done !== undefined) parts.push(`${p.done}/${p.total}`);
  else if (p.total !== undefined) parts.push(`(${p.total})`);
  if (p.faults !== undefined) parts.push(`faults ${p.faults}`);
  if (p.message) parts.push(p.message);
  process.stderr.write(`${parts.join(' ')}\n`);
}

async function main() {
  const started = Date.now();
  const chaos: ChaosResult = await runChaos({ ...chaosOptions, onProgress: progress });

  // The input fuzzing and the route × role matrix (tests/security), each on a fresh stack.
  const security = await runSecuritySuites({ fuzzInputs: short ? 2_000 : 20_000, seed: chaosOptions.seed, onProgress: (line) => console.error(line) });
  const { failures: securityFailures, ...securityFigures } = security;

  const { details, graph, feed, connector, ...figures } = chaos;
  const out = {
    ...figures,
    ...securityFigures,
    ...Object.fromEntries(Object.entries(graph).map(([k, v]) => [`chaos_${k}`, v])),
    ...Object.fromEntries(Object.entries(feed).map(([k, v]) => [`chaos_${k}`, v])),
    ...connector,
    chaos_seconds: Math.round(details.duration_ms / 100) / 10,
    total_seconds: Math.round((Date.now() - started) / 100) / 10,
    short,
    details: { ...details, security_failures: securityFailures },
  };
  const targets =
    out.chaos_ops >= (short ? 150 : 1000) &&
    out.chaos_faults_injected >= (short ? 20 : 100) &&
    out.chaos_acknowledged_lost === 0 &&
    out.chaos_duplicates === 0 &&
    out.chaos_invariant_violations === 0 &&
    out.chaos_client_errors_unclear === 0 &&
    out.chaos_refused_stored === 0 &&
    out.chaos_instances >= 2 &&
    out.chaos_process_kills >= 2 &&
    out.chaos_stale_refusals === 0 &&
    graph.graph_bad_answers === 0 &&
    graph.graph_writes_inconsistent === 0 &&
    feed.feed_events_missing === 0 &&
    connector.connector_incidents > 0 &&
    connector.connector_pulls_failed_then_recovered === connector.connector_incidents &&
    connector.connector_days_imported_twice === 0 &&
    connector.connector_days_missing === 0 &&
    details.internal_errors === 0 &&
    security.fuzz_inputs >= (short ? 2_000 : 20_000) &&
    security.fuzz_5xx === 0 &&
    security.fuzz_uncoded_4xx === 0 &&
    security.fuzz_unchanged_violations === 0 &&
    security.authz_failures === 0 &&
    security.authz_field_leaks === 0;
  if (json) stdoutWrite(`${JSON.stringify({ ...out, targets_met: targets })}\n`);
  else stdoutWrite(`${JSON.stringify({ ...out, targets_met: targets }, null, 2)}\n`);
  process.exitCode = targets ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
