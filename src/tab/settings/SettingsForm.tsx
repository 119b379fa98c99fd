import type { Draft, IssueIndex } from './settings-form.js';
import { useSettingsFormStyles } from './SettingsForm.styles.js';
import { AccountManagersSection } from './sections/AccountManagersSection.js';
import { AlertsSection } from './sections/AlertsSection.js';
import { FeaturesSection } from './sections/FeaturesSection.js';
import { LeadTimesSection } from './sections/LeadTimesSection.js';
import { LimitsSection } from './sections/LimitsSection.js';
import { NotificationsSection } from './sections/NotificationsSection.js';
import { PolicySection } from './sections/PolicySection.js';
import { QuarantineSection } from './sections/QuarantineSection.js';
import { ResellerSection } from './sections/ResellerSection.js';
import { sectionProps } from './sections/Section.js';
import { ServicesSection } from './sections/ServicesSection.js';

/** Every setting of the policy (DESIGN 3.6), grouped as IT thinks about them. IT's form: the page is IT's alone. */
export function SettingsForm({ draft, onChange, issues, savedSlugs }: { draft: Draft; onChange: (next: Draft) => void; issues: IssueIndex; savedSlugs: readonly string[] }) {
  const styles = useSettingsFormStyles();
  const section = sectionProps(draft, onChange, issues);
  return (
    <div className={styles.sections}>
      <PolicySection {...section} />
      <LeadTimesSection {...section} />
      <ServicesSection {...section} savedSlugs={savedSlugs} />
      <AccountManagersSection {...section} />
      <ResellerSection {...section} />
      <QuarantineSection {...section} />
      <NotificationsSection {...section} />
      <FeaturesSection {...section} />
      <AlertsSection {...section} />
      <LimitsSection {...section} />
    </div>
  );
}
