import { dayNumber, dayString } from '../../src/core/policy/index.js';
import type { AutodeskConnection, DayWindow, PullProgress, UsageExport, UsageSource, UsageSourceErrorCode, UsageSourceKind } from '../../server/ports/usage-source.js';
import { UsageSourceError } from '../../server/ports/usage-source.js';

/** One person's usage of one service on a day, as Autodesk's export lists it. */
export interface UsageRow {
  email: string;
  service: string;
  credits: number;
}

/** A refusal the next export meets: when asked (Autodesk refuses) or half-way through the download. */
export interface ScriptedFailure {
  code: UsageSourceErrorCode;
  at: 'request' | 'download';
  retryAfterSeconds?: number;
}

/**
 * An in-memory UsageSource (until the Autodesk stand-in is there): hands back, for any window, the cloud
 * services export (Date, Email, Service, Cloud Credits Used) of `usage(day)`. Failures are scripted one
 * export at a time; `hold()` keeps the next export "processing" until released, to catch a pull mid-way.
 */
export class FakeUsageSource implements UsageSource {
  readonly requests: DayWindow[] = [];
  private readonly failures: ScriptedFailure[] = [];
  private held: { release: () => void; gate: Promise<void>; asked: Promise<void>; onAsked: () => void } | undefined;

  constructor(
    readonly kind: UsageSourceKind,
    private readonly usage: (day: string) => UsageRow[],
  ) {}

  failNext(failure: ScriptedFailure): void {
    this.failures.push(failure);
  }

  /** Holds the next export after it is asked for; `asked` resolves once it is, `release` lets it go on. */
  hold(): { asked: Promise<void>; release: () => void } {
    let release!: () => void;
    let onAsked!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const asked = new Promise<void>((r) => (onAsked = r));
    this.held = { release, gate, asked, onAsked };
    return { asked, release };
  }

  async exportUsage(window: DayWindow, options: { signal?: AbortSignal; onProgress?: (progress: PullProgress) => void } = {}): Promise<UsageExport> {
    this.requests.push(window);
    options.onProgress?.({ stage: 'requested', polls: 0 });
    const held = this.held;
    this.held = undefined;
    if (held) {
      held.onAsked();
      await held.gate;
    }
    const failure = this.failures.shift();
    if (failure?.at === 'request') throw new UsageSourceError(failure.code, `Autodesk answered ${failure.code}.`, failure.retryAfterSeconds);
    options.onProgress?.({ stage: 'processing', polls: 1 });
    const lines = ['Date,Email,Service,Cloud Credits Used'];
    for (let d = dayNumber(window.from); d <= dayNumber(window.to); d++) {
      const day = dayString(d);
      for (const row of this.usage(day)) lines.push(`${day},${row.email},${row.service},${row.credits}`);
    }
    const text = lines.join('\n') + '\n';
    return { fileName: `autodesk-${this.kind.replace('_', '-')}-${window.from}-to-${window.to}.csv`, window, body: download(text, failure?.at === 'download' ? failure.code : undefined) };
  }
}

async function* download(text: string, breaksWith: UsageSourceErrorCode | undefined): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text);
  const half = Math.floor(bytes.length / 2);
  yield bytes.subarray(0, half);
  if (breaksWith) throw new UsageSourceError(breaksWith, 'The download link ran out.');
  yield bytes.subarray(half);
}

export function connectionOf(kind: UsageSourceKind, at = '2026-01-01T00:00:00.000Z'): AutodeskConnection {
  return { kind, mode: 'three_legged', clientId: 'fake-client-id', contractNumber: kind === 'token_flex' ? '110000000001' : null, connectedAt: at, connectedBy: 'it', disconnected: null };
}
