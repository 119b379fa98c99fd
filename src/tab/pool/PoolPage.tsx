import { Skeleton, SkeletonItem, Text } from '@fluentui/react-components';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { ForecastCard } from './ForecastCard.js';
import { PoolAlertBar } from './PoolAlertBar.js';
import { PoolFigures } from './PoolFigures.js';
import { usePoolPageStyles } from './PoolPage.styles.js';
import { PoolLots } from './PoolLots.js';
import { RecentDraws } from './RecentDraws.js';
import { usePoolPage } from './usePoolPage.js';

/** The shared pool: balance, its history and forecast, the lots it is made of, and who drew on it (names and prices for account managers and IT). */
export function PoolPage() {
  const state = usePoolPage();
  const styles = usePoolPageStyles();
  const { pool, words } = state;
  const data = pool.data;

  return (
    <div className={styles.stack}>
      <div>
        <Text as="h2" size={500} weight="semibold" className={styles.heading}>
          Shared pool
        </Text>
        <Text block className={styles.muted}>
          {words.flex
            ? 'Purchased Flex tokens, one pack per purchase. Everyone’s usage draws on it, earliest-expiring pack first.'
            : `Purchased ${words.word}, drawn oldest purchase first by people who have used up their own.`}
        </Text>
      </div>

      {pool.error ? <ApiErrorBar error={pool.error} title="The pool did not load" onRetry={pool.reload} /> : null}
      {!data && pool.loading ? (
        <Skeleton aria-label="Loading the pool" className={styles.skeleton}>
          <SkeletonItem size={96} />
          <SkeletonItem size={128} />
        </Skeleton>
      ) : null}

      {data ? (
        <>
          <PoolAlertBar pool={data} state={state} />
          <PoolFigures pool={data} words={words} />
        </>
      ) : null}

      <ForecastCard forecast={state.forecast} />

      {data ? (
        <>
          <PoolLots lots={data.lots} state={state} />
          <RecentDraws draws={data.recentDraws} state={state} />
        </>
      ) : null}
    </div>
  );
}
