import type { InputProps } from '@fluentui/react-components';
import {
  Button,
  Field,
  Input,
  Label,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
  useId,
} from '@fluentui/react-components';
import { AddRegular, DeleteRegular, DiamondDismiss12Filled } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';

const NARROW = '@media (max-width: 599px)';

const useStyles = makeStyles({
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  hint: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  error: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
    color: tokens.colorPaletteRedForeground1,
    fontSize: tokens.fontSizeBase200,
  },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  item: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalXS },
  grow: { flexGrow: 1, minWidth: 0 },
  empty: { color: tokens.colorNeutralForeground3 },
  add: { alignSelf: 'flex-start' },
  table: { width: '100%' },
  head: { [NARROW]: { display: 'none' } },
  row: {
    [NARROW]: {
      display: 'flex',
      flexDirection: 'column',
      gap: tokens.spacingVerticalXS,
      paddingTop: tokens.spacingVerticalS,
      paddingBottom: tokens.spacingVerticalS,
    },
  },
  cell: {
    verticalAlign: 'top',
    paddingTop: tokens.spacingVerticalXS,
    paddingBottom: tokens.spacingVerticalXS,
    [NARROW]: {
      display: 'block',
      height: 'auto',
      '::before': {
        content: 'attr(data-label)',
        display: 'block',
        fontSize: tokens.fontSizeBase200,
        fontWeight: tokens.fontWeightSemibold,
        paddingBottom: tokens.spacingVerticalXXS,
      },
    },
  },
  actionCell: { width: '48px', verticalAlign: 'top', paddingTop: tokens.spacingVerticalXS, [NARROW]: { width: 'auto' } },
});

/** A message under a group of controls, styled like a Fluent field's validation message. */
export function ErrorText({ id, children }: { id?: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <div id={id} className={styles.error} role="alert">
      <DiamondDismiss12Filled aria-hidden />
      <span>{children}</span>
    </div>
  );
}

/** Several controls under one label (working days, a list, a table), with one message for the whole. */
export function Group({
  label,
  labelledBy,
  hint,
  error,
  children,
}: {
  label: string;
  /** The id of a heading that already names the group (the label is then not shown twice). */
  labelledBy?: string | undefined;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
}) {
  const styles = useStyles();
  const id = useId('group');
  return (
    <div role="group" aria-labelledby={labelledBy ?? `${id}-label`} aria-describedby={error ? `${id}-error` : undefined} className={styles.group}>
      {labelledBy ? null : (
        <Label id={`${id}-label`} weight="semibold">
          {label}
        </Label>
      )}
      {hint ? <Text className={styles.hint}>{hint}</Text> : null}
      {children}
      {error ? <ErrorText id={`${id}-error`}>{error}</ErrorText> : null}
    </div>
  );
}

const show = (n: number): string => (Number.isNaN(n) ? '' : String(n));
const parse = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * A number box that keeps what the person typed ("1." on the way to "1.5") while reporting the number, or NaN
 * while it is empty, so validation can say "Enter a number".
 */
export function NumberInput({ value, onValue, ...rest }: Omit<InputProps, 'value' | 'onChange' | 'type'> & { value: number; onValue: (value: number) => void }) {
  const [text, setText] = useState(show(value));
  const [shown, setShown] = useState(value);
  if (!Object.is(shown, value)) {
    setShown(value);
    if (!Object.is(parse(text), value)) setText(show(value));
  }
  return (
    <Input
      {...rest}
      type="number"
      inputMode="decimal"
      value={text}
      onChange={(_e, data) => {
        setText(data.value);
        const next = parse(data.value);
        setShown(next);
        onValue(next);
      }}
    />
  );
}

/** Focuses the control at `index` inside `container` after the next render (a row just added). */
function useFocusAfterAdd() {
  const container = useRef<HTMLDivElement>(null);
  const pending = useRef<number | null>(null);
  useEffect(() => {
    if (pending.current === null) return;
    container.current?.querySelectorAll<HTMLElement>('[data-first-control]').item(pending.current)?.focus();
    pending.current = null;
  });
  return { container, focusLater: (index: number) => (pending.current = index) };
}

