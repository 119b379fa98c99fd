import { Badge, Caption1, Spinner, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
// The first screen's icon from its own module: the package's shared icon modules hold many more.
import { MailRegular } from '@fluentui/react-icons/svg/mail';
import { Suspense, lazy, useContext, useMemo } from 'react';
import type { MailTriage } from '../mail/mail-triage.js';
import { triageMail } from '../mail/mail-triage.js';
import { readOpenMessage } from '../mail/office-mail.js';
import { LazyApiErrorBar } from '../ui/LazyApiErrorBar.js';
import { ShowsSupportDetails } from '../ui/shows-support-details.js';
import { useApi } from '../ui/useApi.js';
import { usePane } from './pane-context.js';

// The pane's first load reads the message and names what it is; only the view for that kind of message loads
// then (IT's details only for IT).
const RegistrationView = lazy(() => import('./registration/RegistrationView.js').then((m) => ({ default: m.RegistrationView })));
const QuoteView = lazy(() => import('./quote/QuoteView.js').then((m) => ({ default: m.QuoteView })));
const QueuesView = lazy(() => import('./queues/QueuesView.js').then((m) => ({ default: m.QueuesView })));
const SupportDetails = lazy(() => import('../ui/support-details.js').then((m) => ({ default: m.SupportDetails })));

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalM },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  subject: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS, minWidth: 0 },
  subjectText: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  signals: { color: tokens.colorNeutralForeground3 },
  reasons: { margin: 0, paddingLeft: tokens.spacingHorizontalL, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
});

const KIND_LABEL: Record<MailTriage['kind'], string> = { registration: 'Account request', quote: 'Reseller quote', other: 'Not a request or quote' };
const KIND_COLOR = { registration: 'brand', quote: 'success', other: 'informative' } as const;

/** Reads the open message, decides what it is about, and shows what fits. */
export function MessagePane({ mailbox }: { mailbox: Office.Mailbox }) {
  const styles = useStyles();
  const { settings, firmDomains, me } = usePane();
  const showsDetails = useContext(ShowsSupportDetails);
  const read = useApi(() => readOpenMessage(mailbox), [mailbox]);
  const message = read.data;
  const triage = useMemo(
    () =>
      message &&
      triageMail(message, {
        firmDomains,
        reseller: settings.reseller,
        blockSize: settings.blockSize,
        managerEmails: [me.member.email, ...settings.accountManagers.map((m) => m.email)],
      }),
    [message, firmDomains, settings, me.member.email],
  );

  if (read.error) {
    return (
      <div className={styles.root}>
        <LazyApiErrorBar error={read.error} title="The email could not be read" onRetry={read.reload} />
      </div>
    );
  }
  if (!message || !triage) {
    return (
      <div className={styles.root}>
        <Spinner size="small" label="Reading the email…" />
      </div>
    );
  }
  return (
    <main className={styles.root} aria-label="Credit Desk">
      <header className={styles.header}>
        <div className={styles.subject}>
          <MailRegular aria-hidden />
          <Subtitle2 as="h1" className={styles.subjectText} title={message.subject}>
            {message.subject || '(no subject)'}
          </Subtitle2>
        </div>
        <div>
          <Badge appearance="tint" color={KIND_COLOR[triage.kind]}>
            {KIND_LABEL[triage.kind]}
          </Badge>
        </div>
        <Caption1 className={styles.signals}>{triage.verdict}</Caption1>
        {showsDetails && triage.signals.length > 0 ? (
          <Suspense fallback={<span aria-busy="true" />}>
            <SupportDetails rows={[]}>
              <ul className={styles.reasons} aria-label="What the reading found">
                {triage.signals.map((signal) => (
                  <li key={signal}>{signal}</li>
                ))}
              </ul>
            </SupportDetails>
          </Suspense>
        ) : null}
      </header>
      <Suspense fallback={<Spinner size="small" label="Loading…" />}>
        {triage.kind === 'registration' ? <RegistrationView people={triage.people} /> : triage.kind === 'quote' ? <QuoteView reading={triage.quote} /> : <QueuesView />}
      </Suspense>
    </main>
  );
}
