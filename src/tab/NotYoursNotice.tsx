import { MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { PageDef } from './pages.js';
import { PAGES } from './pages.js';

const useStyles = makeStyles({
  notice: { marginBottom: tokens.spacingVerticalL },
});

/** Who a page is for, as the notice names them. */
const AUDIENCE_WORDS: Record<PageDef['audience'], string> = { everyone: 'everyone', managers: 'the account managers and IT', it: 'IT' };

/** A link to a page the person cannot open lands them on their first page, with this said, not silently. */
export function NotYoursNotice(props: { asked: string; shown: PageDef }) {
  const styles = useStyles();
  const known = PAGES.find((p) => p.id === props.asked);
  return (
    <MessageBar intent="info" layout="multiline" className={styles.notice} data-testid="page-not-yours">
      <MessageBarBody>
        <MessageBarTitle>{known ? `${known.label} is a page for ${AUDIENCE_WORDS[known.audience]}` : 'There is no such page'}</MessageBarTitle>
        {known?.id === 'purchases' ? 'The account managers order more when the pool runs low. ' : ''}You are on {props.shown.label} instead.
      </MessageBarBody>
    </MessageBar>
  );
}
