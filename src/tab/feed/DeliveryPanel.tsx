import {
  Badge,
  Button,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  makeStyles,
  tokens,
  useId,
} from '@fluentui/react-components';
import { ArrowClockwiseRegular, CheckmarkCircleFilled, SendRegular } from '@fluentui/react-icons';
import { useCallback, useState } from 'react';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatDateTime, formatRelative } from '../../ui/format.js';
import { useAction } from '../../ui/useAction.js';
import { useApi } from '../../ui/useApi.js';
import { useApp } from '../app-context.js';
import type { DeliveryNotice, FeedDelivery, ParkedDelivery } from './delivery-status.js';
import { DELIVERY_REFRESH_MS, DIGEST_TEXT, deliveryNotices, deliveryStatusLine, keyForEvent, sortParked, useWhileVisible } from './delivery-status.js';
import { KIND_INFO } from './feed-kinds.js';

const NARROW = '@media (max-width: 599px)';

const useStyles = makeStyles({
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    [NARROW]: { paddingLeft: tokens.spacingHorizontalM, paddingRight: tokens.spacingHorizontalM },
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow2,
    minWidth: 0,
  },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXXS },
  title: { margin: 0 },
  status: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorNeutralForeground2,
    minWidth: 0,
    flexGrow: 1,
    flexBasis: 0,
    // On a phone the title and Refresh share the first line; the status reads underneath.
    [NARROW]: { order: 1, flexBasis: '100%' },
  },
  ok: { display: 'flex', alignItems: 'center', height: tokens.lineHeightBase200, flexShrink: 0, fontSize: tokens.fontSizeBase300, color: tokens.colorStatusSuccessForeground1 },
  refresh: { marginLeft: 'auto' },
  parkedHead: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS, paddingTop: tokens.spacingVerticalXS },
  parkedTitle: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'grid',
    gridTemplateColumns: 'minmax(0, 1fr) auto',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    alignItems: 'start',
    paddingTop: tokens.spacingVerticalS,
    paddingBottom: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    [NARROW]: { gridTemplateColumns: 'minmax(0, 1fr)' },
  },
  what: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  line: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXXS },
  message: { overflowWrap: 'anywhere' },
  facts: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalM, rowGap: 0, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200 },
  error: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200, overflowWrap: 'anywhere' },
  send: { [NARROW]: { justifySelf: 'start' } },
  full: { gridColumn: '1 / -1' },
});

/**
 * IT's view of the Teams channel on the feed page: whether cards are getting through, what the webhook last
 * refused, and the events that failed too often and were set aside, each with a way to send it again.
 * Refreshes itself every 30 seconds while the page is visible. Only for IT: the route refuses anyone else.
 */
