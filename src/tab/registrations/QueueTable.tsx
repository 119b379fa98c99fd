import {
  Badge,
  Checkbox,
  Menu,
  MenuButton,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  mergeClasses,
} from '@fluentui/react-components';
import { CheckmarkCircleRegular, ErrorCircleRegular, MailAlertRegular } from '@fluentui/react-icons';
import type { MemberRecord } from '../../contract/schemas.js';
import { errorWords } from '../../ui/error-words.js';
import { RegistrationStateBadge } from '../../ui/RegistrationStateBadge.js';
import { formatDateTime, formatRelative } from '../../ui/format.js';
import { useResponsiveTableStyles } from '../../ui/responsiveTable.js';
import type { QueueAction } from './queue.js';
import { ACTION_LABEL, OPEN_STATES, actionsFor } from './queue.js';
import { useRegistrationsPageStyles } from './RegistrationsPage.styles.js';
import type { RegistrationsPageState, RowStatus } from './useRegistrationsPage.js';

/** The people shown, one row each: who they are, where their registration stands, and the steps to take. */
export function QueueTable({ state }: { state: RegistrationsPageState }) {
  const styles = useRegistrationsPageStyles();
  const rt = useResponsiveTableStyles();
  return (
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
          {state.queue.items.map((record) => (
            <QueueRow key={record.member.id} record={record} state={state} />
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function QueueRow({ record, state }: { record: MemberRecord; state: RegistrationsPageState }) {
  const styles = useRegistrationsPageStyles();
  const rt = useResponsiveTableStyles();
  const { member } = record;
  return (
    <TableRow className={rt.row}>
      <TableCell className={rt.cell}>
        <Checkbox aria-label={`Select ${member.displayName}`} checked={state.selected.has(member.id)} onChange={(_e, data) => state.select(member.id, data.checked === true)} />
      </TableCell>
      <TableCell className={mergeClasses(rt.cell, rt.grow)}>
        <div className={styles.person}>
          <Text weight="semibold">{member.displayName}</Text>
          <Text size={200}>{member.email}</Text>
          {member.office ? <Text size={200} className={styles.muted}>{member.office}</Text> : null}
        </div>
      </TableCell>
      <TableCell className={mergeClasses(rt.cell, rt.full)}>
        <RegistrationCell record={record} myId={state.myId} status={state.statusOf(member.id)} />
      </TableCell>
      <TableCell className={mergeClasses(rt.cell, rt.full)}>
        <RowActions record={record} busy={state.statusOf(member.id)?.kind === 'busy' || state.bulkBusy} onAction={(action) => state.startAction(record, action)} />
      </TableCell>
    </TableRow>
  );
}

/** Where the registration stands, what the person did about it, and how the last step from here went. */
function RegistrationCell({ record, myId, status }: { record: MemberRecord; myId: string; status: RowStatus | undefined }) {
  const styles = useRegistrationsPageStyles();
  const { registration } = record;
  const waitingWord = (OPEN_STATES as readonly string[]).includes(registration.state) ? 'waiting since' : 'since';
  return (
    <div className={styles.stateCell}>
      <div className={styles.badges}>
        <RegistrationStateBadge state={registration.state} />
        {registration.stuck ? (
          <Badge appearance="filled" color="danger">
            Stuck
          </Badge>
        ) : null}
        {registration.helpAskedAt ? (
          <Badge appearance="tint" color="warning" icon={<MailAlertRegular />}>
            Asked for help
          </Badge>
        ) : null}
      </div>
      <Text size={200} title={formatDateTime(registration.since)}>
        {waitingWord} {formatRelative(registration.since)}
      </Text>
      {registration.helpAskedAt ? (
        <Text size={200} data-testid="help-asked">
          Could not find the Autodesk email and told the account managers on {formatDateTime(registration.helpAskedAt)}.
        </Text>
      ) : registration.stuck ? (
        <Text size={200}>Ask them to look for the Autodesk email in the spam quarantine digest.</Text>
      ) : null}
      {registration.requestedBy ? (
        <Text size={200} className={styles.muted}>
          Raised by {registration.requestedBy === myId ? 'you' : 'an account manager'}
        </Text>
      ) : null}
      {registration.state === 'declined' && registration.reason ? <Text size={200}>Reason: {registration.reason}</Text> : null}
      {status ? <RowStatusLine status={status} /> : null}
    </div>
  );
}

function RowStatusLine({ status }: { status: RowStatus }) {
  const styles = useRegistrationsPageStyles();
  switch (status.kind) {
    case 'busy':
      return <Text size={200} className={styles.muted}>Saving…</Text>;
    case 'done':
      return (
        <Text size={200} className={styles.done}>
          <CheckmarkCircleRegular aria-hidden /> {status.text}
        </Text>
      );
    case 'skipped':
      return <Text size={200} className={styles.muted}>{status.text}</Text>;
    case 'failed':
      return (
        <Text size={200} className={styles.failed}>
          <ErrorCircleRegular aria-hidden /> Not saved: {errorWords(status.error)}
        </Text>
      );
  }
}

function RowActions({ record, busy, onAction }: { record: MemberRecord; busy: boolean; onAction: (action: QueueAction) => void }) {
  const styles = useRegistrationsPageStyles();
  const actions = actionsFor(record.registration.state);
  if (actions.length === 0) {
    return (
      <Text size={200} className={styles.muted}>
        Nothing to do
      </Text>
    );
  }
  return (
    <Menu>
      <MenuTrigger disableButtonEnhancement>
        <MenuButton size="small" disabled={busy} aria-label={`Actions for ${record.member.displayName}`}>
          Actions
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {actions.map((action) => (
            <MenuItem key={action} onClick={() => onAction(action)}>
              {ACTION_LABEL[action]}
            </MenuItem>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
