import { Dialog, DialogBody, DialogContent, DialogTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import type { PersonDetails } from './person-situation.js';
import { DialogFooter } from '../../ui/DialogFooter.js';
import { ModalSurface } from '../../ui/ModalSurface.js';

const useStyles = makeStyles({ content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS } });

/** Nothing is written from an email without the manager confirming who it is for. */
export function RaiseRequestDialog(props: { person: PersonDetails; busy: boolean; error: unknown; onConfirm: () => void; onClose: () => void }) {
  const styles = useStyles();
  return (
    <Dialog open onOpenChange={(_e, data) => !data.open && !props.busy && props.onClose()}>
      <ModalSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Raise an account request</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>
              Request an Autodesk account for <strong>{props.person.name}</strong> ({props.person.email}
              {props.person.detail ? `, ${props.person.detail}` : ''})?
            </Text>
            <Text>The request joins the queue as if they had asked in Credit Desk; the account managers are told in Teams.</Text>
            {props.error ? <ApiErrorBar error={props.error} title="Not saved" onRetry={props.onConfirm} /> : null}
          </DialogContent>
          <DialogFooter action="Raise request" busyAction="Saving…" busy={props.busy} ready onCancel={props.onClose} onAction={props.onConfirm} />
        </DialogBody>
      </ModalSurface>
    </Dialog>
  );
}
