import {
  Body1,
  Button,
  Caption1,
  Card,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowUploadRegular, DocumentTableRegular } from '@fluentui/react-icons';
import type { DragEvent } from 'react';
import { useId, useRef, useState } from 'react';
import type { ImportKind } from '../../contract/imports.js';
import { MAX_IMPORT_BYTES } from '../../contract/paths.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { codedWords } from '../../ui/error-words.js';
import { SupportDetails } from '../../ui/support-details.js';
import { REFUSAL_ADVICE, formatBytes, refusalCode } from './import-words.js';
import type { UploadState } from './useUpload.js';

const useStyles = makeStyles({
  card: { gap: tokens.spacingVerticalM },
  zone: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    textAlign: 'center',
    gap: tokens.spacingVerticalS,
    padding: `${tokens.spacingVerticalXL} ${tokens.spacingHorizontalL}`,
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground2,
    color: tokens.colorNeutralForeground2,
  },
  over: { border: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  icon: { color: tokens.colorBrandForeground1 },
  input: { display: 'none' },
  muted: { color: tokens.colorNeutralForeground3 },
  progress: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  progressHead: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  fileName: { overflowWrap: 'anywhere', minWidth: 0 },
  checking: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

const percent = (loaded: number, total: number) => (total > 0 ? Math.min(100, Math.round((loaded / total) * 100)) : 100);

/** The drop zone and file picker, then the upload's progress, then "checking every row", or why the file was refused. */
/** What IT may upload: Autodesk's usage export, or the opening balances of go-live. */
const KIND_HINT: Record<ImportKind, string> = {
  usage: 'What Autodesk charged, from Autodesk Account (Reporting → Export).',
  opening_balances:
    'Once, at go-live: a CSV with each person’s email, the own credits they have already used and their registration state (registered, requested, account created, not requested, declined or left). People the directory knows become members. You can give the pool’s current balance when you post it.',
};

export function UploadCard({ upload, kinds }: { upload: UploadState; kinds?: { kind: ImportKind; onKind: (kind: ImportKind) => void } }) {
  const kind = kinds?.kind ?? 'usage';
  const opening = kind === 'opening_balances';
  const styles = useStyles();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const hintId = useId();
  const { phase } = upload;

  const choose = () => input.current?.click();
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) upload.start(file, kind);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    take(event.dataTransfer.files);
  };
  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };

  const picker = (
    <input
      ref={input}
      className={styles.input}
      type="file"
      accept=".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      aria-label={opening ? 'Opening balances file' : 'Usage export file'}
      onChange={(event) => {
        take(event.target.files);
        // The same file may be chosen again (after fixing it, or to retry).
        event.target.value = '';
      }}
    />
  );

  return (
    <Card className={styles.card} aria-label={opening ? 'Upload opening balances' : 'Upload a usage export'}>
      {phase.kind === 'uploading' ? (
        <div className={styles.progress}>
          <div className={styles.progressHead}>
            <Text weight="semibold" className={styles.fileName}>
              Uploading {phase.fileName}
            </Text>
            <Button size="small" onClick={upload.cancel}>
              Cancel
            </Button>
          </div>
          <Field validationState="none" validationMessage={`${formatBytes(phase.loaded)} of ${formatBytes(phase.total)} (${percent(phase.loaded, phase.total)}%)`}>
            <ProgressBar value={phase.total > 0 ? phase.loaded / phase.total : 0} max={1} thickness="large" aria-label={`Uploading ${phase.fileName}`} />
          </Field>
        </div>
      ) : phase.kind === 'checking' ? (
        <div className={styles.progress} role="status">
          <Text weight="semibold" className={styles.fileName}>
            {phase.fileName} ({formatBytes(phase.total)}) is uploaded
          </Text>
          <div className={styles.checking}>
            <Spinner size="tiny" aria-hidden />
            <Body1>Checking every row…</Body1>
          </div>
          <Caption1 className={styles.muted}>Credit Desk reads the whole file before anything is written. A large export takes a minute or two.</Caption1>
        </div>
      ) : (
        <>
          {phase.kind === 'refused' ? <RefusedFile fileName={phase.fileName} code={phase.error.code} details={phase.error.details} message={phase.error.message} onChoose={choose} /> : null}
          {phase.kind === 'failed' ? <ApiErrorBar error={phase.error} title={`${phase.fileName} was not uploaded`} onRetry={upload.retry} /> : null}
          {kinds ? (
            <Field label="What are you importing?" hint={KIND_HINT[kind]}>
              <RadioGroup layout="horizontal" value={kind} onChange={(_e, data) => kinds.onKind(data.value as ImportKind)} data-testid="import-kind">
                <Radio value="usage" label="Usage export" />
                <Radio value="opening_balances" label="Opening balances (go-live)" />
              </RadioGroup>
            </Field>
          ) : null}
          <div
            className={mergeClasses(styles.zone, over && styles.over)}
            onDragOver={onDragOver}
            onDragEnter={onDragOver}
            onDragLeave={() => setOver(false)}
            onDrop={onDrop}
          >
            <DocumentTableRegular fontSize={40} className={styles.icon} aria-hidden />
            <Text weight="semibold">{opening ? 'Drop the opening balances here' : 'Drop the usage export here'}</Text>
            <Body1 id={hintId}>
              {opening ? 'The go-live CSV (Email, Credits Used, Registration State)' : 'The CSV or Excel file from Autodesk Account (Reporting → Export)'}, up to {formatBytes(MAX_IMPORT_BYTES)}. Nothing is written to
              the ledger until you post it.
            </Body1>
            <Button appearance="primary" icon={<ArrowUploadRegular />} onClick={choose} aria-describedby={hintId}>
              Choose a file
            </Button>
          </div>
        </>
      )}
      {picker}
    </Card>
  );
}

function RefusedFile(props: { fileName: string; code: string; details: unknown; message: string; onChoose: () => void }) {
  const problem = refusalCode(props.details) ?? props.code;
  // The server's message says what is wrong and what to do; ours stands in where it says nothing or the
  // refusal was made here (a file over the size limit).
  const own = props.message.trim() === '' || LOCAL_REFUSALS.has(props.code);
  const advice = own ? (REFUSAL_ADVICE[problem] ?? REFUSAL_ADVICE[props.code]) : undefined;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{props.fileName} cannot be imported</MessageBarTitle>
        {codedWords(props.code, props.message, props.details)}
        {advice ? <> {advice}</> : null} Nothing from this file was kept.
        <SupportDetails rows={[['Code', props.code], ['Problem', problem === props.code ? undefined : problem]]} />
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={props.onChoose}>Choose another file</Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** Refusals the HTTP layer or this page makes, whose messages name the problem but not what to do. */
const LOCAL_REFUSALS = new Set(['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE']);
