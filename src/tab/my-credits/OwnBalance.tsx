import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { BalanceMeter } from '../../ui/BalanceMeter.js';
import { formatCredits } from '../../ui/format.js';

const useStyles = makeStyles({
  figure: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground2 },
});

/**
 * The person's own credits as a meter of their allotment. Without an allotment (Flex mode has none), a meter
 * of "0 of 0" means nothing: what is left from before the switch shows as a figure, or, with nothing left,
 * a line on where usage comes from.
 */
export function OwnBalance({ own, allotment, unit }: { own: number; allotment: number; unit: string }) {
  const styles = useStyles();
  if (allotment > 0) return <BalanceMeter left={own} total={allotment} unit={unit} />;
  if (own > 0) {
    return (
      <div className={styles.figure}>
        <Text size={800} weight="semibold" data-testid="own-balance">
          {formatCredits(own)}
        </Text>
        <Text>{unit} of your own left, used before the shared pool</Text>
      </div>
    );
  }
  return <Text className={styles.muted}>No personal allotment: the {unit} you use come from the shared pool.</Text>;
}
