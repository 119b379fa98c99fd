import { useCallback, useEffect, useRef, useState } from 'react';
import type { MemberRecord } from '../../contract/schemas.js';
import { REGISTRATION_STATE_LABEL } from '../../ui/RegistrationStateBadge.js';
import type { Outcome } from '../../ui/useAction.js';
import { useRowAction } from '../../ui/useAction.js';
import type { PagedState } from '../../ui/usePaged.js';
import { usePaged } from '../../ui/usePaged.js';
import { useApp } from '../app-context.js';
import type { BulkAction, QueueAction, QueueFilter } from './queue.js';
import { ACTION_DONE, actionsFor, loadQueuePage, matchesFilter, queueOrder } from './queue.js';

/** What the row shows under the person's state about the last step taken for them from this page. */
export type RowStatus = { kind: 'busy' } | { kind: 'done'; text: string } | { kind: 'failed'; error: unknown } | { kind: 'skipped'; text: string };

/** A step that asks for a reason first, waiting for it in a dialog. */
export interface ReasonAsked {
  kind: 'declined' | 'left';
  record: MemberRecord;
  error?: unknown;
}

export interface RegistrationsPageState {
  filter: QueueFilter;
  setFilter: (filter: QueueFilter) => void;
  queue: PagedState<MemberRecord>;
  /** Who raised the request is said as "you" for this person. */
  myId: string;
  addRaised: (record: MemberRecord) => void;
  selected: ReadonlySet<string>;
  select: (id: string, on: boolean) => void;
  selectAllShown: (on: boolean) => void;
  /** The select-all box: everyone shown, some of them, or nobody. */
  allChecked: boolean | 'mixed';
  statusOf: (id: string) => RowStatus | undefined;
  startAction: (record: MemberRecord, action: QueueAction) => void;
  dialog: ReasonAsked | undefined;
  confirmDialog: (reason: string | undefined) => Promise<void>;
  closeDialog: () => void;
  bulkBusy: boolean;
  bulkSummary: { intent: 'success' | 'warning'; text: string } | undefined;
  runBulk: (action: BulkAction) => Promise<void>;
  /** How many of the selected people the bulk step fits. */
  applicable: (action: BulkAction) => number;
}

/** Bulk steps in flight at once: a long selection does not flood the API. */
const BULK_LANES = 4;

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

/** The registration queue's state: the page of people shown, the selection, and the steps taken for them. */
export function useRegistrationsPage(): RegistrationsPageState {
  const { api, me } = useApp();
  const [filter, setFilter] = useState<QueueFilter>('open');
  const queue = usePaged(async (cursor, signal) => {
    const page = await loadQueuePage(api, filter, cursor, signal);
    return { ...page, items: queueOrder(page.items) };
  }, [api, filter]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [status, setStatus] = useState<Record<string, RowStatus>>({});
  const [dialog, setDialog] = useState<ReasonAsked>();
  const [bulkBusy, setBulkBusy] = useState(false);
  const [bulkSummary, setBulkSummary] = useState<{ intent: 'success' | 'warning'; text: string }>();
  const attempt = useRowAction();
  // A second click can arrive before the first bulk run's state renders: the ref stops it running twice.
  const bulkRunning = useRef(false);

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
      const outcome = await attempt(id, action, async (idempotencyKey) => {
        setRowStatus(id, { kind: 'busy' });
        const { member } = await api('registrationEvent', { params: { memberId: id }, body: { type: action, ...(reason ? { reason } : {}) }, idempotencyKey });
        updateRows((items) => items.map((r) => (r.member.id === id ? member : r)));
      });
      if (outcome === 'busy') return { ok: false, error: new Error('Already working on this person.') };
      setRowStatus(id, outcome.ok ? { kind: 'done', text: ACTION_DONE[action] } : { kind: 'failed', error: outcome.error });
      return outcome;
    },
    [api, attempt, updateRows],
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
    if (bulkRunning.current) return;
    bulkRunning.current = true;
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
      await eachLimited(valid, BULK_LANES, async (record) => {
        const outcome = await runAction(record, action);
        if (outcome.ok) succeeded.push(record.member.id);
        else failed++;
      });
      setSelected((s) => new Set([...s].filter((id) => !succeeded.includes(id))));
      const skipped = targets.length - valid.length;
      const parts = [`${succeeded.length} done`, ...(failed ? [`${failed} failed (still selected; try again)`] : []), ...(skipped ? [`${skipped} skipped`] : [])];
      setBulkSummary({ intent: failed || skipped ? 'warning' : 'success', text: `${parts.join(', ')}.` });
    } finally {
      bulkRunning.current = false;
      setBulkBusy(false);
    }
  }

  const shownIds = rows.map((r) => r.member.id);
  const selectedShown = shownIds.filter((id) => selected.has(id));
  const allChecked = shownIds.length > 0 && selectedShown.length === shownIds.length ? true : selectedShown.length > 0 ? 'mixed' : false;

  return {
    filter,
    setFilter,
    queue,
    myId: me.member.id,
    addRaised: (record) => {
      if (matchesFilter(filter, record)) updateRows((items) => [record, ...items.filter((r) => r.member.id !== record.member.id)]);
    },
    selected,
    select: (id, on) =>
      setSelected((s) => {
        const next = new Set(s);
        if (on) next.add(id);
        else next.delete(id);
        return next;
      }),
    selectAllShown: (on) => setSelected(on ? new Set(shownIds) : new Set()),
    allChecked,
    statusOf: (id) => status[id],
    startAction,
    dialog,
    confirmDialog,
    closeDialog: () => setDialog(undefined),
    bulkBusy,
    bulkSummary,
    runBulk,
    applicable: (action) => rows.filter((r) => selected.has(r.member.id) && actionsFor(r.registration.state).includes(action)).length,
  };
}
