import { makeStyles, tokens } from '@fluentui/react-components';

export const useMembersPageStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  filters: { display: 'grid', gap: tokens.spacingHorizontalM, gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))', alignItems: 'end' },
  dropdown: { minWidth: 0, width: '100%' },
  tableWrap: { overflowX: 'auto', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
  person: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, overflowWrap: 'anywhere' },
  number: { textAlign: 'end', whiteSpace: 'nowrap' },
  // A header cell lays its label out in a flex button: align that, not the text.
  endAligned: { justifyContent: 'flex-end' },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  empty: { padding: tokens.spacingVerticalXL, textAlign: 'center', display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalS },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});
