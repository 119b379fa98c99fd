import { Checkbox, Field } from '@fluentui/react-components';
import { Group, ListEditor, NumberInput } from '../fields.js';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export function LeadTimesSection({ draft, unit, set, check, issues }: SectionProps) {
  const styles = useSettingsFormStyles();
  return (
    <Section title="Lead times" description="What planning and reminders count on. Lead times are in working days.">
      <div className={styles.grid}>
        <Group label="Order to credits in the pool" error={issues.at('leadTimeDays')}>
          <Field label="Shortest lead time" {...check('leadTimeDays.min')}>
            <NumberInput value={draft.leadTimeDays.min} onValue={(n) => set({ leadTimeDays: { ...draft.leadTimeDays, min: n } })} min={0} step={1} />
          </Field>
          <Field label="Longest lead time" {...check('leadTimeDays.max')}>
            <NumberInput value={draft.leadTimeDays.max} onValue={(n) => set({ leadTimeDays: { ...draft.leadTimeDays, max: n } })} min={0} step={1} />
          </Field>
        </Group>
        <Group label="Autodesk applying bought credits" error={issues.at('applyDays')}>
          <Field label="Shortest time to apply" {...check('applyDays.min')}>
            <NumberInput value={draft.applyDays.min} onValue={(n) => set({ applyDays: { ...draft.applyDays, min: n } })} min={0} step={1} />
          </Field>
          <Field label="Longest time to apply" {...check('applyDays.max')}>
            <NumberInput value={draft.applyDays.max} onValue={(n) => set({ applyDays: { ...draft.applyDays, max: n } })} min={0} step={1} />
          </Field>
        </Group>
        <Group label="Other limits" error={undefined}>
          <Field label="A registration is stuck after (working days)" {...check('stuckAfterWorkingDays')}>
            <NumberInput value={draft.stuckAfterWorkingDays} onValue={(n) => set({ stuckAfterWorkingDays: n })} min={1} step={1} />
          </Field>
          <Field label="Holds expire after (days)" {...check('holdExpiryDays')}>
            <NumberInput value={draft.holdExpiryDays} onValue={(n) => set({ holdExpiryDays: n })} min={1} step={1} />
          </Field>
          <Field
            label="Pool held per person, at most"
            {...check('maxPoolHeldPerPerson')}
            hint={`Pool ${unit} one person's open holds may reserve, so nobody can hold the whole pool for a week. Own ${unit} do not count. 100 by default (one block); 0 lets holds take own ${unit} only.`}
          >
            <NumberInput value={draft.maxPoolHeldPerPerson} onValue={(n) => set({ maxPoolHeldPerPerson: n })} min={0} max={100_000} step={1} />
          </Field>
        </Group>
      </div>
      <Group label="Working days" error={issues.at('workingDays')}>
        <div className={styles.days}>
          {WEEKDAYS.map((name, i) => (
            <Checkbox
              key={name}
              label={name}
              checked={draft.workingDays.includes(i + 1)}
              onChange={(_e, data) =>
                set({ workingDays: data.checked ? [...draft.workingDays, i + 1].sort((a, b) => a - b) : draft.workingDays.filter((d) => d !== i + 1) })
              }
            />
          ))}
        </div>
      </Group>
      <ListEditor
        label="Holidays"
        hint="Days that do not count as working days."
        values={draft.holidays}
        onChange={(holidays) => set({ holidays })}
        type="date"
        itemLabel={(i) => `Holiday ${i + 1}`}
        addLabel="Add holiday"
        emptyText="No holidays."
        error={issues.at('holidays')}
        issueAt={(i) => issues.at(`holidays.${i}`)}
      />
    </Section>
  );
}
