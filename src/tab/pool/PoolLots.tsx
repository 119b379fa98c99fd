import { Card, CardHeader, Link, ProgressBar, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, mergeClasses } from '@fluentui/react-components';
import { formatCredits, formatDateTime, formatDay } from '../../ui/format.js';
import { formatPrice } from '../../ui/money.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { PackExpiry, inDrawOrder } from './PackExpiry.js';
import { usePoolPageStyles } from './PoolPage.styles.js';
import { lotName } from './lot-name.js';
import type { Pool, PoolPageState } from './usePoolPage.js';

type Lot = Pool['lots'][number];

function pricePerCredit(price: number, lot: Lot, unit: string): string {
  return lot.credits > 0 ? `${formatPrice(price / lot.credits, lot.currency ?? null)} per ${unit.slice(0, -1)}` : '';
}

/** What the pool is made of: one lot (a Flex pack) per applied purchase, with prices for those who see them. */
export function PoolLots({ lots, state }: { lots: Lot[]; state: PoolPageState }) {
  const styles = usePoolPageStyles();
  const { withPrices, goToPurchases } = state;
  const flex = state.words.flex;
  const lotsLabel = flex ? 'Packs' : 'Lots';
  return (
    <Card className={styles.section}>
      <CardHeader header={<Text weight="semibold">What the pool is made of</Text>} description={flex ? 'One pack per applied purchase, drawn earliest-expiring first; what is left when a pack expires is lost.' : 'One lot per applied purchase, drawn oldest first.'} />
      {lots.length === 0 ? (
        <Text className={styles.muted}>
          No purchases applied yet.{' '}
          {withPrices ? (
            <>
              <Link onClick={goToPurchases}>Start a purchase</Link> to fill the pool.
            </>
          ) : (
            'The account managers order the first.'
          )}
        </Text>
      ) : (
        <div className={styles.tableWrap} tabIndex={0} role="region" aria-label={`${lotsLabel}, scrollable`}>
          <LotsTable lots={lots} state={state} label={lotsLabel} />
        </div>
      )}
    </Card>
  );
}

function LotsTable({ lots, state, label }: { lots: Lot[]; state: PoolPageState; label: string }) {
  const styles = usePoolPageStyles();
  const rt = useResponsiveTableStyles();
  const { withPrices } = state;
  const { word: unit, label: unitLabel, flex } = state.words;
  return (
    <Table size="small" aria-label={label} className={rt.table}>
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
        {(flex ? inDrawOrder(lots) : lots).map((lot) => (
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
  );
}
