import { Link, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, lazy, useState } from 'react';
import type { PersonMention } from '../../mail/mail-triage.js';
import { usePane } from '../pane-context.js';
import { PersonCard } from './PersonCard.js';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  people: { overflowX: 'auto' },
  // The small tabs' row, kept while they load so that the card does not move down when they come.
  peopleLoading: { minHeight: '32px' },
});

// Most requests name one person: the tabs for several load when an email names more.
const PeopleTabs = lazy(() => import('./PeopleTabs.js').then((m) => ({ default: m.PeopleTabs })));

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
        <Suspense fallback={<div aria-busy="true" className={styles.peopleLoading} />}>
          <PeopleTabs className={styles.people} people={people} selected={person.email} onSelect={setSelected} />
        </Suspense>
      )}
      <PersonCard key={person.email} mention={person} />
    </section>
  );
}
