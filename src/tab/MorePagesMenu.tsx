import { Menu, MenuButton, MenuItem, MenuList, MenuPopover, MenuTrigger, makeStyles, tokens, useIsOverflowItemVisible, useOverflowMenu } from '@fluentui/react-components';
import { MoreHorizontalRegular } from '@fluentui/react-icons';
import { PageIcon } from './page-icons.js';
import type { PageDef } from './pages.js';

const useStyles = makeStyles({
  // Reads like the tabs beside it (their labels are regular weight), not like a command button.
  button: { flexShrink: 0, alignSelf: 'center', minWidth: 'auto', fontWeight: tokens.fontWeightRegular },
});

/** The accessible name of the "More" button (tests/e2e find it by this name). */
const MORE_PAGES_LABEL = 'More pages';

/** One page in the More menu, listed only while its tab is hidden for lack of room. */
function HiddenPageItem(props: { page: PageDef; onSelect: (id: string) => void }) {
  const { page, onSelect } = props;
  const tabVisible = useIsOverflowItemVisible(page.id);
  if (tabVisible) return null;
  return (
    <MenuItem icon={<PageIcon id={page.id} />} onClick={() => onSelect(page.id)}>
      {page.label}
    </MenuItem>
  );
}

/** The "More" button after the last tab that fits, with a menu of the pages whose tabs do not fit. */
export function MorePagesMenu(props: { pages: PageDef[]; onSelect: (id: string) => void }) {
  const styles = useStyles();
  const { ref, isOverflowing } = useOverflowMenu<HTMLButtonElement>();
  if (!isOverflowing) return null;
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <MenuButton ref={ref} className={styles.button} appearance="subtle" icon={<MoreHorizontalRegular />} aria-label={MORE_PAGES_LABEL}>
          More
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {props.pages.map((page) => (
            <HiddenPageItem key={page.id} page={page} onSelect={props.onSelect} />
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
