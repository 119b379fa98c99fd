import type { PersonMention } from '../../mail/mail-triage.js';
import { RovingTab, RovingTabList } from '../../ui/RovingTabList.js';

const label = (person: PersonMention) => person.name ?? person.email;

/** One tab per person the email names, when it names more than one. */
export function PeopleTabs(props: { people: PersonMention[]; selected: string; onSelect: (email: string) => void; className: string }) {
  return (
    <RovingTabList
      className={props.className}
      size="small"
      selectedValue={props.selected}
      onTabSelect={(_e, data) => props.onSelect(String(data.value))}
      aria-label="People in this email"
    >
      {props.people.map((p) => (
        <RovingTab key={p.email} value={p.email}>
          {label(p)}
        </RovingTab>
      ))}
    </RovingTabList>
  );
}
