import {
  Body1,
  Button,
  Dropdown,
  Field,
  Input,
  Option,
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
import { ArrowDownloadRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ChargebackResponse } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { downloadCsv } from '../../ui/csv.js';
import { formatCredits, localToday, unitWords } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { useApi } from '../../ui/useApi.js';
import { useApp } from '../app-context.js';
import { ChargebackChart } from './ChargebackChart.js';
import { chargebackCsv } from './report-csv.js';
import type { GroupBy } from './report-words.js';
import { GROUP_BY_LABEL, GROUP_BY_OPTIONS, formatMoney } from './report-words.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  intro: { color: tokens.colorNeutralForeground3 },
  controls: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  dropdown: { minWidth: '160px' },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
  number: { textAlign: 'end' },
  totals: { fontWeight: tokens.fontWeightSemibold },
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The current month so far, in the person's own calendar. */
function thisMonth(): { from: string; to: string } {
  const to = localToday();
  return { from: `${to.slice(0, 8)}01`, to };
}

function money(costs: ChargebackResponse['totals']['poolCost']): string {
  return costs.length === 0 ? '—' : costs.map((c) => formatMoney(c.amount, c.currency)).join(', ');
}

/** Chargeback: usage and pool draws in a date range by office, department, project, service or person. */
export function ReportsPage() {
  const styles = useStyles();
  const table = useResponsiveTableStyles();
  const { api, settings } = useApp();
  const unit = unitWords(settings).word;
  // What is typed into the date fields; the report follows once a field holds a whole day.
  const [draft, setDraft] = useState(thisMonth);
  const [range, setRange] = useState(draft);
  const [groupBy, setGroupBy] = useState<GroupBy>('office');
  const report = useApi((signal) => api('chargebackReport', { query: { ...range, groupBy }, signal }), [api, range.from, range.to, groupBy]);

  const setDay = (field: 'from' | 'to', value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    if (DAY.test(value)) setRange((r) => ({ ...r, [field]: value }));
  };
  const data = report.data;
  const exportCsv = () => {
    if (data) downloadCsv(`chargeback-${data.groupBy}-${data.from}-to-${data.to}.csv`, chargebackCsv(data, unit));
  };
  const figures = (f: ChargebackResponse['totals']) => (
    <>
      <TableCell className={mergeClasses(table.cell, table.labelled, styles.number)} data-label={`Own ${unit}`}>
        {formatCredits(f.own)}
      </TableCell>
      <TableCell className={mergeClasses(table.cell, table.labelled, styles.number)} data-label={`Pool ${unit}`}>
        {formatCredits(f.pool)}
      </TableCell>
      <TableCell className={mergeClasses(table.cell, table.labelled, styles.number)} data-label="Total">
        {formatCredits(f.total)}
      </TableCell>
      <TableCell className={mergeClasses(table.cell, table.labelled, styles.number)} data-label="People">
        {f.people}
      </TableCell>
      <TableCell className={mergeClasses(table.cell, table.labelled)} data-label="Pool cost">
        {money(f.poolCost)}
        {f.unpriced > 0 ? ` (+ ${formatCredits(f.unpriced)} ${unit} without a price)` : null}
      </TableCell>
    </>
  );

  return (
    <section className={styles.root} aria-label="Reports">
      <Subtitle1 as="h1">Chargeback</Subtitle1>
      <Body1 className={styles.intro}>
        Usage by the day it happened: {unit} from people&apos;s own allotments and from the pool, and what the pool use cost at the price of the purchases it came
        from. Corrected entries count zero.
      </Body1>
      <div className={styles.controls} role="search" aria-label="Report settings">
        <Field label="From">
          <Input type="date" value={draft.from} max={draft.to} onChange={(_e, d) => setDay('from', d.value)} />
        </Field>
        <Field label="To">
          <Input type="date" value={draft.to} min={draft.from} onChange={(_e, d) => setDay('to', d.value)} />
        </Field>
        <Field label="Group by">
          <Dropdown
            className={styles.dropdown}
            value={GROUP_BY_LABEL[groupBy]}
            selectedOptions={[groupBy]}
            onOptionSelect={(_e, d) => {
              if (d.optionValue) setGroupBy(d.optionValue as GroupBy);
            }}
          >
            {GROUP_BY_OPTIONS.map((g) => (
              <Option key={g} value={g}>
                {GROUP_BY_LABEL[g]}
              </Option>
            ))}
          </Dropdown>
        </Field>
        <Button icon={<ArrowDownloadRegular />} disabled={!data || report.loading || data.groups.length === 0} onClick={exportCsv}>
          Download CSV
        </Button>
      </div>
      {report.error ? <ApiErrorBar error={report.error} title="The report could not be made" onRetry={report.reload} /> : null}
      {report.loading ? (
        <Skeleton aria-label="Loading the report" className={styles.skeleton}>
          <SkeletonItem size={32} />
          <SkeletonItem size={32} />
          <SkeletonItem size={32} />
        </Skeleton>
      ) : !data || report.error ? null : data.groups.length === 0 ? (
        <Body1>No usage in this range.</Body1>
      ) : (
        <>
          <ChargebackChart groups={data.groups} unit={unit} />
          <Table className={table.table} aria-label={`Usage by ${GROUP_BY_LABEL[data.groupBy].toLowerCase()}`} size="small">
            <TableHeader className={table.header}>
              <TableRow>
                <TableHeaderCell>{GROUP_BY_LABEL[data.groupBy]}</TableHeaderCell>
                <TableHeaderCell>Own {unit}</TableHeaderCell>
                <TableHeaderCell>Pool {unit}</TableHeaderCell>
                <TableHeaderCell>Total</TableHeaderCell>
                <TableHeaderCell>People</TableHeaderCell>
                <TableHeaderCell>Pool cost</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody className={table.body}>
              {data.groups.map((g) => (
                <TableRow key={g.key} className={table.row}>
                  <TableCell className={mergeClasses(table.cell, table.full)} data-label={GROUP_BY_LABEL[data.groupBy]}>
                    {g.label}
                  </TableCell>
                  {figures(g)}
                </TableRow>
              ))}
              <TableRow className={mergeClasses(table.row, styles.totals)}>
                <TableCell className={mergeClasses(table.cell, table.full)}>Total</TableCell>
                {figures(data.totals)}
              </TableRow>
            </TableBody>
          </Table>
        </>
      )}
    </section>
  );
}
