import { Card, Link, Text } from '@fluentui/react-components';
import { ClockRegular, PersonSupportRegular } from '@fluentui/react-icons';
import { formatCredits } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { Heading } from './card-parts.js';
import { useStyles } from './RegistrationPage.styles.js';

/** What happens after the request, and how long it usually takes. */
export function NextCard() {
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

/** Who to ask: the account managers IT listed. */
export function ContactsCard() {
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
