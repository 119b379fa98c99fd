import { Field, Input, useId } from '@fluentui/react-components';
import { NumberInput, RowsEditor } from '../fields.js';
import { renameService } from '../settings-form.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

export function ServicesSection({ draft, unit, set, check, issues, savedSlugs }: SectionProps & { savedSlugs: readonly string[] }) {
  const headingId = useId('services');
  return (
    <Section id={headingId} title="Services" description="The Autodesk cloud services people log, with a typical cost per job as a guide.">
      <RowsEditor
        label="Services"
        labelledBy={headingId}
        rows={draft.services}
        columns={[
          {
            header: 'Name',
            cell: (s, i) => (
              // A service's id is internal: a new one takes it from the name, a saved one keeps it (usage names it).
              <Field {...check(`services.${i}.name`, `services.${i}.slug`)}>
                <Input data-first-control aria-label={`Name of service ${i + 1}`} value={s.name} onChange={(_e, d) => set({ services: renameService(draft.services, i, d.value, savedSlugs) })} />
              </Field>
            ),
          },
          {
            header: `Typical ${unit}`,
            cell: (s, i) => (
              <Field {...check(`services.${i}.typicalCredits`)}>
                <NumberInput
                  aria-label={`Typical ${unit} of service ${i + 1}`}
                  value={s.typicalCredits}
                  min={0}
                  step={0.01}
                  onValue={(n) => set({ services: draft.services.map((x, j) => (j === i ? { ...x, typicalCredits: n } : x)) })}
                />
              </Field>
            ),
          },
        ]}
        onAdd={() => set({ services: [...draft.services, { slug: '', name: '', typicalCredits: 0 }] })}
        onRemove={(i) => set({ services: draft.services.filter((_s, j) => j !== i) })}
        removeLabel={(s, i) => `Remove service ${i + 1}${s.name ? ` (${s.name})` : ''}`}
        addLabel="Add service"
        emptyText="No services: add at least one."
        error={issues.at('services')}
      />
    </Section>
  );
}
