import {
  Button,
  Card,
  CardHeader,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CalendarClockRegular, CartRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatCredits, formatDateTime, formatDay } from '../../ui/format.js';
import type { ApiState } from '../../ui/useApi.js';
import { seesEveryone, useApp, useUnit } from '../app-context.js';
import { NewPurchaseDialog } from '../purchases/NewPurchaseDialog.js';
import { PoolChart } from './PoolChart.js';
import { confidenceWords, forecastBasis, forecastReason, hasNoHistory } from './forecast-words.js';
import type { PoolForecast } from './series.js';
import { forecastSeries } from './series.js';

type Overdraft = NonNullable<PoolForecast['overdraft']>;

const useStyles = makeStyles({
  section: { gap: tokens.spacingVerticalM, minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  figures: { display: 'grid', gap: tokens.spacingVerticalM, gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))' },
  figure: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  label: { color: tokens.colorNeutralForeground2 },
  orderBy: { color: tokens.colorPaletteRedForeground1 },
  action: { alignSelf: 'flex-start', marginTop: tokens.spacingVerticalXS },
});

/** "Today", "Now (it was 3 Nov)" or the date, for the order-by figure. */
function orderByText(f: PoolForecast): { big: string; small: string } {
  if (!f.orderByDate) return { big: 'No order needed', small: `The pool lasts the next ${f.horizonDays} days at this rate.` };
  const lead = `A purchase takes up to ${f.leadTimeDays} working days${f.leadTimeSource === 'history' ? ' (from past purchases)' : ''}, plus ${f.safetyMarginDays} working days' margin.`;
  if (f.orderByDate < f.today) return { big: 'Now', small: `The order-by date was ${formatDay(f.orderByDate)}. ${lead}` };
  if (f.orderByDate === f.today) return { big: 'Today', small: lead };
  return { big: formatDay(f.orderByDate), small: lead };
}

/** "overdrawn by 40 credits since Dec 7, 2026, 2:25 PM": the same figure and time as the pool's overdraft bar. */
function overdrawnBy(o: Overdraft, unit: string): string {
  return `overdrawn by ${formatCredits(o.credits)} ${unit}${o.since ? ` since ${formatDateTime(o.since)}` : ''}`;
}

/** Why order now, naming the same run-out date as the "Runs out" figure (and the heavy-demand edge apart), or the overdraft. */
function orderNowText(f: PoolForecast, unit: string): string {
  const lead = `a purchase takes up to ${f.leadTimeDays} working days`;
  if (f.overdraft) return `The pool is ${overdrawnBy(f.overdraft, unit)}, and ${lead}.`;
  const earliest = f.zeroDateEarliest && f.zeroDateEarliest !== f.zeroDate ? formatDay(f.zeroDateEarliest) : undefined;
  if (f.zeroDate) return `The pool is expected to run out on ${formatDay(f.zeroDate)}${earliest ? ` (as early as ${earliest} with heavy demand)` : ''}, and ${lead}.`;
  if (earliest) return `With heavy demand the pool may run out around ${earliest}, and ${lead}.`;
  return `A purchase takes up to ${f.leadTimeDays} working days: order now to keep the pool from running out.`;
}

/** Overdrawn, the pool has run out already: the figure says by how much, and when the purchases on their way cover it. */
function overdrawnText(o: Overdraft, f: PoolForecast, unit: string): { big: string; small: string } {
  const since = o.since ? `Since ${formatDateTime(o.since)}. ` : '';
  const covered = o.coveredOn
    ? `The purchases on their way bring it back on ${formatDay(o.coveredOn)}.`
    : f.incoming.length > 0
      ? `The purchases on their way do not cover it within ${f.horizonDays} days.`
      : 'Nothing on its way covers it.';
  return { big: `${formatCredits(o.credits)} ${unit}`, small: `${since}${covered}` };
}

function runsOutText(f: PoolForecast): { big: string; small: string } {
  if (!f.zeroDate) {
    return f.zeroDateEarliest
      ? { big: `Not within ${f.horizonDays} days`, small: `With heavy demand, around ${formatDay(f.zeroDateEarliest)}.` }
      : { big: `Not within ${f.horizonDays} days`, small: 'Not even with heavy demand.' };
  }
  const earliest = f.zeroDateEarliest && f.zeroDateEarliest !== f.zeroDate ? formatDay(f.zeroDateEarliest) : undefined;
  const latest = f.zeroDateLatest && f.zeroDateLatest !== f.zeroDate ? formatDay(f.zeroDateLatest) : undefined;
  const small =
    earliest && latest
      ? `Between ${earliest} and ${latest}, depending on demand.`
      : earliest
        ? `As early as ${earliest} with heavy demand.`
        : latest
          ? `As late as ${latest} with light demand.`
          : 'Expected at the current rate.';
  return { big: formatDay(f.zeroDate), small };
}

function recommendedText(f: PoolForecast, unit: string): string {
  if (f.overdraft) {
    return f.recommendedBlocks > 0
      ? `${formatCredits(f.recommendedCredits)} ${unit}: enough for the overdraft and the lead time, and with what is on its way the next ${f.horizonDays} days.`
      : `The purchases on their way cover the overdraft and the next ${f.horizonDays} days.`;
  }
  return f.recommendedBlocks > 0
    ? `${formatCredits(f.recommendedCredits)} ${unit}: with what is left and on its way, enough for the lead time and ${f.horizonDays} days.`
    : `The pool and what is on its way cover the next ${f.horizonDays} days.`;
}

/**
 * The pool forecast: by when to order, when the pool runs out, how many blocks, and the chart (DESIGN 3.6).
 * The page loads it once and shares it, so its low-pool warning reads the same purchases on their way.
 */
