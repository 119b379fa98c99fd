import { Card, CardHeader, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, mergeClasses } from '@fluentui/react-components';
import { formatCredits, formatDateTime, formatRelative } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { usePoolPageStyles } from './PoolPage.styles.js';
import type { Pool, PoolPageState } from './usePoolPage.js';

/** Who drew on the pool, newest first (names for account managers and IT; the API leaves them out for others). */
export function RecentDraws({ draws, state }: { draws: Pool['recentDraws']; state: PoolPageState }) {
  const styles = usePoolPageStyles();
  const rt = useResponsiveTableStyles();
  const { word: unit, label: unitLabel } = state.words;
  return (
    <Card className={styles.section}>
      <CardHeader header={<Text weight="semibold">Recent draws</Text>} description={`Who used pool ${unit}, newest first.`} />
      {draws.length === 0 ? (
        <Text className={styles.muted}>Nobody has drawn on the pool yet. Draws appear here once someone who has used up their own {unit} logs usage.</Text>
      ) : (
        <div className={styles.tableWrap} tabIndex={0} role="region" aria-label="Recent draws, scrollable">
          <Table size="small" aria-label="Recent draws" className={rt.table}>
            <TableHeader className={rt.header}>
              <TableRow>
                <TableHeaderCell>When</TableHeaderCell>
                <TableHeaderCell>Who</TableHeaderCell>
                <TableHeaderCell>Service</TableHeaderCell>
                <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>{unitLabel}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {draws.map((d, i) => (
                <TableRow key={`${d.at}-${d.memberId ?? ''}-${i}`} className={rt.row}>
                  <TableCell className={mergeClasses(rt.cell, rt.full)}>
                    <span title={formatDateTime(d.at)}>{formatRelative(d.at)}</span>
                  </TableCell>
                  <TableCell className={mergeClasses(styles.wrap, rt.cell, rt.grow)}>
                    {d.memberName ?? (d.count > 1 ? `${d.count} draws` : 'Someone')}
                    {d.office ? (
                      <Text block size={200} className={styles.muted}>
                        {d.office}
                      </Text>
                    ) : null}
                  </TableCell>
                  <TableCell className={rt.cell}>{state.serviceName(d.service)}</TableCell>
                  <TableCell className={mergeClasses(styles.number, rt.cell)}>{formatCredits(d.credits)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
    </Card>
  );
}
