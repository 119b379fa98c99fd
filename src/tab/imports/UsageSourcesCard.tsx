import { Badge, Body1, Button, Caption1, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowSyncRegular, SettingsRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { UsageSourceStatus } from '../../contract/usage-sources.js';
import { SOURCE_NAME } from '../../core/usage-pull/pull-words.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatDateTime, formatDay } from '../../ui/format.js';
import { useAction } from '../../ui/useAction.js';
import { useApp } from '../app-context.js';
import type { UsageSourcesState } from './useUsageSources.js';

const useStyles = makeStyles({
  cards: { display: 'grid', gap: tokens.spacingVerticalM, gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 320px), 1fr))' },
  card: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXXS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
});

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
const days = (window: { from: string; to: string }) => (window.from === window.to ? formatDay(window.from) : `${formatDay(window.from)} to ${formatDay(window.to)}`);

/** Where a running pull is, in words. */
function stageWords(running: NonNullable<UsageSourceStatus['running']>): string {
  switch (running.stage) {
    case 'starting':
      return 'Starting the pull';
    case 'requested':
      return 'Asked Autodesk for the usage export';
    case 'processing':
      return `Autodesk is making the export (asked ${count(running.polls, 'time', 'times')} so far)`;
    case 'downloading':
      return 'Downloading the export';
    case 'checking':
      return 'Checking every row';
    case 'posting':
      return running.rowsDone !== null && running.rowsTotal ? `Posting rows: ${running.rowsDone.toLocaleString()} of ${running.rowsTotal.toLocaleString()}` : 'Posting the rows';
  }
}

/**
 * Where usage comes from besides uploads (issue 21): a card per connected Autodesk usage API with its
 * pulls, and IT's "Pull now". With nothing connected, a line says where IT connects one.
 */
export function UsageSourcesCards(props: { state: UsageSourcesState }) {
  const styles = useStyles();
  const { me, navigate } = useApp();
  const isIt = me.roles.includes('ITAdmin');
  const { sources, error, reload } = props.state;
  if (error && !sources) return <ApiErrorBar error={error} title="The usage sources could not be loaded" onRetry={reload} />;
  if (!sources) return null;
  if (sources.length === 0) {
    return (
      <div className={styles.head} data-testid="usage-sources-none">
        <Body1 className={styles.muted}>
          Usage can arrive from Autodesk by itself every day: {isIt ? 'connect' : 'IT connects'} Autodesk&apos;s usage API in Settings.
        </Body1>
        {isIt ? (
          <Button icon={<SettingsRegular />} onClick={() => navigate('settings')}>
            Open Settings
          </Button>
        ) : null}
      </div>
    );
  }
  return (
    <div className={styles.cards}>
      {sources.map((source) => (
        <SourceCard key={source.kind} source={source} state={props.state} mayPull={isIt} onSettings={() => navigate('settings')} />
      ))}
    </div>
  );
}

function SourceCard(props: { source: UsageSourceStatus; state: UsageSourcesState; mayPull: boolean; onSettings: () => void }) {
  const styles = useStyles();
  const { source } = props;
  const name = SOURCE_NAME[source.kind];
  const [alreadyRunning, setAlreadyRunning] = useState(false);
  const pull = useAction(async (idempotencyKey) => {
    const started = await props.state.pullNow(source.kind, idempotencyKey);
    setAlreadyRunning(!started);
  });
  const connected = source.connection === 'connected';
  const last = source.lastPull;
  const running = source.running;
  return (
    <section className={styles.card} aria-label={name} data-testid={`usage-source-${source.kind}`}>
      <div className={styles.head}>
        <Text as="h4" weight="semibold" className={styles.value}>
          {name}
        </Text>
        <Badge appearance="tint" color={running ? 'brand' : connected ? 'success' : 'danger'}>
          {running ? 'Pulling' : connected ? 'Connected' : source.connection === 'disconnected' ? 'Disconnected' : 'Not connected'}
        </Badge>
      </div>
      <dl className={styles.facts}>
        <dt className={styles.term}>Last successful pull</dt>
        <dd className={styles.value}>{source.lastSuccessAt ? formatDateTime(source.lastSuccessAt) : 'Not yet'}</dd>
        <dt className={styles.term}>Days covered</dt>
        <dd className={styles.value}>{source.covered ? days(source.covered) : 'None yet'}</dd>
        <dt className={styles.term}>Rows posted</dt>
        <dd className={styles.value}>
          {last
            ? `${last.rowsPosted.toLocaleString()} for ${days(last.window)}${last.alreadyImported > 0 ? `; ${count(last.alreadyImported, 'row was', 'rows were')} already in the ledger` : ''}${last.settled > 0 ? `; ${count(last.settled, 'logged entry', 'logged entries')} settled` : ''}`
            : 'None yet'}
        </dd>
        <dt className={styles.term}>Next pull</dt>
        <dd className={styles.value}>{source.nextRunAt ? formatDateTime(source.nextRunAt) : connected ? 'Not scheduled' : 'Once Autodesk is connected again'}</dd>
      </dl>
      {last && last.unmatched.rows > 0 ? (
        <Caption1 className={styles.muted}>
          {count(last.unmatched.rows, 'row', 'rows')} of {count(last.unmatched.people, 'person', 'people')} no member matches were not posted. Once they are members,
          later pulls post their usage.
        </Caption1>
      ) : null}
      {running ? (
        <div>
          <ProgressBar
            aria-label={`Pull of ${name}`}
            {...(running.stage === 'posting' && running.rowsDone !== null && running.rowsTotal ? { value: running.rowsDone / running.rowsTotal } : {})}
          />
          <Caption1 data-testid="usage-source-progress">
            {stageWords(running)}
            {running.window ? ` for ${days(running.window)}` : ''}, started {running.trigger === 'manual' ? 'by IT' : 'on schedule'} at {formatDateTime(running.startedAt)}.
          </Caption1>
        </div>
      ) : null}
      {source.lastError && !running ? (
        <MessageBar intent={connected ? 'warning' : 'error'} layout="multiline" data-testid="usage-source-error">
          <MessageBarBody>
            <MessageBarTitle>The last pull did not finish</MessageBarTitle>
            {source.lastError.message} <Caption1 className={styles.muted}>({formatDateTime(source.lastError.at)})</Caption1>
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {source.connection === 'disconnected' && !source.lastError ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>Autodesk disconnected: IT connects it again in Settings.</MessageBarBody>
        </MessageBar>
      ) : null}
      {alreadyRunning && running ? (
        <MessageBar intent="info">
          <MessageBarBody>A pull is already running; it carries on.</MessageBarBody>
        </MessageBar>
      ) : null}
      {pull.error ? <ApiErrorBar error={pull.error} title="The pull did not start" onRetry={() => void pull.run()} /> : null}
      {props.mayPull ? (
        <div className={styles.head}>
          {connected ? (
            <Button icon={<ArrowSyncRegular />} onClick={() => void pull.run()} disabled={pull.busy || running !== null}>
              {pull.busy ? 'Starting…' : 'Pull now'}
            </Button>
          ) : (
            <Button icon={<SettingsRegular />} onClick={props.onSettings}>
              Connect again in Settings
            </Button>
          )}
        </div>
      ) : null}
    </section>
  );
}
