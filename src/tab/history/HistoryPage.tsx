import {
  Button,
  Card,
  Field,
  Input,
  Select,
  Skeleton,
  SkeletonItem,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, HistoryRegular, SearchRegular, WalletCreditCardRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TransferView } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { downloadCsv, toCsv } from '../../ui/csv.js';
import { formatCredits, formatDateTime, formatDay, localToday, unitWords } from '../../ui/format.js';
import { NARROW, useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { byUsageDay, mayGrowThrough } from '../../ui/history-order.js';
import { useApp } from '../app-context.js';
import type { Filters, HistoryRow, KindFilter } from './rows.js';
import { CSV_HEADERS, KIND_FILTERS, NO_FILTERS, csvRow, matches, toRow } from './rows.js';

const PAGE_SIZE = 50;

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  title: { marginRight: 'auto' },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  filter: { flex: '1 1 160px', minWidth: 0 },
  search: { flex: '2 1 220px', minWidth: 0 },
  // Mid-width screens scroll the table sideways; on narrow ones (a phone, Teams mobile) each entry is a
  // stacked block with its labels, date, entry and amount first.
  scroller: { overflowX: 'auto', maxWidth: '100%' },
  table: { minWidth: '820px', [NARROW]: { minWidth: 0 } },
  // A stacked entry leaves out the labels of what it does not have (no project, no note).
  blankWhenStacked: { [NARROW]: { display: 'none' } },
  amountCol: { width: '150px' },
  dateCol: { width: '120px' },
  recordedCol: { width: '150px' },
  muted: { color: tokens.colorNeutralForeground3 },
  plus: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  minus: { fontWeight: tokens.fontWeightSemibold },
  pool: { color: tokens.colorNeutralForeground2 },
  footer: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
  empty: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalL },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

