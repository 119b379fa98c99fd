import { Button, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { PersonFeedbackRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ApiErrorBar } from '../../../ui/ApiErrorBar.js';
import { useAction } from '../../../ui/useAction.js';
import { useApp } from '../../app-context.js';
import { useHelperStyles } from './styles.js';
import { sendersText } from './words.js';

/** Tells the account managers (a stuck-registration alert in their feed); asking twice raises it once. */
function TellManagers() {
  const styles = useHelperStyles();
  const { api, me } = useApp();
  const [told, setTold] = useState<{ already: boolean }>();
  const tell = useAction(async (idempotencyKey) => {
    const answer = await api('requestRegistrationHelp', { params: { memberId: me.member.id }, idempotencyKey });
    setTold({ already: answer.alreadyFlagged });
  });
  if (me.registration.state !== 'account_created') {
    return <Text>Once an account manager has created your Autodesk account, you can tell them here if the email does not turn up.</Text>;
  }
  if (told) {
    return (
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{told.already ? 'The account managers already know' : 'The account managers know'}</MessageBarTitle>
          {told.already
            ? 'You told them earlier; your registration is flagged as stuck. They will check with IT and Autodesk and get back to you.'
            : 'Your registration is flagged as stuck in their feed. They will check with IT and Autodesk and get back to you.'}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <>
      {tell.error ? <ApiErrorBar error={tell.error} title="The account managers were not told" onRetry={() => void tell.run()} /> : null}
      <div className={styles.actions}>
        <Button appearance="primary" icon={<PersonFeedbackRegular />} disabled={tell.busy} onClick={() => void tell.run()}>
          {tell.busy ? 'Telling them…' : 'Tell the account managers'}
        </Button>
      </div>
    </>
  );
}

/** Nothing from Autodesk anywhere the helper looked: what else to check, and a way to ask for help. */
export function NothingFound() {
  const styles = useHelperStyles();
  const { me, settings } = useApp();
  const { autodeskSenders, digestSubject } = settings.quarantine;
  return (
    <section className={styles.section} aria-labelledby="quarantine-nothing-heading">
      <Text as="h3" weight="semibold" className={styles.heading} id="quarantine-nothing-heading">
        Nothing from Autodesk in your mailbox
      </Text>
      <Text>No quarantine digest lists an Autodesk email, and there is none in your Junk Email folder from the last 30 days.</Text>
      <ul className={styles.list} aria-label="What else to check">
        <li>
          Other folders: search all of Outlook for <span className={styles.code}>{sendersText(autodeskSenders)}</span>. A rule may have moved it, or it may be
          archived.
        </li>
        <li>The quarantine digest (“{digestSubject}”) arrives once a day: if your account was created today, search again tomorrow.</li>
        <li>
          The address: Autodesk writes to the address your account was created with, <span className={styles.code}>{me.member.email}</span>. If you also use
          another address, look there.
        </li>
      </ul>
      <TellManagers />
    </section>
  );
}
