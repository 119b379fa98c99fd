import { Badge, Text, makeStyles, tokens } from '@fluentui/react-components';
import { PACK_WARNING_DAYS } from '../../core/ledger/packs.js';
import { dayNumber } from '../../core/policy/policy.js';
import type { ResponseOf } from '../../contract/routes.js';
import { formatCredits, formatDateTime, formatDay } from '../../ui/format.js';

type Lot = ResponseOf<'pool'>['lots'][number];

const useStyles = makeStyles({
  cell: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS },
});

/** Packs in the order draws take them: earliest expiry first, then those without one; expired packs last. */
export function inDrawOrder(lots: readonly Lot[]): Lot[] {
  const rank = (l: Lot) => (l.expiredAt ? 2 : l.expiresAt ? 0 : 1);
  return [...lots].sort((a, b) => rank(a) - rank(b) || (a.expiresAt ?? '').localeCompare(b.expiresAt ?? '') || a.appliedAt.localeCompare(b.appliedAt));
}

/**
 * When a Flex pack expires. Within 90 days, while something is left in it, a badge counts the days (red
 * within 30), as the feed's warnings do; an expired pack says what it lost.
 */
export function PackExpiry({ lot, now = new Date() }: { lot: Lot; now?: Date }) {
  const styles = useStyles();
  if (lot.expiredAt) {
    return (
      <Text>
        Expired {formatDay(lot.expiredAt)}
        {lot.expired ? ` · ${formatCredits(lot.expired)} lost` : ''}
      </Text>
    );
  }
  if (!lot.expiresAt) return <>—</>;
  const daysLeft = dayNumber(lot.expiresAt) - dayNumber(now.toISOString());
  const [warn, urgent] = PACK_WARNING_DAYS;
  const soon = daysLeft <= warn && lot.remaining > 0;
  return (
    <div className={styles.cell}>
      <span title={formatDateTime(lot.expiresAt)}>{formatDay(lot.expiresAt)}</span>
      {soon ? (
        <Badge appearance="tint" color={daysLeft <= urgent ? 'danger' : 'warning'}>
          {daysLeft === 1 ? '1 day left' : `${Math.max(daysLeft, 0)} days left`}
        </Badge>
      ) : null}
    </div>
  );
}