/** A list of text values (dates, email addresses) that can be edited, added to and removed from. */
export function ListEditor(props: {
  label: string;
  hint?: ReactNode;
  values: string[];
  onChange: (values: string[]) => void;
  type: 'text' | 'date' | 'email';
  itemLabel: (index: number) => string;
  addLabel: string;
  emptyText: string;
  error: string | undefined;
  issueAt: (index: number) => string | undefined;
}) {
  const styles = useStyles();
  const { container, focusLater } = useFocusAfterAdd();
  const addButton = useRef<HTMLButtonElement>(null);
  const { values, onChange } = props;
  return (
    <Group label={props.label} hint={props.hint} error={props.error}>
      <div ref={container}>
        {values.length === 0 ? (
          <Text className={styles.empty}>{props.emptyText}</Text>
        ) : (
          <ul className={styles.list}>
            {values.map((value, index) => (
              <li key={index} className={styles.item}>
                <Field className={styles.grow} validationMessage={props.issueAt(index)} validationState={props.issueAt(index) ? 'error' : 'none'}>
                  <Input
                    data-first-control
                    aria-label={props.itemLabel(index)}
                    type={props.type}
                    value={value}
                    onChange={(_e, data) => onChange(values.map((v, i) => (i === index ? data.value : v)))}
                  />
                </Field>
                <Button
                  appearance="subtle"
                  icon={<DeleteRegular />}
                  aria-label={`Remove ${props.itemLabel(index).toLowerCase()}${value ? ` (${value})` : ''}`}
                  onClick={() => {
                    onChange(values.filter((_v, i) => i !== index));
                    addButton.current?.focus();
                  }}
                />
              </li>
            ))}
          </ul>
        )}
      </div>
      <Button
        ref={addButton}
        className={styles.add}
        icon={<AddRegular />}
        onClick={() => {
          focusLater(values.length);
          onChange([...values, '']);
        }}
      >
        {props.addLabel}
      </Button>
    </Group>
  );
}

export interface Column<T> {
  header: string;
  /** The control for one row; mark its focus target with `data-first-control` in the first column. */
  cell: (row: T, index: number) => ReactNode;
}

/** Rows of a few fields each (services, account managers): a table when wide, stacked cards when narrow. */
export function RowsEditor<T>(props: {
  label: string;
  labelledBy?: string;
  hint?: ReactNode;
  rows: T[];
  columns: Column<T>[];
  onAdd: () => void;
  onRemove: (index: number) => void;
  removeLabel: (row: T, index: number) => string;
  addLabel: string;
  emptyText: string;
  error: string | undefined;
}) {
  const styles = useStyles();
  const { container, focusLater } = useFocusAfterAdd();
  const addButton = useRef<HTMLButtonElement>(null);
  return (
    <Group label={props.label} labelledBy={props.labelledBy} hint={props.hint} error={props.error}>
      <div ref={container}>
        {props.rows.length === 0 ? (
          <Text className={styles.empty}>{props.emptyText}</Text>
        ) : (
          <Table className={styles.table} size="small" aria-label={props.label}>
            <TableHeader className={styles.head}>
              <TableRow>
                {props.columns.map((column) => (
                  <TableHeaderCell key={column.header}>{column.header}</TableHeaderCell>
                ))}
                <TableHeaderCell className={styles.actionCell}>
                  <span aria-hidden />
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {props.rows.map((row, index) => (
                <TableRow key={index} className={styles.row}>
                  {props.columns.map((column) => (
                    <TableCell key={column.header} className={styles.cell} data-label={column.header}>
                      {column.cell(row, index)}
                    </TableCell>
                  ))}
                  <TableCell className={styles.actionCell}>
                    <Button
                      appearance="subtle"
                      icon={<DeleteRegular />}
                      aria-label={props.removeLabel(row, index)}
                      onClick={() => {
                        props.onRemove(index);
                        addButton.current?.focus();
                      }}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </div>
      <Button
        ref={addButton}
        className={styles.add}
        icon={<AddRegular />}
        onClick={() => {
          focusLater(props.rows.length);
          props.onAdd();
        }}
      >
        {props.addLabel}
      </Button>
    </Group>
  );
}
