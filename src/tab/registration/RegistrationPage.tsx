import {
  Badge,
  Button,
  Card,
  CardHeader,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import {
  CheckmarkCircleRegular,
  ClockRegular,
  MailInboxRegular,
  PersonAddRegular,
  PersonArrowLeftRegular,
  PersonSupportRegular,
  ShieldRegular,
} from '@fluentui/react-icons';
import type { ReactElement, ReactNode } from 'react';
import { workingDaysBetween } from '../../core/policy/policy.js';
import { isStuck } from '../../core/registration/registration-rules.js';
import type { MeResponse, PublicPolicy } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatCredits, formatDay } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { useHashFlag } from './hash-query.js';
import { QuarantineHelper } from './QuarantineHelper.js';
import { digestFrom, sendersText } from './quarantine/words.js';
import { RegistrationSteps } from './RegistrationSteps.js';
import { useAction } from '../../ui/useAction.js';

const HELPER_PAGE = 'registration?helper';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  grid: { display: 'grid', gap: tokens.spacingVerticalL, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 300px), 1fr))', alignItems: 'start' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  fields: { display: 'grid', gap: tokens.spacingHorizontalM, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 200px), 1fr))' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  plainList: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  code: { fontFamily: tokens.fontFamilyMonospace },
  figure: { display: 'flex', alignItems: 'baseline', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

const unitWord = (settings: PublicPolicy) => (settings.unitName === 'Flex tokens' ? 'tokens' : 'credits');

function Heading({ icon, children }: { icon: ReactElement; children: ReactNode }) {
  return (
    <CardHeader
      image={icon}
      header={
        <Text as="h2" weight="semibold" size={400}>
          {children}
        </Text>
      }
    />
  );
}

/** The form: who is asking (from the sign-in, not editable) and one button. */
function RequestCard({ declined }: { declined: boolean }) {
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

/** Requested: it is the account managers' turn. */
function WaitingCard() {
  const styles = useStyles();
  const { me } = useApp();
  return (
    <Card>
      <Heading icon={<ClockRegular fontSize={24} aria-hidden />}>An account manager is adding you</Heading>
      <div className={styles.body}>
        <Text>
          You asked on {formatDay(me.registration.since)}. An account manager checks the contract and adds you to it, usually within 1–2 working days. There
          is nothing for you to do until Autodesk emails you.
        </Text>
      </div>
    </Card>
  );
}

/** Account created: find the Autodesk email (usually in the quarantine) and say when it is done. */
function CheckEmailCard() {
  const styles = useStyles();
  const { api, me, settings, refreshMe, navigate } = useApp();
  const complete = useAction(async (idempotencyKey) => {
    await api('registrationEvent', { params: { memberId: me.member.id }, body: { type: 'completed' }, idempotencyKey });
    await refreshMe();
  });
  const waited = workingDaysBetween(settings, me.registration.since, new Date().toISOString());
  const stuck = isStuck({ registration: me.registration }, new Date().toISOString(), settings);
  const { autodeskSenders, digestSender, digestSubject } = settings.quarantine;
  return (
    <Card>
      <Heading icon={<MailInboxRegular fontSize={24} aria-hidden />}>Check your email</Heading>
      <div className={styles.body}>
        {stuck ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Still waiting after {waited} working days?</MessageBarTitle>
              The Autodesk email is most likely held in the spam quarantine. The quarantine helper shows where to look.
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
          <Button icon={<ShieldRegular />} onClick={() => navigate(HELPER_PAGE)}>
            Open the quarantine helper
          </Button>
        </div>
      </div>
    </Card>
  );
}

/** Registered: what the account brings. */
function BenefitsCard() {
  const styles = useStyles();
  const { me, settings, navigate } = useApp();
  const unit = unitWord(settings);
  return (
    <Card>
      <Heading icon={<CheckmarkCircleRegular fontSize={24} aria-hidden />}>You're registered</Heading>
      <div className={styles.body}>
        <Text>Your Autodesk account is set up under the firm's contract. It gives you:</Text>
        <ul className={styles.list} aria-label="Your benefits">
          <li>
            {settings.individualAllotment > 0 ? (
              <>
                <Text weight="semibold">
                  Your {formatCredits(settings.individualAllotment)} {settings.unitName}
                </Text>{' '}
                for Autodesk cloud services; {formatCredits(me.credits.own)} are left. Once they are used up, your usage draws on the shared pool.{' '}
              </>
            ) : (
              <>
                <Text weight="semibold">{settings.unitName}</Text> for Autodesk cloud services, from the shared pool.{' '}
              </>
            )}
            <Link onClick={() => navigate('my-credits')}>See your {unit}</Link>
          </li>
          <li>
            <Text weight="semibold">Autodesk email support</Text>: as a named user under the contract you can ask Autodesk support for help by email.
          </li>
          <li>
            <Text weight="semibold">Home-use downloads</Text>: you may install the software at home for work.{' '}
            <Link href={settings.homeUseKbUrl} target="_blank" rel="noopener noreferrer">
              How to get home-use downloads (KB)
            </Link>
          </li>
        </ul>
      </div>
    </Card>
  );
}

/** Left the firm: what stays behind. */
function LeftCard() {
  const styles = useStyles();
  const { me, settings } = useApp();
  const unit = unitWord(settings);
  return (
    <Card>
      <Heading icon={<PersonArrowLeftRegular fontSize={24} aria-hidden />}>You have left the contract</Heading>
      <div className={styles.body}>
        <Text>Your Autodesk account is no longer part of the firm's contract, so you cannot log usage any more.</Text>
        <div className={styles.figure}>
          <Text size={600} weight="semibold" data-testid="stranded">
            {formatCredits(me.credits.own)}
          </Text>
          <Text>of your own {unit} left</Text>
          <Badge appearance="tint" color="warning">
            Stranded
          </Badge>
        </div>
        <Text>Autodesk cannot move these {unit} to anyone else, so they stay unused. Talk to your account managers if this is wrong.</Text>
      </div>
    </Card>
  );
}

/** What happens after the request, and how long it usually takes. */
function NextCard() {
  const styles = useStyles();
  const { settings } = useApp();
  return (
    <Card>
      <Heading icon={<ClockRegular fontSize={24} aria-hidden />}>What happens next</Heading>
      <ol className={styles.list} aria-label="What happens next">
        <li>An account manager checks the contract and adds you to it, usually within 1–2 working days.</li>
        <li>
          Autodesk then emails you an invitation to set up your account. That email usually lands in the spam quarantine: watch for the quarantine digest (“
          {settings.quarantine.digestSubject}”).
        </li>
        <li>
          You set up the account, come back here and say so. {settings.individualAllotment > 0 ? `Your ${formatCredits(settings.individualAllotment)} ${settings.unitName} are then yours.` : ''}
        </li>
      </ol>
    </Card>
  );
}

function ContactsCard() {
  const styles = useStyles();
  const { settings } = useApp();
  const managers = settings.accountManagers;
  return (
    <Card>
      <Heading icon={<PersonSupportRegular fontSize={24} aria-hidden />}>Questions?</Heading>
      {managers.length === 0 ? (
        <Text>Contact your account managers.</Text>
      ) : (
        <>
          <Text>Contact your account managers:</Text>
          <ul className={styles.plainList} aria-label="Your account managers">
            {managers.map((m) => (
              <li key={m.email}>
                <Link href={`mailto:${m.email}`}>{m.name}</Link> <Text className={styles.code}>{m.email}</Text>
              </li>
            ))}
          </ul>
        </>
      )}
    </Card>
  );
}

function MainCard({ state }: { state: MeResponse['registration']['state'] }) {
  switch (state) {
    case 'not_requested':
      return <RequestCard declined={false} />;
    case 'declined':
      return <RequestCard declined />;
    case 'requested':
      return <WaitingCard />;
    case 'account_created':
      return <CheckEmailCard />;
    case 'registered':
      return <BenefitsCard />;
    case 'left':
      return <LeftCard />;
  }
}

/** Registration: the steps to an Autodesk account under the contract, and what to do at each. */
export function RegistrationPage() {
  const styles = useStyles();
  const { me, navigate } = useApp();
  const helper = useHashFlag('helper');
  const state = me.registration.state;
  const explainsNext = state === 'not_requested' || state === 'declined' || state === 'requested';

  return (
    <div className={styles.stack}>
      <Text as="h1" size={500} weight="semibold">
        Your Autodesk account
      </Text>
      {state !== 'left' ? <RegistrationSteps state={state} /> : null}
      {helper && state !== 'registered' && state !== 'left' ? <QuarantineHelper onClose={() => navigate('registration')} /> : null}
      <div className={styles.grid}>
        <MainCard state={state} />
        <div className={styles.stack}>
          {explainsNext ? <NextCard /> : null}
          <ContactsCard />
        </div>
      </div>
    </div>
  );
}