export function ForecastCard({ forecast }: { forecast: ApiState<PoolForecast> }) {
  const styles = useStyles();
  const { me, navigate } = useApp();
  const { word: unit, blocks: blocksLabel } = useUnit();
  const [buying, setBuying] = useState(false);
  const f = forecast.data;
  const mayBuy = seesEveryone(me);
  const orderBy = f ? orderByText(f) : undefined;
  const overdraft = f?.overdraft ?? null;
  const runsOut = f ? (overdraft ? overdrawnText(overdraft, f, unit) : runsOutText(f)) : undefined;
  // Overdrawn with nobody drawing is still a forecast: it says what covers the overdraft.
  const noHistory = f ? hasNoHistory(f) && !overdraft : false;

  const purchaseButton =
    f && mayBuy && f.recommendedBlocks > 0 ? (
      <Button appearance={f.orderNow ? 'primary' : 'secondary'} icon={<CartRegular />} className={styles.action} onClick={() => setBuying(true)}>
        Start a purchase of {blocksLabel(f.recommendedBlocks)}
      </Button>
    ) : null;

  return (
    <Card className={styles.section}>
      <CardHeader
        image={<CalendarClockRegular fontSize={24} />}
        header={
          <Text as="h3" weight="semibold">
            Forecast
          </Text>
        }
        description={f && !noHistory ? `${forecastBasis(f, unit)}. ${confidenceWords(f.confidence)}.` : 'When the pool runs out and by when to order'}
      />
      {forecast.error ? <ApiErrorBar error={forecast.error} title="The forecast did not load" onRetry={forecast.reload} /> : null}
      {!f && forecast.loading ? (
        <Skeleton aria-label="Loading the forecast">
          <SkeletonItem size={128} />
        </Skeleton>
      ) : null}

      {f && noHistory ? (
        <>
          <Text className={styles.muted}>
            The forecast starts once the pool has been drawn on, from the day after the first draw (it counts whole days). It then says when the pool runs out
            and by when to order.
          </Text>
          {f.balanceHistory.length > 1 ? <PoolChart series={forecastSeries({ ...f, projection: [] })} unit={unit} /> : null}
        </>
      ) : null}

      {f && !noHistory ? (
        <>
          {f.orderNow ? (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>Order now</MessageBarTitle>
                {orderNowText(f, unit)}
                {mayBuy ? '' : ` Ask an account manager to order more ${unit}.`}
              </MessageBarBody>
              {purchaseButton ? <MessageBarActions>{purchaseButton}</MessageBarActions> : null}
            </MessageBar>
          ) : null}
          {f.shortBeforeIncoming && !overdraft ? (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>The pool runs out before the purchase on its way</MessageBarTitle>
                Expected to run out {f.zeroDate ? `around ${formatDay(f.zeroDate)}` : 'soon'}, before{' '}
                {f.incoming.length === 1 && f.incoming[0] ? `${formatCredits(f.incoming[0].credits)} ${unit} land on ${formatDay(f.incoming[0].expectedDate)}` : 'the purchases on their way land'}
                {mayBuy ? ': chase the reseller.' : '.'}
              </MessageBarBody>
            </MessageBar>
          ) : null}

          <div className={styles.figures}>
            <div className={styles.figure}>
              <Text className={styles.label}>Order by</Text>
              <Text size={600} weight="semibold" className={f.orderNow ? styles.orderBy : undefined} data-testid="forecast-order-by">
                {orderBy?.big}
              </Text>
              <Text size={200} className={styles.muted}>
                {orderBy?.small}
              </Text>
            </div>
            <div className={styles.figure}>
              <Text className={styles.label}>{overdraft ? 'Overdrawn' : 'Runs out'}</Text>
              <Text size={600} weight="semibold" data-testid={overdraft ? 'forecast-overdrawn' : 'forecast-runs-out'} className={overdraft ? styles.orderBy : undefined}>
                {runsOut?.big}
              </Text>
              <Text size={200} className={styles.muted}>
                {runsOut?.small}
              </Text>
            </div>
            <div className={styles.figure}>
              <Text className={styles.label}>Draws</Text>
              <Text size={600} weight="semibold" data-testid="forecast-rate">
                {formatCredits(f.dailyRate)} a day
              </Text>
              <Text size={200} className={styles.muted}>
                {f.joiningSoon > 0
                  ? `Plus about ${formatCredits(f.joiningRate)} a day from ${f.joiningSoon === 1 ? 'one person' : `${f.joiningSoon} people`} about to use up their own.`
                  : `Expected ${unit} drawn per day over the coming week.`}
              </Text>
            </div>
            <div className={styles.figure}>
              <Text className={styles.label}>Recommended</Text>
              <Text size={600} weight="semibold" data-testid="forecast-blocks">
                {f.recommendedBlocks > 0 ? blocksLabel(f.recommendedBlocks) : overdraft ? 'Nothing more to buy' : 'Nothing to buy'}
              </Text>
              <Text size={200} className={styles.muted}>
                {recommendedText(f, unit)}
              </Text>
              {f.orderNow ? null : purchaseButton}
            </div>
          </div>

          <PoolChart series={forecastSeries(f)} unit={unit} orderByDate={f.orderByDate} dates={f} />
        </>
      ) : null}

      {buying && f ? (
        <NewPurchaseDialog
          initialBlocks={f.recommendedBlocks}
          initialReason={forecastReason(f, unit)}
          onClose={() => setBuying(false)}
          onDone={() => {
            setBuying(false);
            navigate('purchases');
          }}
        />
      ) : null}
    </Card>
  );
}
