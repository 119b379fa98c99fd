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
import type { PurchaseEvent } from '../../core/purchases/purchase-rules.js';
import type { BodyOf } from '../../contract/routes.js';
import { PurchaseEventBody } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { useAction } from '../../ui/useAction.js';
import type { UnitWords } from '../../ui/format.js';
import { formatCredits, unitWords } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import type { PurchaseView } from './board.js';
import { STATE_LABEL } from './board.js';
import { DialogFooter } from '../../ui/DialogFooter.js';
import { ModalSurface } from '../../ui/ModalSurface.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'grid', gap: tokens.spacingHorizontalM, gridTemplateColumns: 'repeat(auto-fit, minmax(120px, 1fr))' },
});

const TITLE: Record<Exclude<PurchaseEvent, 'applied'>, string> = {
  quote_requested: 'Quote requested',
  quote_received: 'Quote received',
  approved: 'Purchase approved',
  ordered: 'Order placed',
  cancelled: 'Cancel this purchase',
};

/** The dialog's title: what the move records ("Tokens applied to the pool" in Flex mode). */
const title = (type: PurchaseEvent, unit: UnitWords) => (type === 'applied' ? `${unit.label} applied to the pool` : TITLE[type]);

function intro(type: PurchaseEvent, p: PurchaseView, reseller: string, applyDays: { min: number; max: number }, units: UnitWords): string {
  const unit = units.word;
  switch (type) {
    case 'quote_requested':
      return `Record that you asked ${reseller} for a quote for ${units.blocks(p.blocks)}.`;
    case 'quote_received':
      return `Copy the quote number and total from ${reseller}'s quote.`;
    case 'approved':
      return 'Record that the purchase went through the firm’s approval.';
    case 'ordered':
      return `Record the purchase order. Autodesk usually needs ${applyDays.min}–${applyDays.max} more days to apply the ${unit}.`;
    case 'applied':
      return `This adds ${formatCredits(p.credits)} ${unit} to the shared pool, once. Do it when Autodesk shows them on the contract.`;
    case 'cancelled':
      return 'The purchase stops here. Say why, so the next person knows.';
  }
}

/** The step form for one move of a purchase: the fields that move needs, and nothing else. */
export function MoveDialog(props: { purchase: PurchaseView; type: PurchaseEvent; defaultCurrency: string; onDone: (purchase: PurchaseView) => void; onClose: () => void }) {
  const styles = useStyles();
  const { api, settings } = useApp();
  const { purchase: p, type } = props;
  const unit = unitWords(settings);
  const [quoteNumber, setQuoteNumber] = useState('');
  const [price, setPrice] = useState('');
  const [currency, setCurrency] = useState(props.defaultCurrency);
  const [poNumber, setPoNumber] = useState('');
  const [reason, setReason] = useState('');

  const body: BodyOf<'purchaseEvent'> = {
    type,
    ...(type === 'quote_received' ? { quoteNumber: quoteNumber.trim(), price: price.trim() === '' ? Number.NaN : Number(price), currency: currency.trim().toUpperCase() } : {}),
    ...(type === 'ordered' ? { poNumber: poNumber.trim() } : {}),
    ...(reason.trim() ? { reason: reason.trim() } : {}),
  };
  const parsed = PurchaseEventBody.safeParse(body);
  const issue = (field: string) => parsed.error?.issues.find((i) => i.path[0] === field)?.message;
  const missingReason = type === 'cancelled' && !reason.trim();
  const valid = parsed.success && !missingReason;
  const touched = { quoteNumber: quoteNumber !== '', price: price !== '', currency: currency !== '', poNumber: poNumber !== '' };
  const shown = (field: keyof typeof touched) => (touched[field] ? issue(field) : undefined);

  // One key per attempt at this change, kept while a lost answer may be retried (see useAction).
  const action = useAction(async (idempotencyKey) => {
    if (!parsed.success) return;
    const { purchase } = await api('purchaseEvent', { params: { id: p.id }, body: parsed.data, idempotencyKey });
    props.onDone(purchase);
  });
  const { busy, error } = action;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!parsed.success || missingReason) return;
    void action.run();
  }


  return (
    <Dialog open onOpenChange={(_e, data) => !data.open && !busy && props.onClose()}>
      <ModalSurface aria-describedby={undefined}>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{title(type, unit)}</DialogTitle>
            <DialogContent className={styles.form}>
              <Text>
                {unit.blocks(p.blocks)}, {unit.amount(p.credits)}, now “{STATE_LABEL[p.state]}”. {intro(type, p, settings.reseller.name, settings.applyDays, unit)}
              </Text>
              {error ? <ApiErrorBar error={error} title="Not moved" onRetry={() => void submit()} /> : null}
              {type === 'quote_received' ? (
                <>
                  <Field label="Quote number" required validationMessage={shown('quoteNumber')}>
                    <Input value={quoteNumber} onChange={(_e, data) => setQuoteNumber(data.value)} autoComplete="off" />
                  </Field>
                  <div className={styles.row}>
                    <Field label="Price (total)" required validationMessage={shown('price') ? 'Enter the total, more than zero.' : undefined}>
                      <Input type="number" inputMode="decimal" min={0.01} step={0.01} value={price} onChange={(_e, data) => setPrice(data.value)} />
                    </Field>
                    <Field label="Currency" required validationMessage={shown('currency')} hint="Three letters, e.g. USD">
                      <Input value={currency} maxLength={3} onChange={(_e, data) => setCurrency(data.value.toUpperCase())} autoComplete="off" />
                    </Field>
                  </div>
                </>
              ) : null}
              {type === 'ordered' ? (
                <Field label="PO number" required validationMessage={shown('poNumber')}>
                  <Input value={poNumber} onChange={(_e, data) => setPoNumber(data.value)} autoComplete="off" />
                </Field>
              ) : null}
              <Field label={type === 'cancelled' ? 'Why is it cancelled?' : 'Note (optional)'} required={type === 'cancelled'}>
                <Textarea value={reason} onChange={(_e, data) => setReason(data.value)} resize="vertical" maxLength={1000} />
              </Field>
            </DialogContent>
            <DialogFooter action={type === 'cancelled' ? 'Cancel purchase' : 'Save'} busyAction="Saving…" busy={busy} ready={valid} onCancel={props.onClose} cancelLabel={type === 'cancelled' ? 'Keep it' : 'Cancel'} />
          </DialogBody>
        </form>
      </ModalSurface>
    </Dialog>
  );
}