export function DeliveryPanel({ now: pageNow }: { now: Date }) {
  const styles = useStyles();
  const { api } = useApp();
  const titleId = useId('delivery');
  const delivery = useApi(async (signal) => ({ ...(await api('feedDelivery', { signal })), receivedAt: Date.now() }), [api]);
  const [sentNote, setSentNote] = useState<string>();
  const reload = delivery.reload;
  useWhileVisible(reload, DELIVERY_REFRESH_MS);

  const requeue = useCallback((eventId: string, idempotencyKey: string) => api('requeueParkedEvent', { params: { eventId }, idempotencyKey }), [api]);
  const parked = delivery.data ? sortParked(delivery.data.parked) : [];

  const sendAll = useAction(async (idempotencyKey) => {
    setSentNote(undefined);
    let sent = 0;
    try {
      for (const entry of parked) {
        await requeue(entry.event.id, keyForEvent(idempotencyKey, entry.event.id));
        sent++;
      }
    } finally {
      if (sent > 0) setSentNote(`${sent} ${sent === 1 ? 'event is' : 'events are'} back in the queue for the Teams channel.`);
      reload();
    }
  });

  const onSent = useCallback(() => {
    setSentNote('The event is back in the queue for the Teams channel.');
    reload();
  }, [reload]);

  const data = delivery.data;
  // The page's clock ticks once a minute; an answer fresher than that must not read "in 20 seconds".
  const now = new Date(Math.max(pageNow.getTime(), data?.receivedAt ?? 0));
  const notices = data ? deliveryNotices(data, now) : [];
  return (
    <section className={styles.panel} aria-labelledby={titleId}>
      <div className={styles.head}>
        <Text as="h2" id={titleId} size={400} weight="semibold" className={styles.title}>
          Teams channel
        </Text>
        {data && notices.length === 0 ? <StatusLine delivery={data} now={now} /> : null}
        <Button
          className={styles.refresh}
          size="small"
          appearance="subtle"
          icon={delivery.loading && data ? <Spinner size="extra-tiny" /> : <ArrowClockwiseRegular />}
          onClick={reload}
        >
          Refresh
        </Button>
      </div>

      {!data && delivery.loading ? <Spinner size="tiny" labelPosition="after" label="Checking the Teams channel…" /> : null}
      {delivery.error ? <ApiErrorBar error={delivery.error} title={data ? 'Could not refresh the Teams channel status' : 'Could not check the Teams channel'} onRetry={reload} /> : null}
      {notices.map((notice) => (
        <Notice key={notice.id} notice={notice} />
      ))}

      {sentNote ? (
        <Text size={200} className={styles.muted} role="status">
          {sentNote}
        </Text>
      ) : null}

      {parked.length > 0 ? (
        <>
          <div className={styles.parkedHead}>
            <div className={styles.parkedTitle}>
              <Text as="h3" size={300} weight="semibold" className={styles.title}>
                Not delivered ({parked.length})
              </Text>
              <Text size={200} className={styles.muted}>
                These failed too often and were set aside. Send them again once the webhook works.
              </Text>
            </div>
            {parked.length > 1 ? (
              <Button size="small" icon={sendAll.busy ? <Spinner size="extra-tiny" /> : <SendRegular />} disabledFocusable={sendAll.busy} onClick={() => void sendAll.run()}>
                {sendAll.busy ? 'Sending…' : 'Send all again'}
              </Button>
            ) : null}
          </div>
          {sendAll.error ? <ApiErrorBar error={sendAll.error} title="Not all were sent again" onRetry={() => void sendAll.run()} /> : null}
          <ul className={styles.list} aria-label="Events not delivered to the Teams channel">
            {parked.map((entry) => (
              <ParkedRow key={entry.event.id} entry={entry} now={now} disabled={sendAll.busy} requeue={requeue} onSent={onSent} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function StatusLine({ delivery, now }: { delivery: FeedDelivery; now: Date }) {
  const styles = useStyles();
  return (
    <Text size={200} className={styles.status}>
      <span className={styles.ok}>
        <CheckmarkCircleFilled aria-hidden />
      </span>
      <span>
        {deliveryStatusLine(delivery, now)} · {DIGEST_TEXT[delivery.digest]}
      </span>
    </Text>
  );
}

function Notice({ notice }: { notice: DeliveryNotice }) {
  const { navigate } = useApp();
  return (
    <MessageBar intent={notice.intent} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{notice.title}</MessageBarTitle>
        {notice.text}
        {notice.settingsLink ? (
          <>
            {' '}
            <Link
              href="#/settings"
              onClick={(event) => {
                event.preventDefault();
                navigate('settings');
              }}
            >
              {notice.settingsLink}
            </Link>
          </>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}

function ParkedRow({
  entry,
  now,
  disabled,
  requeue,
  onSent,
}: {
  entry: ParkedDelivery;
  now: Date;
  disabled: boolean;
  requeue: (eventId: string, idempotencyKey: string) => Promise<unknown>;
  onSent: () => void;
}) {
  const styles = useStyles();
  const info = KIND_INFO[entry.event.kind];
  const messageId = useId('parked');
  const send = useAction(async (idempotencyKey) => {
    await requeue(entry.event.id, idempotencyKey);
    onSent();
  });
  const busy = send.busy || disabled;
  return (
    <li className={styles.item} data-event={entry.event.id}>
      <div className={styles.what}>
        <div className={styles.line}>
          <Badge appearance="tint" color={info.badge}>
            {info.label}
          </Badge>
          <Text id={messageId} className={styles.message}>
            {entry.event.message}
          </Text>
        </div>
        <div className={styles.facts}>
          <span>
            Happened{' '}
            <time dateTime={entry.event.at} title={formatDateTime(entry.event.at)}>
              {formatRelative(entry.event.at, now)}
            </time>
          </span>
          <span>
            Set aside{' '}
            <time dateTime={entry.parkedAt} title={formatDateTime(entry.parkedAt)}>
              {formatRelative(entry.parkedAt, now)}
            </time>
          </span>
          <span>
            {entry.attempts} {entry.attempts === 1 ? 'attempt' : 'attempts'}
          </span>
        </div>
        {entry.lastError ? <Text className={styles.error}>Last error: {entry.lastError}</Text> : null}
      </div>
      <Button
        className={styles.send}
        size="small"
        icon={send.busy ? <Spinner size="extra-tiny" /> : <SendRegular />}
        disabledFocusable={busy}
        aria-describedby={messageId}
        onClick={() => void send.run()}
      >
        {send.busy ? 'Sending…' : 'Send again'}
      </Button>
      {send.error ? (
        <div className={styles.full}>
          <ApiErrorBar error={send.error} title="Not sent again" onRetry={() => void send.run()} />
        </div>
      ) : null}
    </li>
  );
}
