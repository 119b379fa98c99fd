import {
  Card,
  CardHeader,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Skeleton,
  SkeletonItem,
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
import { PeopleTeamRegular, WalletCreditCardRegular } from '@fluentui/react-icons';
import type { ResponseOf } from '../../contract/routes.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatCredits, formatDateTime, formatDay, formatRelative, unitWords } from '../../ui/format.js';
import { formatPrice } from '../../ui/money.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { useApi } from '../../ui/useApi.js';
import { seesEveryone, useApp } from '../app-context.js';
import { poolLowCoveredByIncoming } from '../../core/feed/alerts.js';
import { ForecastCard } from './ForecastCard.js';
import { OverdraftBar } from './OverdraftBar.js';
import type { PoolForecast } from './series.js';
import { PackExpiry, inDrawOrder } from './PackExpiry.js';
import { lotName } from './lot-name.js';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  figures: { display: 'grid', gap: tokens.spacingVerticalL, gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))' },
  figure: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  section: { gap: tokens.spacingVerticalM, minWidth: 0 },
  tableWrap: { overflowX: 'auto' },
  number: { textAlign: 'end', whiteSpace: 'nowrap' },
  // A header cell lays its label out in a flex button: align that, not the text.
  endAligned: { justifyContent: 'flex-end' },
  wrap: { overflowWrap: 'break-word' },
  remaining: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: '80px' },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalM },
});

type Pool = ResponseOf<'pool'>;
type Lot = Pool['lots'][number];

/** The pool is low when it is under the configured share of the last purchase (DESIGN 3.6). */
export function isPoolLow(pool: Pick<Pool, 'balance' | 'lots'>, percentOfLastPurchase: number): { low: boolean; threshold: number } {
  const last = [...pool.lots].sort((a, b) => b.appliedAt.localeCompare(a.appliedAt))[0];
  const threshold = last ? (last.credits * percentOfLastPurchase) / 100 : 0;
  return { low: last !== undefined && pool.balance < threshold, threshold };
}

/**
 * The purchases on their way, by the rule the "pool low" alert uses (core's poolLowCoveredByIncoming):
 * enough when they bring the pool back over the line and the forecast does not see it run out first.
 */
function onTheirWay(f: PoolForecast, balance: number, threshold: number): { covered: boolean; credits: number; first: string } | undefined {
  const first = f.incoming[0];
  if (!first) return undefined;
  const credits = f.incoming.reduce((sum, p) => sum + p.credits, 0);
  return { covered: poolLowCoveredByIncoming({ poolBalance: balance, threshold, incomingUnits: credits, runsOutBeforeIncoming: f.shortBeforeIncoming }), credits, first: first.expectedDate };
}

function pricePerCredit(price: number, lot: Lot, unit: string): string {
  return lot.credits > 0 ? `${formatPrice(price / lot.credits, lot.currency ?? null)} per ${unit.slice(0, -1)}` : '';
}

