import {
  Badge,
  Button,
  Caption1,
  Combobox,
  Field,
  Option,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { DismissRegular, LinkRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ImportView, UnmatchedPerson } from '../../contract/imports.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatCredits } from '../../ui/format.js';
import { useApp } from '../app-context.js';
import type { MemberOption } from './useMembers.js';
import { matchMembers } from './useMembers.js';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  who: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0, flexBasis: '220px', flexGrow: 1, alignSelf: 'center' },
  person: { overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground3 },
  controls: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, minWidth: 0, flexGrow: 1, flexBasis: '260px', justifyContent: 'flex-end' },
  combo: { minWidth: 0, width: '100%' },
  field: { minWidth: 0, flexGrow: 1, flexBasis: '200px' },
  resolved: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, alignSelf: 'center' },
  option: { display: 'flex', flexDirection: 'column', minWidth: 0 },
});

/** Shown at most in a picker's list; typing narrows it. */
const SHOWN = 50;

/** How the export names a person no email identifies. */
const KIND_WORDS: Record<Exclude<UnmatchedPerson['kind'], 'email'>, string> = { hash: 'Hashed user id', user: 'Token Flex user name' };

/**
 * People the file names whom no member matches: each with their rows and amount, linked to a member (which
 * is remembered for later imports) or skipped. Each choice is saved at once and the import checked again.
 */
export function UnmatchedPeople(props: {
  view: ImportView;
  unit: string;
  readOnly: boolean;
  members: { data: MemberOption[] | undefined; loading: boolean; error: unknown; reload: () => void };
  onSaved: (view: ImportView) => void;
}) {
  const styles = useStyles();
  const { members } = props;
  return (
    <>
      {members.error ? <ApiErrorBar error={members.error} title="Members could not be loaded" onRetry={members.reload} /> : null}
      <ul className={styles.list} aria-label="People without a member">
        {props.view.unmatched.map((p) => (
          <UnmatchedItem key={p.person} person={p} view={props.view} unit={props.unit} readOnly={props.readOnly} members={members.data ?? []} loadingMembers={members.loading} onSaved={props.onSaved} />
        ))}
      </ul>
    </>
  );
}

function UnmatchedItem(props: { person: UnmatchedPerson; view: ImportView; unit: string; readOnly: boolean; members: MemberOption[]; loadingMembers: boolean; onSaved: (view: ImportView) => void }) {
  const styles = useStyles();
  const { api } = useApp();
  const { person: p } = props;
  const [text, setText] = useState('');
  const who = p.name ?? p.person;
  const linkedTo = p.resolution.kind === 'member' ? props.members.find((m) => m.id === (p.resolution as { memberId: string }).memberId) : undefined;

  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const resolve = async (resolution: UnmatchedPerson['resolution']) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    try {
      const view = await api('linkImportPeople', { params: { id: props.view.id }, body: { links: [{ person: p.person, resolution }] } });
      setText('');
      props.onSaved(view);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const matches = matchMembers(props.members, text, p.name ?? p.person);
  const label = `Member for ${who}`;

  return (
    <li className={styles.item} aria-label={who}>
      <div className={styles.who}>
        <Text weight="semibold" className={styles.person}>
          {who}
        </Text>
        {p.name ? <Caption1 className={styles.muted}>{p.kind === 'email' ? p.person : `${KIND_WORDS[p.kind]} ${p.person}`}</Caption1> : p.kind !== 'email' ? <Caption1 className={styles.muted}>{KIND_WORDS[p.kind]}</Caption1> : null}
        <Caption1>
          {p.rows} {p.rows === 1 ? 'row' : 'rows'}, {formatCredits(p.amount)} {props.unit}
        </Caption1>
        {p.kind !== 'email' && p.resolution.kind === 'open' && !props.readOnly ? (
          <Caption1 className={styles.muted}>
            {p.kind === 'hash' ? 'Personal data is off in Autodesk Account, so the export names this person only by a hashed id; IT can turn personal data on for the team. ' : ''}
            The member you choose is remembered for next imports: this {KIND_WORDS[p.kind].toLowerCase()} will match them on its own.
          </Caption1>
        ) : null}
      </div>
      {p.resolution.kind !== 'open' ? (
        <div className={styles.resolved}>
          {p.resolution.kind === 'member' ? (
            <Badge appearance="tint" color="success" icon={<LinkRegular />}>
              {`Linked to ${linkedTo?.displayName ?? p.resolution.memberId}`}
            </Badge>
          ) : (
            <Badge appearance="tint" color="subtle">
              Rows skipped
            </Badge>
          )}
          {p.resolution.kind === 'member' && p.kind !== 'email' ? <Caption1 className={styles.muted}>Remembered for next imports</Caption1> : null}
          {!props.readOnly ? (
            <Button size="small" disabled={busy} onClick={() => void resolve({ kind: 'open' })} aria-label={`Undo the choice for ${who}`}>
              Undo
            </Button>
          ) : null}
        </div>
      ) : props.readOnly ? (
        <Badge appearance="tint" color="warning">
          Not posted
        </Badge>
      ) : (
        <div className={styles.controls}>
          <Field label={label} className={styles.field} hint={props.loadingMembers ? 'Loading members…' : undefined}>
            <Combobox
              className={styles.combo}
              freeform
              placeholder="Type a name or address"
              value={text}
              disabled={busy}
              onChange={(event) => setText(event.target.value)}
              onOptionSelect={(_e, data) => {
                if (data.optionValue) void resolve({ kind: 'member', memberId: data.optionValue });
              }}
            >
              {matches.slice(0, SHOWN).map((m) => (
                <Option key={m.id} value={m.id} text={m.displayName}>
                  <span className={styles.option}>
                    <Text>{m.displayName}</Text>
                    <Caption1 className={styles.muted}>{m.email}</Caption1>
                  </span>
                </Option>
              ))}
              {matches.length === 0 && !props.loadingMembers ? (
                <Option value="" disabled text="No member matches">
                  No member matches “{text}”
                </Option>
              ) : null}
            </Combobox>
          </Field>
          <Button icon={<DismissRegular />} disabled={busy} onClick={() => void resolve({ kind: 'skip' })} aria-label={`Skip ${who}’s rows`}>
            Skip
          </Button>
        </div>
      )}
      {error ? <ApiErrorBar error={error} title={`The choice for ${who} was not saved`} /> : null}
    </li>
  );
}
