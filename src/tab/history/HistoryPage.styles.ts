import { makeStyles, tokens } from '@fluentui/react-components';
import { NARROW } from '../../ui/responsiveTable.js';

export const useHistoryPageStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  title: { marginRight: 'auto' },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end' },
  filter: { flex: '1 1 160px', minWidth: 0 },
  search: { flex: '2 1 220px', minWidth: 0 },
  // Mid-width screens scroll the table sideways; on narrow ones (a phone, Teams mobile) each entry is a
  // stacked block with its labels, date, entry and amount first.
  scroller: { overflowX: 'auto', maxWidth: '100%' },
  table: { minWidth: '820px', [NARROW]: { minWidth: 0 } },
  // A stacked entry leaves out the labels of what it does not have (no project, no note).
  blankWhenStacked: { [NARROW]: { display: 'none' } },
  amountCol: { width: '150px' },
  dateCol: { width: '120px' },
  recordedCol: { width: '150px' },
  muted: { color: tokens.colorNeutralForeground3 },
  plus: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  minus: { fontWeight: tokens.fontWeightSemibold },
  pool: { color: tokens.colorNeutralForeground2 },
  footer: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: tokens.spacingHorizontalM },
  empty: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS, padding: tokens.spacingVerticalL },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});
