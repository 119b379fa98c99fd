import { Field, Input } from '@fluentui/react-components';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

export function ResellerSection({ draft, set, check }: SectionProps) {
  const styles = useSettingsFormStyles();
  return (
    <Section title="Reseller and links">
      <div className={styles.grid}>
        <Field label="Reseller name" {...check('reseller.name')}>
          <Input value={draft.reseller.name} onChange={(_e, d) => set({ reseller: { ...draft.reseller, name: d.value } })} />
        </Field>
        <Field label="Reseller email domain" {...check('reseller.emailDomain')} hint="Quotes from this domain are recognised, e.g. imaginit.com">
          <Input value={draft.reseller.emailDomain} onChange={(_e, d) => set({ reseller: { ...draft.reseller, emailDomain: d.value } })} />
        </Field>
        <Field label="Home-use knowledge-base article" {...check('homeUseKbUrl')}>
          <Input type="url" value={draft.homeUseKbUrl} onChange={(_e, d) => set({ homeUseKbUrl: d.value })} />
        </Field>
      </div>
    </Section>
  );
}
