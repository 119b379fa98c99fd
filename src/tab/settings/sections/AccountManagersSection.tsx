import { Field, Input, useId } from '@fluentui/react-components';
import { RowsEditor } from '../fields.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

export function AccountManagersSection({ draft, set, check, issues }: SectionProps) {
  const headingId = useId('managers');
  const managers = draft.accountManagers;
  return (
    <Section id={headingId} title="Account managers" description="The people who create Autodesk accounts and buy credits.">
      <RowsEditor
        label="Account managers"
        labelledBy={headingId}
        rows={managers}
        columns={[
          {
            header: 'Name',
            cell: (p, i) => (
              <Field {...check(`accountManagers.${i}.name`)}>
                <Input data-first-control aria-label={`Name of account manager ${i + 1}`} value={p.name} onChange={(_e, d) => set({ accountManagers: managers.map((x, j) => (j === i ? { ...x, name: d.value } : x)) })} />
              </Field>
            ),
          },
          {
            header: 'Email',
            cell: (p, i) => (
              <Field {...check(`accountManagers.${i}.email`)}>
                <Input type="email" aria-label={`Email of account manager ${i + 1}`} value={p.email} onChange={(_e, d) => set({ accountManagers: managers.map((x, j) => (j === i ? { ...x, email: d.value } : x)) })} />
              </Field>
            ),
          },
        ]}
        onAdd={() => set({ accountManagers: [...managers, { name: '', email: '' }] })}
        onRemove={(i) => set({ accountManagers: managers.filter((_p, j) => j !== i) })}
        removeLabel={(p, i) => `Remove account manager ${i + 1}${p.name ? ` (${p.name})` : ''}`}
        addLabel="Add account manager"
        emptyText="No account managers yet."
        error={issues.at('accountManagers')}
      />
    </Section>
  );
}
