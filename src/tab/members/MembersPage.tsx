import { Button, Link, Skeleton, SkeletonItem, Text } from '@fluentui/react-components';
import { AddRegular, PeopleRegular } from '@fluentui/react-icons';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { LogUsageDialog } from '../my-credits/LogUsageDialog.js';
import { MemberFilters } from './MemberFilters.js';
import { MemberHistory } from './MemberHistory.js';
import { useMembersPageStyles } from './MembersPage.styles.js';
import { MembersTable } from './MembersTable.js';
import type { MembersPageState } from './useMembersPage.js';
import { useMembersPage } from './useMembersPage.js';

/** Everyone known to Credit Desk, with state and balances; pick someone to see and correct their history. */
export function MembersPage() {
  const state = useMembersPage();
  const styles = useMembersPageStyles();
  const { members, selected } = state;

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

      <MemberFilters state={state} />

      {selected && state.mayRecord ? (
        <div>
          <Button icon={<AddRegular />} onClick={state.startRecording}>
            Record usage for {selected.member.displayName}
          </Button>
        </div>
      ) : null}
      {selected && state.recording ? (
        <LogUsageDialog forMember={selected.member} openHolds={state.selectedHolds} onLogged={state.markRecorded} onClose={state.closeRecording} />
      ) : null}

      {selected ? (
        <MemberHistory
          key={`${selected.member.id}|${state.historyVersion}`}
          record={selected}
          onClose={() => state.select(undefined)}
          onReversed={(reversal) => state.applyReversal(selected.member.id, reversal)}
        />
      ) : null}

      {members.error ? <ApiErrorBar error={members.error} title="Members did not load" onRetry={members.retry} /> : null}
      <MemberList state={state} />
      {members.hasMore && !members.loading ? (
        <Button onClick={members.loadMore} disabled={members.loadingMore}>
          {members.loadingMore ? 'Loading…' : 'Load more people'}
        </Button>
      ) : null}
    </div>
  );
}

/** The list as far as it has loaded: a skeleton, nobody yet, nobody matching, or the table. */
function MemberList({ state }: { state: MembersPageState }) {
  const styles = useMembersPageStyles();
  const { members, shown } = state;
  if (members.loading) {
    return (
      <Skeleton aria-label="Loading members" className={styles.skeleton}>
        <SkeletonItem size={40} />
        <SkeletonItem size={40} />
        <SkeletonItem size={40} />
      </Skeleton>
    );
  }
  if (members.items.length === 0) {
    return members.error ? null : (
      <div className={styles.empty}>
        <PeopleRegular fontSize={32} aria-hidden />
        <Text>
          Nobody yet. People appear here once they open Credit Desk or someone raises an account request for them.{' '}
          <Link onClick={state.goToRegistrations}>Raise a request</Link>
        </Text>
      </div>
    );
  }
  return (
    <>
      <Text aria-live="polite">
        {state.filtering ? `${shown.length} of ${members.items.length} loaded match.` : `${members.items.length} loaded.`}
        {members.hasMore ? ' Load more to search further.' : ''}
      </Text>
      {shown.length === 0 ? (
        <div className={styles.empty}>
          <Text>Nobody matches. Check the spelling, clear a filter{members.hasMore ? ', or load more people' : ''}.</Text>
        </div>
      ) : (
        <MembersTable members={shown} selectedId={state.selectedId} onSelect={state.select} />
      )}
    </>
  );
}
