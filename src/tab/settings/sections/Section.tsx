import type { FieldProps } from '@fluentui/react-components';
import { Text, useId } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { Settings } from '../../../contract/schemas.js';
import { useSettingsFormStyles } from '../SettingsForm.styles.js';
import type { Draft, IssueIndex } from '../settings-form.js';

/** What every section of the form reads and writes. */
export interface SectionProps {
  draft: Draft;
  /** The unit's word in hints and labels: "credits" or "tokens". */
  unit: string;
  /** Changes some settings, keeping the rest of the draft. */
  set: (patch: Partial<Settings>) => void;
  /** A field's message and state: the first problem found among `keys`. */
  check: (...keys: string[]) => Pick<FieldProps, 'validationMessage' | 'validationState'>;
  issues: IssueIndex;
}

export function sectionProps(draft: Draft, onChange: (next: Draft) => void, issues: IssueIndex): SectionProps {
  return {
    draft,
    unit: draft.unitName === 'Flex tokens' ? 'tokens' : 'credits',
    set: (patch) => onChange({ ...draft, ...patch }),
    check: (...keys) => {
      const message = keys.map((key) => issues.at(key)).find((m) => m !== undefined);
      return { validationMessage: message, validationState: message ? 'error' : 'none' };
    },
    issues,
  };
}

/** One card of the form, named by its heading. */
export function Section({ id: givenId, title, description, children }: { id?: string; title: string; description?: string; children: ReactNode }) {
  const styles = useSettingsFormStyles();
  const generatedId = useId('section');
  const id = givenId ?? generatedId;
  return (
    <section aria-labelledby={id} className={styles.section}>
      <div className={styles.sectionHead}>
        <Text as="h2" id={id} size={500} weight="semibold">
          {title}
        </Text>
        {description ? <Text className={styles.description}>{description}</Text> : null}
      </div>
      {children}
    </section>
  );
}
