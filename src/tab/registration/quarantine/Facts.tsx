import { Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { useHelperStyles } from './styles.js';

/** A finding's sender, subject and time, as a description list. */
export function Facts({ rows }: { rows: [term: string, detail: ReactNode][] }) {
  const styles = useHelperStyles();
  return (
    <dl className={styles.facts}>
      {rows.map(([term, detail]) => (
        <div key={term} className={styles.pair}>
          <dt className={styles.term}>
            <Text>{term}</Text>
          </dt>
          <dd className={styles.detail}>
            <Text>{detail}</Text>
          </dd>
        </div>
      ))}
    </dl>
  );
}
