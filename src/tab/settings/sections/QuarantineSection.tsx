import { Field, Input } from '@fluentui/react-components';
import { ListEditor } from '../fields.js';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

export function QuarantineSection({ draft, set, check, issues }: SectionProps) {
  const styles = useSettingsFormStyles();
  const quarantine = draft.quarantine;
  return (
    <Section title="Quarantine hints" description="How the quarantine helper recognises the Autodesk email and the spam-quarantine digest.">
      <ListEditor
        label="Autodesk sender addresses"
        values={quarantine.autodeskSenders}
        onChange={(autodeskSenders) => set({ quarantine: { ...quarantine, autodeskSenders } })}
        type="email"
        itemLabel={(i) => `Autodesk sender ${i + 1}`}
        addLabel="Add sender"
        emptyText="No sender addresses."
        error={issues.at('quarantine.autodeskSenders')}
        issueAt={(i) => issues.at(`quarantine.autodeskSenders.${i}`)}
      />
      <div className={styles.grid}>
        <Field label="Digest sender" {...check('quarantine.digestSender')} hint="The address, or its start, that sends the quarantine digest">
          <Input value={quarantine.digestSender} onChange={(_e, d) => set({ quarantine: { ...quarantine, digestSender: d.value } })} />
        </Field>
        <Field label="Digest subject" {...check('quarantine.digestSubject')}>
          <Input value={quarantine.digestSubject} onChange={(_e, d) => set({ quarantine: { ...quarantine, digestSubject: d.value } })} />
        </Field>
      </div>
    </Section>
  );
}
