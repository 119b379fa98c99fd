import {
  Badge,
  Button,
  Checkbox,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Skeleton,
  SkeletonItem,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkCircleRegular, ErrorCircleRegular, MailAlertRegular, PersonClockRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MemberRecord } from '../../contract/schemas.js';
import { ApiError, newIdempotencyKey } from '../../platform/api-client.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { errorWords } from '../../ui/error-words.js';
import { REGISTRATION_STATE_LABEL, RegistrationStateBadge } from '../../ui/RegistrationStateBadge.js';
import { formatDateTime, formatRelative } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import { usePaged } from '../../ui/usePaged.js';
import { useApp } from '../app-context.js';
import { RaiseRequestForm } from './RaiseRequestForm.js';
import { RovingTab, RovingTabList } from '../../ui/RovingTabList.js';
import { ReasonDialog } from '../../ui/ReasonDialog.js';
import { StuckRegistrations } from './StuckRegistrations.js';
import type { QueueAction, QueueFilter } from './queue.js';
import { ACTION_DONE, ACTION_LABEL, FILTERS, OPEN_STATES, actionsFor, loadQueuePage, queueOrder } from './queue.js';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  heading: { margin: 0 },
  // On a narrow screen the filters wrap onto more lines, each label whole (a cut "Accour…" named nothing).
  filterTabs: { flexWrap: 'wrap' },
  filterTab: { flexShrink: 0, maxWidth: '100%' },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  tableWrap: { overflowX: 'auto', backgroundColor: tokens.colorNeutralBackground1, borderRadius: tokens.borderRadiusMedium },
  checkCell: { width: '44px' },
  visuallyHidden: { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' },
  actionsCell: { width: '120px' },
  person: { display: 'flex', flexDirection: 'column', paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS, minWidth: 0, overflowWrap: 'anywhere' },
  stateCell: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalXXS, paddingTop: tokens.spacingVerticalXS, paddingBottom: tokens.spacingVerticalXS },
  badges: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3 },
  done: { color: tokens.colorPaletteGreenForeground1, display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  failed: { color: tokens.colorPaletteRedForeground1, display: 'flex', gap: tokens.spacingHorizontalXS, alignItems: 'center' },
  empty: { padding: tokens.spacingVerticalXL, textAlign: 'center', display: 'flex', flexDirection: 'column', alignItems: 'center', gap: tokens.spacingVerticalS },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

type RowStatus = { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'failed'; error: unknown } | { kind: 'skipped'; text: string };
type Outcome = { ok: true } | { ok: false; error: unknown };
type BulkAction = Extract<QueueAction, 'account_created' | 'already_registered'>;

const BULK_ACTIONS: { action: BulkAction; label: string }[] = [
  { action: 'account_created', label: 'Mark account created' },
  { action: 'already_registered', label: 'Already registered' },
];

function matchesFilter(filter: QueueFilter, record: MemberRecord): boolean {
  if (filter === 'all') return true;
  if (filter === 'open') return (OPEN_STATES as readonly string[]).includes(record.registration.state);
  return record.registration.state === filter;
}

const EMPTY_TEXT: Record<QueueFilter, string> = {
  open: 'Nobody is waiting on an account manager. New requests from employees land here; you can also raise one for someone above.',
  requested: 'No new requests. Raise one above when someone emails you.',
  account_created: 'Nobody is between "account created" and registered.',
  registered: 'Nobody is registered yet.',
  declined: 'No declined requests.',
  left: 'Nobody is marked as having left.',
  not_requested: 'Everyone known has asked for an account.',
  all: 'Nobody is known yet. Raise a request above, or ask people to open Credit Desk and request an account.',
};

/** Runs `work` over `items`, a few at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

/** The registration queue: who asked for an Autodesk account, and the account manager's steps for each. */
export function RegistrationsPage() {
  const styles = useStyles();
  const rt = useResponsiveTableStyles();
  const { api, me } = useApp();
  const [filter, setFilter] = useState<QueueFilter>('open');
  const queue = usePaged(async (cursor, signal) => {
    const page = await loadQueuePage(api, filter, cursor, signal);
    return { ...page, items: queueOrder(page.items) };
  }, [api, filter]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [status, setStatus] = useState<Record<string, RowStatus>>({});
  const [dialog, setDialog] = useState<{ kind: 'declined' | 'left'; record: MemberRecord; error?: unknown }>();
  const [bulkBusy, setBulkBusy] = useState(false);
  const [bulkSummary, setBulkSummary] = useState<{ intent: 'success' | 'warning'; text: string }>();
  // One idempotency key per member and step, kept while a lost answer may be retried, dropped once answered.
  const keys = useRef(new Map<string, string>());
  const busyIds = useRef(new Set<string>());
  const bulkRef = useRef(false);

  useEffect(() => {
    setSelected(new Set());
    setStatus({});
    setBulkSummary(undefined);
  }, [filter]);

  const rows = queue.items;
  const updateRows = queue.update;
  const setRowStatus = (id: string, next: RowStatus) => setStatus((s) => ({ ...s, [id]: next }));

  const runAction = useCallback(
    async (record: MemberRecord, action: QueueAction, reason?: string): Promise<Outcome> => {
      const id = record.member.id;
      if (busyIds.current.has(id)) return { ok: false, error: new Error('Already working on this person.') };
      busyIds.current.add(id);
      const slot = `${id}|${action}`;
      const key = keys.current.get(slot) ?? newIdempotencyKey();
      keys.current.set(slot, key);
      setRowStatus(id, { kind: 'busy' });
      try {
        const { member } = await api('registrationEvent', { params: { memberId: id }, body: { type: action, ...(reason ? { reason } : {}) }, idempotencyKey: key });
        keys.current.delete(slot);
        updateRows((items) => items.map((r) => (r.member.id === id ? member : r)));
        setRowStatus(id, { kind: 'done', text: ACTION_DONE[action] });
        return { ok: true };
      } catch (error) {
        if (!(error instanceof ApiError) || !error.retryable) keys.current.delete(slot);
        setRowStatus(id, { kind: 'failed', error });
        return { ok: false, error };
      } finally {
        busyIds.current.delete(id);
      }
    },
    [api, updateRows],
  );

  function startAction(record: MemberRecord, action: QueueAction) {
    setBulkSummary(undefined);
    if (action === 'declined' || action === 'left') setDialog({ kind: action, record });
    else void runAction(record, action);
  }

  async function confirmDialog(reason: string | undefined) {
    if (!dialog) return;
    const outcome = await runAction(dialog.record, dialog.kind, reason);
    if (outcome.ok) setDialog(undefined);
    else setDialog((d) => (d ? { ...d, error: outcome.error } : d));
  }

  async function runBulk(action: BulkAction) {
    if (bulkRef.current) return;
    bulkRef.current = true;
    setBulkBusy(true);
    setBulkSummary(undefined);
    try {
      const targets = rows.filter((r) => selected.has(r.member.id));
      const valid = targets.filter((r) => actionsFor(r.registration.state).includes(action));
      for (const r of targets) {
        if (!valid.includes(r)) setRowStatus(r.member.id, { kind: 'skipped', text: `Skipped: "${REGISTRATION_STATE_LABEL[r.registration.state]}" cannot take this step.` });
      }
      const succeeded: string[] = [];
      let failed = 0;
      await eachLimited(valid, 4, async (record) => {
        const outcome = await runAction(record, action);
        if (outcome.ok) succeeded.push(record.member.id);
        else failed++;
      });
      setSelected((s) => new Set([...s].filter((id) => !succeeded.includes(id))));
      const skipped = targets.length - valid.length;
      const parts = [`${succeeded.length} done`, ...(failed ? [`${failed} failed (still selected; try again)`] : []), ...(skipped ? [`${skipped} skipped`] : [])];
      setBulkSummary({ intent: failed || skipped ? 'warning' : 'success', text: `${parts.join(', ')}.` });
    } finally {
      bulkRef.current = false;
      setBulkBusy(false);
    }
  }

  const shownIds = rows.map((r) => r.member.id);
  const selectedShown = shownIds.filter((id) => selected.has(id));
  const allChecked = shownIds.length > 0 && selectedShown.length === shownIds.length ? true : selectedShown.length > 0 ? 'mixed' : false;
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const applicable = (action: BulkAction) => rows.filter((r) => selected.has(r.member.id) && actionsFor(r.registration.state).includes(action)).length;

  function renderStatus(id: string) {
    const s = status[id];
    if (!s) return null;
    if (s.kind === 'busy') return <Text size={200} className={styles.muted}>Saving…</Text>;
    if (s.kind === 'done')
      return (
        <Text size={200} className={styles.done}>
          <CheckmarkCircleRegular aria-hidden /> {s.text}
        </Text>
      );
    if (s.kind === 'skipped') return <Text size={200} className={styles.muted}>{s.text}</Text>;
    return (
      <Text size={200} className={styles.failed}>
        <ErrorCircleRegular aria-hidden /> Not saved: {errorWords(s.error)}
      </Text>
    );
  }

  const waitingWord = (r: MemberRecord) => ((OPEN_STATES as readonly string[]).includes(r.registration.state) ? 'waiting since' : 'since');

  return (
    <div className={styles.stack}>
      <div>
        <Text as="h2" size={500} weight="semibold" className={styles.heading}>
          Registration requests
        </Text>
        <Text block className={styles.muted}>
          Check each person against the Autodesk contract, add them if needed, and record what you did. People stuck after their account was created
          usually have the Autodesk email in spam quarantine.
        </Text>
      </div>

      <RaiseRequestForm
        onRaised={(record) => {
          if (matchesFilter(filter, record)) queue.update((items) => [record, ...items.filter((r) => r.member.id !== record.member.id)]);
        }}
      />

      <div>
        <RovingTabList aria-label="Show" className={styles.filterTabs} selectedValue={filter} onTabSelect={(_e, data) => setFilter(data.value as QueueFilter)} size="small">
          {FILTERS.map((f) => (
            <RovingTab key={f.value} value={f.value} className={styles.filterTab}>
              {f.label}
            </RovingTab>
          ))}
        </RovingTabList>
      </div>

      <div className={styles.toolbar} role="toolbar" aria-label="Act on the selected people">
        <Checkbox
          label={selected.size ? `${selected.size} selected` : 'Select everyone shown'}
          checked={allChecked}
          disabled={rows.length === 0}
          onChange={(_e, data) => setSelected(data.checked === true ? new Set(shownIds) : new Set())}
        />
        {BULK_ACTIONS.map(({ action, label }) => {
          const n = applicable(action);
          return (
            <Button key={action} disabled={bulkBusy || n === 0} onClick={() => void runBulk(action)}>
              {label} ({n})
            </Button>
          );
        })}
      </div>
      {bulkSummary ? (
        <MessageBar intent={bulkSummary.intent}>
          <MessageBarBody>{bulkSummary.text}</MessageBarBody>
        </MessageBar>
      ) : null}

      {queue.error ? <ApiErrorBar error={queue.error} title="The queue did not load" onRetry={queue.retry} /> : null}

      {queue.loading ? (
        <Skeleton aria-label="Loading the queue" className={styles.skeleton}>
          <SkeletonItem size={40} />
          <SkeletonItem size={40} />
          <SkeletonItem size={40} />
        </Skeleton>
      ) : rows.length === 0 && !queue.error ? (
        <div className={styles.empty}>
          <PersonClockRegular fontSize={32} aria-hidden />
          <Text>{EMPTY_TEXT[filter]}</Text>
        </div>
      ) : rows.length > 0 ? (
        <div className={styles.tableWrap}>
          <Table aria-label="Registration requests" size="small" className={rt.table}>
            <TableHeader className={rt.header}>
              <TableRow>
                <TableHeaderCell className={styles.checkCell}>
                  <span className={styles.visuallyHidden}>Select</span>
                </TableHeaderCell>
                <TableHeaderCell>Person</TableHeaderCell>
                <TableHeaderCell>State</TableHeaderCell>
                <TableHeaderCell className={styles.actionsCell}>Actions</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody className={rt.body}>
              {rows.map((r) => {
                const id = r.member.id;
                const actions = actionsFor(r.registration.state);
                const busy = status[id]?.kind === 'busy' || bulkBusy;
                return (
                  <TableRow key={id} className={rt.row}>
                    <TableCell className={rt.cell}>
                      <Checkbox aria-label={`Select ${r.member.displayName}`} checked={selected.has(id)} onChange={(_e, data) => toggle(id, data.checked === true)} />
                    </TableCell>
                    <TableCell className={mergeClasses(rt.cell, rt.grow)}>
                      <div className={styles.person}>
                        <Text weight="semibold">{r.member.displayName}</Text>
                        <Text size={200}>{r.member.email}</Text>
                        {r.member.office ? <Text size={200} className={styles.muted}>{r.member.office}</Text> : null}
                      </div>
                    </TableCell>
                    <TableCell className={mergeClasses(rt.cell, rt.full)}>
                      <div className={styles.stateCell}>
                        <div className={styles.badges}>
                          <RegistrationStateBadge state={r.registration.state} />
                          {r.registration.stuck ? (
                            <Badge appearance="filled" color="danger">
                              Stuck
                            </Badge>
                          ) : null}
                          {r.registration.helpAskedAt ? (
                            <Badge appearance="tint" color="warning" icon={<MailAlertRegular />}>
                              Asked for help
                            </Badge>
                          ) : null}
                        </div>
                        <Text size={200} title={formatDateTime(r.registration.since)}>
                          {waitingWord(r)} {formatRelative(r.registration.since)}
                        </Text>
                        {r.registration.helpAskedAt ? (
                          <Text size={200} data-testid="help-asked">
                            Could not find the Autodesk email and told the account managers on {formatDateTime(r.registration.helpAskedAt)}.
                          </Text>
                        ) : r.registration.stuck ? (
                          <Text size={200}>Ask them to look for the Autodesk email in the spam quarantine digest.</Text>
                        ) : null}
                        {r.registration.requestedBy ? (
                          <Text size={200} className={styles.muted}>
                            Raised by {r.registration.requestedBy === me.member.id ? 'you' : 'an account manager'}
                          </Text>
                        ) : null}
                        {r.registration.state === 'declined' && r.registration.reason ? <Text size={200}>Reason: {r.registration.reason}</Text> : null}
                        {renderStatus(id)}
                      </div>
                    </TableCell>
                    <TableCell className={mergeClasses(rt.cell, rt.full)}>
                      {actions.length ? (
                        <Menu>
                          <MenuTrigger disableButtonEnhancement>
                            <MenuButton size="small" disabled={busy} aria-label={`Actions for ${r.member.displayName}`}>
                              Actions
                            </MenuButton>
                          </MenuTrigger>
                          <MenuPopover>
                            <MenuList>
                              {actions.map((a) => (
                                <MenuItem key={a} onClick={() => startAction(r, a)}>
                                  {ACTION_LABEL[a]}
                                </MenuItem>
                              ))}
                            </MenuList>
                          </MenuPopover>
                        </Menu>
                      ) : (
                        <Text size={200} className={styles.muted}>
                          Nothing to do
                        </Text>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </div>
      ) : null}

      {queue.hasMore && !queue.loading ? (
        <Button onClick={queue.loadMore} disabled={queue.loadingMore}>
          {queue.loadingMore ? 'Loading…' : 'Load more'}
        </Button>
      ) : null}

      <StuckRegistrations />

      {dialog ? (
        <ReasonDialog
          kind={dialog.kind}
          record={dialog.record}
          busy={status[dialog.record.member.id]?.kind === 'busy'}
          error={dialog.error}
          onConfirm={(reason) => void confirmDialog(reason)}
          onClose={() => setDialog(undefined)}
        />
      ) : null}
    </div>
  );
}
