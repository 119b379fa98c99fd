import {
  Badge,
  Button,
  Card,
  CardHeader,
  Link,
  MessageBar,
  MessageBarBody,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, PeopleTeamRegular, WalletCreditCardRegular } from '@fluentui/react-icons';
import { Suspense, lazy, useEffect, useState } from 'react';
import { BalanceMeter } from '../../ui/BalanceMeter.js';
import { formatCredits } from '../../ui/format.js';
import { useApp } from '../app-context.js';
// The dialog (and the form validation it brings) loads when someone opens it, not with the landing page.
const LogUsageDialog = lazy(() => import('./LogUsageDialog.js').then((m) => ({ default: m.LogUsageDialog })));

const useStyles = makeStyles({
  grid: { display: 'grid', gap: tokens.spacingVerticalL, gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  figure: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/** Why the person may or may not draw on the shared pool, in plain words. */
export function poolEligibility(registered: boolean, own: number, unit: string): { may: boolean; text: string } {
  if (!registered) return { may: false, text: `You need a registered Autodesk account before you can use ${unit}.` };
  if (own > 0) return { may: false, text: `You still have your own ${unit}. Your usage draws on the shared pool only once they are used up.` };
  return { may: true, text: `Your own ${unit} are used up, so your usage now draws on the shared pool.` };
}

export function MyCreditsPage() {
  const styles = useStyles();
  const { me, settings, navigate, refreshMe } = useApp();
  const [logging, setLogging] = useState(false);
  // The pool moves while the tab is open (others draw, purchases land): refresh on every visit.
  useEffect(() => {
    refreshMe().catch(() => {});
  }, [refreshMe]);
  const unit = settings.unitName === 'Flex tokens' ? 'tokens' : 'credits';
  const registered = me.registration.state === 'registered';
  const eligibility = poolEligibility(registered, me.credits.own - me.credits.held, unit);

  return (
    <div className={styles.stack}>
      {!registered ? (
        <MessageBar intent="info">
          <MessageBarBody>
            {eligibility.text} <Link onClick={() => navigate('registration')}>Go to registration</Link>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.grid}>
        <Card>
          <CardHeader image={<WalletCreditCardRegular fontSize={24} />} header={<Text weight="semibold">Your own {unit}</Text>} />
          <BalanceMeter left={me.credits.own} total={settings.individualAllotment} unit={unit} />
          {me.credits.held > 0 ? <Text>{formatCredits(me.credits.held)} held for planned jobs.</Text> : null}
          <div className={styles.actions}>
            <Button appearance="primary" icon={<AddRegular />} disabled={!registered} onClick={() => setLogging(true)}>
              Log usage
            </Button>
            <Button onClick={() => navigate('history')}>History</Button>
          </div>
        </Card>
        <Card>
          <CardHeader
            image={<PeopleTeamRegular fontSize={24} />}
            header={<Text weight="semibold">Shared pool</Text>}
            action={<Badge appearance="tint" color={eligibility.may ? 'success' : 'informative'}>{eligibility.may ? 'You draw on it' : 'Not yet yours to use'}</Badge>}
          />
          <div className={styles.figure}>
            <Text size={800} weight="semibold" data-testid="pool-balance">
              {formatCredits(me.credits.pool)}
            </Text>
            <Text>{unit} in the pool</Text>
          </div>
          <Text>{eligibility.text}</Text>
        </Card>
        <Card>
          <CardHeader header={<Text weight="semibold">What you can spend now</Text>} />
          <div className={styles.figure}>
            <Text size={800} weight="semibold" data-testid="available">
              {formatCredits(me.credits.available)}
            </Text>
            <Text>{unit}</Text>
          </div>
          <Text>
            {registered
              ? `Your own ${formatCredits(Math.max(me.credits.own - me.credits.held, 0))} first, then the pool's ${formatCredits(me.credits.pool)}.`
              : 'Nothing until your registration is complete.'}
          </Text>
        </Card>
      </div>
      {logging ? (
        <Suspense fallback={null}>
          <LogUsageDialog onClose={() => setLogging(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
