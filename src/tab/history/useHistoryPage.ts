import { useMemo, useState } from 'react';
import type { TransferView } from '../../contract/schemas.js';
import { downloadCsv, toCsv } from '../../ui/csv.js';
import { localToday, unitWords } from '../../ui/format.js';
import { byUsageDay, mayGrowThrough } from '../../ui/history-order.js';
import { usePaged } from '../../ui/usePaged.js';
import { useApp } from '../app-context.js';
import type { Filters } from './rows.js';
import { CSV_HEADERS, NO_FILTERS, csvRow, matches, toRow } from './rows.js';

const PAGE_SIZE = 50;

/** Each entry once: a page boundary that moved between two pages must not show an entry twice. */
function eachOnce(items: readonly TransferView[]): TransferView[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    if (seen.has(t.id)) return false;
    seen.add(t.id);
    return true;
  });
}

/** The history page's state: the person's own transfers page by page (newest recorded first), as filtered rows. */
export function useHistoryPage() {
  const { api, me, settings, navigate } = useApp();
  const history = usePaged((cursor, signal) => api('listUsage', { query: { ...(cursor ? { cursor } : {}), limit: PAGE_SIZE }, signal }), [api]);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);

  const entries = useMemo(() => eachOnce(history.items), [history.items]);
  const rows = useMemo(() => byUsageDay(entries).map((t) => toRow(t, me.member.id, settings)), [entries, me.member.id, settings]);
  const shown = useMemo(() => rows.filter((r) => matches(r, filters)), [rows, filters]);
  // The filter offers the configured services, and any other one found in the history.
  const services = useMemo(() => {
    const known = settings.services.map((s) => ({ slug: s.slug, name: s.name }));
    const extra = [...new Set(rows.map((r) => r.service).filter((s): s is string => !!s && !known.some((k) => k.slug === s)))];
    return [...known, ...extra.map((slug) => ({ slug, name: slug }))];
  }, [rows, settings.services]);

  return {
    loading: history.loading,
    // The first page's failure replaces the list; a further page's keeps what was loaded.
    error: history.moreFailed ? undefined : history.error,
    moreError: history.moreFailed ? history.error : undefined,
    reload: history.reload,
    hasMore: history.hasMore,
    loadingMore: history.loadingMore,
    loadMore: history.loadMore,
    rows,
    shown,
    services,
    filters,
    changeFilters: (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change })),
    clearFilters: () => setFilters(NO_FILTERS),
    filtered: filters.kind !== NO_FILTERS.kind || filters.service !== NO_FILTERS.service || filters.search.trim() !== '',
    growsThrough: mayGrowThrough(entries, history.hasMore),
    unit: unitWords(settings).word,
    exportCsv: () => downloadCsv(`credit-history-${localToday()}.csv`, toCsv(CSV_HEADERS, shown.map(csvRow))),
    goToMyCredits: () => navigate('my-credits'),
  };
}

export type HistoryPageState = ReturnType<typeof useHistoryPage>;
