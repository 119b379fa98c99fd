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
import type { FormEvent } from 'react';
import { useState } from 'react';
import type { TransferView } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { useAction } from '../../ui/useAction.js';
import { formatCredits, formatDateTime } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { TRANSFER_LABEL } from './members.js';
import { DialogFooter } from '../../ui/DialogFooter.js';
import { ModalSurface } from '../../ui/ModalSurface.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Reverse one transfer: a correcting entry that points at it, with the reason why. */
export function ReversalDialog(props: { transfer: TransferView; memberName: string; onDone: (reversal: TransferView) => void; onClose: () => void }) {
  const styles = useStyles();
  const { api } = useApp();
  const t = props.transfer;
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();

  // One key per attempt at this change, kept while a lost answer may be retried (see useAction).
  const action = useAction(async (idempotencyKey) => {
    const { reversal } = await api('reverseTransfer', { params: { id: t.id }, body: { reason: trimmed }, idempotencyKey });
    props.onDone(reversal);
  });
  const { busy, error } = action;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!trimmed) return;
    void action.run();
  }


  return (
    <Dialog open onOpenChange={(_e, data) => !data.open && !busy && props.onClose()}>
      <ModalSurface aria-describedby={undefined}>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>Reverse this entry</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>
                {TRANSFER_LABEL[t.code]} of {formatCredits(t.credits)} credits for {props.memberName}, recorded {formatDateTime(t.at)}. Nothing is deleted: a
                correcting entry is added that undoes it, with your reason.
              </Text>
              {error ? <ApiErrorBar error={error} title="Not reversed" onRetry={() => void submit()} /> : null}
              <Field label="Why reverse it?" required hint="For example: logged twice; the import has the real figure.">
                <Textarea value={reason} onChange={(_e, data) => setReason(data.value)} resize="vertical" maxLength={1000} />
              </Field>
            </DialogContent>
            <DialogFooter action="Reverse" busyAction="Reversing…" busy={busy} ready={Boolean(trimmed)} onCancel={props.onClose} />
          </DialogBody>
        </form>
      </ModalSurface>
    </Dialog>
  );
}
