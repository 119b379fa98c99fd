import { SettingsPage } from './SettingsPage.js';

export { SettingsPage };
export { SettingsForm } from './SettingsForm.js';
export { indexIssues, placeOf, plainMessage, readServerIssues, validateDraft } from './settings-form.js';
export type { Draft, FieldIssue, IssueIndex } from './settings-form.js';
export default SettingsPage;
