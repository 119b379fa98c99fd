import { Link, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { RovingTab, RovingTabList } from '../../ui/RovingTabList.js';
import { useState } from 'react';
import type { PersonMention } from '../../mail/mail-triage.js';
import { usePane } from '../pane-context.js';
import { PersonCard } from './PersonCard.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  people: { overflowX: 'auto' },
});

const label = (person: PersonMention) => person.name ?? person.email;

/** An account request: the people the email names, one card at a time. */
export function RegistrationView({ people }: { people: PersonMention[] }) {
  const styles = useStyles();
  const { tabLink } = usePane();
  const [selected, setSelected] = useState(people[0]?.email);
  const person = people.find((p) => p.email === selected);

  if (!person) {
    return (
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Nobody from the firm is named</MessageBarTitle>
          The email asks for an Autodesk account, but neither the sender nor anyone it mentions has a firm address. Reply to ask
          for their work address, or raise the request on the{' '}
          <Link href={tabLink('registrations')} target="_blank" inline>
            Requests page
          </Link>
          .
        </MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <section className={styles.root} aria-label="Account request">
      {people.length > 1 && (
        <RovingTabList
          className={styles.people}
          size="small"
          selectedValue={person.email}
          onTabSelect={(_e, data) => setSelected(String(data.value))}
          aria-label="People in this email"
        >
          {people.map((p) => (
            <RovingTab key={p.email} value={p.email}>
              {label(p)}
            </RovingTab>
          ))}
        </RovingTabList>
      )}
      <PersonCard key={person.email} mention={person} />
    </section>
  );
}
