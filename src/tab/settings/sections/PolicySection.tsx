import { Checkbox, Field, Select } from '@fluentui/react-components';
import { withUnit } from '../../../core/policy/policy.js';
import { Group, NumberInput } from '../fields.js';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

export function PolicySection({ draft, unit, set, check }: SectionProps) {
  const styles = useSettingsFormStyles();
  return (
    <Section title="Policy" description="How credits are handed out and bought.">
      <div className={styles.grid}>
        <Field label="Unit" {...check('unitName')} hint="Autodesk's Flex tokens have no per-person allotment and packs that expire, usually after 12 months: choosing them sets both.">
          <Select select={{ className: styles.select }} value={draft.unitName} onChange={(_e, data) => set(withUnit(draft, data.value === 'Flex tokens' ? 'Flex tokens' : 'Cloud Credits'))}>
            <option value="Cloud Credits">Cloud Credits</option>
            <option value="Flex tokens">Flex tokens</option>
          </Select>
        </Field>
        <Field label="Individual allotment" {...check('individualAllotment')} hint={`${unit} each registered person gets`}>
          <NumberInput value={draft.individualAllotment} onValue={(n) => set({ individualAllotment: n })} min={0} step={0.01} />
        </Field>
        <Field label="Allotment renewal" {...check('allotmentRenewal')}>
          <Select select={{ className: styles.select }} value={draft.allotmentRenewal} onChange={(_e, data) => set({ allotmentRenewal: data.value === 'yearly' ? 'yearly' : 'once' })}>
            <option value="once">Once, on registration</option>
            <option value="yearly">Every year</option>
          </Select>
        </Field>
        <Field label="Block size" {...check('blockSize')} hint={`Purchases are whole blocks of this many ${unit}`}>
          <NumberInput value={draft.blockSize} onValue={(n) => set({ blockSize: n })} min={1} step={1} />
        </Field>
        <Group label="Pack expiry" error={undefined}>
          <Checkbox label="Purchased packs expire" checked={draft.packExpiryMonths !== null} onChange={(_e, data) => set({ packExpiryMonths: data.checked ? 12 : null })} />
          {draft.packExpiryMonths !== null ? (
            <Field label="Months until a pack expires" {...check('packExpiryMonths')}>
              <NumberInput value={draft.packExpiryMonths} onValue={(n) => set({ packExpiryMonths: n })} min={1} max={60} step={1} />
            </Field>
          ) : null}
        </Group>
      </div>
    </Section>
  );
}
