import {
  Badge,
  Body1,
  Button,
  Caption1,
  Dropdown,
  Field,
  Option,
  Radio,
  RadioGroup,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ImportField } from '../../core/usage-import/types.js';
import { IMPORT_FIELDS } from '../../core/usage-import/types.js';
import type { ImportView } from '../../contract/imports.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { useAction } from '../../ui/useAction.js';
import { useApp } from '../app-context.js';
import type { FieldInfo } from './import-words.js';
import { FIELD_LABEL, OPTIONAL_FIELDS, REQUIRED_FIELDS, unmappedRequired } from './import-words.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, margin: 0, padding: 0, border: 'none', minWidth: 0 },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  grid: { display: 'grid', gap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalM, gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 220px), 1fr))' },
  dropdown: { minWidth: 0, width: '100%' },
  unknown: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  badge: { maxWidth: '100%', overflow: 'hidden', textOverflow: 'ellipsis' },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  radios: { flexWrap: 'wrap' },
});

/** The option that leaves a field unmapped; no header of a real file is a lone NUL. */
const NONE = '\u0000';
const shownHeader = (header: string) => (header.trim() === '' ? '(column without a name)' : header);

type Draft = Record<ImportField, string | null>;
const draftOf = (view: ImportView): Draft => Object.fromEntries(IMPORT_FIELDS.map((f) => [f, view.mapping[f] ?? null])) as Draft;

/**
 * One drop-down per field with the file's own headers, the headers nobody claimed, and the order of the day
 * and month where the file writes dates with slashes; "Check again" saves the mapping and validates anew.
 */
export function ColumnMapping(props: { view: ImportView; onSaved: (view: ImportView) => void; onClose?: (() => void) | undefined }) {
  const styles = useStyles();
  const { api } = useApp();
  const { view } = props;
  const [draft, setDraft] = useState<Draft>(() => draftOf(view));
  const [dateOrder, setDateOrder] = useState(view.dateOrder);
  const missing = unmappedRequired(draft);
  const claimed = new Set(Object.values(draft).filter((h): h is string => h !== null));
  const unclaimed = view.headers.filter((h) => !claimed.has(h));

  const save = useAction(async () => {
    const saved = await api('mapImportColumns', { params: { id: view.id }, body: { mapping: draft, ...(dateOrder ? { dateOrder } : {}) } });
    props.onSaved(saved);
  });

  const dropdown = (info: FieldInfo, required: boolean) => {
    const value = draft[info.field];
    const label = FIELD_LABEL[info.field];
    const isMissing = missing.includes(info.field);
    return (
      <Field
        key={info.field}
        label={label}
        required={required && (info.field === 'date' || info.field === 'amount')}
        hint={info.hint || undefined}
        validationState={isMissing ? 'warning' : 'none'}
        validationMessage={isMissing ? 'Choose the column that holds it.' : undefined}
      >
        <Dropdown
          className={styles.dropdown}
          value={value === null ? 'Not in this file' : shownHeader(value)}
          selectedOptions={[value ?? NONE]}
          onOptionSelect={(_e, data) => {
            const header = data.optionValue === NONE || data.optionValue === undefined ? null : data.optionValue;
            setDraft((d) => ({ ...d, [info.field]: header }));
          }}
        >
          <Option value={NONE}>Not in this file</Option>
          {view.headers.map((header, i) => (
            <Option key={`${i}-${header}`} value={header} text={shownHeader(header)}>
              {shownHeader(header)}
            </Option>
          ))}
        </Dropdown>
      </Field>
    );
  };

  return (
    <section className={styles.root} aria-label="Column mapping">
      <Body1>
        Tell Credit Desk which of the file’s columns holds each field. A person needs an email, a hashed user id <em>or</em> a user name, and a service{' '}
        <em>or</em> a product. Credit Desk remembers your choice for the next file with the same columns.
      </Body1>
      {view.mappingRemembered ? <Caption1 className={styles.muted}>Mapped as you mapped the last file with these columns.</Caption1> : null}
      <fieldset className={styles.group}>
        <legend className={styles.legend}>
          <Text weight="semibold">Needed</Text>
        </legend>
        <div className={styles.grid}>{REQUIRED_FIELDS.map((f) => dropdown(f, true))}</div>
      </fieldset>
      <fieldset className={styles.group}>
        <legend className={styles.legend}>
          <Text weight="semibold">Optional</Text>
        </legend>
        <div className={styles.grid}>{OPTIONAL_FIELDS.map((f) => dropdown(f, false))}</div>
      </fieldset>
      {view.unknownHeaders.length > 0 ? (
        <div className={styles.unknown} role="group" aria-label="Columns Credit Desk did not recognise">
          <Caption1>Columns not recognised:</Caption1>
          {view.unknownHeaders.map((h, i) => (
            <Badge key={`${i}-${h}`} appearance={unclaimed.includes(h) ? 'outline' : 'tint'} color={unclaimed.includes(h) ? 'warning' : 'success'} className={styles.badge}>
              {shownHeader(h)}
              {unclaimed.includes(h) ? '' : ' (mapped)'}
            </Badge>
          ))}
          <Caption1 className={styles.muted}>Columns left unmapped are ignored.</Caption1>
        </div>
      ) : null}
      <Field
        label="Dates like 06/01/2026 mean"
        hint={view.dateOrder === null && dateOrder === null ? 'Only matters when the file writes dates with slashes or dots and no day in it is over 12.' : undefined}
      >
        <RadioGroup className={styles.radios} value={dateOrder ?? ''} onChange={(_e, data) => setDateOrder(data.value === 'dmy' ? 'dmy' : 'mdy')} layout="horizontal">
          <Radio value="mdy" label="Month/day (June 1)" />
          <Radio value="dmy" label="Day/month (6 January)" />
        </RadioGroup>
      </Field>
      {save.error ? <ApiErrorBar error={save.error} title="The mapping was not saved" /> : null}
      <div className={styles.actions}>
        <Button appearance="primary" disabled={save.busy || missing.length > 0} onClick={() => void save.run()}>
          {save.busy ? 'Checking…' : 'Check again'}
        </Button>
        {props.onClose ? (
          <Button onClick={props.onClose} disabled={save.busy}>
            Close
          </Button>
        ) : null}
        {missing.length > 0 ? <Caption1 className={styles.muted}>Still needed: {missing.map((f) => FIELD_LABEL[f]).join(', ')}.</Caption1> : null}
      </div>
    </section>
  );
}
