import { Badge, Button, Card, Link, MessageBar, MessageBarBody, MessageBarTitle, Skeleton, SkeletonItem, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, CopyRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ReadinessItem } from '../../contract/setup.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatRelative } from '../../ui/format.js';
import { useApi } from '../../ui/useApi.js';
import { isIt, useApp } from '../app-context.js';
import { quietSetup } from './first-run.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '960px' },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, margin: 0, padding: 0, listStyleType: 'none' },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  command: {
    margin: 0,
    padding: tokens.spacingHorizontalS,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap', alignItems: 'center' },
});

/** Each status in words and colour: green ready, red not set up, grey off, amber what IT checks by hand. */
const STATUS: Record<ReadinessItem['status'], { label: string; color: 'success' | 'danger' | 'informative' | 'warning' }> = {
  ready: { label: 'Ready', color: 'success' },
  not_set_up: { label: 'Not set up', color: 'danger' },
  off: { label: 'Off', color: 'informative' },
  unknown: { label: 'Check by hand', color: 'warning' },
};

function Command({ text }: { text: string }) {
  const styles = useStyles();
  const [copied, setCopied] = useState(false);
  return (
    <>
      <pre className={styles.command}>{text}</pre>
      <div className={styles.actions}>
        <Button
          size="small"
          icon={<CopyRegular />}
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(() => setCopied(true));
          }}
        >
          {copied ? 'Copied' : 'Copy the command'}
        </Button>
      </div>
    </>
  );
}

function Check({ item }: { item: ReadinessItem }) {
  const styles = useStyles();
  const status = STATUS[item.status];
  // A command is shown where there is something to do: red, checked by hand, or off (what switching it on takes).
  return (
    <li>
      <Card aria-label={`${item.title}: ${status.label}`}>
        <div className={styles.head}>
          <Badge appearance="filled" color={status.color}>
            {status.label}
          </Badge>
          <Text weight="semibold">{item.title}</Text>
        </div>
        <div className={styles.body}>
          <Text>{item.detail}</Text>
          {item.fix ? (
            <Text>
              <strong>To do: </strong>
              {item.fix}
            </Text>
          ) : null}
          {item.command && item.status !== 'ready' ? <Command text={item.command} /> : null}
        </div>
      </Card>
    </li>
  );
}

/** IT's first-run page: the checks of the README's "Check that it works", live, each red one with its fix. */
export function SetupPage() {
  const styles = useStyles();
  const { api, me, navigate } = useApp();
  const it = isIt(me);
  const readiness = useApi((signal) => (it ? api('setupReadiness', { signal }) : Promise.resolve(undefined)), [api, it]);
  if (!it) {
    return (
      <MessageBar intent="info">
        <MessageBarBody>The setup checks are IT's.</MessageBarBody>
      </MessageBar>
    );
  }
  const data = readiness.data;
  const red = data?.items.filter((i) => i.status === 'not_set_up').length ?? 0;
  return (
    <div className={styles.page}>
      <Text as="h1" size={600} weight="semibold">
        Setup
      </Text>
      <Text>
        What Credit Desk needs in your tenant, checked now. Features that need more Microsoft Graph permissions are off until you switch them on under{' '}
        <Link onClick={() => navigate('settings')}>Settings</Link>; the directory look-up is the only one Credit Desk needs.
      </Text>
      {readiness.error ? <ApiErrorBar error={readiness.error} title="The checks did not run" onRetry={readiness.reload} /> : null}
      {data ? (
        <>
          <MessageBar intent={red > 0 ? 'warning' : 'success'} layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{red > 0 ? `${red} ${red === 1 ? 'thing' : 'things'} to set up` : 'Everything switched on is set up'}</MessageBarTitle>
              Checked {formatRelative(data.checkedAt)}.
            </MessageBarBody>
          </MessageBar>
          <ul className={styles.list} aria-label="Setup checks">
            {data.items.map((item) => (
              <Check key={item.id} item={item} />
            ))}
          </ul>
        </>
      ) : readiness.loading ? (
        <Skeleton aria-label="Checking the setup">
          <SkeletonItem size={48} />
          <SkeletonItem size={48} />
        </Skeleton>
      ) : null}
      <div className={styles.actions}>
        <Button icon={<ArrowClockwiseRegular />} onClick={readiness.reload} disabled={readiness.loading}>
          {readiness.loading ? 'Checking…' : 'Check again'}
        </Button>
        <Button appearance="subtle" onClick={() => quietSetup()}>
          Don't open this page by itself
        </Button>
      </div>
    </div>
  );
}
