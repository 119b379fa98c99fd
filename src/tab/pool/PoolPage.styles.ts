import { makeStyles, tokens } from '@fluentui/react-components';

export const usePoolPageStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  figures: { display: 'grid', gap: tokens.spacingVerticalL, gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))' },
  figure: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  section: { gap: tokens.spacingVerticalM, minWidth: 0 },
  tableWrap: { overflowX: 'auto' },
  number: { textAlign: 'end', whiteSpace: 'nowrap' },
  // A header cell lays its label out in a flex button: align that, not the text.
  endAligned: { justifyContent: 'flex-end' },
  wrap: { overflowWrap: 'break-word' },
  remaining: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: '80px' },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalM },
});
