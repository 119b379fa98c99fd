import {
  Badge,
  Button,
  Card,
  MessageBar,
  MessageBarBody,
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
import { DismissRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import type { MemberRecord, TransferView } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { RegistrationStateBadge } from '../../ui/RegistrationStateBadge.js';
import { formatCredits, formatDateTime, formatDay } from '../../ui/format.js';
import { byUsageDay, mayGrowThrough } from '../../ui/history-order.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { isImported, transferNote } from '../../ui/transfer-words.js';
import { usePaged } from '../../ui/usePaged.js';
import { useApp } from '../app-context.js';
import { ReversalDialog } from './ReversalDialog.js';
import { TRANSFER_LABEL, ownChange, reversible } from './members.js';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  header: { display: 'flex', alignItems: 'flex-start', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  heading: { margin: 0, overflowWrap: 'anywhere' },
  facts: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
  tableWrap: { overflowX: 'auto' },
  amountIn: { color: tokens.colorPaletteGreenForeground1, whiteSpace: 'nowrap' },
  amountOut: { whiteSpace: 'nowrap' },
  details: { overflowWrap: 'anywhere' },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

/** One member's transfers by the day the credits were used, with a reversal for each entry that can take one. */
export function MemberHistory(props: { record: MemberRecord; onClose: () => void; onReversed: (reversal: TransferView) => void }) {
  const styles = useStyles();
  const rt = useResponsiveTableStyles();
  const { api, settings } = useApp();
  const { member, registration, credits } = props.record;
  const history = usePaged((cursor, signal) => api('listUsage', { query: { memberId: member.id, limit: 50, ...(cursor ? { cursor } : {}) }, signal }), [api, member.id]);
  const [reversing, setReversing] = useState<TransferView>();
  const [reversed, setReversed] = useState<TransferView>();
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Selecting someone moves focus here, so keyboard and screen-reader users land on what they asked for.
  useEffect(() => {
    headingRef.current?.focus();
    setReversed(undefined);
  }, [member.id]);

  const entries = byUsageDay(history.items);
  const growsThrough = mayGrowThrough(history.items, history.hasMore);
  const serviceName = (slug: string | null) => (slug ? (settings.services.find((s) => s.slug === slug)?.name ?? slug) : '');

  function amount(t: TransferView) {
    const change = ownChange(t, member.id);
    if (change > 0) return <span className={styles.amountIn}>+{formatCredits(change)}</span>;
    if (change < 0) return <span className={styles.amountOut}>−{formatCredits(-change)}</span>;
    return (
      <span className={styles.amountOut}>
        {formatCredits(t.credits)} <Text size={200} className={styles.muted}>(pool)</Text>
      </span>
    );
  }

  return (
    <Card className={styles.card}>
      <div className={styles.header}>
        <div>
          <h3 className={styles.heading} ref={headingRef} tabIndex={-1}>
            <Text size={400} weight="semibold">
              History of {member.displayName}
            </Text>
          </h3>
          <Text size={200} className={styles.muted}>
            {member.email}
            {member.office ? ` · ${member.office}` : ''}
          </Text>
        </div>
        <Button appearance="subtle" icon={<DismissRegular />} aria-label="Close history" onClick={props.onClose} />
      </div>
      <div className={styles.facts}>
        <RegistrationStateBadge state={registration.state} />
        <Text>
          Own: <strong>{formatCredits(credits.own)}</strong>
        </Text>
        <Text>
          Held: <strong>{formatCredits(credits.held)}</strong>
        </Text>
        {registration.state === 'left' && credits.own > 0 ? <Text>{formatCredits(credits.own)} stranded with their Autodesk account.</Text> : null}
      </div>

      {reversed ? (
        <MessageBar intent="success">
          <MessageBarBody>
            Reversed: a correcting entry of {formatCredits(reversed.credits)} credits was added.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {history.error ? <ApiErrorBar error={history.error} title="History did not load" onRetry={history.retry} /> : null}

      {history.loading ? (
        <Skeleton aria-label="Loading history" className={styles.skeleton}>
          <SkeletonItem size={32} />
          <SkeletonItem size={32} />
        </Skeleton>
      ) : history.items.length === 0 && !history.error ? (
        <Text className={styles.muted}>
          No entries yet. {registration.state === 'registered' ? 'Usage they log or that an import brings in shows up here.' : 'Their allotment arrives once they are registered.'}
        </Text>
      ) : history.items.length > 0 ? (
        <div className={styles.tableWrap}>
          <Table size="small" aria-label={`History of ${member.displayName}`} className={rt.table}>
            <TableHeader className={rt.header}>
              <TableRow>
                <TableHeaderCell>Used on</TableHeaderCell>
                <TableHeaderCell>What</TableHeaderCell>
                <TableHeaderCell>Credits</TableHeaderCell>
                <TableHeaderCell>Details</TableHeaderCell>
                <TableHeaderCell>Recorded</TableHeaderCell>
                <TableHeaderCell>
                  <span className={styles.muted}>Correct</span>
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody className={rt.body}>
              {entries.map((t) => (
                <TableRow key={t.id} className={rt.row}>
                  <TableCell className={rt.cell}>{t.date ? formatDay(t.date) : '—'}</TableCell>
                  <TableCell className={rt.cell}>{TRANSFER_LABEL[t.code]}</TableCell>
                  <TableCell className={rt.cell}>{amount(t)}</TableCell>
                  <TableCell className={mergeClasses(styles.details, rt.cell, rt.full)}>
                    {[serviceName(t.service), t.project, transferNote(t), isImported(t) ? "from Autodesk's usage export" : ''].filter(Boolean).join(' · ')}
                  </TableCell>
                  <TableCell className={rt.cell}>{formatDateTime(t.at)}</TableCell>
                  <TableCell className={rt.cell}>
                    {t.code === 'reversal' ? null : reversible(t, history.items) ? (
                      <Button size="small" onClick={() => setReversing(t)} aria-label={`Reverse ${TRANSFER_LABEL[t.code]} of ${formatCredits(t.credits)} on ${formatDay(t.date ?? t.at)}`}>
                        Reverse…
                      </Button>
                    ) : (
                      <Badge appearance="tint" color="subtle">
                        Reversed
                      </Badge>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
      {growsThrough && !history.loading ? (
        <Text size={200} className={styles.muted}>
          By the day the credits were used; entries used on or before {formatDay(growsThrough)} may not all be loaded yet.
        </Text>
      ) : null}
      {history.hasMore && !history.loading ? (
        <Button onClick={history.loadMore} disabled={history.loadingMore}>
          {history.loadingMore ? 'Loading…' : 'Older entries'}
        </Button>
      ) : null}

      {reversing ? (
        <ReversalDialog
          transfer={reversing}
          memberName={member.displayName}
          onClose={() => setReversing(undefined)}
          onDone={(reversal) => {
            setReversing(undefined);
            setReversed(reversal);
            history.update((items) => [reversal, ...items]);
            props.onReversed(reversal);
          }}
        />
      ) : null}
    </Card>
  );
}
