import { Field, Link, Switch, Text } from '@fluentui/react-components';
import { FEATURES } from '../../../core/setup/features.js';
import type { FeatureId } from '../../../core/setup/features.js';
import { useApp } from '../../app-context.js';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { SectionProps } from './Section.js';
import { Section } from './Section.js';

/** Where each opt-in feature is switched: its own switch here, or the notification switches above. */
const SWITCHED_HERE: Partial<Record<FeatureId, 'messageTrace' | 'mailboxHelper'>> = { messageTrace: 'messageTrace', mailboxHelper: 'mailboxHelper' };

/**
 * Least privilege (issue 22): Credit Desk needs only the directory look-up; each other feature needs one more
 * Microsoft Graph permission and stays off until IT grants it and switches it on.
 */
export function FeaturesSection({ draft, set, check }: SectionProps) {
  const styles = useSettingsFormStyles();
  const { navigate } = useApp();
  const features = draft.features;
  const permissions = (id: FeatureId) => FEATURES.find((f) => f.id === id)!.permissions.map((p) => `${p.name} (${p.type})`).join(', ');
  return (
    <Section
      title="Microsoft Graph features"
      description="Credit Desk runs with the directory look-up alone. Each feature below needs one more Microsoft Graph permission: grant it first (the Setup page has the command), then switch the feature on."
    >
      <div className={styles.grid}>
        {FEATURES.filter((f) => f.optIn).map((feature) => {
          const key = SWITCHED_HERE[feature.id];
          const hint = `${feature.adds} Needs ${permissions(feature.id)}.`;
          return key ? (
            <Field key={feature.id} {...check(`features.${key}`)} hint={hint}>
              <Switch label={feature.title} checked={features[key]} onChange={(_e, d) => set({ features: { ...features, [key]: d.checked } })} />
            </Field>
          ) : (
            <Field key={feature.id} label={feature.title} hint={hint}>
              <Text size={200}>Switched under Teams channel and notifications.</Text>
            </Field>
          );
        })}
      </div>
      <Text>
        <Link onClick={() => navigate('setup')}>Open the Setup page</Link> to see which permissions are granted and the command for each that is missing.
      </Text>
    </Section>
  );
}
