import {
  Button,
  Card,
  CardHeader,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PersonAddRegular } from '@fluentui/react-icons';
import type { FormEvent } from 'react';
import { useRef, useState } from 'react';
import type { RegistrationState } from '../../core/ledger/member.js';
import type { MemberRecord } from '../../contract/schemas.js';
import { CreateRegistrationBody } from '../../contract/schemas.js';
import { ApiError, newIdempotencyKey } from '../../platform/api-client.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import type { PickedPerson } from '../../ui/PeoplePicker.js';
import { PeoplePicker } from '../../ui/PeoplePicker.js';
import { REGISTRATION_STATE_LABEL } from '../../ui/RegistrationStateBadge.js';
import { useApp } from '../app-context.js';

const useStyles = makeStyles({
  form: { display: 'grid', gap: tokens.spacingHorizontalM, gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', alignItems: 'end' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** A refusal the manager can act on, in plain words; undefined for anything else. */
function explain(error: unknown, email: string): { title: string; text: string } | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.code === 'NOT_FOUND') {
    return {
      title: 'Nobody with that address',
      text: `${email} is not in the firm's directory. Check the spelling (it must be their work address); someone who has not started yet cannot be added.`,
    };
  }
  if (error.code === 'INVALID_TRANSITION') {
    const from = (error.details as { from?: RegistrationState } | undefined)?.from;
    return {
      title: 'Nothing to raise',
      text: `${email} ${from ? `is already "${REGISTRATION_STATE_LABEL[from]}"` : 'already has a request'}. Find them in the list below to move it on.`,
    };
  }
  return undefined;
}

/** Raise an Autodesk account request on someone's behalf, from their email address. */
export function RaiseRequestForm({ onRaised }: { onRaised: (record: MemberRecord) => void }) {
  const styles = useStyles();
  const { api } = useApp();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const [error, setError] = useState<unknown>();
  const [sentFor, setSentFor] = useState('');
  const [raised, setRaised] = useState<MemberRecord>();
  // One key per request raised; kept while a lost answer may be retried.
  const keyRef = useRef(newIdempotencyKey());

  const body = { email: email.trim(), ...(displayName.trim() ? { displayName: displayName.trim() } : {}) };
  const valid = CreateRegistrationBody.safeParse(body).success && body.email !== '';
  const showEmailError = email.trim() !== '' && !valid;

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (busyRef.current || !valid) return;
    busyRef.current = true;
    setBusy(true);
    setError(undefined);
    setRaised(undefined);
    setSentFor(body.email);
    try {
      const { member } = await api('createRegistration', { body, idempotencyKey: keyRef.current });
      keyRef.current = newIdempotencyKey();
      setRaised(member);
      setEmail('');
      setDisplayName('');
      onRaised(member);
    } catch (reason) {
      if (!(reason instanceof ApiError) || !reason.retryable) keyRef.current = newIdempotencyKey();
      setError(reason);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  /** A person chosen in the picker fills the address and the name; both stay editable. */
  function fillFrom(person: PickedPerson) {
    setEmail(person.email);
    setDisplayName(person.displayName);
    setError(undefined);
    setRaised(undefined);
  }

  const explained = error ? explain(error, sentFor) : undefined;
  return (
    <Card>
      <CardHeader image={<PersonAddRegular fontSize={24} />} header={<Text weight="semibold">Raise a request for someone</Text>} description="Find them in the directory, or type their work address: that is enough." />
      <div className={styles.stack}>
        <PeoplePicker api={api} onSelect={fillFrom} />
        <form className={styles.form} onSubmit={(e) => void submit(e)} aria-label="Raise a request for someone">
          <Field label="Work email" required validationState={showEmailError ? 'error' : 'none'} validationMessage={showEmailError ? 'Enter an address like name@firm.com.' : undefined}>
            <Input type="email" value={email} onChange={(_e, data) => setEmail(data.value)} autoComplete="off" />
          </Field>
          <Field label="Name (optional, if the directory has none)">
            <Input value={displayName} onChange={(_e, data) => setDisplayName(data.value)} autoComplete="off" />
          </Field>
          <Button type="submit" appearance="primary" disabled={busy || !valid}>
            {busy ? 'Raising…' : 'Raise request'}
          </Button>
        </form>
        {explained ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{explained.title}</MessageBarTitle>
              {explained.text}
            </MessageBarBody>
          </MessageBar>
        ) : error ? (
          <ApiErrorBar error={error} title="Request not raised" onRetry={() => void submit()} />
        ) : null}
        {raised ? (
          <MessageBar intent="success">
            <MessageBarBody>
              <MessageBarTitle>Request raised</MessageBarTitle>
              {raised.member.displayName} ({raised.member.email}) is now in the queue.
            </MessageBarBody>
          </MessageBar>
        ) : null}
      </div>
    </Card>
  );
}
