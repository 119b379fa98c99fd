import { useApp } from '../../app-context.js';
import { useHelperStyles } from './styles.js';
import { digestFrom, sendersText } from './words.js';

/** What to check without the search: when the mailbox cannot be searched, the person can still do it by hand. */
export function ByHandChecklist() {
  const styles = useHelperStyles();
  const { autodeskSenders, digestSender, digestSubject } = useApp().settings.quarantine;
  return (
    <ol className={styles.list} aria-label="What to check by hand">
      <li>
        Search your inbox and your Junk Email folder for mail from <span className={styles.code}>{sendersText(autodeskSenders)}</span>.
      </li>
      <li>
        Find the spam quarantine digest: an email from <span className={styles.code}>{digestFrom(digestSender)}</span> with the subject “{digestSubject}”. It lists
        the mail held back for you.
      </li>
      <li>In the digest, choose Release next to the Autodesk email. It reaches your inbox within a few minutes.</li>
      <li>Open it and set up your Autodesk account with your work email, then come back here.</li>
    </ol>
  );
}
