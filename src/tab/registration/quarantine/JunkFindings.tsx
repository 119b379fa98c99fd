import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { MailInboxArrowDownRegular } from '@fluentui/react-icons';
import type { JunkFinding, MailboxHelper } from '../../../mail/graph-mail.js';
import { ApiErrorBar } from '../../../ui/ApiErrorBar.js';
import { formatDateTime } from '../../../ui/format.js';
import { Facts } from './Facts.js';
import { useHelperStyles } from './styles.js';
import { useMoveToInbox } from './useMailboxSearch.js';

function JunkRow({ finding, mailbox }: { finding: JunkFinding; mailbox: MailboxHelper | undefined }) {
  const styles = useHelperStyles();
  const { state, move } = useMoveToInbox(mailbox, finding.id);
  return (
    <li className={styles.finding}>
      <Facts
        rows={[
          ['From', finding.fromName ? `${finding.fromName} <${finding.from}>` : finding.from],
          ['Subject', finding.subject || '(no subject)'],
          ['Received', formatDateTime(finding.receivedDateTime)],
        ]}
      />
      {state.status === 'moved' ? (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Moved to your Inbox</MessageBarTitle>
            Open Outlook and finish registration from the email, then come back and choose “I've completed registration”.
          </MessageBarBody>
        </MessageBar>
      ) : (
        <div className={styles.actions}>
          <Button icon={<MailInboxArrowDownRegular />} disabled={state.status === 'moving'} onClick={move}>
            {state.status === 'moving' ? 'Moving…' : 'Move to Inbox'}
          </Button>
        </div>
      )}
      {state.status === 'failed' ? <ApiErrorBar error={state.error} title="Not moved" onRetry={move} /> : null}
    </li>
  );
}

/** The Junk case: Outlook put the Autodesk email in Junk Email; one click puts it back in the Inbox. */
export function JunkFindings({ findings, mailbox }: { findings: JunkFinding[]; mailbox: MailboxHelper | undefined }) {
  const styles = useHelperStyles();
  return (
    <section className={styles.section} aria-labelledby="quarantine-junk-heading">
      <Text as="h3" weight="semibold" className={styles.heading} id="quarantine-junk-heading">
        In your Junk Email folder
      </Text>
      <Text>Outlook filed {findings.length === 1 ? 'this email from Autodesk' : 'these emails from Autodesk'} as junk:</Text>
      <ul className={styles.findings} aria-label="Autodesk emails in Junk Email">
        {findings.map((f) => (
          <JunkRow key={f.id} finding={f} mailbox={mailbox} />
        ))}
      </ul>
    </section>
  );
}
