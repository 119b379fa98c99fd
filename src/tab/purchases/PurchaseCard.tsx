import { Badge, Button, Card, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import type { PurchaseEvent } from '../../core/purchases/purchase-rules.js';
import type { PublicPolicy } from '../../contract/schemas.js';
import { formatDateTime, formatRelative, unitWords } from '../../ui/format.js';
import { formatPrice } from '../../ui/money.js';
import type { PurchaseView } from './board.js';
import { enteredStateAt, leadTime, leadTimeWords, moveLabel, movesFor } from './board.js';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalXS },
  slow: { borderLeft: `${tokens.strokeWidthThickest} solid ${tokens.colorPaletteRedBorder2}` },
  title: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  reason: { overflowWrap: 'anywhere' },
  moves: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS, marginTop: tokens.spacingVerticalXS },
});

/** One purchase on the board: what it is, where it is, how long it has taken, and its next moves. */
export function PurchaseCard({ purchase: p, settings, onMove }: { purchase: PurchaseView; settings: PublicPolicy; onMove: (type: PurchaseEvent) => void }) {
  const styles = useStyles();
  const titleId = useId();
  const lead = leadTime(p, settings);
  const entered = enteredStateAt(p);
  const expected = `${settings.leadTimeDays.min}–${settings.leadTimeDays.max}`;
  const moves = movesFor(p.state);
  const unit = unitWords(settings);
  return (
    <Card size="small" className={mergeClasses(styles.card, lead.slow && lead.open && styles.slow)} aria-labelledby={titleId}>
      <div className={styles.title}>
        <Text weight="semibold" id={titleId}>
          {unit.blocks(p.blocks)} · {unit.amount(p.credits)}
        </Text>
        {lead.slow && lead.open ? (
          <Badge appearance="filled" color="danger">
            Slow
          </Badge>
        ) : null}
      </div>
      {p.reason ? <Text size={200} className={styles.reason}>{p.reason}</Text> : null}
      {p.quoteNumber ? (
        <Text size={200}>
          Quote {p.quoteNumber}
          {p.price !== null ? ` · ${formatPrice(p.price, p.currency)}` : ''}
        </Text>
      ) : null}
      {p.poNumber ? <Text size={200}>PO {p.poNumber}</Text> : null}
      <Text size={200} className={styles.muted} title={formatDateTime(entered)}>
        {p.state === 'requested' ? 'Requested' : 'Moved here'} {formatRelative(entered)}
      </Text>
      {p.state === 'cancelled' ? null : (
        <Text size={200} className={lead.open && lead.slow ? undefined : styles.muted}>
          {leadTimeWords(lead, expected)}
        </Text>
      )}
      {moves.length ? (
        <div className={styles.moves} role="group" aria-label="Move on">
          {moves.map((type) => (
            <Button key={type} size="small" appearance={type === 'cancelled' ? 'subtle' : type === moves[0] ? 'primary' : 'secondary'} onClick={() => onMove(type)}>
              {moveLabel(type, unit)}…
            </Button>
          ))}
        </div>
      ) : null}
    </Card>
  );
}
