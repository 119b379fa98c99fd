import { Table, TableBody, TableCell, TableCellLayout, TableHeader, TableHeaderCell, TableRow, mergeClasses } from '@fluentui/react-components';
import { formatCredits, formatDateTime, formatDay } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { useHistoryPageStyles } from './HistoryPage.styles.js';
import type { HistoryRow } from './rows.js';

/** The signed amount: + to the person, − from them, pool movements muted and said as such. */
function Amount({ row }: { row: HistoryRow }) {
  const styles = useHistoryPageStyles();
  const size = formatCredits(Math.abs(row.amount));
  if (row.side === 'other') return <TableCellLayout>{size}</TableCellLayout>;
  const sign = row.amount < 0 ? '−' : '+';
  const description = row.side === 'pool' ? (row.amount < 0 ? 'from the pool' : 'returned to the pool') : undefined;
  return (
    <TableCellLayout description={description}>
      <span className={mergeClasses(row.amount < 0 ? styles.minus : styles.plus, row.side === 'pool' && styles.pool)}>
        {sign}
        {size}
      </span>
    </TableCellLayout>
  );
}

/** The entries shown, one row each; on a narrow screen each row is a block of labelled values. */
export function HistoryTable({ rows }: { rows: HistoryRow[] }) {
  const styles = useHistoryPageStyles();
  const rt = useResponsiveTableStyles();
  const labelled = (blank: boolean) => mergeClasses(rt.cell, rt.labelled, blank && styles.blankWhenStacked);
  return (
    // Focusable, so the table can be scrolled sideways from the keyboard on a narrow screen.
    <div className={styles.scroller} role="region" aria-label="History table" tabIndex={0}>
      <Table aria-label="Your history" size="small" className={mergeClasses(styles.table, rt.table)}>
        <TableHeader className={rt.header}>
          <TableRow>
            <TableHeaderCell className={styles.dateCol}>Used on</TableHeaderCell>
            <TableHeaderCell>Entry</TableHeaderCell>
            <TableHeaderCell className={styles.amountCol}>Amount</TableHeaderCell>
            <TableHeaderCell>Service</TableHeaderCell>
            <TableHeaderCell>Project</TableHeaderCell>
            <TableHeaderCell>Note</TableHeaderCell>
            <TableHeaderCell className={styles.recordedCol}>Recorded</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody className={rt.body}>
          {rows.map((row) => (
            <TableRow key={row.id} className={rt.row}>
              <TableCell className={labelled(false)} data-label="Used on">
                {row.usedOn ? formatDay(row.usedOn) : <span className={styles.muted}>—</span>}
              </TableCell>
              <TableCell className={mergeClasses(rt.cell, rt.full)}>
                <TableCellLayout description={row.reverses ? 'undoes an earlier entry' : row.imported ? "from Autodesk's usage export" : undefined}>{row.label}</TableCellLayout>
              </TableCell>
              <TableCell className={rt.cell}>
                <Amount row={row} />
              </TableCell>
              <TableCell className={labelled(!row.serviceName)} data-label="Service">
                {row.serviceName ?? ''}
              </TableCell>
              <TableCell className={labelled(!row.project)} data-label="Project">
                {row.project ?? ''}
              </TableCell>
              <TableCell className={labelled(!row.note)} data-label="Note">
                {row.note ?? ''}
              </TableCell>
              <TableCell className={labelled(false)} data-label="Recorded">
                {formatDateTime(row.at)}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
