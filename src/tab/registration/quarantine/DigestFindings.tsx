import { Link, Text } from '@fluentui/react-components';
import { OpenRegular } from '@fluentui/react-icons';
import type { DigestFinding } from '../../../mail/graph-mail.js';
import { formatDateTime } from '../../../ui/format.js';
import { Facts } from './Facts.js';
import { useHelperStyles } from './styles.js';
import { heldWhen } from './words.js';

/**
 * The IronPort case: the spam filter held the Autodesk email before it reached the mailbox, and a digest
 * lists it. Which one, when, and its Release link (in a new tab: it is the quarantine's own web page).
 */
export function DigestFindings({ findings }: { findings: DigestFinding[] }) {
  const styles = useHelperStyles();
  return (
    <section className={styles.section} aria-labelledby="quarantine-digest-heading">
      <Text as="h3" weight="semibold" className={styles.heading} id="quarantine-digest-heading">
        Held in the spam quarantine
      </Text>
      <Text>
        The firm's spam filter (IronPort) held {findings.length === 1 ? 'this Autodesk email' : 'these Autodesk emails'} back, so{' '}
        {findings.length === 1 ? 'it never reached' : 'they never reached'} your mailbox. The quarantine digest in your inbox lists{' '}
        {findings.length === 1 ? 'it' : 'them'}:
      </Text>
      <ul className={styles.findings} aria-label="Held Autodesk emails">
        {findings.map((f) => (
          <li key={`${f.digestId}|${f.releaseUrl ?? f.heldSubject}`} className={styles.finding}>
            <Facts
              rows={[
                ['From', f.heldFrom],
                ['Subject', f.heldSubject || 'as shown in the digest'],
                ['Held', heldWhen(f.heldAt, formatDateTime) ?? 'not stated'],
                ['In the digest of', formatDateTime(f.receivedDateTime)],
              ]}
            />
            <div className={styles.actions}>
              {f.releaseUrl ? (
                <Link href={f.releaseUrl} target="_blank" rel="noopener noreferrer">
                  Release it from the quarantine <OpenRegular aria-label="(opens in a new tab)" />
                </Link>
              ) : (
                <Text>Open the digest in Outlook and choose Release next to this email.</Text>
              )}
            </div>
          </li>
        ))}
      </ul>
      <Text>
        Released mail reaches your inbox within a few minutes. Open it there, set up your Autodesk account with your work email, then come back and choose
        “I've completed registration”.
      </Text>
    </section>
  );
}
