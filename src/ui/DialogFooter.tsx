import { Button, DialogActions } from '@fluentui/react-components';

export interface DialogFooterProps {
  /** The primary button's label, and what it says while the action runs ("Saving…"). */
  action: string;
  busyAction: string;
  busy: boolean;
  /** False while the form is not valid yet. */
  ready: boolean;
  onCancel: () => void;
  cancelLabel?: string;
  /** Runs the action; without it the primary button submits the dialog's form. */
  onAction?: () => void;
  /** The action is done: only a Done button, which closes. */
  done?: boolean;
}

/** A dialog's buttons: Cancel and the primary action, or Done once the action is done. */
export function DialogFooter(props: DialogFooterProps) {
  const { action, busyAction, busy, ready, onCancel, onAction, done } = props;
  if (done) {
    return (
      <DialogActions>
        <Button appearance="primary" onClick={onCancel}>
          Done
        </Button>
      </DialogActions>
    );
  }
  return (
    <DialogActions>
      <Button onClick={onCancel} disabled={busy}>
        {props.cancelLabel ?? 'Cancel'}
      </Button>
      <Button type={onAction ? 'button' : 'submit'} appearance="primary" disabled={busy || !ready} onClick={onAction}>
        {busy ? busyAction : action}
      </Button>
    </DialogActions>
  );
}
