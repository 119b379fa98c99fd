import { Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowUndoRegular, SaveRegular } from '@fluentui/react-icons';
import type { FormEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Settings } from '../../contract/schemas.js';
import { ApiError, newIdempotencyKey } from '../../platform/api-client.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { fieldLabel } from '../../ui/field-words.js';
import { useApi } from '../../ui/useApi.js';
import { isIt, useApp } from '../app-context.js';
import { SettingsForm } from './SettingsForm.js';
import type { Draft, ServerIssue } from './settings-form.js';
import { indexIssues, readServerIssues, sameSettings, stillStands, validateDraft } from './settings-form.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  bar: {
    position: 'sticky',
    bottom: 0,
    zIndex: 1,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground1,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    boxShadow: tokens.shadow8,
    borderRadius: tokens.borderRadiusMedium,
  },
  actions: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  status: { color: tokens.colorNeutralForeground2 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

/**
 * Policy and settings (DESIGN 3.6): IT's alone, since they hold the Teams webhook URL and the mail sender
 * (the shell lists this page for IT only; everyone else reads the policy the shell loads).
 */
export function SettingsPage() {
  const { me } = useApp();
  if (!isIt(me)) {
    return (
      <MessageBar intent="info">
        <MessageBarBody>Only IT reads and changes the settings. Ask IT if something in the policy is out of date.</MessageBarBody>
      </MessageBar>
    );
  }
  return <LoadedSettings />;
}

function LoadedSettings() {
  const { api } = useApp();
  const loaded = useApi((signal) => api('getSettings', { signal }), [api]);
  if (loaded.error && !loaded.data) return <ApiErrorBar error={loaded.error} title="Could not load the settings" onRetry={loaded.reload} />;
  if (!loaded.data) return <Spinner label="Loading settings…" />;
  return <SettingsEditor initial={loaded.data} />;
}

function SettingsEditor({ initial }: { initial: Settings }) {
  const styles = useStyles();
  const { api, updateSettings } = useApp();
  const [original, setOriginal] = useState<Settings>(initial);
  const [draft, setDraft] = useState<Draft>(initial);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [serverIssues, setServerIssues] = useState<ServerIssue[]>([]);
  // A second click can arrive before the first one's state updates render: the ref stops it saving twice.
  // Save stays focusable while unavailable (aria-disabled), so focus is not lost when a save completes.
  const saving = useRef(false);
  // What the server holds now, updated as soon as a save returns: a second click handled before the next
  // render must see the saved state, not the stale one from its closure.
  const stored = useRef<Settings>(initial);
  const form = useRef<HTMLFormElement>(null);
  // After the server names a field, that field is brought into view and focused once it shows its message.
  const revealFirstProblem = useRef(false);

  const validation = useMemo(() => validateDraft(draft), [draft]);
  const standing = useMemo(() => serverIssues.filter((issue) => stillStands(issue, draft)), [serverIssues, draft]);
  const issues = useMemo(() => indexIssues([...validation.issues, ...standing]), [validation.issues, standing]);
  const dirty = !sameSettings(draft, original);
  const savedSlugs = original.services.map((s) => s.slug);
  const canSave = dirty && !busy && validation.data !== undefined;

  function change(next: Draft) {
    setDraft(next);
    setSaved(false);
  }

  async function save(event?: FormEvent) {
    event?.preventDefault();
    const body = validation.data;
    if (saving.current || !body || sameSettings(draft, stored.current)) return;
    saving.current = true;
    setBusy(true);
    setSaved(false);
    setSaveError(undefined);
    setServerIssues([]);
    try {
      const result = await api('putSettings', { body, idempotencyKey: newIdempotencyKey() });
      stored.current = result;
      setOriginal(result);
      setDraft(result);
      updateSettings(result);
      setSaved(true);
    } catch (reason) {
      setSaveError(reason);
      if (reason instanceof ApiError && reason.code === 'VALIDATION_FAILED') {
        setServerIssues(readServerIssues(reason.details, draft));
        revealFirstProblem.current = true;
      }
    } finally {
      saving.current = false;
      setBusy(false);
    }
  }

  function discard() {
    setDraft(original);
    setSaveError(undefined);
    setServerIssues([]);
    setSaved(false);
  }

  useEffect(() => {
    if (!revealFirstProblem.current || standing.length === 0) return;
    revealFirstProblem.current = false;
    const field = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.scrollIntoView?.({ block: 'center' });
    field?.focus({ preventScroll: true });
  }, [standing]);

  const status =
    issues.count > 0 ? `Fix ${issues.count === 1 ? 'the problem' : `the ${issues.count} problems`} marked above to save.` : dirty ? 'You have unsaved changes.' : saved ? 'Saved.' : 'No changes.';

  return (
    <form ref={form} className={styles.page} noValidate aria-label="Settings" onSubmit={(e) => void save(e)}>
      <div className={styles.header}>
        <Text as="h1" size={600} weight="semibold">
          Settings
        </Text>
        <Text>The firm's policy for {draft.unitName}, and what the reminders, forecasts and quarantine helper rely on.</Text>
      </div>
      <SettingsForm draft={draft} onChange={change} issues={issues} savedSlugs={savedSlugs} />

      <div className={styles.bar}>
        {saved ? (
          <MessageBar intent="success">
            <MessageBarBody>
              <MessageBarTitle>Settings saved</MessageBarTitle>
              Others see them the next time they open Credit Desk.
            </MessageBarBody>
          </MessageBar>
        ) : null}
        {saveError ? <ApiErrorBar error={saveError} title="Not saved" onRetry={() => void save()} /> : null}
        {issues.unplaced.length > 0 ? (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>Also to fix</MessageBarTitle>
              <ul className={styles.list}>
                {issues.unplaced.map((issue) => (
                  <li key={`${issue.path}:${issue.message}`}>
                    {issue.path ? `${fieldLabel(issue.path)}: ` : ''}
                    {issue.message}
                  </li>
                ))}
              </ul>
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <div className={styles.actions}>
          <Button type="submit" appearance="primary" icon={busy ? <Spinner size="tiny" /> : <SaveRegular />} disabledFocusable={!canSave}>
            {busy ? 'Saving…' : 'Save'}
          </Button>
          <Button type="button" icon={<ArrowUndoRegular />} disabled={!dirty || busy} onClick={discard}>
            Discard changes
          </Button>
          <Text className={styles.status} size={200} role="status">
            {status}
          </Text>
        </div>
      </div>
    </form>
  );
}
