import {
  Button,
  CounterBadge,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, CartRegular, ChevronDownRegular, ChevronRightRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useId, useState } from 'react';
import type { PurchaseState } from '../../core/purchases/purchase-types.js';
import type { PurchaseEvent } from '../../core/purchases/purchase-rules.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { usePaged } from '../../ui/usePaged.js';
import { unitWords } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { MoveDialog } from './MoveDialog.js';
import { NewPurchaseDialog } from './NewPurchaseDialog.js';
import { PurchaseCard } from './PurchaseCard.js';
import type { PurchaseView } from './board.js';
import { BOARD_COLUMNS, STATE_LABEL, byColumn, leadTime } from './board.js';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  board: {
    display: 'grid',
    gridAutoFlow: 'column',
    gridAutoColumns: 'minmax(160px, 1fr)',
    gap: tokens.spacingHorizontalM,
    overflowX: 'auto',
    paddingBottom: tokens.spacingVerticalS,
    // Narrow screens: one column under the other.
    '@media (max-width: 720px)': { gridAutoFlow: 'row', gridAutoColumns: 'auto', gridTemplateColumns: 'minmax(0, 1fr)', overflowX: 'visible' },
  },
  column: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    minWidth: 0,
  },
  columnHeader: { display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalXS, margin: 0 },
  empty: { color: tokens.colorNeutralForeground3, padding: tokens.spacingVerticalS },
  emptyBoard: { padding: tokens.spacingVerticalXL, textAlign: 'center', display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalS },
  cancelled: { display: 'grid', gap: tokens.spacingHorizontalM, gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))' },
  skeleton: { display: 'grid', gap: tokens.spacingHorizontalM, gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))' },
});

/** Applied purchases pile up; the column shows the latest few unless asked for all. */
const APPLIED_SHOWN = 5;

function Column(props: { state: PurchaseState; items: PurchaseView[]; renderCard: (p: PurchaseView) => ReactNode; limit?: number }) {
  const styles = useStyles();
  const headingId = useId();
  const [all, setAll] = useState(false);
  const shown = props.limit && !all ? props.items.slice(0, props.limit) : props.items;
  return (
    <section className={styles.column} aria-labelledby={headingId}>
      <h3 className={styles.columnHeader}>
        <Text weight="semibold" id={headingId}>
          {STATE_LABEL[props.state]}
        </Text>
        <CounterBadge count={props.items.length} showZero appearance="ghost" color="informative" aria-label={`${props.items.length} purchases`} />
      </h3>
      {props.items.length === 0 ? <Text size={200} className={styles.empty}>None</Text> : shown.map(props.renderCard)}
      {shown.length < props.items.length ? (
        <Button size="small" appearance="subtle" onClick={() => setAll(true)}>
          Show all {props.items.length}
        </Button>
      ) : null}
    </section>
  );
}

/** The purchase board: one column per state, each card with the moves it can take next. */
export function PurchasesPage() {
  const styles = useStyles();
  const { api, settings } = useApp();
  const unit = unitWords(settings);
  const purchases = usePaged((cursor, signal) => api('listPurchases', { query: { limit: 200, ...(cursor ? { cursor } : {}) }, signal }), [api]);
  const [moving, setMoving] = useState<{ purchase: PurchaseView; type: PurchaseEvent }>();
  const [creating, setCreating] = useState(false);
  const [showCancelled, setShowCancelled] = useState(false);
  const [notice, setNotice] = useState<string>();
  const cancelledId = useId();

  const columns = byColumn(purchases.items);
  const slow = purchases.items.filter((p) => {
    const lead = leadTime(p, settings);
    return lead.open && lead.slow;
  });
  const lastCurrency = purchases.items.find((p) => p.currency)?.currency ?? 'USD';
  const replace = (next: PurchaseView) => purchases.update((items) => [next, ...items.filter((p) => p.id !== next.id)]);
  const card = (p: PurchaseView) => <PurchaseCard key={p.id} purchase={p} settings={settings} onMove={(type) => setMoving({ purchase: p, type })} />;

  return (
    <div className={styles.stack}>
      <div className={styles.header}>
        <div>
          <Text as="h2" size={500} weight="semibold" className={styles.heading}>
            Purchases
          </Text>
          <Text block className={styles.muted}>
            Quote, approval, order, then Autodesk applies the {unit.word}. Allow {settings.leadTimeDays.min}–{settings.leadTimeDays.max} working days end to end.
          </Text>
        </div>
        <Button appearance="primary" icon={<AddRegular />} onClick={() => setCreating(true)}>
          New purchase
        </Button>
      </div>

      {notice ? (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      ) : null}
      {slow.length ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {slow.length === 1 ? '1 purchase is' : `${slow.length} purchases are`} slower than expected
            </MessageBarTitle>
            Past the working days {slow.length === 1 ? 'its step allows: its card says' : 'their steps allow: each card says'} which step and for how long. Chase {settings.reseller.name} or the approver, and plan for the pool running short.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {purchases.error ? <ApiErrorBar error={purchases.error} title="Purchases did not load" onRetry={purchases.retry} /> : null}

      {purchases.loading ? (
        <Skeleton aria-label="Loading purchases" className={styles.skeleton}>
          <SkeletonItem size={128} />
          <SkeletonItem size={128} />
          <SkeletonItem size={128} />
        </Skeleton>
      ) : purchases.items.length === 0 && !purchases.error ? (
        <div className={styles.emptyBoard}>
          <CartRegular fontSize={32} aria-hidden />
          <Text>No purchases yet. Start one with “New purchase” when the pool runs low; it takes about {settings.leadTimeDays.max} working days.</Text>
        </div>
      ) : purchases.items.length > 0 ? (
        <>
          <div className={styles.board}>
            {BOARD_COLUMNS.map((state) => (
              <Column key={state} state={state} items={columns[state]} renderCard={card} {...(state === 'applied' ? { limit: APPLIED_SHOWN } : {})} />
            ))}
          </div>
          {columns.cancelled.length ? (
            <section aria-label="Cancelled purchases">
              <Button
                appearance="subtle"
                icon={showCancelled ? <ChevronDownRegular /> : <ChevronRightRegular />}
                aria-expanded={showCancelled}
                aria-controls={cancelledId}
                onClick={() => setShowCancelled((s) => !s)}
              >
                Cancelled ({columns.cancelled.length})
              </Button>
              {showCancelled ? (
                <div id={cancelledId} className={styles.cancelled}>
                  {columns.cancelled.map(card)}
                </div>
              ) : null}
            </section>
          ) : null}
        </>
      ) : null}

      {purchases.hasMore && !purchases.loading ? (
        <Button onClick={purchases.loadMore} disabled={purchases.loadingMore}>
          {purchases.loadingMore ? 'Loading…' : 'Load older purchases'}
        </Button>
      ) : null}

      {moving ? (
        <MoveDialog
          purchase={moving.purchase}
          type={moving.type}
          defaultCurrency={lastCurrency}
          onClose={() => setMoving(undefined)}
          onDone={(next) => {
            replace(next);
            setMoving(undefined);
            setNotice(`Purchase of ${unit.blocks(next.blocks)} is now “${STATE_LABEL[next.state]}”.`);
          }}
        />
      ) : null}
      {creating ? (
        <NewPurchaseDialog
          onClose={() => setCreating(false)}
          onDone={(created) => {
            replace(created);
            setCreating(false);
            setNotice(`Purchase of ${unit.blocks(created.blocks)} started. Next: ask ${settings.reseller.name} for a quote.`);
          }}
        />
      ) : null}
    </div>
  );
}
