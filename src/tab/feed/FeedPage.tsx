import { Button, Spinner, Text, ToggleButton, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownRegular, CheckmarkRegular, FilterRegular } from '@fluentui/react-icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { unitWords } from '../../ui/format.js';
import { isIt, useApp } from '../app-context.js';
import { DeliveryPanel } from './DeliveryPanel.js';
import { FEED_FILTERS, applyFilters } from './feed-kinds.js';
import { FeedRow } from './FeedRow.js';
import { useFeedPages } from './useFeedPages.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  filters: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  filterLabel: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, color: tokens.colorNeutralForeground2 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  status: { color: tokens.colorNeutralForeground2 },
  footer: { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalS, paddingBottom: tokens.spacingVerticalL },
  empty: {
    padding: tokens.spacingVerticalXXL,
    textAlign: 'center',
    color: tokens.colorNeutralForeground2,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
  },
  sentinel: { height: '1px' },
});

/** Refreshes "5 minutes ago" once a minute. */
function useNow(everyMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * Pool changes and alerts, newest first. Older entries load as the list scrolls into view (where the browser
 * can tell) and with the "Load more" button, which also serves keyboard users and browsers without
 * IntersectionObserver. Employees get the same page; the API has already taken the names out.
 */
export function FeedPage() {
  const styles = useStyles();
  const { api, settings, me } = useApp();
  const feed = useFeedPages(api);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const now = useNow();
  const unit = unitWords(settings).word;
  const shown = useMemo(() => applyFilters(feed.items, chosen), [feed.items, chosen]);

  const loadMoreRef = useRef(feed.loadMore);
  loadMoreRef.current = feed.loadMore;
  const sentinel = useRef<HTMLDivElement>(null);
  const canObserve = typeof IntersectionObserver !== 'undefined';
  const autoLoad = canObserve && feed.started && feed.hasMore && !feed.loading && !feed.error;
  useEffect(() => {
    const node = sentinel.current;
    if (!autoLoad || !node) return;
    // Re-created after every page, so a sentinel still in view after a short page asks for the next one.
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) loadMoreRef.current();
    }, { rootMargin: '200px 0px' });
    observer.observe(node);
    return () => observer.disconnect();
  }, [autoLoad, feed.items.length]);

  function toggle(id: string) {
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  const filtering = chosen.size > 0;
  const firstLoad = !feed.started || (feed.loading && feed.items.length === 0);

  return (
    <div className={styles.page}>
      <div className={styles.header}>
        <Text as="h1" size={600} weight="semibold">
          Feed
        </Text>
        <Text>Every change to the shared pool and every alert, newest first.</Text>
      </div>

      {/* Delivery to the Teams channel is IT's business; the route refuses anyone else. */}
      {isIt(me) ? <DeliveryPanel now={now} /> : null}

      <div className={styles.filters} role="group" aria-label="Show only">
        <span className={styles.filterLabel} aria-hidden>
          <FilterRegular />
          <Text size={200}>Show</Text>
        </span>
        <ToggleButton size="small" shape="circular" checked={!filtering} icon={filtering ? undefined : <CheckmarkRegular />} onClick={() => setChosen(new Set())}>
          All
        </ToggleButton>
        {FEED_FILTERS.map((f) => (
          <ToggleButton
            key={f.id}
            size="small"
            shape="circular"
            checked={chosen.has(f.id)}
            icon={chosen.has(f.id) ? <CheckmarkRegular /> : undefined}
            onClick={() => toggle(f.id)}
          >
            {f.label}
          </ToggleButton>
        ))}
      </div>

      {feed.items.length > 0 ? (
        <Text className={styles.status} size={200} role="status">
          {filtering ? `Showing ${shown.length} of ${feed.items.length} loaded entries.` : `Showing ${feed.items.length} ${feed.items.length === 1 ? 'entry' : 'entries'}.`}
        </Text>
      ) : null}

      {shown.length > 0 ? (
        <ul className={styles.list} aria-label="Pool changes and alerts" aria-busy={feed.loading}>
          {shown.map((item) => (
            <li key={item.id}>
              <FeedRow item={item} unit={unit} services={settings.services} now={now} />
            </li>
          ))}
        </ul>
      ) : firstLoad ? (
        feed.error ? null : <Spinner label="Loading the feed…" />
      ) : feed.error && feed.items.length === 0 ? null : (
        <div className={styles.empty}>
          <Text>
            {feed.items.length === 0
              ? 'Nothing has happened in the pool yet. Purchases, pool draws and alerts will show up here.'
              : feed.hasMore
                ? 'Nothing of this kind among the entries loaded so far. Load more to look further back.'
                : 'Nothing of this kind in the feed.'}
          </Text>
        </div>
      )}

      <div className={styles.footer}>
        {feed.error ? (
          <ApiErrorBar error={feed.error} title={feed.items.length > 0 ? 'Could not load older entries' : 'Could not load the feed'} onRetry={feed.loadMore} />
        ) : null}
        {feed.started && feed.hasMore && feed.items.length > 0 ? (
          <>
            <div ref={sentinel} className={styles.sentinel} aria-hidden />
            <Button icon={feed.loading ? <Spinner size="tiny" /> : <ArrowDownRegular />} disabledFocusable={feed.loading} onClick={feed.loadMore}>
              {feed.loading ? 'Loading…' : 'Load more'}
            </Button>
          </>
        ) : null}
        {feed.started && !feed.hasMore && feed.items.length > 0 ? (
          <Text className={styles.status} size={200}>
            That is everything in the feed.
          </Text>
        ) : null}
      </div>
    </div>
  );
}
