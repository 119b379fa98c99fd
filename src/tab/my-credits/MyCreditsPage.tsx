import {
  Badge,
  Button,
  Card,
  CardHeader,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
// Icons of the first screen from their own modules: the package's shared icon modules hold many more.
import { AddRegular } from '@fluentui/react-icons/svg/add';
import { LockClosedRegular } from '@fluentui/react-icons/svg/lock-closed';
import { PeopleTeamRegular } from '@fluentui/react-icons/svg/people-team';
import { WalletCreditCardRegular } from '@fluentui/react-icons/svg/wallet-credit-card';
import { Suspense, lazy, useCallback, useEffect, useState } from 'react';
import type { HoldView } from '../../contract/schemas.js';
import { AfterFirstPaint } from '../../ui/AfterFirstPaint.js';
import { formatCredits, unitWords } from '../../ui/format.js';
import { useApi } from '../../ui/useApi.js';
import { useApp } from '../app-context.js';
import { OwnBalance } from './OwnBalance.js';
// The holds (a table) load once the balance is on screen, and the dialogs (with the form validation they bring) when
// someone opens them: neither comes with the landing page.
// The notice to someone not (or no longer) registered loads only for them.
const StandingNotice = lazy(() => import('./StandingNotice.js').then((m) => ({ default: m.StandingNotice })));
const OpenHolds = lazy(() => import('./OpenHolds.js').then((m) => ({ default: m.OpenHolds })));
const LogUsageDialog = lazy(() => import('./LogUsageDialog.js').then((m) => ({ default: m.LogUsageDialog })));
const ReserveDialog = lazy(() => import('./ReserveDialog.js').then((m) => ({ default: m.ReserveDialog })));

const useStyles = makeStyles({
  grid: { display: 'grid', gap: tokens.spacingVerticalL, gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))' },
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  figure: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/**
 * Why the person may or may not draw on the shared pool, in plain words. Without an allotment (Flex mode)
 * nobody had own ones to use up: everyone draws on the pool. Someone who has left is not sent to register.
 */
export function poolEligibility(registered: boolean, own: number, unit: string, noAllotment = false, left = false): { may: boolean; text: string } {
  if (left) return { may: false, text: `You have left the firm's Autodesk contract, so you no longer use ${unit} from it.` };
  if (!registered) return { may: false, text: `You need a registered Autodesk account before you can use ${unit}.` };
  if (own > 0) return { may: false, text: `You still have your own ${unit}. Your usage draws on the shared pool only once they are used up.` };
  if (noAllotment) return { may: true, text: `With no personal allotment, everyone's usage draws on the shared pool.` };
  return { may: true, text: `Your own ${unit} are used up, so your usage now draws on the shared pool.` };
}

/** "120 held for planned jobs: 100 of your own and 20 from the pool." (the split once the holds are loaded). */
function heldWords(held: number, holds: readonly HoldView[] | undefined): string {
  const base = `${formatCredits(held)} held for planned jobs`;
  if (!holds || holds.length === 0) return `${base}.`;
  const own = holds.reduce((a, h) => a + h.fromOwn, 0);
  const pool = holds.reduce((a, h) => a + h.fromPool, 0);
  if (pool === 0) return `${base}, all of your own.`;
  if (own === 0) return `${base}, all from the pool.`;
  return `${base}: ${formatCredits(own)} of your own and ${formatCredits(pool)} from the pool.`;
}

export function MyCreditsPage() {
  const styles = useStyles();
  const { api, me, settings, navigate, refreshMe } = useApp();
  const [logging, setLogging] = useState(false);
  const [reserving, setReserving] = useState(false);
  // The pool moves while the tab is open (others draw, purchases land): refresh on every visit.
  useEffect(() => {
    refreshMe().catch(() => {});
  }, [refreshMe]);
  const unit = unitWords(settings).word;
  const registered = me.registration.state === 'registered';
  const left = me.registration.state === 'left';
  const noAllotment = settings.individualAllotment === 0;
  const hasOwn = me.credits.own > 0;
  // Held credits have left `own` already; own credits a hold reserves still come before the pool.
  const eligibility = poolEligibility(registered, me.mayDrawFromPool ? 0 : me.credits.own + me.credits.held, unit, noAllotment, left);
  const holds = useApi(
    (signal) => (registered ? api('listHolds', { query: { state: 'held', limit: 50 }, signal }) : Promise.resolve({ items: [], nextCursor: null })),
    [api, registered],
  );
  const settledHolds = useApi(
    (signal) => (registered ? api('listHolds', { query: { state: 'settled', limit: 5 }, signal }) : Promise.resolve({ items: [], nextCursor: null })),
    [api, registered],
  );
  const reloadOpen = holds.reload;
  const reloadSettled = settledHolds.reload;
  const reloadHolds = useCallback(() => {
    reloadOpen();
    reloadSettled();
  }, [reloadOpen, reloadSettled]);
  const closeLogging = useCallback(() => {
    setLogging(false);
    // A usage settles an open hold: show the list as it is now.
    reloadHolds();
  }, [reloadHolds]);

  return (
    <div className={styles.stack}>
      {left || !registered ? (
        <Suspense fallback={<span aria-busy="true" />}>
          <StandingNotice left={left} eligibilityText={eligibility.text} own={me.credits.own} unit={unit} />
        </Suspense>
      ) : null}
      <div className={styles.grid}>
        <Card>
          <CardHeader image={<WalletCreditCardRegular fontSize={24} />} header={<Text weight="semibold">{noAllotment && !hasOwn ? `Your ${unit}` : `Your own ${unit}`}</Text>} />
          <OwnBalance own={me.credits.own} allotment={settings.individualAllotment} unit={unit} />
          {me.credits.held > 0 ? <Text data-testid="held">{heldWords(me.credits.held, holds.data?.items)}</Text> : null}
          <div className={styles.actions}>
            <Button appearance="primary" icon={<AddRegular />} disabled={!registered} onClick={() => setLogging(true)}>
              Log usage
            </Button>
            <Button icon={<LockClosedRegular />} disabled={!registered} onClick={() => setReserving(true)}>
              Reserve {unit}
            </Button>
            <Button onClick={() => navigate('history')}>History</Button>
          </div>
        </Card>
        <Card>
          <CardHeader
            image={<PeopleTeamRegular fontSize={24} />}
            header={<Text weight="semibold">Shared pool</Text>}
            action={<Badge appearance="tint" color={eligibility.may ? 'success' : 'informative'}>{eligibility.may ? 'You draw on it' : left ? 'Not yours to use' : 'Not yet yours to use'}</Badge>}
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
            {left
              ? 'Nothing: you have left the contract.'
              : registered
              ? (noAllotment && !hasOwn
                  ? 'All of it from the shared pool.'
                  : `Your own ${formatCredits(Math.max(me.credits.own, 0))} first, then the pool's ${formatCredits(Math.max(me.credits.pool, 0))}.`) +
                (me.credits.held > 0 ? ` Not counting the ${formatCredits(me.credits.held)} you have reserved.` : '')
              : 'Nothing until your registration is complete.'}
          </Text>
        </Card>
      </div>
      {registered ? (
        <AfterFirstPaint fallback={<Spinner label="Loading your holds…" />}>
          <OpenHolds holds={holds.data?.items} settled={settledHolds.data?.items} loading={holds.loading} error={holds.error} unit={unit} onRetry={reloadHolds} onChanged={reloadHolds} />
        </AfterFirstPaint>
      ) : null}
      {logging ? (
        <Suspense fallback={null}>
          <LogUsageDialog onClose={closeLogging} openHolds={holds.data?.items ?? []} />
        </Suspense>
      ) : null}
      {reserving ? (
        <Suspense fallback={null}>
          <ReserveDialog onClose={() => setReserving(false)} onReserved={reloadHolds} />
        </Suspense>
      ) : null}
    </div>
  );
}
