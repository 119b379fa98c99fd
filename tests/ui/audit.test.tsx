// @vitest-environment jsdom
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../src/contract/schemas.js';
import AuditPage from '../../src/tab/audit/index.js';
import { IT_ME, MANAGER_ME, fakeApi, renderWithApp } from './render.js';


const entry = (id: string, actor: string, changes: AuditEntryView['changes']): AuditEntryView => ({ id, at: '2026-11-20T09:30:00.000Z', actor: { id: `id-${actor}`, name: actor }, changes });

describe('Audit page', () => {
  it('lists who changed what in words, and loads older changes on demand', async () => {
    const { api, calls } = fakeApi({
      auditTrail: (input) =>
        input.query?.cursor
          ? { items: [entry('a3', 'Taylor Systems', [{ kind: 'settings' }])], nextCursor: null }
          : {
              items: [
                entry('a1', 'Avery Chen', [{ kind: 'transfer', transferId: 't1', code: 'usage_pool', credits: 12.5, memberId: 'm1', memberName: 'Avery Chen', reverses: null }]),
                entry('a2', 'Riley Account', [
                  { kind: 'member', memberId: 'm2', name: 'Uma Newhire', registrationState: 'account_created', what: 'registration' },
                  { kind: 'member', memberId: 'm3', name: 'Victor Lee', registrationState: 'registered', what: 'details' },
                  { kind: 'purchase', purchaseId: 'p1', blocks: 2, state: 'quote_received' },
                ]),
              ],
              nextCursor: 'next',
            },
    });
    renderWithApp(<AuditPage />, { api, me: MANAGER_ME });

    const table = await screen.findByRole('table', { name: 'Changes, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('12.5 credits drawn from the pool · Avery Chen');
    expect(rows[1]!.textContent).toContain('Riley Account');
    expect(rows[1]!.textContent).toContain('Uma Newhire: account created');
    expect(rows[1]!.textContent).toContain('Victor Lee: details updated');
    expect(rows[1]!.textContent).toContain('Purchase of 2 blocks: quote received');

    await userEvent.click(screen.getByRole('button', { name: 'Show older changes' }));
    await screen.findByText('Settings changed');
    expect(calls.filter((c) => c.name === 'auditTrail').map((c) => (c.input as { query?: { cursor?: string } }).query?.cursor)).toEqual([undefined, 'next']);
    expect(screen.queryByRole('button', { name: 'Show older changes' })).toBeNull();
  });
});

describe('Ledger check (IT)', () => {
  const noChanges = () => ({ items: [], nextCursor: null });

  it('IT runs the check from the Audit page and reads that the ledger adds up, or what does not', async () => {
    const user = userEvent.setup();
    let answers = 0;
    const { api, calls } = fakeApi({
      auditTrail: noChanges,
      ledgerCheck: () =>
        answers++ === 0
          ? { ok: true, violations: [] }
          : { ok: false, violations: [{ rule: 'own_credits_first', message: 'Member m1 drew on the pool in p1 with 100 own units free and 0 held.' }] },
    });
    renderWithApp(<AuditPage />, { api, me: IT_ME });
    const card = await screen.findByRole('group', { name: 'Ledger check' });
    expect(calls.filter((c) => c.name === 'ledgerCheck')).toHaveLength(0);
    await user.click(within(card).getByRole('button', { name: 'Check the ledger' }));
    expect((await within(card).findByText('The ledger adds up')).textContent).toBe('The ledger adds up');
    await user.click(within(card).getByRole('button', { name: 'Check again' }));
    const problems = await within(card).findByRole('list', { name: 'Problems found' });
    expect(problems.textContent).toContain('Member m1 drew on the pool in p1 with 100 own units free and 0 held.');
    expect(problems.textContent).not.toContain('own_credits_first');
    within(card).getByText(/One problem found/);
    expect(calls.filter((c) => c.name === 'ledgerCheck')).toHaveLength(2);
  });

  it('is not offered to account managers (the check is IT’s)', async () => {
    const { api } = fakeApi({ auditTrail: noChanges });
    renderWithApp(<AuditPage />, { api, me: MANAGER_ME });
    await screen.findByText('No changes yet.');
    expect(screen.queryByRole('button', { name: 'Check the ledger' })).toBeNull();
  });
});
