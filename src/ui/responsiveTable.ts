import { makeStyles, tokens } from '@fluentui/react-components';

/** Below this width a table's rows become stacked blocks: a phone or a narrow Teams side panel. */
export const NARROW = '@media (max-width: 600px)';

/**
 * Classes that turn a Fluent `Table` into stacked rows on narrow screens (down to 320 px) and leave it a
 * table otherwise. Put `table`, `header`, `body`, `row` and `cell` on the parts; `full` makes a cell take its
 * own line; `labelled` shows the cell's `data-label` before its value, since the header row is hidden.
 */
export const useResponsiveTableStyles = makeStyles({
  table: { [NARROW]: { display: 'block', width: '100%' } },
  header: { [NARROW]: { display: 'none' } },
  body: { [NARROW]: { display: 'block' } },
  row: {
    [NARROW]: {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'center',
      columnGap: tokens.spacingHorizontalM,
      rowGap: tokens.spacingVerticalXXS,
      paddingTop: tokens.spacingVerticalS,
      paddingBottom: tokens.spacingVerticalS,
    },
  },
  cell: { [NARROW]: { display: 'block', width: 'auto', height: 'auto', minWidth: 0, paddingLeft: 0, paddingRight: 0, textAlign: 'start' } },
  full: { [NARROW]: { flexBasis: '100%' } },
  grow: { [NARROW]: { flexGrow: 1, flexBasis: 0 } },
  labelled: {
    [NARROW]: {
      '::before': { content: 'attr(data-label) ": "', color: tokens.colorNeutralForeground3 },
    },
  },
});
