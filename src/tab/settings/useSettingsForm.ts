import type { FormEvent, RefObject } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Settings } from '../../contract/schemas.js';
import { ApiError, newIdempotencyKey } from '../../platform/api-client.js';
import { useApp } from '../app-context.js';
import type { Draft, IssueIndex, ServerIssue } from './settings-form.js';
import { indexIssues, readServerIssues, sameSettings, stillStands, validateDraft } from './settings-form.js';

export interface SettingsFormState {
  /** The form element, so the first field the server named can be brought into view. */
  formRef: RefObject<HTMLFormElement | null>;
  draft: Draft;
  change: (next: Draft) => void;
  /** The draft's own problems and the server's that still stand, by field. */
  issues: IssueIndex;
  /** Ids of the services saved so far: those keep their id when renamed. */
  savedSlugs: string[];
  dirty: boolean;
  busy: boolean;
  saved: boolean;
  saveError: unknown;
  canSave: boolean;
  /** One line under the buttons: what stands between the person and a save. */
  statusText: string;
  save: (event?: FormEvent) => Promise<void>;
  discard: () => void;
}

/** The settings editor's state: the draft against what the server holds, its problems, and saving it. */
export function useSettingsForm(initial: Settings): SettingsFormState {
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
  const formRef = useRef<HTMLFormElement>(null);
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
    const field = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.scrollIntoView?.({ block: 'center' });
    field?.focus({ preventScroll: true });
  }, [standing]);

  const statusText =
    issues.count > 0 ? `Fix ${issues.count === 1 ? 'the problem' : `the ${issues.count} problems`} marked above to save.` : dirty ? 'You have unsaved changes.' : saved ? 'Saved.' : 'No changes.';

  return { formRef, draft, change, issues, savedSlugs, dirty, busy, saved, saveError, canSave, statusText, save, discard };
}
