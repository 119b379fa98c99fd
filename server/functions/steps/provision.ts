import type { Caller } from '../../app/caller.js';

/**
 * A person's first call makes their member row (the `provision` use case). Members whose row is known to
 * exist are remembered, so the check costs one read per person and process, not per call (member rows
 * are never deleted: this cannot go stale).
 */
export function provisioner(provision: (caller: Caller) => Promise<void>): (caller: Caller | undefined) => Promise<void> {
  const known = new Set<string>();
  return async (caller) => {
    if (!caller || known.has(`${caller.tenant}|${caller.id}`)) return;
    await provision(caller);
    if (known.size > 100_000) known.clear();
    known.add(`${caller.tenant}|${caller.id}`);
  };
}
