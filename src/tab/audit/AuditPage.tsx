import {
  Body1,
  Button,
  Caption1,
  Skeleton,
  SkeletonItem,
  Subtitle1,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatDateTime } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { usePaged } from '../../ui/usePaged.js';
import { isIt, useApp } from '../app-context.js';
import { describeChange } from './audit-words.js';
import { LedgerCheckCard } from './LedgerCheckCard.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  changes: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  intro: { color: tokens.colorNeutralForeground3 },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

/** Who changed what, newest first: every committed change, written with the change itself; IT also runs the ledger check here. */
export function AuditPage() {
  const styles = useStyles();
  const table = useResponsiveTableStyles();
  const { api, me } = useApp();
  const trail = usePaged((cursor, signal) => api('auditTrail', { query: { limit: 50, ...(cursor ? { cursor } : {}) }, signal }), [api]);

  return (
    <section className={styles.root} aria-label="Audit trail">
      <Subtitle1 as="h1">Audit trail</Subtitle1>
      <Body1 className={styles.intro}>Every change to the ledger, who made it and when, newest first. Entries cannot be edited or removed.</Body1>
      {isIt(me) ? <LedgerCheckCard /> : null}
      {trail.error ? <ApiErrorBar error={trail.error} title="The audit trail could not be loaded" onRetry={trail.retry} /> : null}
      {trail.loading ? (
        <Skeleton aria-label="Loading the audit trail" className={styles.skeleton}>
          <SkeletonItem size={32} />
          <SkeletonItem size={32} />
          <SkeletonItem size={32} />
        </Skeleton>
      ) : trail.items.length === 0 && !trail.error ? (
        <Body1>No changes yet.</Body1>
      ) : (
        <Table className={table.table} aria-label="Changes, newest first" size="small">
          <TableHeader className={table.header}>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Who</TableHeaderCell>
              <TableHeaderCell>What changed</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody className={table.body}>
            {trail.items.map((entry) => (
              <TableRow key={entry.id} className={table.row}>
                <TableCell className={table.cell} data-label="When">
                  {formatDateTime(entry.at)}
                </TableCell>
                <TableCell className={table.cell} data-label="Who">
                  {entry.actor.name}
                </TableCell>
                <TableCell className={mergeClasses(table.cell, table.full)} data-label="What changed">
                  <ul className={styles.changes}>
                    {entry.changes.map((change, i) => (
                      <li key={i}>
                        <Caption1>{describeChange(change)}</Caption1>
                      </li>
                    ))}
                  </ul>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {trail.hasMore && (
        <Button onClick={trail.loadMore} disabled={trail.loadingMore}>
          {trail.loadingMore ? 'Loading…' : 'Show older changes'}
        </Button>
      )}
    </section>
  );
}
