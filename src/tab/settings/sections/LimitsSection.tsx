import { Field } from '@fluentui/react-components';
import { NumberInput } from '../fields.js';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

export function LimitsSection({ draft, set, check }: SectionProps) {
  const styles = useSettingsFormStyles();
  const { rateLimit, readRateLimit } = draft;
  return (
    <Section
      title="Limits"
      description="How many changes (logging usage, requests, purchase steps, settings) and how many reads one person may make, counted apart. Past a limit Credit Desk asks them to wait a moment."
    >
      <div className={styles.grid}>
        <Field label="Changes per minute, per person" {...check('rateLimit.perMinute')} hint="The steady rate each person gets back. 120 by default.">
          <NumberInput value={rateLimit.perMinute} onValue={(n) => set({ rateLimit: { ...rateLimit, perMinute: n } })} min={1} max={100_000} step={1} />
        </Field>
        <Field label="Changes at once (burst)" {...check('rateLimit.burst')} hint="How many a person may make in quick succession before the per-minute rate applies. 30 by default.">
          <NumberInput value={rateLimit.burst} onValue={(n) => set({ rateLimit: { ...rateLimit, burst: n } })} min={1} max={10_000} step={1} />
        </Field>
        <Field label="Reads per minute, per person" {...check('readRateLimit.perMinute')} hint="Page loads and refreshes, counted apart from changes. 600 by default.">
          <NumberInput value={readRateLimit.perMinute} onValue={(n) => set({ readRateLimit: { ...readRateLimit, perMinute: n } })} min={1} max={100_000} step={1} />
        </Field>
        <Field label="Reads at once (burst)" {...check('readRateLimit.burst')} hint="Opening the tab reads several things at once. 100 by default.">
          <NumberInput value={readRateLimit.burst} onValue={(n) => set({ readRateLimit: { ...readRateLimit, burst: n } })} min={1} max={10_000} step={1} />
        </Field>
      </div>
    </Section>
  );
}
