import {
  Dialog,
  DialogBody,
  DialogContent,
  DialogTitle,
  Field,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { MemberRecord } from '../contract/schemas.js';
import { ApiErrorBar } from './ApiErrorBar.js';
import { DialogFooter } from './DialogFooter.js';
import { ModalSurface } from './ModalSurface.js';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

const COPY = {
  declined: {
    title: 'Decline this request',
    intro: 'They will see your reason and may ask again once it is sorted out.',
    label: 'Reason they can act on',
    confirm: 'Decline',
    required: true,
  },
  left: {
    title: 'Mark as left the firm',
    intro: 'Any own credits they still have stay with their Autodesk account and are shown as stranded: Autodesk cannot move them.',
    label: 'Note (optional)',
    confirm: 'Mark as left',
    required: false,
  },
} as const;

/** Asks for the reason of a decline (required) or a note on someone leaving, then confirms. */
export function ReasonDialog(props: {
  kind: 'declined' | 'left';
  record: MemberRecord;
  busy: boolean;
  error: unknown;
  onConfirm: (reason: string | undefined) => void;
  onClose: () => void;
}) {
  const styles = useStyles();
  const copy = COPY[props.kind];
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  const missing = copy.required && trimmed === '';
  const confirm = () => {
    if (!props.busy && !missing) props.onConfirm(trimmed || undefined);
  };

  return (
    <Dialog open onOpenChange={(_e, data) => !data.open && !props.busy && props.onClose()}>
      <ModalSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>
            {copy.title}: {props.record.member.displayName}
          </DialogTitle>
          <DialogContent className={styles.content}>
            <Text>{copy.intro}</Text>
            {props.error ? <ApiErrorBar error={props.error} title="Not saved" onRetry={confirm} /> : null}
            <Field label={copy.label} required={copy.required} hint={copy.required ? 'Required: for example "Not on the engineering contract; ask your manager to approve first."' : undefined}>
              <Textarea value={reason} onChange={(_e, data) => setReason(data.value)} resize="vertical" maxLength={1000} />
            </Field>
          </DialogContent>
          <DialogFooter action={copy.confirm} busyAction="Saving…" busy={props.busy} ready={!missing} onCancel={props.onClose} onAction={confirm} />
        </DialogBody>
      </ModalSurface>
    </Dialog>
  );
}
