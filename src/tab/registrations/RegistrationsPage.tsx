import { Button, Checkbox, MessageBar, MessageBarBody, Skeleton, SkeletonItem, Text } from '@fluentui/react-components';
import { PersonClockRegular } from '@fluentui/react-icons';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { ReasonDialog } from '../../ui/ReasonDialog.js';
import { RovingTab, RovingTabList } from '../../ui/RovingTabList.js';
import type { QueueFilter } from './queue.js';
import { BULK_ACTIONS, FILTERS } from './queue.js';
import { QueueTable } from './QueueTable.js';
import { RaiseRequestForm } from './RaiseRequestForm.js';
import { useRegistrationsPageStyles } from './RegistrationsPage.styles.js';
import { StuckRegistrations } from './StuckRegistrations.js';
import type { RegistrationsPageState } from './useRegistrationsPage.js';
import { useRegistrationsPage } from './useRegistrationsPage.js';

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

/** The registration queue: who asked for an Autodesk account, and the account manager's steps for each. */
export function RegistrationsPage() {
  const styles = useRegistrationsPageStyles();
  const state = useRegistrationsPage();
  const { queue, dialog } = state;
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

      <RaiseRequestForm onRaised={state.addRaised} />

      <div>
        <RovingTabList aria-label="Show" className={styles.filterTabs} selectedValue={state.filter} onTabSelect={(_e, data) => state.setFilter(data.value as QueueFilter)} size="small">
          {FILTERS.map((f) => (
            <RovingTab key={f.value} value={f.value} className={styles.filterTab}>
              {f.label}
            </RovingTab>
          ))}
        </RovingTabList>
      </div>

      <BulkToolbar state={state} />
      {state.bulkSummary ? (
        <MessageBar intent={state.bulkSummary.intent}>
          <MessageBarBody>{state.bulkSummary.text}</MessageBarBody>
        </MessageBar>
      ) : null}

      {queue.error ? <ApiErrorBar error={queue.error} title="The queue did not load" onRetry={queue.retry} /> : null}
      <QueueBody state={state} />
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
          busy={state.statusOf(dialog.record.member.id)?.kind === 'busy'}
          error={dialog.error}
          onConfirm={(reason) => void state.confirmDialog(reason)}
          onClose={state.closeDialog}
        />
      ) : null}
    </div>
  );
}

function BulkToolbar({ state }: { state: RegistrationsPageState }) {
  const styles = useRegistrationsPageStyles();
  const { selected } = state;
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Act on the selected people">
      <Checkbox
        label={selected.size ? `${selected.size} selected` : 'Select everyone shown'}
        checked={state.allChecked}
        disabled={state.queue.items.length === 0}
        onChange={(_e, data) => state.selectAllShown(data.checked === true)}
      />
      {BULK_ACTIONS.map(({ action, label }) => {
        const n = state.applicable(action);
        return (
          <Button key={action} disabled={state.bulkBusy || n === 0} onClick={() => void state.runBulk(action)}>
            {label} ({n})
          </Button>
        );
      })}
    </div>
  );
}

/** The queue while it loads, when nobody is in it, or its table. */
function QueueBody({ state }: { state: RegistrationsPageState }) {
  const styles = useRegistrationsPageStyles();
  const { queue } = state;
  if (queue.loading) {
    return (
      <Skeleton aria-label="Loading the queue" className={styles.skeleton}>
        <SkeletonItem size={40} />
        <SkeletonItem size={40} />
        <SkeletonItem size={40} />
      </Skeleton>
    );
  }
  if (queue.items.length > 0) return <QueueTable state={state} />;
  if (queue.error) return null;
  return (
    <div className={styles.empty}>
      <PersonClockRegular fontSize={32} aria-hidden />
      <Text>{EMPTY_TEXT[state.filter]}</Text>
    </div>
  );
}
