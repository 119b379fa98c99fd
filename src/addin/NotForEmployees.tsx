import { Link, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { usePane } from './pane-context.js';

const useStyles = makeStyles({ root: { padding: tokens.spacingHorizontalM } });

/** The pane acts on requests and quotes: that is account managers' and IT's work. */
export function NotForEmployees() {
  const styles = useStyles();
  const { tabLink } = usePane();
  return (
    <div className={styles.root}>
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>For account managers</MessageBarTitle>
          Credit Desk in Outlook handles account requests and reseller quotes. Your own credits and registration are in the{' '}
          <Link href={tabLink('my-credits')} target="_blank" inline>
            Credit Desk tab
          </Link>
          .
        </MessageBarBody>
      </MessageBar>
    </div>
  );
}
