import { Caption1, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { ImportView } from '../../contract/imports.js';
import { formatCredits, formatDay } from '../../ui/format.js';
import { DELIMITER_LABEL, ENCODING_LABEL, FORMAT_LABEL, describeFormatting } from './import-words.js';

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

/** What the importer found in the file: its format, how many rows of each kind, the total, dates and how it is written. */
export function ImportSummary({ view, unit }: { view: ImportView; unit: string }) {
  const styles = useStyles();
  const { rows } = view;
  // Opening balances have no dates and no repeats (each person once): those figures would only puzzle.
  const opening = view.kind === 'opening_balances';
  const item = (term: string, value: string | number, testId?: string, wide?: boolean) => (
    <div className={mergeClasses(styles.item, wide && styles.wide)}>
      <dt className={styles.term}>
        <Caption1>{term}</Caption1>
      </dt>
      <dd className={styles.value} data-testid={testId}>
        <Text weight="semibold">{value}</Text>
      </dd>
    </div>
  );
  return (
    <dl className={styles.list} aria-label="What the file holds">
      {item('Format', view.format ? FORMAT_LABEL[view.format] : 'Not recognised', 'import-format', true)}
      {item('Rows', rows.total, 'rows-total')}
      {item('Valid', rows.valid, 'rows-valid')}
      {item('Refused', rows.refused, 'rows-refused')}
      {item('Unmatched people’s rows', rows.unmatched, 'rows-unmatched')}
      {item('Skipped', rows.skipped, 'rows-skipped')}
      {opening ? null : item('Repeated', rows.repeated, 'rows-repeated')}
      {item(opening ? `Own ${unit} used` : `Total ${unit}`, formatCredits(view.amount), 'import-amount')}
      {opening ? null : item('Dates', view.dateRange ? (view.dateRange.from === view.dateRange.to ? formatDay(view.dateRange.from) : `${formatDay(view.dateRange.from)} – ${formatDay(view.dateRange.to)}`) : '—', 'import-dates', true)}
      {item('Encoding', describeFormatting(view.encoding, ENCODING_LABEL), 'import-encoding')}
      {item('Separator', describeFormatting(view.delimiter, DELIMITER_LABEL), 'import-delimiter')}
    </dl>
  );
}
