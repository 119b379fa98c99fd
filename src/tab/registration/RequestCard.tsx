import { Button, Card, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { useAction } from '../../ui/useAction.js';
import { useApp } from '../app-context.js';
import { Heading } from './card-parts.js';
import { useStyles } from './RegistrationPage.styles.js';

/** The form: who is asking (from the sign-in, not editable) and one button. */
export function RequestCard({ declined }: { declined: boolean }) {
  const styles = useStyles();
  const { api, me, refreshMe } = useApp();
  const request = useAction(async (idempotencyKey) => {
    await api('createRegistration', { body: {}, idempotencyKey });
    await refreshMe();
  });
  return (
    <Card>
      <Heading icon={<PersonAddRegular fontSize={24} aria-hidden />}>{declined ? 'Request your Autodesk account again' : 'Request your Autodesk account'}</Heading>
      <div className={styles.body}>
        {declined ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Your last request was declined</MessageBarTitle>
              An account manager could not add you to the contract. Ask your account managers why; if it still applies, request again.
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <Text>
          You need an Autodesk account under the firm's contract to use Autodesk cloud services. The request goes to the account managers with the name and
          email you signed in with.
        </Text>
        <div className={styles.fields}>
          <Field label="Name">
            <Input readOnly value={me.member.displayName} />
          </Field>
          <Field label="Work email">
            <Input readOnly type="email" value={me.member.email} />
          </Field>
        </div>
        {request.error ? <ApiErrorBar error={request.error} title="Your request was not sent" onRetry={() => void request.run()} /> : null}
        <div className={styles.actions}>
          <Button appearance="primary" icon={<PersonAddRegular />} disabled={request.busy} onClick={() => void request.run()}>
            {request.busy ? 'Sending…' : 'Request my Autodesk account'}
          </Button>
        </div>
      </div>
    </Card>
  );
}

