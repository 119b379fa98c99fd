import { ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatCredits } from './format.js';

// Laid out as a Fluent Field would (label above the bar, the same spacing) without Field itself, which
// brings its validation icons and Label onto the tab's first load; the bar is named by its aria-label.
const useStyles = makeStyles({
  meter: { display: 'grid' },
  numbers: {
    display: 'flex',
    alignItems: 'baseline',
    gap: tokens.spacingHorizontalS,
    flexWrap: 'wrap',
    paddingTop: tokens.spacingVerticalXXS,
    paddingBottom: tokens.spacingVerticalXXS,
    marginBottom: tokens.spacingVerticalXXS,
  },
});

/** Own credits left of the allotment, as a meter that turns to warning when little is left. */
export function BalanceMeter({ left, total, unit }: { left: number; total: number; unit: string }) {
  const styles = useStyles();
  const share = total > 0 ? Math.max(0, Math.min(1, left / total)) : 0;
  const color = share === 0 ? 'error' : share < 0.2 ? 'warning' : 'brand';
  return (
    <div className={styles.meter}>
      <span className={styles.numbers}>
        <Text size={800} weight="semibold" data-testid="own-balance">
          {formatCredits(left)}
        </Text>
        <Text>
          of {formatCredits(total)} {unit} left
        </Text>
      </span>
      <ProgressBar value={share} max={1} color={color} thickness="large" aria-label={`${formatCredits(left)} of ${formatCredits(total)} ${unit} left`} />
    </div>
  );
}
