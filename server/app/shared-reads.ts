/**
 * Concurrent reads of one key share one read, but never a read that began before they arrived: what was
 * written before a request came in (the person's own change, acknowledged a moment ago, on any instance)
 * is in its answer. While a read of a key runs, the requests arriving meanwhile wait for it to end and
 * then share the next read, which starts at once; so a key has at most one read running and one waiting,
 * however many ask. A failed read fails only the requests that shared it.
 */
export class SharedReads<V> {
  private readonly running = new Map<string, Promise<V>>();
  private readonly waiting = new Map<string, Promise<V>>();

  read(key: string, load: () => Promise<V>): Promise<V> {
    const waiting = this.waiting.get(key);
    if (waiting) return waiting;
    const running = this.running.get(key);
    if (!running) return this.start(key, load);
    const next = running.then(settled, settled).then(() => {
      this.waiting.delete(key);
      return this.start(key, load);
    });
    this.waiting.set(key, next);
    return next;
  }

  private start(key: string, load: () => Promise<V>): Promise<V> {
    const read = Promise.resolve().then(load);
    this.running.set(key, read);
    const done = () => {
      if (this.running.get(key) === read) this.running.delete(key);
    };
    read.then(done, done);
    return read;
  }
}

const settled = () => undefined;

/**
 * Reads of one key asked for in one turn of the event loop share one read, started when that turn's work
 * is done (so after each of them arrived); a read asked for later starts its own at once, beside any still
 * running. For a read as cheap as a point read: no request waits for another's read to finish.
 */
export class TurnReads<V> {
  private readonly next = new Map<string, Promise<V>>();

  read(key: string, load: () => Promise<V>): Promise<V> {
    let read = this.next.get(key);
    if (!read) {
      read = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.next.delete(key);
        return load();
      });
      this.next.set(key, read);
    }
    return read;
  }
}
