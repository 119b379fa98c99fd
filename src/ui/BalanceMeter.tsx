import { Field, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatCredits } from './format.js';

const useStyles = makeStyles({
  numbers: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Own credits left of the allotment, as a meter that turns to warning when little is left. */
export function BalanceMeter({ left, total, unit }: { left: number; total: number; unit: string }) {
  const styles = useStyles();
  const share = total > 0 ? Math.max(0, Math.min(1, left / total)) : 0;
  const color = share === 0 ? 'error' : share < 0.2 ? 'warning' : 'brand';
  return (
    <Field
      label={
        <span className={styles.numbers}>
          <Text size={800} weight="semibold" data-testid="own-balance">
            {formatCredits(left)}
          </Text>
          <Text>
            of {formatCredits(total)} {unit} left
          </Text>
        </span>
      }
      validationState="none"
    >
      <ProgressBar value={share} max={1} color={color} thickness="large" aria-label={`${formatCredits(left)} of ${formatCredits(total)} ${unit} left`} />
    </Field>
  );
}
