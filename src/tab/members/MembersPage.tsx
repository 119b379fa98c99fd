import {
  Button,
  Dropdown,
  Field,
  Link,
  Option,
  SearchBox,
  Skeleton,
  SkeletonItem,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, PeopleRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { RegistrationState } from '../../core/ledger/member.js';
import { REGISTRATION_STATES } from '../../core/ledger/member.js';
import type { TransferView } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { REGISTRATION_STATE_LABEL, RegistrationStateBadge } from '../../ui/RegistrationStateBadge.js';
import { formatCredits } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { useApi } from '../../ui/useApi.js';
import { usePaged } from '../../ui/usePaged.js';
import { isManager, useApp } from '../app-context.js';
import { LogUsageDialog } from '../my-credits/LogUsageDialog.js';
import { MemberHistory } from './MemberHistory.js';
import type { MemberFilter } from './members.js';
import { filterMembers, officesOf, ownChange } from './members.js';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  filters: { display: 'grid', gap: tokens.spacingHorizontalM, gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', alignItems: 'end' },
  dropdown: { minWidth: 0, width: '100%' },
  tableWrap: { overflowX: 'auto', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
  person: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, overflowWrap: 'anywhere' },
  number: { textAlign: 'end', whiteSpace: 'nowrap' },
  // A header cell lays its label out in a flex button: align that, not the text.
  endAligned: { justifyContent: 'flex-end' },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  empty: { padding: tokens.spacingVerticalXL, textAlign: 'center', display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalS },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

const ANY = '';

/** Everyone known to Credit Desk, with state and balances; pick someone to see and correct their history. */
export function MembersPage() {
  const styles = useStyles();
  const rt = useResponsiveTableStyles();
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
  const offices = officesOf(members.items);
  const shown = filterMembers(members.items, filter);
  const selected = members.items.find((r) => r.member.id === selectedId);
  const filtering = filter.search.trim() !== '' || filter.office !== ANY || filter.state !== ANY;

  function applyReversal(memberId: string, reversal: TransferView) {
    const change = ownChange(reversal, memberId);
    if (change !== 0) members.update((items) => items.map((r) => (r.member.id === memberId ? { ...r, credits: { ...r.credits, own: r.credits.own + change } } : r)));
  }

  return (
    <div className={styles.stack}>
      <div>
        <Text as="h2" size={500} weight="semibold" className={styles.heading}>
          Members
        </Text>
        <Text block className={styles.muted}>
          Everyone who has asked for an account or used credits. Choose a name to see their history and correct an entry.
        </Text>
      </div>

      <div className={styles.filters} role="search" aria-label="Find members">
        <Field label="Search by name or email">
          <SearchBox value={filter.search} onChange={(_e, data) => setFilter((f) => ({ ...f, search: data.value }))} />
        </Field>
        <Field label="Office">
          <Dropdown
            className={styles.dropdown}
            value={filter.office === ANY ? 'All offices' : filter.office}
            selectedOptions={[filter.office]}
            onOptionSelect={(_e, data) => setFilter((f) => ({ ...f, office: data.optionValue ?? ANY }))}
          >
            <Option value={ANY}>All offices</Option>
            {offices.map((o) => (
              <Option key={o} value={o}>
                {o}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Field label="State">
          <Dropdown
            className={styles.dropdown}
            value={filter.state === ANY ? 'Any state' : REGISTRATION_STATE_LABEL[filter.state]}
            selectedOptions={[filter.state]}
            onOptionSelect={(_e, data) => setFilter((f) => ({ ...f, state: (data.optionValue ?? ANY) as RegistrationState | '' }))}
          >
            <Option value={ANY}>Any state</Option>
            {REGISTRATION_STATES.map((s) => (
              <Option key={s} value={s}>
                {REGISTRATION_STATE_LABEL[s]}
              </Option>
            ))}
          </Dropdown>
        </Field>
      </div>

      {selected && isManager(me) && selected.registration.state === 'registered' ? (
        <div>
          <Button icon={<AddRegular />} onClick={() => setRecording(true)}>
            Record usage for {selected.member.displayName}
          </Button>
        </div>
      ) : null}
      {selected && recording ? (
        <LogUsageDialog
          forMember={selected.member}
          openHolds={selectedHolds.data?.items ?? []}
          onLogged={() => setRecorded(true)}
          onClose={() => {
            setRecording(false);
            // Read the balances and the history again once the dialog is closed (reloading unmounts it).
            if (recorded) {
              setRecorded(false);
              members.reload();
              setHistoryVersion((v) => v + 1);
            }
          }}
        />
      ) : null}

      {selected ? (
        <MemberHistory
          key={`${selected.member.id}|${historyVersion}`}
          record={selected}
          onClose={() => setSelectedId(undefined)}
          onReversed={(reversal) => applyReversal(selected.member.id, reversal)}
        />
      ) : null}

      {members.error ? <ApiErrorBar error={members.error} title="Members did not load" onRetry={members.retry} /> : null}

      {members.loading ? (
        <Skeleton aria-label="Loading members" className={styles.skeleton}>
          <SkeletonItem size={40} />
          <SkeletonItem size={40} />
          <SkeletonItem size={40} />
        </Skeleton>
      ) : members.items.length === 0 && !members.error ? (
        <div className={styles.empty}>
          <PeopleRegular fontSize={32} aria-hidden />
          <Text>
            Nobody yet. People appear here once they open Credit Desk or someone raises an account request for them.{' '}
            <Link onClick={() => navigate('registrations')}>Raise a request</Link>
          </Text>
        </div>
      ) : members.items.length > 0 ? (
        <>
          <Text aria-live="polite">
            {filtering ? `${shown.length} of ${members.items.length} loaded match.` : `${members.items.length} loaded.`}
            {members.hasMore ? ' Load more to search further.' : ''}
          </Text>
          {shown.length === 0 ? (
            <div className={styles.empty}>
              <Text>Nobody matches. Check the spelling, clear a filter{members.hasMore ? ', or load more people' : ''}.</Text>
            </div>
          ) : (
            <div className={styles.tableWrap}>
              <Table size="small" aria-label="Members" className={rt.table}>
                <TableHeader className={rt.header}>
                  <TableRow>
                    <TableHeaderCell>Person</TableHeaderCell>
                    <TableHeaderCell>Office</TableHeaderCell>
                    <TableHeaderCell>State</TableHeaderCell>
                    <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>Own</TableHeaderCell>
                    <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>Held</TableHeaderCell>
                    <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>From the pool</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody className={rt.body}>
                  {shown.map((r) => {
                    const isSelected = r.member.id === selectedId;
                    return (
                      <TableRow key={r.member.id} className={mergeClasses(rt.row, isSelected && styles.selected)}>
                        <TableCell className={mergeClasses(rt.cell, rt.full)}>
                          <div className={styles.person}>
                            <Link as="button" onClick={() => setSelectedId(r.member.id)} aria-current={isSelected ? 'true' : undefined}>
                              {r.member.displayName}
                            </Link>
                            <Text size={200}>{r.member.email}</Text>
                          </div>
                        </TableCell>
                        <TableCell className={rt.cell}>{r.member.office ?? '—'}</TableCell>
                        <TableCell className={rt.cell}>
                          <RegistrationStateBadge state={r.registration.state} />
                        </TableCell>
                        <TableCell className={mergeClasses(styles.number, rt.cell, rt.labelled)} data-label="Own">
                          {formatCredits(r.credits.own)}
                        </TableCell>
                        <TableCell className={mergeClasses(styles.number, rt.cell, rt.labelled)} data-label="Held">
                          {formatCredits(r.credits.held)}
                        </TableCell>
                        <TableCell className={mergeClasses(styles.number, rt.cell, rt.labelled)} data-label="From the pool">
                          {formatCredits(r.credits.poolDrawn)}
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
            </div>
          )}
        </>
      ) : null}

      {members.hasMore && !members.loading ? (
        <Button onClick={members.loadMore} disabled={members.loadingMore}>
          {members.loadingMore ? 'Loading…' : 'Load more people'}
        </Button>
      ) : null}
    </div>
  );
}