interface Paged {
  items: TransferView[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  moreError: unknown;
  reload: () => void;
  loadMore: () => void;
}

/** The person's own transfers, page by page as they were recorded (newest first). */
function useUsageHistory(): Paged {
  const { api } = useApp();
  const [items, setItems] = useState<TransferView[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>();
  const [moreError, setMoreError] = useState<unknown>();
  const [generation, setGeneration] = useState(0);
  const busyMore = useRef(false);
  const controller = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    const current = new AbortController();
    controller.current = current;
    busyMore.current = false;
    setLoading(true);
    setLoadingMore(false);
    setError(undefined);
    setMoreError(undefined);
    api('listUsage', { query: { limit: PAGE_SIZE }, signal: current.signal }).then(
      (page) => {
        if (current.signal.aborted) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (reason: unknown) => {
        if (current.signal.aborted) return;
        setError(reason);
        setLoading(false);
      },
    );
    return () => current.abort();
  }, [api, generation]);

  const loadMore = useCallback(() => {
    const signal = controller.current?.signal;
    if (!nextCursor || busyMore.current || !signal) return;
    busyMore.current = true;
    setLoadingMore(true);
    setMoreError(undefined);
    api('listUsage', { query: { cursor: nextCursor, limit: PAGE_SIZE }, signal })
      .then(
        (page) => {
          if (signal.aborted) return;
          // A page boundary that moved under us must not show an entry twice.
          setItems((known) => {
            const seen = new Set(known.map((t) => t.id));
            return [...known, ...page.items.filter((t) => !seen.has(t.id))];
          });
          setNextCursor(page.nextCursor);
        },
        (reason: unknown) => {
          if (!signal.aborted) setMoreError(reason);
        },
      )
      .finally(() => {
        if (signal.aborted) return;
        busyMore.current = false;
        setLoadingMore(false);
      });
  }, [api, nextCursor]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { items, nextCursor, loading, loadingMore, error, moreError, reload, loadMore };
}

function Amount({ row }: { row: HistoryRow }) {
  const styles = useStyles();
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

function HistorySkeleton() {
  const styles = useStyles();
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

/** The person's own entries: usage, allotments and corrections, with filters and a CSV export. */
export function HistoryPage() {
  const styles = useStyles();
  const rt = useResponsiveTableStyles();
  const { me, settings, navigate } = useApp();
  const history = useUsageHistory();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const unit = unitWords(settings).word;

  const rows = useMemo(() => byUsageDay(history.items).map((t) => toRow(t, me.member.id, settings)), [history.items, me.member.id, settings]);
  const growsThrough = mayGrowThrough(history.items, history.nextCursor !== null);
  const shown = useMemo(() => rows.filter((r) => matches(r, filters)), [rows, filters]);
  // The filter offers the configured services, and any other one found in the history.
  const services = useMemo(() => {
    const known = settings.services.map((s) => ({ slug: s.slug, name: s.name }));
    const extra = [...new Set(rows.map((r) => r.service).filter((s): s is string => !!s && !known.some((k) => k.slug === s)))];
    return [...known, ...extra.map((slug) => ({ slug, name: slug }))];
  }, [rows, settings.services]);
  const filtered = filters.kind !== NO_FILTERS.kind || filters.service !== NO_FILTERS.service || filters.search.trim() !== '';

  const exportCsv = () => downloadCsv(`credit-history-${localToday()}.csv`, toCsv(CSV_HEADERS, shown.map(csvRow)));

  const heading = (
    <div className={styles.heading}>
      <HistoryRegular fontSize={24} aria-hidden />
      <Text as="h1" size={500} weight="semibold" className={styles.title}>
        Your history
      </Text>
      <Button icon={<ArrowDownloadRegular />} disabled={shown.length === 0} onClick={exportCsv}>
        Export CSV
      </Button>
    </div>
  );

  if (history.loading) {
    return (
      <div className={styles.stack}>
        {heading}
        <HistorySkeleton />
      </div>
    );
  }

  if (history.error) {
    return (
      <div className={styles.stack}>
        {heading}
        <ApiErrorBar error={history.error} title="Your history could not be loaded" onRetry={history.reload} />
      </div>
    );
  }

  if (rows.length === 0) {
    return (
      <div className={styles.stack}>
        {heading}
        <Card className={styles.empty}>
          <Text weight="semibold">Nothing yet: log usage from My credits.</Text>
          <Text>Every time you use {unit}, and when your allotment arrives, it shows up here.</Text>
          <Button appearance="primary" icon={<WalletCreditCardRegular />} onClick={() => navigate('my-credits')}>
            Go to My credits
          </Button>
        </Card>
      </div>
    );
  }

  return (
    <div className={styles.stack}>
      {heading}
      <div className={styles.filters} role="group" aria-label="Filters">
        <Field label="Kind" className={styles.filter}>
          <Select value={filters.kind} onChange={(_e, data) => setFilters((f) => ({ ...f, kind: data.value as KindFilter }))}>
            {Object.entries(KIND_FILTERS).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Service" className={styles.filter}>
          <Select value={filters.service} onChange={(_e, data) => setFilters((f) => ({ ...f, service: data.value }))}>
            <option value="">All services</option>
            {services.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Search project or note" className={styles.search}>
          <Input type="search" contentBefore={<SearchRegular />} value={filters.search} onChange={(_e, data) => setFilters((f) => ({ ...f, search: data.value }))} />
        </Field>
      </div>

      {shown.length === 0 ? (
        <Card className={styles.empty}>
          <Text weight="semibold">No entries match these filters{history.nextCursor ? ' among those loaded' : ''}.</Text>
          <Button onClick={() => setFilters(NO_FILTERS)}>Clear filters</Button>
        </Card>
      ) : (
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
              {shown.map((row) => {
                const labelled = (blank: boolean) => mergeClasses(rt.cell, rt.labelled, blank && styles.blankWhenStacked);
                return (
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
                );
              })}
            </TableBody>
          </Table>
        </div>
      )}

      {history.moreError ? <ApiErrorBar error={history.moreError} title="Older entries could not be loaded" onRetry={history.loadMore} /> : null}
      <div className={styles.footer}>
        <Text>
          {filtered ? `${shown.length} of ${rows.length} loaded entries shown` : `${rows.length} entries`}
          {growsThrough
            ? `, by the day the credits were used; entries used on or before ${formatDay(growsThrough)} may not all be loaded yet (filters and export cover loaded entries).`
            : ', by the day the credits were used, then by when they were recorded.'}
        </Text>
        {history.nextCursor ? (
          <Button onClick={history.loadMore} disabled={history.loadingMore} icon={history.loadingMore ? <Spinner size="tiny" /> : undefined}>
            {history.loadingMore ? 'Loading…' : 'Load more'}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
