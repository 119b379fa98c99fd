import { Button, Card, CardHeader, MessageBar, MessageBarBody, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DismissRegular, ShieldRegular } from '@fluentui/react-icons';
import type { Settings } from '../../contract/schemas.js';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  code: { fontFamily: tokens.fontFamilyMonospace },
});

/** "spamquarantine@" is the start of an address: show it as such. */
export const digestFrom = (sender: string): string => (sender.endsWith('@') ? `${sender}…` : sender);

/** The Autodesk sender addresses as "a, b or c". */
export function sendersText(senders: readonly string[]): string {
  if (senders.length === 0) return 'Autodesk';
  if (senders.length === 1) return senders[0]!;
  return `${senders.slice(0, -1).join(', ')} or ${senders.at(-1)!}`;
}

/**
 * The quarantine helper. Searching the mailbox for the Autodesk email needs Microsoft Graph, which is not
 * wired yet; until then the panel lists what to check by hand.
 */
export function QuarantineHelper({ settings, onClose }: { settings: Settings; onClose: () => void }) {
  const styles = useStyles();
  const { autodeskSenders, digestSender, digestSubject } = settings.quarantine;
  return (
    <Card role="region" aria-label="Quarantine helper">
      <CardHeader
        image={<ShieldRegular fontSize={24} aria-hidden />}
        header={
          <Text as="h2" weight="semibold">
            Quarantine helper
          </Text>
        }
        action={
          <Button appearance="subtle" icon={<DismissRegular />} onClick={onClose}>
            Close the helper
          </Button>
        }
      />
      <MessageBar intent="info" layout="multiline">
        <MessageBarBody>
          The helper that searches your mailbox for the Autodesk email arrives with Microsoft Graph. Until then, check these by hand.
        </MessageBarBody>
      </MessageBar>
      <ol className={styles.list} aria-label="What to check by hand">
        <li>
          Search your inbox and your Junk Email folder for mail from <span className={styles.code}>{sendersText(autodeskSenders)}</span>.
        </li>
        <li>
          Find the spam quarantine digest: an email from <span className={styles.code}>{digestFrom(digestSender)}</span> with the subject “{digestSubject}”. It
          lists the mail held back for you.
        </li>
        <li>In the digest, choose Release next to the Autodesk email. It reaches your inbox within a few minutes.</li>
        <li>Open it and set up your Autodesk account with your work email, then come back here.</li>
        <li>
          No digest, or it has expired? Ask your account managers to have Autodesk send the invitation again.
        </li>
      </ol>
    </Card>
  );
}
