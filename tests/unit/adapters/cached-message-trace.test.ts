import { describe, expect, it } from 'vitest';
import { CachedMessageTrace, TRACE_CACHE_MS } from '../../../server/adapters/memory/cached-message-trace.js';
import type { MessageTrace, TraceResult } from '../../../server/ports/message-trace.js';

const SENDERS = ['noreply@autodesk.com'];
const SINCE = new Date('2026-11-16T09:00:00Z');
const HELD: TraceResult = { kind: 'found', messages: [{ receivedDateTime: '2026-11-20T10:00:00Z', senderAddress: 'noreply@autodesk.com', subject: 'Welcome', status: 'quarantined' }] };

/** An inner trace that records each question; `answer` decides, `gate` holds answers back until released. */
class RecordingTrace implements MessageTrace {
  readonly questions: { tenant: string; recipients: string[]; senders: readonly string[] }[] = [];
  answer: (recipient: string) => TraceResult = (r) => (r.startsWith('pat') ? HELD : { kind: 'none' });
  gate: Promise<void> = Promise.resolve();
  async heldMessages(tenant: string, recipients: readonly string[], _since: Date, senders: readonly string[]): Promise<ReadonlyMap<string, TraceResult>> {
    this.questions.push({ tenant, recipients: [...recipients], senders });
    await this.gate;
    return new Map(recipients.map((r) => [r, this.answer(r)]));
  }
}

function setup() {
  let now = Date.parse('2026-11-26T09:00:00Z');
  const inner = new RecordingTrace();
  const cached = new CachedMessageTrace(inner, { now: () => now });
  return { inner, cached, advance: (ms: number) => (now += ms) };
}

describe('message trace answers kept per person', () => {
  it('asks once for a page of people, then answers reloads from the cache until the answers are 15 minutes old', async () => {
    const { inner, cached, advance } = setup();
    const people = Array.from({ length: 50 }, (_, i) => (i === 0 ? 'pat@x.example' : `p${i}@x.example`));
    const first = await cached.heldMessages('t1', people, SINCE, SENDERS);
    expect(first.get('pat@x.example')).toEqual(HELD);
    expect(first.get('p7@x.example')).toEqual({ kind: 'none' });
    expect(inner.questions).toHaveLength(1);
    for (let load = 0; load < 20; load++) {
      advance(30_000);
      expect((await cached.heldMessages('t1', people, SINCE, SENDERS)).size).toBe(50);
    }
    expect(inner.questions).toHaveLength(1);
    advance(TRACE_CACHE_MS.found);
    await cached.heldMessages('t1', people, SINCE, SENDERS);
    expect(inner.questions).toHaveLength(2);
  });

  it('asks only about the people it has no fresh answer for, all in one question', async () => {
    const { inner, cached } = setup();
    await cached.heldMessages('t1', ['pat@x.example', 'noor@x.example'], SINCE, SENDERS);
    const answers = await cached.heldMessages('t1', ['Pat@X.example', 'noor@x.example', 'new1@x.example', 'new2@x.example'], SINCE, SENDERS);
    expect(inner.questions.map((q) => q.recipients)).toEqual([['pat@x.example', 'noor@x.example'], ['new1@x.example', 'new2@x.example']]);
    expect([...answers.keys()].sort()).toEqual(['new1@x.example', 'new2@x.example', 'noor@x.example', 'pat@x.example']);
  });

  it('lets a page load that comes while a question is out wait for its answer instead of asking again', async () => {
    const { inner, cached } = setup();
    let release!: () => void;
    inner.gate = new Promise((resolve) => (release = resolve));
    const first = cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS);
    const second = cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS);
    release();
    expect((await first).get('pat@x.example')).toEqual(HELD);
    expect((await second).get('pat@x.example')).toEqual(HELD);
    expect(inner.questions).toHaveLength(1);
  });

  it('keeps a failure for a minute and "not set up" for five, then asks again', async () => {
    const { inner, cached, advance } = setup();
    inner.answer = () => ({ kind: 'unavailable', message: 'Message trace answered 503.' });
    await cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS);
    advance(TRACE_CACHE_MS.unavailable - 1);
    await cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS);
    expect(inner.questions).toHaveLength(1);
    inner.answer = () => ({ kind: 'not_set_up', permission: 'ExchangeMessageTrace.Read.All', fix: 'IT: set it up.' });
    advance(1);
    expect((await cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS)).get('pat@x.example')?.kind).toBe('not_set_up');
    advance(TRACE_CACHE_MS.not_set_up - 1);
    await cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS);
    expect(inner.questions).toHaveLength(2);
    advance(1);
    await cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS);
    expect(inner.questions).toHaveLength(3);
  });

  it('keeps tenants and sender lists apart', async () => {
    const { inner, cached } = setup();
    await cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS);
    await cached.heldMessages('t2', ['pat@x.example'], SINCE, SENDERS);
    await cached.heldMessages('t1', ['pat@x.example'], SINCE, [...SENDERS, 'noreply@signin.autodesk.com']);
    await cached.heldMessages('t1', ['pat@x.example'], SINCE, ['NOREPLY@autodesk.com']);
    expect(inner.questions.map((q) => q.tenant)).toEqual(['t1', 't2', 't1']);
  });

  it('answers "unavailable" for the people of a question the inner trace threw on, and never throws', async () => {
    const { inner, cached } = setup();
    inner.heldMessages = async () => {
      throw new Error('boom');
    };
    const answers = await cached.heldMessages('t1', ['pat@x.example'], SINCE, SENDERS);
    expect(answers.get('pat@x.example')).toEqual({ kind: 'unavailable', message: 'Message trace could not be asked: boom' });
  });
});
