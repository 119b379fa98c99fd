import type { MessageTrace, TraceResult } from '../../ports/message-trace.js';

/**
 * How long an answer is kept. Message trace allows about 100 questions per 5 minutes for the whole tenant,
 * so a page load never asks again what was asked a moment ago; a failure is kept briefly, so reloads during
 * an outage or throttling do not add to it.
 */
export const TRACE_CACHE_MS: Readonly<Record<TraceResult['kind'], number>> = {
  found: 15 * 60_000,
  none: 15 * 60_000,
  not_set_up: 5 * 60_000,
  unavailable: 60_000,
};

type Entry = { until: number; result: TraceResult } | { until: number; pending: Promise<TraceResult> };

export interface CachedMessageTraceOptions {
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

/**
 * Message trace answers kept per tenant, senders and person: a page load asks only about the people it has
 * no fresh answer for, all in one question to the inner trace, and people already being asked about wait for
 * that answer instead of asking again.
 */
export class CachedMessageTrace implements MessageTrace {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;

  constructor(
    private readonly inner: MessageTrace,
    options: CachedMessageTraceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  async heldMessages(tenant: string, recipients: readonly string[], since: Date, senders: readonly string[]): Promise<ReadonlyMap<string, TraceResult>> {
    const now = this.now();
    this.forgetExpired(now);
    const people = [...new Set(recipients.map((r) => r.trim().toLowerCase()).filter(Boolean))];
    const keyOf = (person: string) => JSON.stringify([tenant, [...senders].map((s) => s.toLowerCase()).sort(), person]);
    const answers = new Map<string, TraceResult>();
    const waiting: Promise<void>[] = [];
    const unknown: string[] = [];
    for (const person of people) {
      const entry = this.entries.get(keyOf(person));
      if (!entry) unknown.push(person);
      else if ('result' in entry) answers.set(person, entry.result);
      else waiting.push(entry.pending.then((result) => void answers.set(person, result)));
    }
    if (unknown.length > 0) {
      // The port never throws; should the inner trace break that, its people get "unavailable", kept briefly.
      const asked = this.inner.heldMessages(tenant, unknown, since, senders).catch((error: unknown) => {
        const result: TraceResult = { kind: 'unavailable', message: `Message trace could not be asked: ${error instanceof Error ? error.message : String(error)}` };
        return new Map(unknown.map((person) => [person, result]));
      });
      for (const person of unknown) {
        const pending = asked.then((fresh) => fresh.get(person) ?? { kind: 'none' as const });
        this.entries.set(keyOf(person), { until: Number.POSITIVE_INFINITY, pending });
      }
      const fresh = await asked;
      const at = this.now();
      for (const person of unknown) {
        const result = fresh.get(person) ?? { kind: 'none' };
        answers.set(person, result);
        this.entries.set(keyOf(person), { until: at + TRACE_CACHE_MS[result.kind], result });
      }
    }
    await Promise.all(waiting);
    return answers;
  }

  private forgetExpired(now: number): void {
    for (const [key, entry] of this.entries) if (entry.until <= now) this.entries.delete(key);
  }
}
