import { Button, Card, CardHeader, Text } from '@fluentui/react-components';
import { DismissRegular, SearchRegular, ShieldRegular } from '@fluentui/react-icons';
import type { MailboxHelper } from '../../mail/graph-mail.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { ByHandChecklist } from './quarantine/ByHandChecklist.js';
import { DigestFindings } from './quarantine/DigestFindings.js';
import { JunkFindings } from './quarantine/JunkFindings.js';
import type { SearchResults } from '../../mail/mailbox-search.js';
import { failureOf, verdictOf } from '../../mail/mailbox-search.js';
import { NothingFound } from './quarantine/NothingFound.js';
import { SearchProgress } from './quarantine/SearchProgress.js';
import { useHelperStyles } from './quarantine/styles.js';
import { useMailboxSearch } from './quarantine/useMailboxSearch.js';

function Results({ results, mailbox, retry }: { results: SearchResults; mailbox: MailboxHelper | undefined; retry: () => void }) {
  const verdict = verdictOf(results);
  const failure = failureOf(results);
  return (
    <>
      {results.digests.status === 'done' && results.digests.items.length > 0 ? <DigestFindings findings={results.digests.items} /> : null}
      {results.junk.status === 'done' && results.junk.items.length > 0 ? <JunkFindings findings={results.junk.items} mailbox={mailbox} /> : null}
      {verdict === 'nothing' ? <NothingFound /> : null}
      {failure !== undefined ? (
        <ApiErrorBar error={failure} title={verdict === 'found' ? 'Part of your mailbox could not be searched' : 'Your mailbox could not be searched'} onRetry={retry} />
      ) : null}
      {verdict === 'failed' ? <ByHandChecklist /> : null}
    </>
  );
}

/**
 * The quarantine helper: searches the person's own mailbox (through Microsoft Graph, with their
 * permission) for the Autodesk invitation, in IronPort's quarantine digests and in Junk Email, and says
 * what to do about what it finds, or what else to check when it finds nothing.
 */
export function QuarantineHelper({ onClose }: { onClose: () => void }) {
  const styles = useHelperStyles();
  const { phase, search, mailbox } = useMailboxSearch();
  const busy = phase.phase === 'starting' || phase.phase === 'searching';
  return (
    <Card role="region" aria-label="Quarantine helper">
      <CardHeader
        image={<ShieldRegular fontSize={24} aria-hidden />}
        header={
          <Text as="h2" weight="semibold" size={400}>
            Quarantine helper
          </Text>
        }
        action={
          <Button appearance="subtle" icon={<DismissRegular />} onClick={onClose}>
            Close the helper
          </Button>
        }
      />
      <div className={styles.body}>
        <Text>
          The helper looks for the Autodesk email in your mailbox: in the spam quarantine digests that list mail held back for you, and in your Junk Email
          folder, over the last 30 days. It changes nothing unless you ask it to.
        </Text>
        <Text size={200}>
          The first time, Microsoft 365 asks you to let Credit Desk read and organise your mail (your own mailbox only).
          You are asked once.
        </Text>
        <div className={styles.actions}>
          <Button appearance={phase.phase === 'done' ? 'secondary' : 'primary'} icon={<SearchRegular />} disabled={busy} onClick={search}>
            {phase.phase === 'done' || phase.phase === 'failed' ? 'Search again' : 'Search my mailbox'}
          </Button>
        </div>
        {phase.phase === 'starting' ? <SearchProgress results={undefined} /> : null}
        {phase.phase === 'searching' ? <SearchProgress results={phase.results} /> : null}
        {phase.phase === 'done' ? <Results results={phase.results} mailbox={mailbox} retry={search} /> : null}
        {phase.phase === 'failed' ? (
          <>
            <ApiErrorBar error={phase.error} title="Your mailbox could not be searched" onRetry={search} />
            <ByHandChecklist />
          </>
        ) : null}
      </div>
    </Card>
  );
}
