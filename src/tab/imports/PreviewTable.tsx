import {
  Badge,
  Caption1,
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
import type { ImportPreviewRow, ImportProblem } from '../../contract/imports.js';
import { formatCredits, formatDay } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { FIELD_LABEL, ROW_STATUS_COLOR, ROW_STATUS_LABEL, problemLabel } from './import-words.js';

/** A Teams pane or a tablet: the table still fits, with the fixed columns narrower. */
const MEDIUM = '@media (max-width: 900px)';

const useStyles = makeStyles({
  number: { textAlign: 'end', whiteSpace: 'nowrap' },
  nowrap: { whiteSpace: 'nowrap' },
  person: { display: 'flex', flexDirection: 'column', minWidth: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  message: { overflowWrap: 'break-word', minWidth: 0 },
  // Column widths (the table lays out fixed): short figures narrow, people and messages get the rest.
  lineCol: { width: '64px', [MEDIUM]: { width: '48px' } },
  dateCol: { width: '120px', [MEDIUM]: { width: '100px' } },
  amountCol: { width: '88px', [MEDIUM]: { width: '72px' } },
  resultCol: { width: '28%', [MEDIUM]: { width: 'auto' } },
  problemCol: { width: '30%' },
  // A header cell lays its label out in a flex button: align that, not the text.
  endAligned: { justifyContent: 'flex-end' },
});

/** The file's first rows as the importer read them, each with its result. */
export function PreviewTable({ rows, unit, opening = false }: { rows: ImportPreviewRow[]; unit: string; opening?: boolean }) {
  const styles = useStyles();
  const t = useResponsiveTableStyles();
  return (
    <Table className={t.table} size="small" aria-label="First rows of the file">
      <TableHeader className={t.header}>
        <TableRow>
          <TableHeaderCell className={styles.lineCol}>Line</TableHeaderCell>
          {opening ? null : <TableHeaderCell className={styles.dateCol}>Date</TableHeaderCell>}
          <TableHeaderCell>Person</TableHeaderCell>
          <TableHeaderCell>{opening ? 'Registration' : 'Service'}</TableHeaderCell>
          <TableHeaderCell className={mergeClasses(styles.amountCol, styles.number)} button={{ className: styles.endAligned }}>
            {opening ? 'Used' : unit === 'tokens' ? 'Tokens' : 'Credits'}
          </TableHeaderCell>
          <TableHeaderCell className={styles.resultCol}>Result</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody className={t.body}>
        {rows.map((row) => (
          <TableRow key={row.line} className={t.row} data-status={row.status}>
            <TableCell className={mergeClasses(t.cell, t.labelled, styles.nowrap)} data-label="Line">
              {row.line}
            </TableCell>
            {opening ? null : (
              <TableCell className={mergeClasses(t.cell, styles.nowrap)} data-label="Date">
                {row.date ? formatDay(row.date) : '—'}
              </TableCell>
            )}
            <TableCell className={mergeClasses(t.cell, t.full)} data-label="Person">
              <span className={styles.person}>
                <span>{row.personName ?? row.person ?? '—'}</span>
                {row.personName && row.person ? <Caption1 className={styles.muted}>{row.person}</Caption1> : null}
              </span>
            </TableCell>
            <TableCell className={mergeClasses(t.cell, styles.message)} data-label={opening ? 'Registration' : 'Service'}>
              {(opening ? row.registrationState?.replace(/_/g, ' ') : row.service) ?? '—'}
            </TableCell>
            <TableCell className={mergeClasses(t.cell, t.labelled, styles.number)} data-label={unit === 'tokens' ? 'Tokens' : 'Credits'}>
              {row.amount === null ? '—' : formatCredits(row.amount)}
            </TableCell>
            <TableCell className={mergeClasses(t.cell, t.full)} data-label="Result">
              <Badge appearance="tint" color={ROW_STATUS_COLOR[row.status]}>
                {ROW_STATUS_LABEL[row.status]}
              </Badge>
              {row.message ? <Text className={styles.message}> {row.message}</Text> : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Every problem found (the first ones; the report has them all): line, what kind, what is wrong. */
export function ProblemsTable({ problems }: { problems: ImportProblem[] }) {
  const styles = useStyles();
  const t = useResponsiveTableStyles();
  return (
    <Table className={t.table} size="small" aria-label="Problems found">
      <TableHeader className={t.header}>
        <TableRow>
          <TableHeaderCell className={styles.lineCol}>Line</TableHeaderCell>
          <TableHeaderCell className={styles.problemCol}>Problem</TableHeaderCell>
          <TableHeaderCell>What is wrong</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody className={t.body}>
        {problems.map((p, i) => (
          <TableRow key={`${p.line}-${p.code}-${i}`} className={t.row}>
            <TableCell className={mergeClasses(t.cell, t.labelled, styles.nowrap)} data-label="Line">
              {p.line}
            </TableCell>
            <TableCell className={t.cell} data-label="Problem">
              {problemLabel(p.code)}
              {p.field ? <Caption1 className={styles.muted}> ({FIELD_LABEL[p.field]})</Caption1> : null}
            </TableCell>
            <TableCell className={mergeClasses(t.cell, t.full, styles.message)} data-label="What is wrong">
              {p.message}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
