import { describe, expect, it } from 'vitest';
import { SharedReads, TurnReads } from '../../../server/app/shared-reads.js';

/** A stored value and reads of it whose answers the test lets through one by one. */
function storage() {
  const state = { value: 1 };
  const reads: { value: number; answer(): void; fail(error: Error): void }[] = [];
  const load = () =>
    new Promise<number>((resolve, reject) => {
      // The read takes the value as it is when it starts; its answer arrives when the test says.
      const value = state.value;
      reads.push({ value, answer: () => resolve(value), fail: reject });
    });
  /** Waits until `count` reads have started (a read starts a few microtasks after it is asked for). */
  const started = async (count: number) => {
    for (let i = 0; i < 100 && reads.length < count; i++) await Promise.resolve();
    expect(reads).toHaveLength(count);
  };
  return { state, reads, load, started };
}

describe('SharedReads', () => {
  it('requests arriving while a read runs share the next read, not the running one', async () => {
    const shared = new SharedReads<number>();
    const s = storage();
    const first = shared.read('t', s.load);
    await s.started(1);
    const second = shared.read('t', s.load);
    const third = shared.read('t', s.load);
    s.reads[0]!.answer();
    expect(await first).toBe(1);
    await s.started(2);
    s.reads[1]!.answer();
    expect(await Promise.all([second, third])).toEqual([1, 1]);
    expect(s.reads).toHaveLength(2);
  });

  it('a change made before a request is in its answer, even while an older read is running', async () => {
    const shared = new SharedReads<number>();
    const s = storage();
    const before = shared.read('t', s.load);
    await s.started(1);
    s.state.value = 2; // a write acknowledged while the first read is on its way
    const after = shared.read('t', s.load);
    s.reads[0]!.answer();
    expect(await before).toBe(1);
    await s.started(2);
    s.reads[1]!.answer();
    expect(await after).toBe(2);
  });

  it('a read that failed fails only those who shared it; the next request reads again', async () => {
    const shared = new SharedReads<number>();
    const s = storage();
    const failing = shared.read('t', s.load);
    await s.started(1);
    s.reads[0]!.fail(new Error('storage did not answer'));
    await expect(failing).rejects.toThrow('storage did not answer');
    const again = shared.read('t', s.load);
    await s.started(2);
    s.reads[1]!.answer();
    expect(await again).toBe(1);
  });

  it('the waiting read starts when the running one fails, and answers its own requests', async () => {
    const shared = new SharedReads<number>();
    const s = storage();
    const failing = shared.read('t', s.load);
    await s.started(1);
    const waiting = shared.read('t', s.load);
    s.reads[0]!.fail(new Error('storage did not answer'));
    await expect(failing).rejects.toThrow();
    await s.started(2);
    s.reads[1]!.answer();
    expect(await waiting).toBe(1);
  });

  it('keys do not share: each tenant reads its own', async () => {
    const shared = new SharedReads<number>();
    const s = storage();
    const a = shared.read('a', s.load);
    const b = shared.read('b', s.load);
    await s.started(2);
    for (const read of s.reads) read.answer();
    expect(await Promise.all([a, b])).toEqual([1, 1]);
  });

  it('keeps nothing once a read is answered: a later request reads again and sees later changes', async () => {
    const shared = new SharedReads<number>();
    const s = storage();
    const first = shared.read('t', s.load);
    await s.started(1);
    s.reads[0]!.answer();
    expect(await first).toBe(1);
    s.state.value = 3;
    const later = shared.read('t', s.load);
    await s.started(2);
    s.reads[1]!.answer();
    expect(await later).toBe(3);
  });
});

/** Lets the current turn of the event loop end (what TurnReads waits for before it reads). */
const turnEnds = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('TurnReads', () => {
  it('requests of one turn share one read that starts after all of them; a later one reads anew beside it, with what was written before it came', async () => {
    const reads = new TurnReads<number>();
    const s = storage();
    const first = reads.read('t', s.load);
    const second = reads.read('t', s.load);
    expect(s.reads).toHaveLength(0);
    await turnEnds();
    expect(s.reads).toHaveLength(1);
    // Written after the first read started, before the next request came: the next request sees it.
    s.state.value = 2;
    const later = reads.read('t', s.load);
    await turnEnds();
    expect(s.reads).toHaveLength(2);
    s.reads[1]!.answer();
    expect(await later).toBe(2);
    s.reads[0]!.answer();
    expect([await first, await second]).toEqual([1, 1]);
  });

  it('a failed read fails only the requests of its turn', async () => {
    const reads = new TurnReads<number>();
    const s = storage();
    const failing = reads.read('t', s.load);
    await turnEnds();
    const next = reads.read('t', s.load);
    await turnEnds();
    s.reads[0]!.fail(new Error('storage down'));
    s.reads[1]!.answer();
    await expect(failing).rejects.toThrow('storage down');
    expect(await next).toBe(1);
  });
});
