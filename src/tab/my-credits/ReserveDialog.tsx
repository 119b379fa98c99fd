import {
  Dialog,
  DialogBody,
  DialogContent,
  DialogTitle,
  Dropdown,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ResponseOf } from '../../contract/routes.js';
import { PlaceHoldBody } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { useAction } from '../../ui/useAction.js';
import { formatCredits, formatDay, unitWords } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { refusalAdvice } from './refusal.js';
import { DialogFooter } from '../../ui/DialogFooter.js';
import { ModalSurface } from '../../ui/ModalSurface.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  // `start`: a field with a hint is taller, and its neighbour's control must not drift down to match it.
  row: { display: 'grid', alignItems: 'start', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalM, gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))' },
  fill: { minWidth: 0, width: '100%' },
});

/** Where a hold of `credits` would come from now: own credits first, then the pool (DESIGN 3.2). */
export function reserveSplit(credits: number, own: number, pool: number): { fromOwn: number; fromPool: number; short: boolean } {
  const fromOwn = Math.min(credits, Math.max(own, 0));
  const fromPool = Math.round((credits - fromOwn) * 100) / 100;
  return { fromOwn, fromPool, short: fromPool > Math.max(pool, 0) };
}

/**
 * Reserve credits before a big job (DESIGN 3.5): service, credits, an optional note. The hold takes own
 * credits first, then the pool, and keeps them until the usage is logged, the hold is voided, or it expires.
 */
export function ReserveDialog({ onClose, onReserved }: { onClose: () => void; onReserved: () => void }) {
  const styles = useStyles();
  const { api, me, settings, refreshMe } = useApp();
  const [service, setService] = useState(settings.services[0]?.slug ?? 'other');
  const [credits, setCredits] = useState('');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<ResponseOf<'placeHold'>>();

  const body = { service, credits: Number(credits), ...(note.trim() ? { note: note.trim() } : {}) };
  const validation = PlaceHoldBody.safeParse(body);
  const fieldError = (field: string) => (credits === '' && field === 'credits' ? undefined : validation.error?.issues.find((i) => i.path[0] === field)?.message);
  const split = validation.success ? reserveSplit(validation.data.credits, me.credits.own, me.credits.pool) : undefined;
  const days = settings.holdExpiryDays;
  const unit = unitWords(settings).word;

  // One idempotency key per attempt at this entry: a double click or a retry after a lost answer posts once.
  const action = useAction(async (idempotencyKey) => {
    if (!validation.success) return;
    setResult(await api('placeHold', { body: validation.data, idempotencyKey }));
    onReserved();
    await refreshMe();
  });
  const { busy, error } = action;
  const submit = action.run;

  const selected = settings.services.find((s) => s.slug === service);
  return (
    <Dialog open onOpenChange={(_e, data) => !data.open && onClose()}>
      <ModalSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Reserve {unit}</DialogTitle>
          <DialogContent className={styles.form}>
            {result ? (
              <MessageBar intent="success" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>Reserved</MessageBarTitle>
                  {formatCredits(result.hold.credits)} {unit} held for you until {formatDay(result.hold.expiresAt)}: {formatCredits(result.hold.fromOwn)} of your own
                  {result.hold.fromPool > 0 ? ` and ${formatCredits(result.hold.fromPool)} from the shared pool` : ''}. Logging the usage settles it.
                </MessageBarBody>
              </MessageBar>
            ) : (
              <>
                <Text>
                  Hold {unit} for a big job so they are there when it runs. Your own {unit} are used first, then the shared pool. Logging the usage
                  settles the hold (what is left goes back); void it if plans change, or it lapses after {days} {days === 1 ? 'day' : 'days'}.{' '}
                  {settings.maxPoolHeldPerPerson > 0
                    ? `One person may hold at most ${formatCredits(settings.maxPoolHeldPerPerson)} ${unit} of the shared pool at a time.`
                    : `Holds take your own ${unit} only.`}
                </Text>
                {error ? (
                  <>
                    <ApiErrorBar error={error} title="Not reserved" onRetry={() => void submit()} />
                    {refusalAdvice(error, 'reserve') ? <span>{refusalAdvice(error, 'reserve')}</span> : null}
                  </>
                ) : null}
                <div className={styles.row}>
                  <Field label="Service" required>
                    <Dropdown
                      className={styles.fill}
                      value={selected?.name ?? service}
                      selectedOptions={[service]}
                      onOptionSelect={(_e, data) => data.optionValue && setService(data.optionValue)}
                    >
                      {settings.services.map((s) => (
                        <Option key={s.slug} value={s.slug} text={s.name}>
                          {s.name}
                        </Option>
                      ))}
                    </Dropdown>
                  </Field>
                  <Field
                    label={unitWords(settings).label}
                    required
                    validationMessage={fieldError('credits')}
                    validationState={fieldError('credits') ? 'error' : 'none'}
                    hint={selected ? `A typical job: about ${formatCredits(selected.typicalCredits)} ${unit}` : undefined}
                  >
                    <Input className={styles.fill} type="number" inputMode="decimal" min={0.01} step={0.01} value={credits} onChange={(_e, data) => setCredits(data.value)} />
                  </Field>
                </div>
                <Field label="Note (optional)" validationMessage={fieldError('note')} hint="What the job is, so you recognise the hold later.">
                  <Textarea value={note} onChange={(_e, data) => setNote(data.value)} resize="vertical" />
                </Field>
                {split ? (
                  <MessageBar intent={split.short ? 'warning' : 'info'} layout="multiline">
                    <MessageBarBody>
                      {split.short
                        ? `The shared pool has ${formatCredits(me.credits.pool)} free, less than the ${formatCredits(split.fromPool)} this needs from it beyond your own credits.`
                        : split.fromOwn === 0
                          ? `All ${formatCredits(split.fromPool)} from the shared pool: your own ${unit} are used up.`
                          : `${formatCredits(split.fromOwn)} from your own ${unit}${split.fromPool > 0 ? ` and ${formatCredits(split.fromPool)} from the shared pool` : ''}.`}
                    </MessageBarBody>
                  </MessageBar>
                ) : null}
              </>
            )}
          </DialogContent>
          <DialogFooter action="Reserve" busyAction="Reserving…" busy={busy} ready={validation.success} done={Boolean(result)} onCancel={onClose} onAction={() => void submit()} />
        </DialogBody>
      </ModalSurface>
    </Dialog>
  );
}
