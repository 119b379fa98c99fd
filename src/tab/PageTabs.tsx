import { Overflow, OverflowItem, makeStyles } from '@fluentui/react-components';
import { RovingTab, RovingTabList } from '../ui/RovingTabList.js';
import { MorePagesMenu } from './MorePagesMenu.js';
import { PageIcon } from './page-icons.js';
import type { PageDef } from './pages.js';

/**
 * Room kept free at the bar's ends, in px: the tabs' focus ring (2 px outside a tab) must not be clipped.
 * The overflow manager measures the bar with its padding, so it is told the same amount plus a small margin.
 */
const BAR_PADDING = 8;
const OVERFLOW_PADDING = 2 * BAR_PADDING + 4;

const useStyles = makeStyles({
  // Clipped sideways only, so a tab's focus ring shows above and below it.
  bar: { display: 'flex', alignItems: 'center', minWidth: 0, overflowX: 'clip', paddingInline: `${BAR_PADDING}px` },
  tabs: { flexShrink: 0 },
});

/**
 * The pages as tabs. Tabs that do not fit move, from the end, into a "More" menu; the selected page's tab
 * is the last to go, so it stays on screen whatever the width.
 */
export function PageTabs(props: { pages: PageDef[]; selected: string; onSelect: (id: string) => void }) {
  const styles = useStyles();
  const { pages, selected, onSelect } = props;
  return (
    <Overflow minimumVisible={1} padding={OVERFLOW_PADDING}>
      <div className={styles.bar}>
        <RovingTabList className={styles.tabs} selectedValue={selected} onTabSelect={(_e, data) => onSelect(String(data.value))} size="medium">
          {pages.map((p) => (
            <OverflowItem key={p.id} id={p.id} priority={p.id === selected ? 1 : 0}>
              <RovingTab value={p.id} icon={<PageIcon id={p.id} />}>
                {p.label}
              </RovingTab>
            </OverflowItem>
          ))}
        </RovingTabList>
        <MorePagesMenu pages={pages} onSelect={onSelect} />
      </div>
    </Overflow>
  );
}
