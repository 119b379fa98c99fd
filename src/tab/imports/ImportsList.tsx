import {
  Badge,
  Button,
  Caption1,
  Link,
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
import type { ImportView } from '../../contract/imports.js';
import { formatCredits, formatDateTime } from '../../ui/format.js';
import { NARROW, useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { FORMAT_LABEL, STATE_COLOR, STATE_LABEL, formatBytes } from './import-words.js';

export type ImportSummaryItem = Pick<ImportView, 'id' | 'kind' | 'fileName' | 'sizeBytes' | 'uploadedAt' | 'uploadedBy' | 'state' | 'format' | 'rows' | 'amount' | 'progress' | 'result'>;

export const summaryOf = (view: ImportView): ImportSummaryItem => ({
  id: view.id,
  kind: view.kind,
  fileName: view.fileName,
  sizeBytes: view.sizeBytes,
  uploadedAt: view.uploadedAt,
  uploadedBy: view.uploadedBy,
  state: view.state,
  format: view.format,
  rows: view.rows,
  amount: view.amount,
  progress: view.progress,
  result: view.result,
});

const useStyles = makeStyles({
  file: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', minWidth: 0, overflowWrap: 'anywhere', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS },
  link: { textAlign: 'start', overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  stateCol: { width: '172px' },
  badge: { whiteSpace: 'nowrap' },
  // A bar at the start, not a background: links keep their contrast in every theme.
  selected: { boxShadow: `inset ${tokens.strokeWidthThickest} 0 0 ${tokens.colorCompoundBrandStroke}`, [NARROW]: { paddingLeft: tokens.spacingHorizontalM } },
  tableWrap: { backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
});

function stateText(item: ImportSummaryItem): string {
  if (item.state === 'committing' && item.progress && item.progress.rowsTotal > 0) return `${STATE_LABEL.committing} ${Math.floor((item.progress.rowsDone / item.progress.rowsTotal) * 100)}%`;
  return STATE_LABEL[item.state];
}

/** Imports so far, newest first: choosing one opens it (a posting one shows its progress). */
export function ImportsList(props: { items: ImportSummaryItem[]; openId: string | undefined; unit: string; onOpen: (id: string) => void; hasMore: boolean; loadingMore: boolean; onMore: () => void }) {
  const styles = useStyles();
  const t = useResponsiveTableStyles();
  return (
    <div className={styles.tableWrap}>
      <Table className={t.table} size="small" aria-label="Past imports, newest first">
        <TableHeader className={t.header}>
          <TableRow>
            <TableHeaderCell>File</TableHeaderCell>
            <TableHeaderCell className={styles.stateCol}>State</TableHeaderCell>
            <TableHeaderCell>Rows</TableHeaderCell>
            <TableHeaderCell>Uploaded</TableHeaderCell>
            <TableHeaderCell>By</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody className={t.body}>
          {props.items.map((item) => (
            <TableRow key={item.id} className={mergeClasses(t.row, item.id === props.openId && styles.selected)}>
              <TableCell className={mergeClasses(t.cell, t.full)} data-label="File">
                <span className={styles.file}>
                  <Link as="button" className={styles.link} onClick={() => props.onOpen(item.id)} aria-current={item.id === props.openId ? 'true' : undefined}>
                    {item.fileName}
                  </Link>
                  <Caption1 className={styles.muted}>
                    {[item.format ? FORMAT_LABEL[item.format] : null, formatBytes(item.sizeBytes)].filter(Boolean).join(' · ')}
                  </Caption1>
                </span>
              </TableCell>
              <TableCell className={t.cell} data-label="State">
                <Badge appearance="tint" color={STATE_COLOR[item.state]} className={styles.badge}>
                  {stateText(item)}
                </Badge>
              </TableCell>
              <TableCell className={mergeClasses(t.cell, t.labelled)} data-label="Rows">
                {item.rows.total.toLocaleString()} · {formatCredits(item.amount)} {props.unit}
              </TableCell>
              <TableCell className={t.cell} data-label="Uploaded">
                {formatDateTime(item.uploadedAt)}
              </TableCell>
              <TableCell className={mergeClasses(t.cell, t.labelled)} data-label="By">
                {item.uploadedBy}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {props.hasMore ? (
        <Button appearance="subtle" onClick={props.onMore} disabled={props.loadingMore}>
          {props.loadingMore ? 'Loading…' : 'Show older imports'}
        </Button>
      ) : null}
    </div>
  );
}
