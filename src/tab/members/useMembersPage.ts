import { useState } from 'react';
import type { TransferView } from '../../contract/schemas.js';
import { useApi } from '../../ui/useApi.js';
import { usePaged } from '../../ui/usePaged.js';
import { isManager, useApp } from '../app-context.js';
import type { MemberFilter } from './members.js';
import { filterMembers, officesOf, ownChange } from './members.js';

/** The filters' "any" value: every office, every state. */
export const ANY = '';

/** The members page's state: the paged list, its filters, the chosen person and recording usage for them. */
export function useMembersPage() {
  const { api, navigate, me } = useApp();
  const members = usePaged((cursor, signal) => api('listMembers', { query: { limit: 100, ...(cursor ? { cursor } : {}) }, signal }), [api]);
  const [filter, setFilter] = useState<MemberFilter>({ search: '', office: ANY, state: ANY });
  const [selectedId, setSelectedId] = useState<string>();
  const [recording, setRecording] = useState(false);
  const [recorded, setRecorded] = useState(false);
  // Bumped after usage is recorded for the selected person, so their history is read again.
  const [historyVersion, setHistoryVersion] = useState(0);

  // The chosen person's open holds, read when recording usage for them: the dialog says which one it settles.
  const holdsOf = recording ? selectedId : undefined;
  const selectedHolds = useApi(
    (signal) => (holdsOf ? api('listHolds', { query: { memberId: holdsOf, state: 'held', limit: 50 }, signal }) : Promise.resolve({ items: [], nextCursor: null })),
    [api, holdsOf],
  );
  const selected = members.items.find((r) => r.member.id === selectedId);

  function applyReversal(memberId: string, reversal: TransferView) {
    const change = ownChange(reversal, memberId);
    if (change !== 0) members.update((items) => items.map((r) => (r.member.id === memberId ? { ...r, credits: { ...r.credits, own: r.credits.own + change } } : r)));
  }

  function closeRecording() {
    setRecording(false);
    // Read the balances and the history again once the dialog is closed (reloading unmounts it).
    if (recorded) {
      setRecorded(false);
      members.reload();
      setHistoryVersion((v) => v + 1);
    }
  }

  return {
    members,
    filter,
    changeFilter: (change: Partial<MemberFilter>) => setFilter((f) => ({ ...f, ...change })),
    filtering: filter.search.trim() !== '' || filter.office !== ANY || filter.state !== ANY,
    offices: officesOf(members.items),
    shown: filterMembers(members.items, filter),
    selectedId,
    select: setSelectedId,
    selected,
    // The API takes usage for someone from account managers only, and only for a registered person.
    mayRecord: selected !== undefined && isManager(me) && selected.registration.state === 'registered',
    recording,
    startRecording: () => setRecording(true),
    markRecorded: () => setRecorded(true),
    closeRecording,
    selectedHolds: selectedHolds.data?.items ?? [],
    historyVersion,
    applyReversal,
    goToRegistrations: () => navigate('registrations'),
  };
}

export type MembersPageState = ReturnType<typeof useMembersPage>;
