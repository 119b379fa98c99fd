import { Body1, Caption1, Card, CardHeader, Link, Skeleton, SkeletonItem, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { CartRegular, DataTrendingRegular, PersonClockRegular } from '@fluentui/react-icons';
import type { ReactElement, ReactNode } from 'react';
import type { PublicPolicy, PurchaseView } from '../../contract/schemas.js';
import { OPEN_PURCHASE_STATES } from '../../core/purchases/purchase-types.js';
import { purchaseSlowness } from '../../core/purchases/purchase-timing.js';
import { LazyApiErrorBar } from '../../ui/LazyApiErrorBar.js';
import { formatDay, unitWords } from '../../ui/format.js';
import { useApi } from '../../ui/useApi.js';
import type { TabPage } from '../pane-context.js';
import { usePane } from '../pane-context.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  card: { padding: tokens.spacingHorizontalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
  warning: { color: tokens.colorPaletteRedForeground1 },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

const IN_FLIGHT = new Set<string>(OPEN_PURCHASE_STATES);
/** Shown per queue; the rest is a link away. */
const SHOWN = 5;

/** Not a request or a quote: the queues at a glance, each a link into the tab. */
export function QueuesView() {
  const styles = useStyles();
  const { api, settings } = usePane();
  const unit = unitWords(settings);
  const queues = useApi(
    async (signal) => {
      const [requested, purchases, pool, forecast] = await Promise.all([
        api('listRegistrations', { query: { state: 'requested', limit: 200 }, signal }),
        api('listPurchases', { query: { limit: 200 }, signal }),
        api('pool', { signal }),
        api('poolForecast', { signal }),
      ]);
      return { requested, inFlight: purchases.items.filter((p) => IN_FLIGHT.has(p.state)), pool, forecast };
    },
    [],
  );

  if (queues.error) return <LazyApiErrorBar error={queues.error} title="The queues could not be loaded" onRetry={queues.reload} />;
  if (!queues.data) {
    return (
      <Skeleton aria-label="Loading the queues" className={styles.skeleton}>
        <SkeletonItem size={64} />
        <SkeletonItem size={64} />
        <SkeletonItem size={64} />
      </Skeleton>
    );
  }
  const { requested, inFlight, pool, forecast } = queues.data;
  const waiting = requested.items.length + (requested.nextCursor ? '+' : '');
  const now = new Date().toISOString();

  return (
    <section className={styles.root} aria-label="Queues at a glance">
      <Body1>This email is not an account request or a reseller quote. Here is what is waiting:</Body1>
      <Queue icon={<PersonClockRegular />} title={`Account requests waiting: ${waiting}`} page="registrations" linkText="Open Requests">
        {requested.items.length > 0 && (
          <ul className={styles.list}>
            {requested.items.slice(0, SHOWN).map((r) => (
              <li key={r.member.id}>
                <Caption1>
                  {r.member.displayName}, since {formatDay(r.registration.since)}
                </Caption1>
              </li>
            ))}
          </ul>
        )}
      </Queue>
      <Queue icon={<CartRegular />} title={`Purchases in flight: ${inFlight.length}`} page="purchases" linkText="Open Purchases">
        {inFlight.length > 0 && (
          <ul className={styles.list}>
            {inFlight.slice(0, SHOWN).map((p) => {
              const line = purchaseLine(p, settings, now, unit.blocks);
              return (
                <li key={p.id}>
                  <Caption1 className={line.slow ? styles.warning : undefined}>{line.text}</Caption1>
                </li>
              );
            })}
          </ul>
        )}
      </Queue>
      <Queue icon={<DataTrendingRegular />} title={`Pool: ${unit.amount(pool.balance)}`} page="pool" linkText="Open Pool">
        <Caption1 className={forecast.orderNow ? styles.warning : undefined}>
          {forecast.orderByDate
            ? `${forecast.orderNow ? 'Order now' : 'Order by'} ${formatDay(forecast.orderByDate)}: ${unit.blocks(forecast.recommendedBlocks)} recommended.`
            : `No order needed in the next ${forecast.horizonDays} days.`}
        </Caption1>
      </Queue>
    </section>
  );
}

/**
 * "2 blocks, waiting for approval for 1 working day (expected 2)", or "…, slow: waiting for the credits to
 * land for 9 working days (expected 7)": the rule and the reason the board and the feed alert give.
 */
function purchaseLine(p: PurchaseView, settings: PublicPolicy, now: string, blocks: (n: number) => string): { text: string; slow: boolean } {
  const slowness = purchaseSlowness(p, settings, now);
  if (!slowness) return { text: blocks(p.blocks), slow: false };
  const reason = slowness.reason.charAt(0).toLowerCase() + slowness.reason.slice(1);
  return { text: `${blocks(p.blocks)}, ${slowness.slow ? `slow: ${reason}` : reason}`, slow: slowness.slow };
}

function Queue(props: { icon: ReactElement; title: string; page: TabPage; linkText: string; children?: ReactNode }) {
  const styles = useStyles();
  const { tabLink } = usePane();
  return (
    <Card className={styles.card} size="small">
      <CardHeader image={props.icon} header={<Subtitle2 as="h2">{props.title}</Subtitle2>} />
      {props.children}
      <Link href={tabLink(props.page)} target="_blank">
        {props.linkText}
      </Link>
    </Card>
  );
}
