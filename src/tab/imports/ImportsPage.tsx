import {
  Badge,
  Body1,
  Button,
  Caption1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Skeleton,
  SkeletonItem,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { AddRegular, ArrowDownloadRegular, TableSettingsRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { useEffect, useId, useState } from 'react';
import type { ImportKind, ImportView } from '../../contract/imports.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { formatDateTime } from '../../ui/format.js';
import { usePaged } from '../../ui/usePaged.js';
import { useApp } from '../app-context.js';
import { ColumnMapping } from './ColumnMapping.js';
import { CommitPanel } from './CommitPanel.js';
import { DateOrderQuestion } from './DateOrderQuestion.js';
import { ImportSummary } from './ImportSummary.js';
import type { ImportSummaryItem } from './ImportsList.js';
import { ImportsList, summaryOf } from './ImportsList.js';
import { PreviewTable, ProblemsTable } from './PreviewTable.js';
import { UnmatchedPeople } from './UnmatchedPeople.js';
import { UploadCard } from './UploadCard.js';
import { EDITABLE_STATES, STATE_COLOR, STATE_LABEL, formatBytes, reportFileName } from './import-words.js';
import { openImport, useOpenImportId } from './import-route.js';
import { useImportView } from './useImportView.js';
import type { MemberOption } from './useMembers.js';
import { useMembers } from './useMembers.js';
import { useUpload } from './useUpload.js';
import { UsageSourcesCards } from './UsageSourcesCard.js';
import { useUsageSources } from './useUsageSources.js';
import { PULL_ACTOR } from '../../core/usage-pull/pull-words.js';

const useStyles = makeStyles({
  stack: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0 },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow4,
    // Invisible in light and dark; high contrast draws it, where shadows are gone.
    border: `${tokens.strokeWidthThin} solid ${tokens.colorTransparentStroke}`,
    minWidth: 0,
    '@media (max-width: 600px)': { padding: tokens.spacingHorizontalM },
  },
  sectionHead: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  title: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  fileName: { margin: 0, overflowWrap: 'anywhere' },
  sub: { margin: 0 },
  skeleton: { display: 'grid', gap: tokens.spacingVerticalS },
});

const upsert = (view: ImportView) => (items: ImportSummaryItem[]) => {
  const summary = summaryOf(view);
  return items.some((i) => i.id === view.id) ? items.map((i) => (i.id === view.id ? summary : i)) : [summary, ...items];
};

/** A titled block of the import. */
function Section(props: { title: string; action?: ReactNode; children: ReactNode; testId?: string }) {
  const styles = useStyles();
  const id = useId();
  return (
    <section className={styles.section} aria-labelledby={id} data-testid={props.testId}>
      <div className={styles.sectionHead}>
        <Text as="h3" id={id} size={400} weight="semibold" className={styles.sub}>
          {props.title}
        </Text>
        {props.action}
      </div>
      {props.children}
    </section>
  );
}

/**
 * Usage imports (DESIGN 3.4), for account managers and IT: upload an Autodesk usage export, see what the
 * importer made of every row, map columns it did not know, link people it could not match, then post it as
 * a job and follow its progress. Past imports are listed below; the open one is in the address.
 */
