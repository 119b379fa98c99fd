import { Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text } from '@fluentui/react-components';
import { ArrowUndoRegular, SaveRegular } from '@fluentui/react-icons';
import type { Settings } from '../../contract/schemas.js';
import { ApiErrorBar } from '../../ui/ApiErrorBar.js';
import { fieldLabel } from '../../ui/field-words.js';
import { useApi } from '../../ui/useApi.js';
import { isIt, useApp } from '../app-context.js';
import { SettingsForm } from './SettingsForm.js';
import { AutodeskSection } from './autodesk/AutodeskSection.js';
import { useSettingsPageStyles } from './SettingsPage.styles.js';
import type { FieldIssue } from './settings-form.js';
import type { SettingsFormState } from './useSettingsForm.js';
import { useSettingsForm } from './useSettingsForm.js';

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
  return (
    <>
      <SettingsEditor initial={loaded.data} />
      <AutodeskSection />
    </>
  );
}

function SettingsEditor({ initial }: { initial: Settings }) {
  const styles = useSettingsPageStyles();
  const state = useSettingsForm(initial);
  return (
    <form ref={state.formRef} className={styles.page} noValidate aria-label="Settings" onSubmit={(e) => void state.save(e)}>
      <div className={styles.header}>
        <Text as="h1" size={600} weight="semibold">
          Settings
        </Text>
        <Text>The firm's policy for {state.draft.unitName}, and what the reminders, forecasts and quarantine helper rely on.</Text>
      </div>
      <SettingsForm draft={state.draft} onChange={state.change} issues={state.issues} savedSlugs={state.savedSlugs} />
      <SaveBar state={state} />
    </form>
  );
}

/** Stays at the bottom of the screen: how the last save went, what is left to fix, and the buttons. */
function SaveBar({ state }: { state: SettingsFormState }) {
  const styles = useSettingsPageStyles();
  const { issues, busy, dirty } = state;
  return (
    <div className={styles.bar}>
      {state.saved ? (
        <MessageBar intent="success">
          <MessageBarBody>
            <MessageBarTitle>Settings saved</MessageBarTitle>
            Others see them the next time they open Credit Desk.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {state.saveError ? <ApiErrorBar error={state.saveError} title="Not saved" onRetry={() => void state.save()} /> : null}
      {issues.unplaced.length > 0 ? <UnplacedIssues issues={issues.unplaced} /> : null}
      <div className={styles.actions}>
        <Button type="submit" appearance="primary" icon={busy ? <Spinner size="tiny" /> : <SaveRegular />} disabledFocusable={!state.canSave}>
          {busy ? 'Saving…' : 'Save'}
        </Button>
        <Button type="button" icon={<ArrowUndoRegular />} disabled={!dirty || busy} onClick={state.discard}>
          Discard changes
        </Button>
        <Text className={styles.status} size={200} role="status">
          {state.statusText}
        </Text>
      </div>
    </div>
  );
}

/** Problems with no field of their own to stand next to. */
function UnplacedIssues({ issues }: { issues: readonly FieldIssue[] }) {
  const styles = useSettingsPageStyles();
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>Also to fix</MessageBarTitle>
        <ul className={styles.list}>
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path ? `${fieldLabel(issue.path)}: ` : ''}
              {issue.message}
            </li>
          ))}
        </ul>
      </MessageBarBody>
    </MessageBar>
  );
}
