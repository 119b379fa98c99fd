import { Badge, Card, Link, Text } from '@fluentui/react-components';
import { CheckmarkCircleRegular, ClockRegular, PersonArrowLeftRegular } from '@fluentui/react-icons';
import { formatCredits, formatDay } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { Heading, unitWord } from './card-parts.js';
import { useStyles } from './RegistrationPage.styles.js';

/** Requested: it is the account managers' turn. */
export function WaitingCard() {
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

/** Registered: what the account brings. */
export function BenefitsCard() {
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
export function LeftCard() {
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