export function ImportsPage() {
  const styles = useStyles();
  const { api, settings, me } = useApp();
  const fallbackUnit = settings.unitName === 'Flex tokens' ? 'tokens' : 'credits';
  const openId = useOpenImportId();
  const current = useImportView(api, openId);
  const list = usePaged((cursor, signal) => api('listImports', { query: { limit: 20, ...(cursor ? { cursor } : {}) }, signal }), [api]);
  const isIt = me.roles.includes('ITAdmin');
  const [kind, setKind] = useState<ImportKind>('usage');
  const usageSources = useUsageSources(api);
  const upload = useUpload(api, (view) => {
    current.replace(view);
    openImport(view.id);
  });

  // The list follows the open import (its state and progress) without reloading.
  const { update } = list;
  useEffect(() => {
    if (current.view) update(upsert(current.view));
  }, [current.view, update]);

  // Members: to link people the file names, and to name who uploaded. Loaded once, when first needed.
  const [membersWanted, setMembersWanted] = useState(false);
  const open = current.view;
  const needMembers =
    (open !== undefined && open.unmatched.length > 0 && (EDITABLE_STATES.has(open.state) || open.unmatched.some((p) => p.resolution.kind === 'member'))) ||
    [...list.items, ...(current.view ? [current.view] : [])].some((i) => i.uploadedBy !== me.member.id && i.uploadedBy !== PULL_ACTOR);
  useEffect(() => {
    if (needMembers) setMembersWanted(true);
  }, [needMembers]);
  const members = useMembers(api, membersWanted);
  const who = (by: string) =>
    by === PULL_ACTOR
      ? 'Autodesk (pulled)'
      : by === me.member.id || by === me.member.email ? `${me.member.displayName} (you)` : (members.data?.find((m) => m.id === by)?.displayName ?? by);

  return (
    <div className={styles.stack}>
      <div className={styles.header}>
        <div>
          <Text as="h2" size={500} weight="semibold" className={styles.heading}>
            Usage imports
          </Text>
          <Text block className={styles.muted}>
            Bring in what Autodesk actually charged: the usage export from Autodesk Account. Every row is checked before anything is written, and a row already
            imported is never counted twice.
          </Text>
        </div>
        {openId ? (
          <Button icon={<AddRegular />} onClick={() => openImport(undefined)}>
            New import
          </Button>
        ) : null}
      </div>

      {openId ? (
        current.loading && !current.view ? (
          <Skeleton aria-label="Loading the import" className={styles.skeleton}>
            <SkeletonItem size={32} />
            <SkeletonItem size={96} />
            <SkeletonItem size={128} />
          </Skeleton>
        ) : current.error ? (
          <ApiErrorBar error={current.error} title="This import could not be loaded" onRetry={current.reload} />
        ) : current.view ? (
          <ImportDetail view={current.view} fallbackUnit={fallbackUnit} who={who} members={members} onSaved={current.replace} pollError={current.pollError} />
        ) : null
      ) : (
        <UploadCard upload={upload} {...(isIt ? { kinds: { kind, onKind: setKind } } : {})} />
      )}

      <Section title="From Autodesk, every day" testId="usage-sources">
        <UsageSourcesCards state={usageSources} />
      </Section>

      <Section title="Past imports">
        {list.error ? <ApiErrorBar error={list.error} title="Past imports could not be loaded" onRetry={list.retry} /> : null}
        {list.loading ? (
          <Skeleton aria-label="Loading past imports" className={styles.skeleton}>
            <SkeletonItem size={32} />
            <SkeletonItem size={32} />
          </Skeleton>
        ) : list.items.length === 0 && !list.error ? (
          <Body1 className={styles.muted}>No imports yet.</Body1>
        ) : list.items.length > 0 ? (
          <ImportsList
            items={list.items.map((i) => ({ ...i, uploadedBy: who(i.uploadedBy) }))}
            openId={openId}
            unit={fallbackUnit}
            onOpen={openImport}
            hasMore={list.hasMore}
            loadingMore={list.loadingMore}
            onMore={list.loadMore}
          />
        ) : null}
      </Section>
    </div>
  );
}

interface MembersState {
  data: MemberOption[] | undefined;
  loading: boolean;
  error: unknown;
  reload: () => void;
}

