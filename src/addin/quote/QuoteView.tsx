import {
  Button,
  Caption1,
  Field,
  Input,
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Skeleton,
  SkeletonItem,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { PurchaseView } from '../../contract/schemas.js';
import type { QuoteReading } from '../../mail/quote-reading.js';
import { LazyApiErrorBar } from '../../ui/LazyApiErrorBar.js';
import { formatRelative } from '../../ui/format.js';
import { formatPrice } from '../../ui/money.js';
import { useAction } from '../../ui/useAction.js';
import { useApi } from '../../ui/useApi.js';
import { usePane } from '../pane-context.js';
import type { QuoteDraft, QuoteField } from './quote-form.js';
import { COMMON_CURRENCIES, NEW_PURCHASE, awaitingQuote, checkDraft, draftFrom, purchaseWithQuote } from './quote-form.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 96px', gap: tokens.spacingHorizontalS, alignItems: 'start' },
  hint: { color: tokens.colorNeutralForeground3 },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

const MISSING_HINT = 'Not found in the email: type it from the quote.';
const STATE_WORDS: Record<string, string> = { requested: 'requested', quote_requested: 'quote requested' };

const describe = (p: PurchaseView) => `${p.blocks} ${p.blocks === 1 ? 'block' : 'blocks'}${p.reason ? ` · ${p.reason}` : ''}`;

/** A reseller quote: the figures read from the email, confirmed by the manager, recorded on a purchase. */
export function QuoteView({ reading }: { reading: QuoteReading }) {
  const { api } = usePane();
  const purchases = useApi((signal) => api('listPurchases', { query: { limit: 200 }, signal }), []);
  const styles = useStyles();

  if (purchases.error) return <LazyApiErrorBar error={purchases.error} title="Purchases could not be loaded" onRetry={purchases.reload} />;
  if (!purchases.data) {
    return (
      <Skeleton aria-label="Loading purchases" className={styles.skeleton}>
        <SkeletonItem size={32} />
        <SkeletonItem size={32} />
        <SkeletonItem size={72} />
      </Skeleton>
    );
  }
  return <QuoteForm reading={reading} purchases={purchases.data.items} onSaved={purchases.reload} />;
}

function QuoteForm({ reading, purchases, onSaved }: { reading: QuoteReading; purchases: PurchaseView[]; onSaved: () => void }) {
  const styles = useStyles();
  const { api, tabLink } = usePane();
  const [draft, setDraft] = useState<QuoteDraft>(() => draftFrom(reading, purchases));
  const [errors, setErrors] = useState<Partial<Record<QuoteField, string>>>({});
  const [saved, setSaved] = useState<PurchaseView>();
  const open = awaitingQuote(purchases);
  const duplicate = saved ? undefined : purchaseWithQuote(purchases, draft.quoteNumber);
  const currencies = draft.currency && !(COMMON_CURRENCIES as readonly string[]).includes(draft.currency) ? [draft.currency, ...COMMON_CURRENCIES] : COMMON_CURRENCIES;
  const set = (field: QuoteField) => (value: string) => {
    setDraft((d) => ({ ...d, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const save = useAction(async (idempotencyKey) => {
    const checked = checkDraft(draft, purchases);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    const { quoteNumber, price, currency, blocks } = checked.value;
    // Two calls, each with its own key derived from the one action: a retry replays whichever already went through.
    const purchaseId =
      checked.value.purchaseId ??
      (await api('createPurchase', { body: { blocks, reason: `Quote ${quoteNumber}` }, idempotencyKey: `${idempotencyKey}-new` })).purchase.id;
    const moved = await api('purchaseEvent', {
      params: { id: purchaseId },
      body: { type: 'quote_received', quoteNumber, price, currency },
      idempotencyKey: `${idempotencyKey}-quote`,
    });
    setSaved(moved.purchase);
    onSaved();
  });

  if (saved) {
    return (
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Quote {saved.quoteNumber} recorded</MessageBarTitle>
          The purchase of {describe(saved)} now has its quote ({formatPrice(saved.price ?? 0, saved.currency)}). Next comes approval.{' '}
          <Link href={tabLink('purchases')} target="_blank" inline>
            Open Purchases
          </Link>
        </MessageBarBody>
      </MessageBar>
    );
  }

  return (
    <form
      className={styles.form}
      aria-label="Record the quote"
      // The form names what to fix itself; the browser's own bubbles would stop the submit before it could.
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save.run();
      }}
    >
      <Caption1 className={styles.hint}>Read from the email: check the figures against the quote before recording it.</Caption1>
      <Field
        label="Quote number"
        required
        validationState={errors.quoteNumber ? 'error' : reading.quoteNumber ? 'none' : 'warning'}
        validationMessage={errors.quoteNumber ?? (reading.quoteNumber ? undefined : MISSING_HINT)}
      >
        <Input value={draft.quoteNumber} onChange={(_e, data) => set('quoteNumber')(data.value)} />
      </Field>
      <div className={styles.row}>
        <Field
          label="Total"
          required
          validationState={errors.amount ? 'error' : reading.amount !== null ? 'none' : 'warning'}
          validationMessage={errors.amount ?? (reading.amount !== null ? undefined : MISSING_HINT)}
        >
          <Input inputMode="decimal" value={draft.amount} onChange={(_e, data) => set('amount')(data.value)} />
        </Field>
        <Field label="Currency" required validationState={errors.currency ? 'error' : 'none'} validationMessage={errors.currency}>
          {/* The browser's own list: a handful of codes needs no popup of ours (nor its positioning code). */}
          <Select value={draft.currency} onChange={(_e, data) => set('currency')(data.value)}>
            {!draft.currency && <option value="" />}
            {currencies.map((code) => (
              <option key={code}>{code}</option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Record on" validationState={errors.target ? 'error' : 'none'} validationMessage={errors.target}>
        <RadioGroup value={draft.target} onChange={(_e, data) => set('target')(data.value)}>
          {open.map((p) => (
            <Radio key={p.id} value={p.id} label={`${describe(p)} (${STATE_WORDS[p.state]} ${formatRelative(p.createdAt)})`} />
          ))}
          <Radio value={NEW_PURCHASE} label="A new purchase from this quote" />
        </RadioGroup>
      </Field>
      {draft.target === NEW_PURCHASE && (
        <Field label="Blocks" required hint={reading.credits ? `The quote is for ${reading.credits} credits.` : undefined} validationState={errors.blocks ? 'error' : 'none'} validationMessage={errors.blocks}>
          <Input type="number" min={1} max={1000} value={draft.blocks} onChange={(_e, data) => set('blocks')(data.value)} />
        </Field>
      )}
      {duplicate && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Already recorded</MessageBarTitle>
            Quote {duplicate.quoteNumber} is on the purchase of {describe(duplicate)}.{' '}
            <Link href={tabLink('purchases')} target="_blank" inline>
              Open Purchases
            </Link>
          </MessageBarBody>
        </MessageBar>
      )}
      {save.error ? <LazyApiErrorBar error={save.error} title="The quote was not recorded" onRetry={() => void save.run()} /> : null}
      <Button type="submit" appearance="primary" disabled={save.busy || Boolean(duplicate)}>
        {save.busy ? 'Recording…' : draft.target === NEW_PURCHASE ? 'Create purchase with this quote' : 'Record quote on purchase'}
      </Button>
    </form>
  );
}
