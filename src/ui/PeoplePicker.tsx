import { Caption1, Combobox, Field, Option, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ApiErrorBar } from './ApiErrorBar.js';
import type { PeoplePickerProps, PeoplePickerState, PickedPerson } from './PeoplePicker.types.js';
import { RegistrationStateBadge } from './RegistrationStateBadge.js';
import { usePeoplePicker } from './usePeoplePicker.js';

export type { PeoplePickerProps, PickedPerson } from './PeoplePicker.types.js';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  option: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, width: '100%' },
  who: { display: 'flex', flexDirection: 'column', minWidth: 0, flexGrow: 1 },
  line: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  status: { display: 'inline-flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
});

/** One line under the name: address, office and job title, whichever the directory has. */
const detailsOf = (p: PickedPerson) => [p.email, p.office, p.jobTitle].filter(Boolean).join(' · ');

function statusText(state: PeoplePickerState): string {
  switch (state.status) {
    case 'loading':
      return 'Searching the directory…';
    case 'done':
      return state.people.length === 0
        ? `No one found for “${state.searched}”. Check the spelling, or type their work address below.`
        : `${state.people.length} ${state.people.length === 1 ? 'person' : 'people'} found: use the arrow keys and Enter to choose.`;
    case 'error':
      return 'The directory could not be searched.';
    default:
      return 'Type the start of a name or an address.';
  }
}

/**
 * A type-ahead over the firm's directory (Fluent UI Combobox): debounced, keyboard friendly, each person
 * with their address and office, and a badge when they are already in Credit Desk.
 */
export function PeoplePicker(props: PeoplePickerProps) {
  const styles = useStyles();
  const state = usePeoplePicker(props);
  return (
    <div className={styles.stack}>
      <Field
        label={props.label ?? 'Find a person in the directory'}
        hint={{
          role: 'status',
          'aria-live': 'polite',
          children: (
            <span className={styles.status}>
              {state.status === 'loading' ? <Spinner size="extra-tiny" aria-hidden /> : null}
              {statusText(state)}
            </span>
          ),
        }}
      >
        <Combobox
          freeform
          autoComplete="off"
          placeholder={props.placeholder ?? 'Name or email'}
          value={state.text}
          onChange={(event) => state.setText(event.target.value)}
          onOptionSelect={(_event, data) => state.select(data.optionValue)}
        >
          {state.people.map((person) => (
            <Option key={person.id} value={person.id} text={person.displayName}>
              <div className={styles.option}>
                <div className={styles.who}>
                  <Text weight="semibold" className={styles.line}>
                    {person.displayName}
                  </Text>
                  <Caption1 className={styles.line}>{detailsOf(person)}</Caption1>
                </div>
                {person.member ? <RegistrationStateBadge state={person.member.registrationState} /> : null}
              </div>
            </Option>
          ))}
        </Combobox>
      </Field>
      {state.status === 'error' ? <ApiErrorBar error={state.error} title="The directory search did not work" onRetry={state.retry} /> : null}
    </div>
  );
}
