import { Spinner, Text } from '@fluentui/react-components';
import { CheckmarkCircleRegular, ErrorCircleRegular } from '@fluentui/react-icons';
import type { Part, SearchResults } from '../../../mail/mailbox-search.js';
import { useHelperStyles } from './styles.js';

function Step({ label, part }: { label: string; part: Part<unknown> }) {
  const styles = useHelperStyles();
  return (
    <li className={styles.progressItem}>
      {part.status === 'searching' ? (
        <Spinner size="extra-tiny" aria-hidden />
      ) : part.status === 'done' ? (
        <CheckmarkCircleRegular className={styles.done} aria-hidden />
      ) : (
        <ErrorCircleRegular aria-hidden />
      )}
      <Text>
        {label}: {part.status === 'searching' ? 'looking…' : part.status === 'done' ? `done, ${part.items.length} found` : 'could not look'}
      </Text>
    </li>
  );
}

/** While searching: both looks and where each stands. Announced politely to screen readers. */
export function SearchProgress({ results }: { results: SearchResults | undefined }) {
  const styles = useHelperStyles();
  return (
    <div role="status" aria-live="polite" className={styles.section}>
      <Spinner size="small" labelPosition="after" label={results ? 'Searching your mailbox…' : 'Connecting to your mailbox…'} />
      {results ? (
        <ul className={styles.progress} aria-label="Search progress">
          <Step label="Quarantine digests" part={results.digests} />
          <Step label="Junk Email" part={results.junk} />
        </ul>
      ) : null}
    </div>
  );
}
