import type { ReactNode } from 'react';
import { Button, Card, Skeleton, SkeletonItem, Spinner, Text } from '@fluentui/react-components';
import { ArrowDownloadRegular, HistoryRegular, WalletCreditCardRegular } from '@fluentui/react-icons';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatDay } from '../../ui/format.js';
import { HistoryFilters } from './HistoryFilters.js';
import { useHistoryPageStyles } from './HistoryPage.styles.js';
import { HistoryTable } from './HistoryTable.js';
import type { HistoryPageState } from './useHistoryPage.js';
import { useHistoryPage } from './useHistoryPage.js';

/** The person's own entries: usage, allotments and corrections, with filters and a CSV export. */
export function HistoryPage() {
  const state = useHistoryPage();
  const styles = useHistoryPageStyles();
  const { rows, shown } = state;

  let body: ReactNode;
  if (state.loading) body = <HistorySkeleton />;
  else if (state.error) body = <ApiErrorBar error={state.error} title="Your history could not be loaded" onRetry={state.reload} />;
  else if (rows.length === 0) body = <NothingYet state={state} />;
  else {
    body = (
      <>
        <HistoryFilters state={state} />
        {shown.length === 0 ? (
          <Card className={styles.empty}>
            <Text weight="semibold">No entries match these filters{state.hasMore ? ' among those loaded' : ''}.</Text>
            <Button onClick={state.clearFilters}>Clear filters</Button>
          </Card>
        ) : (
          <HistoryTable rows={shown} />
        )}
        {state.moreError ? <ApiErrorBar error={state.moreError} title="Older entries could not be loaded" onRetry={state.loadMore} /> : null}
        <HistoryFooter state={state} />
      </>
    );
  }

  return (
    <div className={styles.stack}>
      <div className={styles.heading}>
        <HistoryRegular fontSize={24} aria-hidden />
        <Text as="h1" size={500} weight="semibold" className={styles.title}>
          Your history
        </Text>
        <Button icon={<ArrowDownloadRegular />} disabled={shown.length === 0} onClick={state.exportCsv}>
          Export CSV
        </Button>
      </div>
      {body}
    </div>
  );
}

function HistorySkeleton() {
  const styles = useHistoryPageStyles();
  return (
    <Skeleton aria-label="Loading your history" className={styles.skeleton}>
      <SkeletonItem size={32} />
      <SkeletonItem size={24} />
      <SkeletonItem size={24} />
      <SkeletonItem size={24} />
      <SkeletonItem size={24} />
    </Skeleton>
  );
}

function NothingYet({ state }: { state: HistoryPageState }) {
  const styles = useHistoryPageStyles();
  return (
    <Card className={styles.empty}>
      <Text weight="semibold">Nothing yet: log usage from My credits.</Text>
      <Text>Every time you use {state.unit}, and when your allotment arrives, it shows up here.</Text>
      <Button appearance="primary" icon={<WalletCreditCardRegular />} onClick={state.goToMyCredits}>
        Go to My credits
      </Button>
    </Card>
  );
}

/** How many entries show, in which order, which days may still gain entries, and the button for older ones. */
function HistoryFooter({ state }: { state: HistoryPageState }) {
  const styles = useHistoryPageStyles();
  const { rows, shown, growsThrough } = state;
  return (
    <div className={styles.footer}>
      <Text>
        {state.filtered ? `${shown.length} of ${rows.length} loaded entries shown` : `${rows.length} entries`}
        {growsThrough
          ? `, by the day the credits were used; entries used on or before ${formatDay(growsThrough)} may not all be loaded yet (filters and export cover loaded entries).`
          : ', by the day the credits were used, then by when they were recorded.'}
      </Text>
      {state.hasMore ? (
        <Button onClick={state.loadMore} disabled={state.loadingMore} icon={state.loadingMore ? <Spinner size="tiny" /> : undefined}>
          {state.loadingMore ? 'Loading…' : 'Load more'}
        </Button>
      ) : null}
    </div>
  );
}
