import {
  Button,
  Caption1,
  Checkbox,
  Dialog,
  DialogBody,
  DialogContent,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircleRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ImportView } from '../../contract/imports.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { codedWords, errorWords } from '../../ui/error-words.js';
import { SupportDetails } from '../../ui/support-details.js';
import { formatCredits, formatDay } from '../../ui/format.js';
import { useAction } from '../../ui/useAction.js';
import { useApp } from '../app-context.js';
import { dayTotalWords, formatDuration } from './import-words.js';
import { DialogFooter } from '../../ui/DialogFooter.js';
import { Figure, FigureList } from './Figures.js';
import { ModalSurface } from '../../ui/ModalSurface.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
});

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Rows a commit would post and what it leaves out, for the confirmation. */
export function commitSummary(view: ImportView, unit: string): string[] {
  if (view.kind === 'opening_balances') return openingSummary(view, unit);
  const open = view.unmatched.filter((p) => p.resolution.kind === 'open');
  // The file's total counts every valid row; the rows of people not linked to a member are not posted.
  const leftOut = view.unmatched.filter((p) => p.resolution.kind !== 'member').reduce((sum, p) => sum + p.amount, 0);
  const toPost = Math.round((view.amount - leftOut) * 100) / 100;
  const lines = [
    `${plural(view.rows.valid, 'row', 'rows')}, ${formatCredits(toPost)} ${unit} in all${view.dateRange ? `, used ${formatDay(view.dateRange.from)} to ${formatDay(view.dateRange.to)}` : ''}.`,
  ];
  if (view.rows.refused > 0) lines.push(`${plural(view.rows.refused, 'refused row is', 'refused rows are')} left out (the report says why).`);
  if (view.rows.skipped > 0) lines.push(`${plural(view.rows.skipped, 'skipped row is', 'skipped rows are')} left out.`);
  if (view.rows.repeated > 0) {
    lines.push(
      view.postRepeated
        ? `${plural(view.rows.repeated, 'row that repeats', 'rows that repeat')} an earlier row exactly ${view.rows.repeated === 1 ? 'is' : 'are'} posted as separate uses, as you confirmed.`
        : `${plural(view.rows.repeated, 'row that repeats', 'rows that repeat')} an earlier row exactly ${view.rows.repeated === 1 ? 'is' : 'are'} left out.`,
    );
  }
  if (view.rows.zero > 0) lines.push(`${plural(view.rows.zero, 'row has', 'rows have')} 0 used: nothing to post for ${view.rows.zero === 1 ? 'it' : 'them'}.`);
  if (open.length > 0) lines.push(`${plural(open.reduce((n, p) => n + p.rows, 0), 'row', 'rows')} of ${plural(open.length, 'person', 'people')} not linked to a member are left out.`);
  lines.push('Rows an earlier import already posted are recognised and add nothing.');
  lines.push(`Self-logged usage of the same person and service within a few days is settled by the actual row, so nothing counts twice.`);
  lines.push(`Autodesk has already charged this usage: it is recorded even if the pool would go below zero, and IT is then alerted.`);
  return lines;
}

/** What loading opening balances does, for the confirmation. */
function openingSummary(view: ImportView, unit: string): string[] {
  const lines = [`${plural(view.rows.valid, 'person', 'people')}, ${formatCredits(view.amount)} own ${unit} already used in all.`];
  if (view.rows.refused > 0) lines.push(`${plural(view.rows.refused, 'refused line is', 'refused lines are')} left out (the report says why).`);
  if (view.rows.skipped > 0) lines.push(`${plural(view.rows.skipped, 'skipped person is', 'skipped people are')} left out.`);
  lines.push('Each person’s registration moves to the file’s state; reaching registered grants the allotment. Someone already registered here keeps their state.');
  lines.push('People the directory knows and Credit Desk does not become members. A person whose opening balance was already loaded is left as they are.');
  return lines;
}

