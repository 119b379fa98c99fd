import { Link, MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { formatCredits, formatDay } from '../../ui/format.js';
import { OverdraftBar } from './OverdraftBar.js';
import type { Pool, PoolPageState } from './usePoolPage.js';

/** The bar over the pool's figures: overdrawn, low with purchases on their way, or low. */
export function PoolAlertBar({ pool, state }: { pool: Pool; state: PoolPageState }) {
  const { alert, coming, threshold, lowPercent, leadTimeDays, withPrices, goToPurchases } = state;
  const unit = state.words.word;
  if (alert === 'overdrawn' && pool.overdraft) {
    return <OverdraftBar overdraft={pool.overdraft} unit={unit} onPurchases={withPrices ? goToPurchases : undefined} />;
  }
  if (alert === 'low-covered' && coming) {
    return (
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>The pool is low; purchases are on their way</MessageBarTitle>
          {formatCredits(pool.balance)} left, under {lowPercent}% of the last purchase ({formatCredits(threshold)}).{' '}
          {formatCredits(coming.credits)} {unit} are on their way, the first expected on {formatDay(coming.first)}. The forecast below says when to order next.
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (alert === 'low') {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>The pool is low</MessageBarTitle>
          {formatCredits(pool.balance)} left, under {lowPercent}% of the last purchase ({formatCredits(threshold)}). A purchase
          takes {leadTimeDays.min}–{leadTimeDays.max} working days.{' '}
          {/* Purchases are the account managers' page: an employee gets who orders, not a link that goes nowhere. */}
          {withPrices ? (
            // The brand link colour is too faint on the dark theme's warning background: a neutral, underlined one.
            <Link inline appearance="subtle" onClick={goToPurchases}>
              Go to purchases
            </Link>
          ) : (
            'The account managers order more.'
          )}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return null;
}
