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
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { pickHoldsToSettle } from '../../core/holds/hold-rules.js';
import type { HoldView } from '../../contract/schemas.js';
import { UsageBody } from '../../contract/schemas.js';
import type { ResponseOf } from '../../contract/routes.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { useAction } from '../../ui/useAction.js';
import { formatCredits, formatDay, localToday, unitWords } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import { refusalAdvice } from './refusal.js';
import { DialogFooter } from '../../ui/DialogFooter.js';
import { ModalSurface } from '../../ui/ModalSurface.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'grid', columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalM, gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))' },
  // Fluent's Dropdown and Input ask for more width than a grid cell has (the credits box ran under the date).
  fill: { minWidth: 0, width: '100%' },
});

/** The open holds a usage of this service, date and amount settles, in words: the core's rule (DESIGN 3.5). */
function settlesText(holds: readonly HoldView[], service: string, date: string, credits: number, serviceName: (slug: string) => string, whose: string): string | undefined {
  const settled = pickHoldsToSettle(holds, { service, date, amount: Number.isFinite(credits) ? credits : 0 }, (h) => h.credits);
  if (settled.length === 0) return undefined;
  const list = settled.map((h) => `${formatCredits(h.credits)} for ${serviceName(h.service).toLowerCase()} (reserved ${formatDay(h.placedAt)})`).join(' and ');
  return `This settles ${whose} hold${settled.length > 1 ? 's' : ''} of ${list}: what ${settled.length > 1 ? 'they' : 'it'} reserved goes back, and this usage is drawn instead.`;
}

/**
 * Log usage: service, credits, date, optional project and note, with a cost guide per service. `openHolds`:
 * the open holds of the person the usage is for, so the dialog can say which one the usage settles. `forMember`: an account
 * manager records usage for that person (the API takes `memberId` from managers only).
 */
export function LogUsageDialog({
  onClose,
  openHolds = [],
  forMember,
  onLogged,
}: {
  onClose: () => void;
  openHolds?: readonly HoldView[];
  forMember?: { id: string; displayName: string };
  onLogged?: () => void;
}) {
  const styles = useStyles();
  const { api, settings, refreshMe } = useApp();
  const [service, setService] = useState(settings.services[0]?.slug ?? 'other');
  const [credits, setCredits] = useState('');
  const [date, setDate] = useState(localToday());
  const [project, setProject] = useState('');
  const [note, setNote] = useState('');
  const [result, setResult] = useState<ResponseOf<'postUsage'>>();

  const body = {
    service,
    credits: Number(credits),
    date,
    ...(project.trim() ? { project: project.trim() } : {}),
    ...(note.trim() ? { note: note.trim() } : {}),
    ...(forMember ? { memberId: forMember.id } : {}),
  };
  const validation = UsageBody.safeParse(body);
  const fieldError = (field: string) => (credits === '' && field === 'credits' ? undefined : validation.error?.issues.find((i) => i.path[0] === field)?.message);

  // One idempotency key per attempt at this entry: a double click or a retry after a lost answer posts once.
  const action = useAction(async (idempotencyKey) => {
    if (!validation.success) return;
    setResult(await api('postUsage', { body: validation.data, idempotencyKey }));
    if (forMember) onLogged?.();
    else await refreshMe();
  });
  const { busy, error } = action;
  const submit = action.run;

  const selected = settings.services.find((s) => s.slug === service);
  const nameOf = (slug: string) => settings.services.find((s) => s.slug === slug)?.name ?? slug;
  const whose = forMember ? 'their' : 'your';
  const settles = settlesText(openHolds, service, date, Number(credits), nameOf, whose);
  return (
    <Dialog open onOpenChange={(_e, data) => !data.open && onClose()}>
      <ModalSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{forMember ? `Record usage for ${forMember.displayName}` : 'Log usage'}</DialogTitle>
          <DialogContent className={styles.form}>
            {result ? (
              <MessageBar intent="success" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>Logged</MessageBarTitle>
                  {formatCredits(result.fromOwn)} from {whose} own credits
                  {result.fromPool > 0 ? ` and ${formatCredits(result.fromPool)} from the shared pool` : ''}. {forMember ? `${forMember.displayName} has` : 'You have'}{' '}
                  {formatCredits(result.balanceAfter)} of {whose} own left.
                  {result.settledHolds?.length
                    ? ` ${forMember ? 'Their' : 'Your'} hold${result.settledHolds.length > 1 ? 's' : ''} of ${result.settledHolds.map((h) => formatCredits(h.credits)).join(' and ')} ${result.settledHolds.length > 1 ? 'are' : 'is'} settled.`
                    : ''}
                </MessageBarBody>
              </MessageBar>
            ) : (
              <>
                {error ? (
                  <>
                    <ApiErrorBar error={error} title="Not logged" onRetry={() => void submit()} />
                    {refusalAdvice(error) ? <span>{refusalAdvice(error)}</span> : null}
                  </>
                ) : null}
                {settles ? (
                  <MessageBar intent="info" layout="multiline">
                    <MessageBarBody>{settles}</MessageBarBody>
                  </MessageBar>
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
                  <Field label={unitWords(settings).label} required validationMessage={fieldError('credits')} validationState={fieldError('credits') ? 'error' : 'none'}>
                    <Input className={styles.fill} type="number" inputMode="decimal" min={0.01} step={0.01} value={credits} onChange={(_e, data) => setCredits(data.value)} />
                  </Field>
                  <Field label="Date" required validationMessage={fieldError('date')} validationState={fieldError('date') ? 'error' : 'none'}>
                    <Input className={styles.fill} type="date" value={date} max={localToday()} onChange={(_e, data) => setDate(data.value)} />
                  </Field>
                </div>
                <Field label="Project (optional)" validationMessage={fieldError('project')}>
                  <Input value={project} onChange={(_e, data) => setProject(data.value)} />
                </Field>
                <Field label="Note (optional)" validationMessage={fieldError('note')}>
                  <Textarea value={note} onChange={(_e, data) => setNote(data.value)} resize="vertical" />
                </Field>
                <Table size="small" aria-label="Cost guide">
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>Service</TableHeaderCell>
                      <TableHeaderCell>Typical job</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {settings.services.map((s) => (
                      <TableRow key={s.slug}>
                        <TableCell>{s.name}</TableCell>
                        <TableCell>
                          about {unitWords(settings).amount(s.typicalCredits)}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </>
            )}
          </DialogContent>
          <DialogFooter action="Log usage" busyAction="Logging…" busy={busy} ready={validation.success} done={Boolean(result)} onCancel={onClose} onAction={() => void submit()} />
        </DialogBody>
      </ModalSurface>
    </Dialog>
  );
}
