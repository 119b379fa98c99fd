import {
  Dialog,
  DialogBody,
  DialogContent,
  DialogTitle,
  Field,
  Input,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { FormEvent } from 'react';
import { useState } from 'react';
import { CreatePurchaseBody } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { useAction } from '../../ui/useAction.js';
import { formatCredits, unitWords } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import type { PurchaseView } from './board.js';
import { DialogFooter } from '../../ui/DialogFooter.js';
import { ModalSurface } from '../../ui/ModalSurface.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** Start a purchase: how many whole blocks, and why (prefilled, e.g. from the pool forecast). */
export function NewPurchaseDialog(props: { onDone: (purchase: PurchaseView) => void; onClose: () => void; initialBlocks?: number; initialReason?: string }) {
  const styles = useStyles();
  const { api, settings } = useApp();
  const unit = unitWords(settings);
  const [blocks, setBlocks] = useState(String(props.initialBlocks ?? 1));
  const [reason, setReason] = useState(props.initialReason ?? '');

  const parsed = CreatePurchaseBody.safeParse({ blocks: blocks.trim() === '' ? Number.NaN : Number(blocks), ...(reason.trim() ? { reason: reason.trim() } : {}) });
  const count = parsed.success ? parsed.data.blocks : 0;

  // One key per attempt at this change, kept while a lost answer may be retried (see useAction).
  const action = useAction(async (idempotencyKey) => {
    if (!parsed.success) return;
    const { purchase } = await api('createPurchase', { body: parsed.data, idempotencyKey });
    props.onDone(purchase);
  });
  const { busy, error } = action;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!parsed.success) return;
    void action.run();
  }


  return (
    <Dialog open onOpenChange={(_e, data) => !data.open && !busy && props.onClose()}>
      <ModalSurface aria-describedby={undefined}>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>New purchase</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>
                {unit.flex ? 'Flex tokens come in packs' : 'Credits come in blocks'} of {formatCredits(settings.blockSize)}{unit.flex && settings.packExpiryMonths ? `, which expire ${settings.packExpiryMonths} months after they are applied` : ''}. Allow {settings.leadTimeDays.min}–{settings.leadTimeDays.max} working days from here until
                they are in the pool; expediting is hard, so order ahead.
              </Text>
              {error ? <ApiErrorBar error={error} title="Purchase not started" onRetry={() => void submit()} /> : null}
              <Field
                label={unit.flex ? 'Packs' : 'Blocks'}
                required
                validationState={parsed.success || blocks === '' ? 'none' : 'error'}
                validationMessage={parsed.success ? unit.amount(count * settings.blockSize) : blocks === '' ? undefined : `Whole ${unit.flex ? 'packs' : 'blocks'}, 1 to 1000.`}
              >
                <Input type="number" inputMode="numeric" min={1} max={1000} step={1} value={blocks} onChange={(_e, data) => setBlocks(data.value)} />
              </Field>
              <Field label="Why (optional)" hint="For example: the pool runs out in about three weeks.">
                <Textarea value={reason} onChange={(_e, data) => setReason(data.value)} resize="vertical" maxLength={1000} />
              </Field>
            </DialogContent>
            <DialogFooter action="Start purchase" busyAction="Starting…" busy={busy} ready={parsed.success} onCancel={props.onClose} />
          </DialogBody>
        </form>
      </ModalSurface>
    </Dialog>
  );
}