/** The pool's balance as typed: a positive amount with at most two decimals, or nothing. */
export function poolCreditsOf(text: string): number | null | 'invalid' {
  const trimmed = text.trim().replace(/,/g, '');
  if (trimmed === '') return null;
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return 'invalid';
  const value = Number(trimmed);
  return value > 0 ? value : 'invalid';
}

/** Posting: the button and its confirmation, the progress while the job runs, then what it did. */
export function CommitPanel(props: { view: ImportView; unit: string; onSaved: (view: ImportView) => void; pollError: unknown }) {
  const styles = useStyles();
  const { api } = useApp();
  const { view, unit } = props;
  const [confirming, setConfirming] = useState(false);
  const opening = view.kind === 'opening_balances';
  const [poolText, setPoolText] = useState('');
  const poolCredits = opening ? poolCreditsOf(poolText) : null;
  const commit = useAction(async (idempotencyKey) => {
    const query = typeof poolCredits === 'number' ? { poolCredits } : {};
    const next = await api('commitImport', { params: { id: view.id }, query, idempotencyKey });
    setConfirming(false);
    props.onSaved(next);
  });

  if (view.state === 'committing') return <CommitProgress view={view} pollError={props.pollError} />;
  if (view.state === 'committed') return <CommitResult view={view} unit={unit} />;
  const failed = view.state === 'failed';
  const ready = view.state === 'ready' || failed;
  const why =
    view.state === 'needs_mapping'
      ? 'Map the columns above first.'
      : view.state === 'needs_date_order'
        ? 'Say above whether the file’s dates put the month or the day first.'
        : view.state === 'needs_links'
        ? 'Link or skip every person without a member first.'
        : view.rows.valid === 0
          ? 'No row can be posted.'
          : null;
  return (
    <div className={styles.root}>
      {failed ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Posting stopped</MessageBarTitle>
            {view.error ? codedWords(view.error.code, view.error.message) : 'Posting did not finish.'} Rows already posted stay posted; resuming posts only
            what is missing.
            <SupportDetails rows={[['Code', view.error?.code], ['Message', view.error?.message]]} />
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {view.rows.repeated > 0 && !opening && !failed ? <RepeatedRows view={view} onSaved={props.onSaved} /> : null}
      <div className={styles.actions}>
        <Button appearance="primary" disabled={!ready || view.rows.valid === 0} onClick={() => setConfirming(true)}>
          {failed ? 'Resume posting…' : 'Post to the ledger…'}
        </Button>
        {why ? <Caption1 className={styles.muted}>{why}</Caption1> : <Caption1 className={styles.muted}>{plural(view.rows.valid, 'row', 'rows')} to post.</Caption1>}
      </div>
      {confirming ? (
        <Dialog open onOpenChange={(_e, data) => !data.open && !commit.busy && setConfirming(false)}>
          <ModalSurface aria-describedby={undefined}>
            <DialogBody>
              <DialogTitle>{opening ? 'Load these opening balances?' : 'Post this import?'}</DialogTitle>
              <DialogContent className={styles.root}>
                <Text>
                  {view.fileName} will be posted to the ledger as a job you can follow here. Entries are never edited afterwards; a mistake is corrected with a
                  reversal.
                </Text>
                <ul className={styles.list}>
                  {commitSummary(view, unit).map((line) => (
                    <li key={line}>
                      <Text>{line}</Text>
                    </li>
                  ))}
                </ul>
                {opening ? (
                  <Field
                    label={`The pool’s current balance (${unit})`}
                    hint="Optional, once per firm: what the shared pool holds today in Autodesk Account. Leave it empty if it was loaded already."
                    validationState={poolCredits === 'invalid' ? 'error' : 'none'}
                    validationMessage={poolCredits === 'invalid' ? 'A positive amount with at most two decimals.' : undefined}
                  >
                    <Input inputMode="decimal" value={poolText} onChange={(_e, data) => setPoolText(data.value)} data-testid="pool-credits" />
                  </Field>
                ) : null}
                {commit.error ? <ApiErrorBar error={commit.error} title="Posting did not start" onRetry={() => void commit.run()} /> : null}
              </DialogContent>
              <DialogFooter
                action={opening ? `Load ${plural(view.rows.valid, 'person', 'people')}` : `Post ${plural(view.rows.valid, 'row', 'rows')}`}
                busyAction="Starting…"
                busy={commit.busy}
                ready={poolCredits !== 'invalid'}
                onCancel={() => setConfirming(false)}
                onAction={() => void commit.run()}
              />
            </DialogBody>
          </ModalSurface>
        </Dialog>
      ) : null}
    </div>
  );
}

/** Rows per second from the figures when the server gives none (the first second). */
function rate(progress: NonNullable<ImportView['progress']>): { perSecond: number | null; secondsLeft: number | null } {
  const elapsed = (Date.parse(progress.updatedAt) - Date.parse(progress.startedAt)) / 1000;
  const perSecond = progress.rowsPerSecond ?? (elapsed > 0 && progress.rowsDone > 0 ? progress.rowsDone / elapsed : null);
  const secondsLeft = progress.secondsLeft ?? (perSecond ? (progress.rowsTotal - progress.rowsDone) / perSecond : null);
  return { perSecond, secondsLeft };
}

function CommitProgress({ view, pollError }: { view: ImportView; pollError: unknown }) {
  const styles = useStyles();
  const progress = view.progress;
  const done = progress?.rowsDone ?? 0;
  const total = progress?.rowsTotal ?? view.rows.valid;
  const { perSecond, secondsLeft } = progress ? rate(progress) : { perSecond: null, secondsLeft: null };
  const parts = [`${done.toLocaleString()} of ${total.toLocaleString()} rows`];
  if (perSecond !== null) parts.push(`${Math.round(perSecond).toLocaleString()} rows a second`);
  if (secondsLeft !== null && done < total) parts.push(`about ${formatDuration(secondsLeft)} left`);
  const waitingFor = view.waitingFor;
  return (
    <div className={styles.root}>
      {waitingFor ? (
        <MessageBar intent="info" data-testid="import-waiting">
          <MessageBarBody>
            <MessageBarTitle>Waiting for another import</MessageBarTitle>
            {`${waitingFor.fileName} is being posted; one import is posted at a time, and this one starts when it is done.`}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      <Field label="Posting rows to the ledger" validationState="none" validationMessage={<span data-testid="import-progress">{parts.join(' · ')}</span>}>
        <ProgressBar value={total > 0 && !waitingFor ? Math.min(1, done / total) : undefined} max={1} thickness="large" />
      </Field>
      <Caption1 className={styles.muted}>You can leave this page: posting goes on, and the import shows its progress when you come back.</Caption1>
      {pollError ? <ApiErrorBar error={pollError} title="Progress could not be read; trying again" /> : null}
    </div>
  );
}

/**
 * Rows the same as an earlier row, value for value, are left out unless the person says they are separate
 * uses (two identical launches on one day do happen): one choice for all of them, kept with the import.
 */
function RepeatedRows({ view, onSaved }: { view: ImportView; onSaved: (view: ImportView) => void }) {
  const { api } = useApp();
  const save = useAction(async () => {
    onSaved(await api('mapImportColumns', { params: { id: view.id }, body: { mapping: {}, postRepeated: !view.postRepeated } }));
  });
  const n = view.rows.repeated;
  return (
    <Field
      label={`${plural(n, 'row repeats', 'rows repeat')} an earlier row of the file exactly`}
      hint={view.postRepeated ? undefined : 'Left out, as copies. The report names the line each repeats.'}
      validationState={save.error ? 'error' : 'none'}
      validationMessage={save.error ? errorWords(save.error) : undefined}
    >
      <Checkbox checked={view.postRepeated} disabled={save.busy} label={`Post ${n === 1 ? 'it' : 'them'} too: ${n === 1 ? 'it is a separate use' : 'they are separate uses'}`} onChange={() => void save.run()} />
    </Field>
  );
}

function CommitResult({ view, unit }: { view: ImportView; unit: string }) {
  const styles = useStyles();
  const result = view.result;
  if (!result) return null;
  const figure = (term: string, value: string | number, testId: string) => <Figure term={term} value={value} testId={testId} />;
  const dayTotals = dayTotalWords(result, unit);
  if (view.kind !== 'opening_balances' && result.posted === 0) {
    return (
      <MessageBar intent="info" data-testid="import-nothing-new">
        <MessageBarBody>
          <MessageBarTitle>Nothing new</MessageBarTitle>
          {dayTotals.length > 0
            ? `${dayTotals.join(' ')} Every other row was already in the ledger or had nothing to post, so nothing changed.`
            : 'Every row of this file was already in the ledger or had nothing to post, so nothing changed.'}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <div className={styles.root}>
      <MessageBar intent="success" icon={<CheckmarkCircleRegular />}>
        <MessageBarBody>
          <MessageBarTitle>Done</MessageBarTitle>
          {view.kind === 'opening_balances'
            ? `${plural(result.posted, 'person', 'people')} loaded, ${formatCredits(result.amount)} own ${unit} already used in all.`
            : [`${plural(result.posted, 'row', 'rows')} posted, ${formatCredits(result.amount)} ${unit} in all.`, ...dayTotals].join(' ')}
        </MessageBarBody>
      </MessageBar>
      {result.reconciliationAlert ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Reconciliation alert</MessageBarTitle>
            This import shows more use of the shared pool than Credit Desk’s pool holds, so the pool is now below zero. Autodesk charged this usage, so it was
            recorded anyway. Either a purchase was not recorded here (record it on Purchases when the credits were applied), or credits were used outside Credit
            Desk. IT has the alert in the feed.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {view.kind === 'opening_balances' ? (
        <FigureList label="What the import did">
          {figure('People loaded', result.posted.toLocaleString(), 'result-posted')}
          {figure('Already loaded', result.alreadyImported.toLocaleString(), 'result-already')}
          {figure('Skipped', result.skipped.toLocaleString(), 'result-skipped')}
          {figure('Refused at posting', (result.refused ?? 0).toLocaleString(), 'result-refused')}
          {figure('Allotments granted', (result.allotments ?? 0).toLocaleString(), 'result-allotments')}
          {figure(`Own ${unit} used`, formatCredits(result.amount), 'result-amount')}
          {figure('Pool opening balance', result.poolCredits == null ? 'Not loaded' : `${formatCredits(result.poolCredits)} ${unit}`, 'result-pool')}
        </FigureList>
      ) : (
      <FigureList label="What the import did">
        {figure('Rows posted', result.posted.toLocaleString(), 'result-posted')}
        {figure('Already imported', result.alreadyImported.toLocaleString(), 'result-already')}
        {figure('Skipped', result.skipped.toLocaleString(), 'result-skipped')}
        {figure('Self-logged entries settled', result.settled.toLocaleString(), 'result-settled')}
        {figure('Holds settled', (result.holdsSettled ?? 0).toLocaleString(), 'result-holds-settled')}
        {figure(`${unit[0]!.toUpperCase()}${unit.slice(1)} posted`, formatCredits(result.amount), 'result-amount')}
        {figure('From the pool', formatCredits(result.fromPool), 'result-from-pool')}
        {figure('Self-logged, not confirmed', result.unconfirmedProvisional.toLocaleString(), 'result-unconfirmed')}
        {result.zero ? figure('Nothing used (0), not posted', result.zero.toLocaleString(), 'result-zero') : null}
        {result.repeatsNotPosted ? figure('Repeated rows left out', result.repeatsNotPosted.toLocaleString(), 'result-repeats') : null}
      </FigureList>
      )}
      {result.unconfirmedProvisional > 0 ? (
        <Caption1 className={styles.muted}>
          Self-logged entries in these dates that no row of the export confirmed are flagged to their owners, who can correct them.
        </Caption1>
      ) : null}
    </div>
  );
}
