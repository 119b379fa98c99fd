import { Field } from '@fluentui/react-components';
import { NumberInput } from '../fields.js';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

export function AlertsSection({ draft, set, check }: SectionProps) {
  const styles = useSettingsFormStyles();
  const alerts = draft.alerts;
  return (
    <Section title="Alert thresholds" description="When the feed warns that the pool is low or that it is time to order.">
      <div className={styles.grid}>
        <Field label="Pool low below (% of the last purchase)" {...check('alerts.poolLowPercentOfLastPurchase')}>
          <NumberInput value={alerts.poolLowPercentOfLastPurchase} onValue={(n) => set({ alerts: { ...alerts, poolLowPercentOfLastPurchase: n } })} min={0} max={100} />
        </Field>
        <Field label="Safety margin (days)" {...check('alerts.safetyMarginDays')}>
          <NumberInput value={alerts.safetyMarginDays} onValue={(n) => set({ alerts: { ...alerts, safetyMarginDays: n } })} min={0} step={1} />
        </Field>
        <Field label="Forecast horizon (days)" {...check('alerts.forecastHorizonDays')} hint="How far ahead purchase recommendations look">
          <NumberInput value={alerts.forecastHorizonDays} onValue={(n) => set({ alerts: { ...alerts, forecastHorizonDays: n } })} min={1} step={1} />
        </Field>
      </div>
    </Section>
  );
}
