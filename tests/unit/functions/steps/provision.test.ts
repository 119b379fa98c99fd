import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../../server/app/caller.js';
import { provisioner } from '../../../../server/functions/steps/provision.js';

const person = (tenant: string, id: string): Caller => ({ tenant, id, email: `${id}@x.example`, displayName: id, roles: [] });

describe('provision step', () => {
  it('provisions each person once per process, per tenant, and nobody for anonymous calls', async () => {
    const provisioned: string[] = [];
    const provision = provisioner(async (c) => {
      provisioned.push(`${c.tenant}/${c.id}`);
    });
    await provision(person('t1', 'a'));
    await provision(person('t1', 'a'));
    await provision(person('t2', 'a'));
    await provision(undefined);
    expect(provisioned).toEqual(['t1/a', 't2/a']);
  });

  it('tries again on the next call when provisioning failed', async () => {
    let attempts = 0;
    const provision = provisioner(async () => {
      if (++attempts === 1) throw new Error('storage down');
    });
    await expect(provision(person('t1', 'a'))).rejects.toThrow('storage down');
    await provision(person('t1', 'a'));
    await provision(person('t1', 'a'));
    expect(attempts).toBe(2);
  });
});
