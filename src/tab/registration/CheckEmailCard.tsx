import { Button, Card, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { CheckmarkCircleRegular, MailInboxRegular, ShieldRegular } from '@fluentui/react-icons';
import { workingDaysBetween } from '../../core/policy/policy.js';
import { isStuck } from '../../core/registration/registration-rules.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatDay } from '../../ui/format.js';
import { useAction } from '../../ui/useAction.js';
import { useApp } from '../app-context.js';
import { Heading } from './card-parts.js';
import { digestFrom, sendersText } from './quarantine/words.js';
import { useStyles } from './RegistrationPage.styles.js';

const HELPER_PAGE = 'registration?helper';

/** Account created: find the Autodesk email (usually in the quarantine) and say when it is done. */
export function CheckEmailCard() {
  const styles = useStyles();
  const { api, me, settings, refreshMe, navigate } = useApp();
  const complete = useAction(async (idempotencyKey) => {
    await api('registrationEvent', { params: { memberId: me.member.id }, body: { type: 'completed' }, idempotencyKey });
    await refreshMe();
  });
  const waited = workingDaysBetween(settings, me.registration.since, new Date().toISOString());
  const stuck = isStuck({ registration: me.registration }, new Date().toISOString(), settings);
  const { autodeskSenders, digestSender, digestSubject } = settings.quarantine;
  // The mailbox helper is opt-in (it needs the delegated Mail.ReadWrite IT grants): off, it is not offered.
  const helperOn = settings.features.mailboxHelper;
  return (
    <Card>
      <Heading icon={<MailInboxRegular fontSize={24} aria-hidden />}>Check your email</Heading>
      <div className={styles.body}>
        {stuck ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Still waiting after {waited} working days?</MessageBarTitle>
              The Autodesk email is most likely held in the spam quarantine.{' '}
              {helperOn ? 'The quarantine helper shows where to look.' : 'The steps below show where to look.'}
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <Text>
          Your Autodesk account was created on {formatDay(me.registration.since)}. Autodesk has emailed you from{' '}
          <span className={styles.code}>{sendersText(autodeskSenders)}</span> to set it up. That email usually lands in the IronPort spam quarantine, not in
          your inbox.
        </Text>
        <ol className={styles.list} aria-label="How to finish">
          <li>
            Look for the quarantine digest email from <span className={styles.code}>{digestFrom(digestSender)}</span>, subject “{digestSubject}”.
          </li>
          <li>Release the Autodesk email from it; it then arrives in your inbox.</li>
          <li>Open it and set up your Autodesk account with your work email.</li>
          <li>Come back here and choose “I've completed registration”.</li>
        </ol>
        {complete.error ? <ApiErrorBar error={complete.error} title="Not recorded" onRetry={() => void complete.run()} /> : null}
        <div className={styles.actions}>
          <Button appearance="primary" icon={<CheckmarkCircleRegular />} disabled={complete.busy} onClick={() => void complete.run()}>
            {complete.busy ? 'Saving…' : "I've completed registration"}
          </Button>
          {helperOn ? (
            <Button icon={<ShieldRegular />} onClick={() => navigate(HELPER_PAGE)}>
              Open the quarantine helper
            </Button>
          ) : null}
        </div>
      </div>
    </Card>
  );
}

