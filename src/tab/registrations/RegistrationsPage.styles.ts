import { makeStyles, tokens } from '@fluentui/react-components';

export const useRegistrationsPageStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  heading: { margin: 0 },
  // On a narrow screen the filters wrap onto more lines, each label whole (a cut "Accour…" named nothing).
  filterTabs: { flexWrap: 'wrap' },
  filterTab: { flexShrink: 0, maxWidth: '100%' },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  tableWrap: { overflowX: 'auto', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
  checkCell: { width: '44px' },
  visuallyHidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
  actionsCell: { width: '120px' },
  person: { display: 'flex', flexDirection: 'column', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, minWidth: 0, overflowWrap: 'anywhere' },
  stateCell: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS, paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  done: { color: tokens.colorPaletteGreenForeground1, display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  failed: { color: tokens.colorPaletteRedForeground1, display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  empty: { padding: tokens.spacingVerticalXL, textAlign: 'center', display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalS },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});
