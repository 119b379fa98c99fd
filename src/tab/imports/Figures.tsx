import { Caption1, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  list: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(140px, 1fr))',
    '@media (max-width: 600px)': { gridTemplateColumns: 'repeat(auto-fill, minmax(110px, 1fr))' },
    gap: tokens.spacingHorizontalM,
    margin: 0,
  },
  item: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    minWidth: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  // Two columns even at 320 px (110 px each and a gap fit in the 264 px left), so a span of two never overflows.
  wide: { gridColumn: 'span 2' },
});

/** A grid of named figures (a description list), as the import's summary and result show them. */
export function FigureList(props: { label: string; children: ReactNode }) {
  return (
    <dl className={useStyles().list} aria-label={props.label}>
      {props.children}
    </dl>
  );
}

/** One figure: its name above its value; `wide` takes two columns. */
export function Figure(props: { term: string; value: string | number; testId?: string | undefined; wide?: boolean | undefined }) {
  const styles = useStyles();
  return (
    <div className={mergeClasses(styles.item, props.wide && styles.wide)}>
      <dt className={styles.term}>
        <Caption1>{props.term}</Caption1>
      </dt>
      <dd className={styles.value} data-testid={props.testId}>
        <Text weight="semibold">{props.value}</Text>
      </dd>
    </div>
  );
}
