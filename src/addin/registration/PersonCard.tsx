import {
  Body1,
  Button,
  Caption1,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Persona,
  Skeleton,
  SkeletonItem,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { Suspense, lazy, useState } from 'react';
import type { MemberLookupResponse } from '../../contract/schemas.js';
import type { PersonMention } from '../../mail/mail-triage.js';
import { LazyApiErrorBar } from '../../ui/LazyApiErrorBar.js';
import { formatCredits, formatDay, unitWords } from '../../ui/format.js';
import { RegistrationStateBadge } from '../../ui/RegistrationStateBadge.js';
import { useAction } from '../../ui/useAction.js';
import { useApi } from '../../ui/useApi.js';
import { usePane } from '../pane-context.js';
import type { PaneEvent, PersonDetails } from './person-situation.js';
import { situationOf } from './person-situation.js';
import { RecordStep } from './RecordStep.js';

// The dialog loads when someone raises a request, not with the pane.
const RaiseRequestDialog = lazy(() => import('./RaiseRequestDialog.js').then((m) => ({ default: m.RaiseRequestDialog })));

const useStyles = makeStyles({
  // Fluent's filled Card, as it looks: the Card component itself brings Tabster's focus groups (about
  // 24 kB gzipped before the pane's first view), which a card nobody focuses or selects does not use.
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: '12px',
    boxSizing: 'border-box',
    padding: tokens.spacingHorizontalM,
    position: 'relative',
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
    color: tokens.colorNeutralForeground1,
    overflow: 'hidden',
    // The border over the content, as Card draws it (visible in the high-contrast theme), taking no room.
    '::after': {
      content: '""',
      position: 'absolute',
      inset: 0,
      pointerEvents: 'none',
      border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
      borderRadius: tokens.borderRadiusMedium,
    },
  },
  facts: { display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  stuck: { color: tokens.colorPaletteDarkOrangeForeground1 },
  value: { margin: 0, minWidth: 0, overflowWrap: 'anywhere' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

const DONE: Record<PaneEvent | 'requested', string> = {
  requested: 'Request raised. The account managers are told in Teams.',
  account_created: 'Account created recorded. They are told in Teams to look for the Autodesk email.',
  already_registered: 'Recorded as already registered: their own credits are theirs now.',
  declined: 'Request declined. They see your reason in Credit Desk.',
};

/** One person the email names: who they are to Credit Desk and the directory, and the steps that fit. */
export function PersonCard({ mention }: { mention: PersonMention }) {
  const styles = useStyles();
  const { api, tabLink, settings } = usePane();
  const unit = unitWords(settings);
  const lookup = useApi((signal) => api('memberLookup', { query: { email: mention.email }, signal }), [mention.email]);
  const [done, setDone] = useState<string>();
  const [raising, setRaising] = useState(false);
  const raise = useAction(async (idempotencyKey) => {
    const name = lookup.data?.directory.person?.displayName ?? lookup.data?.member?.member.displayName ?? mention.name;
    await api('createRegistration', { body: { email: mention.email, ...(name ? { displayName: name } : {}) }, idempotencyKey });
    setRaising(false);
    setDone(DONE.requested);
    lookup.reload();
  });
  const stepDone = (event: PaneEvent) => {
    setDone(DONE[event]);
    lookup.reload();
  };

  if (lookup.error) return <LazyApiErrorBar error={lookup.error} title={`${mention.email} could not be looked up`} onRetry={lookup.reload} />;
  if (!lookup.data) {
    return (
      <Skeleton aria-label={`Looking up ${mention.email}`} className={styles.skeleton}>
        <SkeletonItem size={40} />
        <SkeletonItem size={64} />
      </Skeleton>
    );
  }

  const situation = situationOf(lookup.data);
  const person = personOf(lookup.data, mention);

  return (
    <div role="group" className={styles.card} aria-label={`${person.name}, ${person.email}`}>
      <Persona name={person.name} secondaryText={person.email} tertiaryText={person.detail} size="medium" avatar={{ color: 'colorful' }} />
      {situation.kind === 'member' && (
        <dl className={styles.facts}>
          <dt className={styles.term}>Registration</dt>
          <dd className={styles.value}>
            <RegistrationStateBadge state={situation.record.registration.state} /> <Caption1>since {formatDay(situation.record.registration.since)}</Caption1>
            {situation.record.registration.stuck && (
              <Caption1 className={styles.stuck} block>
                Waiting longer than expected: the Autodesk email may be in quarantine (see Requests).
              </Caption1>
            )}
          </dd>
          <dt className={styles.term}>Own {unit.word}</dt>
          <dd className={styles.value}>{formatCredits(situation.record.credits.own)} left</dd>
          <dt className={styles.term}>From the pool</dt>
          <dd className={styles.value}>{formatCredits(situation.record.credits.poolDrawn)} drawn</dd>
          {situation.record.registration.reason && (
            <>
              <dt className={styles.term}>Reason</dt>
              <dd className={styles.value}>{situation.record.registration.reason}</dd>
            </>
          )}
        </dl>
      )}

      {done && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      {raise.error && !raising ? <LazyApiErrorBar error={raise.error} title="Not saved" onRetry={() => void raise.run()} /> : null}

      {situation.kind === 'member' && situation.inDirectory === false && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>No longer in the firm&apos;s directory: check whether they have left before giving them an account.</MessageBarBody>
        </MessageBar>
      )}
      {situation.kind === 'directory_only' && !done && <Body1>Not in Credit Desk yet: nobody has asked for an account for them.</Body1>}
      {situation.kind === 'unknown' && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Not in the firm&apos;s directory</MessageBarTitle>
            Nobody at {mention.email} works here, as far as the directory knows. Check the address (a personal address, or someone who
            has not started yet?) and ask them to write from their work address.
          </MessageBarBody>
        </MessageBar>
      )}
      {situation.kind === 'directory_down' && (
        <LazyApiErrorBar error={new Error('The directory is not answering, so a request cannot be raised for someone new yet.')} title="Directory unavailable" onRetry={lookup.reload} />
      )}
      {situation.kind === 'member' && situation.events.length === 0 && !situation.mayRequest && !done && (
        <Body1>Nothing to do here: {stateWords(situation.record.registration.state)}</Body1>
      )}

      <div className={styles.actions}>
        {situation.kind === 'member' && situation.events.map((event) => <RecordStep key={event} event={event} record={situation.record} onDone={stepDone} />)}
        {((situation.kind === 'member' && situation.mayRequest) || situation.kind === 'directory_only') && (
          <Button appearance="primary" onClick={() => setRaising(true)}>
            Raise request
          </Button>
        )}
      </div>
      <Link href={tabLink('registrations')} target="_blank">
        Open Requests in Credit Desk
      </Link>

      {raising && (
        <Suspense fallback={null}>
          <RaiseRequestDialog person={person} busy={raise.busy} error={raise.error} onConfirm={() => void raise.run()} onClose={() => setRaising(false)} />
        </Suspense>
      )}
    </div>
  );
}

/** The directory's words first, then Credit Desk's, then what the email said. */
function personOf(lookup: MemberLookupResponse, mention: PersonMention): PersonDetails {
  const directory = lookup.directory.person;
  const member = lookup.member?.member;
  const detail = [directory?.jobTitle, directory?.office ?? member?.office].filter(Boolean).join(', ');
  return { name: directory?.displayName ?? member?.displayName ?? mention.name ?? mention.email, email: lookup.email, detail: detail || undefined };
}

function stateWords(state: string): string {
  if (state === 'registered') return 'they are registered and have their credits.';
  if (state === 'left') return 'they have left the firm.';
  return 'their request is with Autodesk.';
}