function ImportDetail(props: { view: ImportView; fallbackUnit: string; who: (by: string) => string; members: MembersState; onSaved: (view: ImportView) => void; pollError: unknown }) {
  const styles = useStyles();
  const { api } = useApp();
  const { view } = props;
  const unit = view.unit ?? props.fallbackUnit;
  const editable = EDITABLE_STATES.has(view.state);
  // The column mapping knows a usage export's fields; an opening-balances file is detected by its header.
  const mappable = editable && view.kind !== 'opening_balances';
  const [mapping, setMapping] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>();
  const showMapping = mappable && (view.state === 'needs_mapping' || mapping);
  const posting = view.state === 'committing' || view.state === 'committed' || view.state === 'failed';

  const download = async () => {
    setDownloading(true);
    setDownloadError(undefined);
    try {
      await api.download('importReport', { params: { id: view.id }, fileName: reportFileName(view.fileName) });
    } catch (error) {
      setDownloadError(error);
    } finally {
      setDownloading(false);
    }
  };
  const reportButton = (
    <Button icon={<ArrowDownloadRegular />} onClick={() => void download()} disabled={downloading}>
      {downloading ? 'Preparing…' : 'Download report'}
    </Button>
  );
  const commit = <CommitPanel view={view} unit={unit} onSaved={props.onSaved} pollError={props.pollError} />;

  return (
    <div className={styles.stack} data-testid="open-import">
      <section className={styles.section} aria-label={`Import of ${view.fileName}`}>
        <div className={styles.sectionHead}>
          <div className={styles.title}>
            <Text as="h3" size={400} weight="semibold" className={styles.fileName}>
              {view.fileName}
            </Text>
            <Badge appearance="filled" color={STATE_COLOR[view.state]} data-testid="import-state">
              {STATE_LABEL[view.state]}
            </Badge>
            <Badge appearance="outline" color={view.kind === 'opening_balances' ? 'important' : 'informative'} data-testid="import-kind-badge">
              {view.kind === 'opening_balances' ? 'Opening balances (go-live)' : 'Usage export'}
            </Badge>
          </div>
          {mappable ? (
            <Button icon={<TableSettingsRegular />} appearance="subtle" onClick={() => setMapping((m) => !m)} disabled={view.state === 'needs_mapping'} aria-expanded={showMapping}>
              {showMapping ? 'Column mapping is open' : 'Change column mapping'}
            </Button>
          ) : null}
        </div>
        <Caption1 className={styles.muted}>
          {formatBytes(view.sizeBytes)}, uploaded by {props.who(view.uploadedBy)} on {formatDateTime(view.uploadedAt)}
        </Caption1>
        <ImportSummary view={view} unit={unit} />
      </section>

      {posting ? (
        <Section title={view.state === 'committing' ? 'Posting' : view.state === 'committed' ? 'Posted to the ledger' : 'Posting stopped'} testId="import-posting">
          {commit}
        </Section>
      ) : null}

      {showMapping ? (
        <Section title="Columns">
          {view.state === 'needs_mapping' ? (
            <MessageBar intent="warning" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>Some columns need you</MessageBarTitle>
                Credit Desk did not recognise every column this file needs. Choose which column holds each field, then check the file again.
              </MessageBarBody>
            </MessageBar>
          ) : null}
          <ColumnMapping
            key={`${view.id}-${JSON.stringify(view.mapping)}-${view.dateOrder}`}
            view={view}
            onSaved={(next) => {
              setMapping(false);
              props.onSaved(next);
            }}
            onClose={view.state === 'needs_mapping' ? undefined : () => setMapping(false)}
          />
        </Section>
      ) : null}

      {view.dateQuestion && view.dateQuestion.length > 0 && editable ? (
        <Section title="Dates" testId="import-dates">
          <DateOrderQuestion view={view} onSaved={props.onSaved} />
        </Section>
      ) : null}

      {view.unmatched.length > 0 ? (
        <Section title={`People without a member (${view.unmatched.length})`} testId="unmatched-people">
          {editable ? (
            <Body1>
              These people are in the file but not in Credit Desk under that address. Link each to a member to post their rows for them, or skip their rows.
            </Body1>
          ) : null}
          <UnmatchedPeople view={view} unit={unit} readOnly={!editable} members={props.members} onSaved={props.onSaved} />
        </Section>
      ) : null}

      <Section title="First rows" action={reportButton}>
        {downloadError ? <ApiErrorBar error={downloadError} title="The report could not be downloaded" onRetry={() => void download()} /> : null}
        {view.preview.length > 0 ? <PreviewTable rows={view.preview} unit={unit} opening={view.kind === 'opening_balances'} /> : <Body1 className={styles.muted}>No rows to show.</Body1>}
        {view.rows.total > view.preview.length ? (
          <Caption1 className={styles.muted}>
            The first {view.preview.length.toLocaleString()} of {view.rows.total.toLocaleString()} rows. The report lists every row that was refused, skipped or repeated.
          </Caption1>
        ) : null}
      </Section>

      {view.problems.length > 0 ? (
        <Section title={`Problems (${view.problemsTruncated ? `first ${view.problems.length.toLocaleString()}` : view.problems.length.toLocaleString()})`} testId="import-problems">
          <ProblemsTable problems={view.problems} />
          {view.problemsTruncated ? (
            <MessageBar intent="info">
              <MessageBarBody>Only the first {view.problems.length.toLocaleString()} problems are shown here. Download the report for every one, with its line.</MessageBarBody>
            </MessageBar>
          ) : null}
        </Section>
      ) : null}

      {!posting ? <Section title="Post to the ledger">{commit}</Section> : null}
    </div>
  );
}