/** The shared pool: balance, its history and forecast, the lots it is made of, and who drew on it (names and prices for account managers and IT). */
export function PoolPage() {
  const styles = useStyles();
  const rt = useResponsiveTableStyles();
  const { api, me, settings, navigate } = useApp();
  const withPrices = seesEveryone(me);
  const { word: unit, label: unitLabel, flex } = unitWords(settings);
  const lotsLabel = flex ? 'Packs' : 'Lots';
  const pool = useApi((signal) => api('pool', { signal }), [api]);
  const forecast = useApi((signal) => api('poolForecast', { signal }), [api]);
  const serviceName = (slug: string | null) => (slug ? (settings.services.find((s) => s.slug === slug)?.name ?? slug) : '—');

  const data = pool.data;
  const low = data ? isPoolLow(data, settings.alerts.poolLowPercentOfLastPurchase) : undefined;
  const coming = data && low?.low && forecast.data ? onTheirWay(forecast.data, data.balance, low.threshold) : undefined;

  return (
    <div className={styles.stack}>
      <div>
        <Text as="h2" size={500} weight="semibold" className={styles.heading}>
          Shared pool
        </Text>
        <Text block className={styles.muted}>
          {flex
            ? 'Purchased Flex tokens, one pack per purchase. Everyone’s usage draws on it, earliest-expiring pack first.'
            : `Purchased ${unit}, drawn oldest purchase first by people who have used up their own.`}
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
          {data.overdraft ? (
            <OverdraftBar overdraft={data.overdraft} unit={unit} onPurchases={withPrices ? () => navigate('purchases') : undefined} />
          ) : low?.low && coming?.covered ? (
            <MessageBar intent="info" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>The pool is low; purchases are on their way</MessageBarTitle>
                {formatCredits(data.balance)} left, under {settings.alerts.poolLowPercentOfLastPurchase}% of the last purchase ({formatCredits(low.threshold)}).{' '}
                {formatCredits(coming.credits)} {unit} are on their way, the first expected on {formatDay(coming.first)}. The forecast below says when to order next.
              </MessageBarBody>
            </MessageBar>
          ) : low?.low ? (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>The pool is low</MessageBarTitle>
                {formatCredits(data.balance)} left, under {settings.alerts.poolLowPercentOfLastPurchase}% of the last purchase ({formatCredits(low.threshold)}). A purchase
                takes {settings.leadTimeDays.min}–{settings.leadTimeDays.max} working days.{' '}
                {/* Purchases are the account managers' page: an employee gets who orders, not a link that goes nowhere. */}
                {withPrices ? (
                  // The brand link colour is too faint on the dark theme's warning background: a neutral, underlined one.
                  <Link inline appearance="subtle" onClick={() => navigate('purchases')}>
                    Go to purchases
                  </Link>
                ) : (
                  'The account managers order more.'
                )}
              </MessageBarBody>
            </MessageBar>
          ) : null}
          <div className={styles.figures}>
            <Card>
              <CardHeader image={<WalletCreditCardRegular fontSize={24} />} header={<Text weight="semibold">In the pool</Text>} />
              <div className={styles.figure}>
                <Text size={800} weight="semibold" data-testid="pool-balance">
                  {formatCredits(data.overdraft ? 0 : data.balance)}
                </Text>
                <Text>{unit}</Text>
              </div>
              {data.overdraft ? <Text data-testid="pool-overdrawn">Overdrawn by {formatCredits(data.overdraft.credits)} {unit}: nothing left to draw.</Text> : null}
              {data.held > 0 ? (
                <Text data-testid="pool-held">
                  Free to use; {formatCredits(data.held)} more {unit} are held for planned jobs and come back if a hold is voided or lapses.
                </Text>
              ) : null}
            </Card>
            <Card>
              <CardHeader image={<PeopleTeamRegular fontSize={24} />} header={<Text weight="semibold">Drawing on the pool</Text>} />
              <div className={styles.figure}>
                <Text size={800} weight="semibold" data-testid="eligible-members">
                  {data.eligibleMembers}
                </Text>
                <Text>
                  {flex
                    ? `${data.eligibleMembers === 1 ? 'member draws' : 'members draw'} on it`
                    : `${data.eligibleMembers === 1 ? 'member has' : 'members have'} used up their own`}
                </Text>
              </div>
            </Card>
          </div>
        </>
      ) : null}

      <ForecastCard forecast={forecast} />

      {data ? (
        <>
          <Card className={styles.section}>
            <CardHeader header={<Text weight="semibold">What the pool is made of</Text>} description={flex ? 'One pack per applied purchase, drawn earliest-expiring first; what is left when a pack expires is lost.' : 'One lot per applied purchase, drawn oldest first.'} />
            {data.lots.length === 0 ? (
              <Text className={styles.muted}>
                No purchases applied yet.{' '}
                {withPrices ? (
                  <>
                    <Link onClick={() => navigate('purchases')}>Start a purchase</Link> to fill the pool.
                  </>
                ) : (
                  'The account managers order the first.'
                )}
              </Text>
            ) : (
              <div className={styles.tableWrap} tabIndex={0} role="region" aria-label={`${lotsLabel}, scrollable`}>
                <Table size="small" aria-label={lotsLabel} className={rt.table}>
                  <TableHeader className={rt.header}>
                    <TableRow>
                      <TableHeaderCell>From</TableHeaderCell>
                      <TableHeaderCell>Applied</TableHeaderCell>
                      <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>{unitLabel}</TableHeaderCell>
                      <TableHeaderCell>Remaining</TableHeaderCell>
                      {flex ? <TableHeaderCell>Expires</TableHeaderCell> : null}
                      {withPrices ? <TableHeaderCell>Price</TableHeaderCell> : null}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {/* Flex packs in the order draws take them; lots in the order they were applied. */}
                    {(flex ? inDrawOrder(data.lots) : data.lots).map((lot) => (
                      <TableRow key={lot.id} className={rt.row}>
                        <TableCell className={mergeClasses(styles.wrap, rt.cell, rt.full)}>{lotName(lot, flex)}</TableCell>
                        <TableCell className={mergeClasses(rt.cell, rt.labelled)} data-label="Applied">
                          <span title={formatDateTime(lot.appliedAt)}>{formatDay(lot.appliedAt)}</span>
                        </TableCell>
                        <TableCell className={mergeClasses(styles.number, rt.cell, rt.labelled)} data-label={unitLabel}>
                          {formatCredits(lot.credits)}
                        </TableCell>
                        <TableCell className={mergeClasses(rt.cell, rt.full)}>
                          <div className={styles.remaining}>
                            <Text>{formatCredits(lot.remaining)} left</Text>
                            <ProgressBar
                              value={lot.credits > 0 ? Math.max(0, Math.min(1, lot.remaining / lot.credits)) : 0}
                              max={1}
                              aria-label={`${formatCredits(lot.remaining)} of ${formatCredits(lot.credits)} left`}
                            />
                          </div>
                        </TableCell>
                        {flex ? (
                          <TableCell className={mergeClasses(rt.cell, rt.labelled)} data-label="Expires">
                            <PackExpiry lot={lot} />
                          </TableCell>
                        ) : null}
                        {withPrices ? (
                          <TableCell className={mergeClasses(rt.cell, rt.full)}>
                            {typeof lot.price === 'number' ? (
                              <>
                                <Text>{formatPrice(lot.price, lot.currency ?? null)}</Text>
                                <Text block size={200} className={styles.muted}>
                                  {pricePerCredit(lot.price, lot, unit)}
                                </Text>
                              </>
                            ) : (
                              '—'
                            )}
                          </TableCell>
                        ) : null}
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            )}
          </Card>

          <Card className={styles.section}>
            <CardHeader header={<Text weight="semibold">Recent draws</Text>} description={`Who used pool ${unit}, newest first.`} />
            {data.recentDraws.length === 0 ? (
              <Text className={styles.muted}>Nobody has drawn on the pool yet. Draws appear here once someone who has used up their own {unit} logs usage.</Text>
            ) : (
              <div className={styles.tableWrap} tabIndex={0} role="region" aria-label="Recent draws, scrollable">
                <Table size="small" aria-label="Recent draws" className={rt.table}>
                  <TableHeader className={rt.header}>
                    <TableRow>
                      <TableHeaderCell>When</TableHeaderCell>
                      <TableHeaderCell>Who</TableHeaderCell>
                      <TableHeaderCell>Service</TableHeaderCell>
                      <TableHeaderCell className={styles.number} button={{ className: styles.endAligned }}>{unitLabel}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {data.recentDraws.map((d, i) => (
                      <TableRow key={`${d.at}-${d.memberId ?? ''}-${i}`} className={rt.row}>
                        <TableCell className={mergeClasses(rt.cell, rt.full)}>
                          <span title={formatDateTime(d.at)}>{formatRelative(d.at)}</span>
                        </TableCell>
                        <TableCell className={mergeClasses(styles.wrap, rt.cell, rt.grow)}>
                          {d.memberName ?? (d.count > 1 ? `${d.count} draws` : 'Someone')}
                          {d.office ? (
                            <Text block size={200} className={styles.muted}>
                              {d.office}
                            </Text>
                          ) : null}
                        </TableCell>
                        <TableCell className={rt.cell}>{serviceName(d.service)}</TableCell>
                        <TableCell className={mergeClasses(styles.number, rt.cell)}>{formatCredits(d.credits)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            )}
          </Card>
        </>
      ) : null}
    </div>
  );
}
